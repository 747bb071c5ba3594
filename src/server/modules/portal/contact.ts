// Contact details as the code login matches them: an e-mail address or a mobile number, normalised the same way
// the database normalises the records' own (migration 0021: citizens.contact_email, citizens.contact_phone).
import { createHmac } from 'node:crypto';
import { z } from 'zod';

export type ContactKind = 'email' | 'phone';
export interface Contact {
  kind: ContactKind;
  /** Lower-case address, or digits with the country code (45 added to eight digits). */
  value: string;
}

const emailFormat = z.email();

/** The same steps as the generated column `contact_phone`. */
export function normalisePhone(raw: string): string | null {
  const digits = raw
    .replace(/[^0-9+]/g, '')
    .replace(/^(\+|00)/, '')
    .replace(/^([0-9]{8})$/, '45$1');
  return digits === '' ? null : digits;
}

/** The same steps as the generated column `contact_email`. */
export function normaliseEmail(raw: string): string | null {
  const value = raw.trim().toLowerCase();
  return value === '' ? null : value;
}

/** A mobile number the code login can use: 10 to 15 digits once normalised (a Danish one is 45 + 8). */
export function usablePhone(normalised: string | null): boolean {
  return !!normalised && /^[1-9][0-9]{9,14}$/.test(normalised);
}

export function usableEmail(normalised: string | null): boolean {
  return !!normalised && normalised.length <= 200 && emailFormat.safeParse(normalised).success;
}

/** What the citizen typed, as a contact; null when it is neither a usable e-mail address nor a usable number. */
export function parseContact(input: string): Contact | null {
  if (input.includes('@')) {
    const value = normaliseEmail(input);
    return usableEmail(value) ? { kind: 'email', value: value! } : null;
  }
  if (!/^[0-9+()\s.-]+$/.test(input)) return null;
  const value = normalisePhone(input);
  return usablePhone(value) ? { kind: 'phone', value: value! } : null;
}

/** The contact as stored with a code: a keyed hash, so the table never holds an address in clear. */
export function contactKey(secret: string, contact: Contact): string {
  return createHmac('sha256', secret).update(`portal-contact\u0000${contact.kind}\u0000${contact.value}`).digest('hex');
}
