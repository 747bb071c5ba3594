// The region dpo's review list: every disclosure the organisation made under an exception of sundhedsloven
// § 43, stk. 2 — the ground, the justification, who decided, and whether the patient was told where stk. 4
// asks it.
import { useI18n } from '../../i18n/i18n.tsx';
import { Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { DisclosureCard } from './RegionPatientPage.tsx';
import { useExceptions } from './disclosuresApi.ts';
import './disclosures.css';

export function ExceptionsPage() {
  const { t } = useI18n();
  const list = useExceptions();
  return (
    <>
      <PageHeading title={t('disclosures.exceptions.title')}>{t('disclosures.exceptions.title')}</PageHeading>
      <p className="lead-text">{t('disclosures.exceptions.intro')}</p>
      {list.isPending && <Loading />}
      {list.isError && <QueryError error={list.error} />}
      {list.data && list.data.items.length === 0 && <p>{t('disclosures.exceptions.none')}</p>}
      {list.data && list.data.items.length > 0 && (
        <ul className="plain-list disclosure-list">
          {list.data.items.map((d) => (
            <li key={d.id}>
              <DisclosureCard disclosure={d} showPatient />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
