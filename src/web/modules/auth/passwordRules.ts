// The staff password rules, checked while typing so the user need not wait for the server (which checks again).
import type { MessageKey } from '../../i18n/i18n.tsx';

export const MIN_PASSWORD_LENGTH = 12;

/** The same rules as the server: at least 12 characters, and none of the user's names (3+ letters) inside. */
export function passwordProblem(password: string, user: { username: string; name: string }): 'too_short' | 'contains_name' | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too_short';
  const lower = password.toLocaleLowerCase('da');
  const parts = [user.username, ...user.name.split(/\s+/)].map((p) => p.toLocaleLowerCase('da')).filter((p) => p.length >= 3);
  return parts.some((p) => lower.includes(p)) ? 'contains_name' : null;
}

const serverIssueKeys: Record<string, MessageKey> = {
  too_short: 'password.issue.too_short',
  contains_name: 'password.issue.contains_name',
  same_as_current: 'password.issue.same_as_current',
  wrong_current_password: 'password.issue.wrong_current_password',
};

/** A server issue code as a sentence in the user's language; unknown codes get a general sentence. */
export function passwordIssueKey(code: string): MessageKey {
  return serverIssueKeys[code] ?? 'password.issue.other';
}
