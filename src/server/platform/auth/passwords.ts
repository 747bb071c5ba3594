// Password hashing with argon2id and the password rules for staff accounts.
import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline: 19 MiB memory, 2 iterations, 1 lane.
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/** Verifies; with no stored hash it still spends the same work, so timing does not reveal unknown users. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    dummyHash ??= hashPassword('bindeled-timing-equaliser');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

export const MIN_PASSWORD_LENGTH = 12;

export type PasswordProblem = 'too_short' | 'contains_name' | 'same_as_current';

/** Checks a new password against the length rule and the user's own names. */
export function passwordProblem(password: string, user: { username: string; name: string }): PasswordProblem | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too_short';
  const lower = password.toLocaleLowerCase('da');
  const parts = [user.username, ...user.name.split(/\s+/)].map((p) => p.toLocaleLowerCase('da')).filter((p) => p.length >= 3);
  if (parts.some((p) => lower.includes(p))) return 'contains_name';
  return null;
}
