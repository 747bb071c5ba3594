// Labels for codes that come from the server (roles, benefits, outcomes, audit actions); an unknown code is shown as is.
import { isMessageKey, type MessageKey, type Vars } from './i18n.tsx';

type T = (key: MessageKey, vars?: Vars) => string;

function label(t: T, prefix: string, code: string): string {
  const key = `${prefix}.${code}`;
  return isMessageKey(key) ? t(key) : code;
}

export const roleLabel = (t: T, role: string) => label(t, 'role', role);
export const benefitLabel = (t: T, code: string) => label(t, 'benefit', code);
export const partnerRoleLabel = (t: T, role: string) => label(t, 'partnerRole', role);
export const outcomeLabel = (t: T, outcome: string) => label(t, 'outcome', outcome);
export const auditActionLabel = (t: T, action: string) => label(t, 'audit.action', action);
export const auditPurposeLabel = (t: T, purpose: string) => label(t, 'audit.purpose', purpose);
export const auditOutcomeLabel = (t: T, outcome: string) => label(t, 'audit.outcome', outcome);
export const resourceTypeLabel = (t: T, type: string) => label(t, 'audit.resource', type);
