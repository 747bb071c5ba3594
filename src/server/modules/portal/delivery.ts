// The delivery adapter: how the portal's messages (invitations, login codes) reach a citizen. In demo mode every
// message goes to the outbox table (shown at /demo/outbox); otherwise e-mail goes by SMTP when configured, and
// SMS through a pluggable sender when one is given. A channel that cannot send is refused before anything is
// looked up, so a refusal never tells whether a contact is known. Neither the address nor the text is logged.
import type { FastifyBaseLogger } from 'fastify';
import nodemailer from 'nodemailer';
import type { SmtpConfig } from '../../platform/config.ts';
import type { Executor } from '../../platform/audit/audit.ts';
import { DomainError } from '../../platform/errors.ts';

export type Channel = 'email' | 'sms';

export interface OutgoingMessage {
  channel: Channel;
  /** The e-mail address or the number (digits with country code). */
  recipient: string;
  subject: string;
  text: string;
  /** A neutral sender name shown with the message (reminders); none: the configured sender as it is. */
  senderName?: string;
}

/** Sends one text message; a provider's adapter implements it. */
export interface SmsSender {
  /** `from`: a sender name the provider shows instead of a number, when given. */
  send(to: string, text: string, from?: string): Promise<void>;
}

/** The configured sender's address with another display name: `Name <address>`. */
export function fromWithName(from: string, name: string | undefined): string {
  if (!name) return from;
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
  return `"${name.replace(/["\\\r\n]/g, '')}" <${address}>`;
}

export interface Delivery {
  /** Whether messages on this channel can be sent from this server. */
  canSend(channel: Channel): boolean;
  /**
   * Hands a message over. The demo outbox writes it in the caller's transaction; a real channel sends it after
   * the call returns (the request does not wait on the network, so its timing says nothing about the contact).
   */
  send(tx: Executor, message: OutgoingMessage): Promise<void>;
  /**
   * Hands a message over and waits until the channel has taken it, so that a failure reaches the caller (a job that
   * is retried). The demo outbox writes it in the caller's transaction.
   */
  sendNow(tx: Executor, message: OutgoingMessage): Promise<void>;
  /** Waits for messages handed over but not yet sent (for an orderly shutdown and for tests). */
  flush(): Promise<void>;
}

export class DeliveryUnavailable extends DomainError {
  constructor(channel: Channel) {
    super(
      503,
      'delivery_unavailable',
      channel === 'email'
        ? 'This server cannot send e-mail (no SMTP configuration: SMTP_HOST and MAIL_FROM), so no code or invitation is sent by e-mail'
        : 'This server cannot send text messages (no SMS sender is configured), so no code or invitation is sent by SMS',
    );
  }
}

/** Demo mode: the message is stored for /demo/outbox, in the transaction that made it. */
export function outboxDelivery(): Delivery {
  const send = async (tx: Executor, message: OutgoingMessage) => {
    await tx
      .insertInto('portal_outbox')
      .values({ channel: message.channel, recipient: message.recipient, subject: message.subject, body: message.text, sender: message.senderName ?? null })
      .execute();
  };
  return {
    canSend: () => true,
    send,
    sendNow: send,
    flush: async () => undefined,
  };
}

export interface Transport {
  sendMail(mail: { from: string; to: string; subject: string; text: string }): Promise<unknown>;
}

export function smtpTransport(smtp: SmtpConfig): Transport {
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    // Without TLS from the start, STARTTLS is required: a code never crosses the network in clear.
    requireTLS: !smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
  });
}

/** Error details that carry no address and no text: the class and the protocol codes only. */
function safeError(error: unknown): Record<string, unknown> {
  const e = error as { name?: unknown; code?: unknown; responseCode?: unknown; command?: unknown };
  return { type: String(e?.name ?? 'Error'), code: typeof e?.code === 'string' ? e.code : undefined, responseCode: typeof e?.responseCode === 'number' ? e.responseCode : undefined };
}

/** Outside demo mode: SMTP for e-mail when configured, the given SMS sender for text messages. */
export function liveDelivery(opts: { transport?: Transport; from?: string; sms?: SmsSender; log: Pick<FastifyBaseLogger, 'error'> }): Delivery {
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<unknown>, channel: Channel) => {
    const done = work.then(
      () => undefined,
      (error: unknown) => opts.log.error({ err: safeError(error), channel }, 'a portal message could not be sent'),
    );
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };
  const hand = (message: OutgoingMessage): Promise<unknown> => {
    if (message.channel === 'email') {
      if (!opts.transport || !opts.from) throw new DeliveryUnavailable('email');
      return opts.transport.sendMail({ from: fromWithName(opts.from, message.senderName), to: message.recipient, subject: message.subject, text: message.text });
    }
    if (!opts.sms) throw new DeliveryUnavailable('sms');
    return opts.sms.send(`+${message.recipient}`, message.text, message.senderName);
  };
  return {
    canSend: (channel) => (channel === 'email' ? !!opts.transport && !!opts.from : !!opts.sms),
    async send(_tx, message) {
      track(hand(message), message.channel);
    },
    async sendNow(_tx, message) {
      try {
        await hand(message);
      } catch (error) {
        opts.log.error({ err: safeError(error), channel: message.channel }, 'a portal message could not be sent');
        throw error;
      }
    },
    async flush() {
      await Promise.all([...pending]);
    },
  };
}

export function deliveryFor(
  config: { demo: boolean; smtp?: SmtpConfig },
  log: Pick<FastifyBaseLogger, 'error'>,
  sms?: SmsSender,
): Delivery {
  if (config.demo) return outboxDelivery();
  return liveDelivery({ transport: config.smtp ? smtpTransport(config.smtp) : undefined, from: config.smtp?.from, sms, log });
}
