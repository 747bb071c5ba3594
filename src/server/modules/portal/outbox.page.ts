// The demo outbox as a plain server-rendered page: every message the demo "sent", newest first, each with its
// recipient before its text. Only in demo mode; it exists so a tester can read a login code without a mailbox.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import * as repo from './portal.repository.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const TIME = new Intl.DateTimeFormat('da-DK', { timeZone: 'Europe/Copenhagen', dateStyle: 'short', timeStyle: 'medium' });

export async function outboxPage(db: Kysely<Database>): Promise<string> {
  const messages = await repo.outbox(db, 100);
  const items = messages
    .map(
      (m) => `
    <li class="message">
      <p class="recipient"><span class="label">Til:</span> ${escape(m.recipient)} <span class="channel">(${m.channel === 'email' ? 'e-mail' : 'sms'})</span></p>
      <p class="meta">Sendt ${escape(TIME.format(new Date(m.created_at)))}${m.sender ? ` · Fra: ${escape(m.sender)}` : ''}${m.subject ? ` · Emne: ${escape(m.subject)}` : ''}</p>
      <pre class="body">${escape(m.body)}</pre>
    </li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo-udbakke – Bindeled</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; padding: 1rem; color: #1a1a1a; background: #fff; line-height: 1.5; }
  main { max-width: 40rem; margin: 0 auto; }
  h1 { font-size: 1.5rem; }
  ol { list-style: none; padding: 0; }
  .message { border: 1px solid #747474; border-radius: 4px; padding: 0.75rem 1rem; margin-bottom: 1rem; }
  .recipient { font-weight: 600; margin: 0; word-break: break-all; }
  .meta { color: #454545; margin: 0.25rem 0; font-size: 0.9rem; }
  .body { white-space: pre-wrap; font-family: inherit; margin: 0.5rem 0 0; font-size: 1rem; }
</style>
</head>
<body>
<main>
<h1>Demo-udbakke</h1>
<p>Her ses de beskeder, demoen ville have sendt som e-mail eller sms. Nyeste først. Siden findes kun i demo-tilstand.</p>
${messages.length === 0 ? '<p>Der er ingen beskeder endnu.</p>' : `<ol aria-label="Beskeder">${items}\n</ol>`}
</main>
</body>
</html>
`;
}
