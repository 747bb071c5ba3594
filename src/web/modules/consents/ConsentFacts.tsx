// The facts of a consent that the consents panel and the citizen's printed copy both show, each as one
// row of a description list, in the order the caller names them.
import { useI18n } from '../../i18n/i18n.tsx';
import { formatIsoDate } from '../../i18n/format.ts';
import type { ConsentView } from './consentsApi.ts';
import { categoryLabel } from './labels.tsx';

export type ConsentFact = 'categories' | 'purpose' | 'validity' | 'given' | 'recordedBy';

export function ConsentFacts({ consent: c, facts }: { consent: ConsentView; facts: readonly ConsentFact[] }) {
  const { t, language } = useI18n();
  const row = (fact: ConsentFact) => {
    switch (fact) {
      case 'categories':
        return [t('consents.categories'), c.categories.map((x) => categoryLabel(t, x)).join(', ')];
      case 'purpose':
        return [t('consents.purpose'), `${c.purpose}${c.caseReference ? ` (${c.caseReference})` : ''}`];
      case 'validity':
        return [t('consents.validity'), t('consents.validRange', { from: formatIsoDate(language, c.validFrom), to: formatIsoDate(language, c.validTo) })];
      case 'given':
        return [
          t('consents.given'),
          `${t('consents.givenOnBy', { date: formatIsoDate(language, c.givenOn), by: t(`consents.givenBy.${c.givenBy}`), how: t(`consents.givenHow.${c.givenHow}`) })}${c.givenByName ? ` – ${c.givenByName}` : ''}`,
        ];
      case 'recordedBy':
        return [t('consents.recordedBy'), `${c.recordedBy.user.name}, ${c.recordedBy.organisation.name}`];
    }
  };
  return (
    <>
      {facts.map((fact) => {
        const [term, value] = row(fact);
        return (
          <div key={fact}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        );
      })}
    </>
  );
}
