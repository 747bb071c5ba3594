// Labels of instruments, categories and states, through the catalogue.
import { isMessageKey, useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import type { ConsentView } from './consentsApi.ts';

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;
const label = (t: T, prefix: string, code: string) => {
  const key = `${prefix}.${code}`;
  return isMessageKey(key) ? t(key) : code;
};
export const instrumentLabel = (t: T, instrument: string) => label(t, 'consents.instrument', instrument);
export const categoryLabel = (t: T, category: string) => label(t, 'consents.category', category);

/** The recipient a consent names: an organisation (with its roles), or a company by name and CVR number. */
export function recipientLabel(t: T, c: Pick<ConsentView, 'recipient' | 'recipientCompany' | 'recipientRoles'>, roleName: (role: string) => string): string {
  if (c.recipientCompany) return t('liaisonCompanies.recipientCompany', { name: c.recipientCompany.name, cvr: c.recipientCompany.cvr });
  return `${c.recipient?.name ?? ''} (${c.recipientRoles.map(roleName).join(', ')})`;
}

export function StateTag({ state }: { state: ConsentView['state'] }) {
  const { t } = useI18n();
  return <span className={`consent-state consent-state-${state}`}>{t(`consents.state.${state}`)}</span>;
}
