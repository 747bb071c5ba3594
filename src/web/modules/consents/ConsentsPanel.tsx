// "Samtykker" on the citizen page (both organisations' records of the person): every consent the organisation
// recorded, gives or receives, with its state; the combined form (sdl_43 + rsl_11a in one sitting, or fvl_28);
// the withdrawal with its receipt; a printable copy for the citizen; and, for the liaison on the region's
// record, the municipal record to read while a consent covers it.
import { useState } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatIsoDate } from '../../i18n/format.ts';
import { roleLabel } from '../../i18n/labels.ts';
import { Loading, QueryError } from '../../app/feedback.tsx';
import { useUser } from '../../app/session.tsx';
import { ApiError } from '../../api/client.ts';
import type { CitizenDetail } from '../citizens/citizenApi.ts';
import { Section } from '../citizens/Section.tsx';
import { useConsents, useMunicipalRecords, type ConsentView } from './consentsApi.ts';
import { ConsentForm } from './ConsentForm.tsx';
import { WithdrawForm } from './WithdrawForm.tsx';
import { ConsentFacts } from './ConsentFacts.tsx';
import { CitizenConsentRequests } from './CitizenConsentRequests.tsx';
import { categoryLabel, instrumentLabel, recipientLabel, StateTag } from './labels.tsx';
import './consents.css';

export function ConsentsPanel({ citizen }: { citizen: CitizenDetail }) {
  const { t } = useI18n();
  const user = useUser();
  const consents = useConsents(citizen.id);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const isLiaison = user.roles.some((r) => r.role === 'liaison');
  // Staff without consent roles get 404 here: the panel says nothing then.
  if (consents.isError && consents.error instanceof ApiError && consents.error.status === 404) return null;
  const items = consents.data?.items ?? [];
  return (
    <Section
      id="consents-heading"
      title={t('consents.title')}
      actions={
        <button type="button" className="button button-secondary button-small" aria-expanded={adding} onClick={() => { setNotice(null); setAdding(!adding); }}>
          {t('consents.add')}
        </button>
      }
    >
      <div role="status" className="notice-slot">
        {notice && (
          <div className="alert alert-success">
            <div className="alert-body">
              <p className="alert-text">{notice}</p>
            </div>
          </div>
        )}
      </div>
      <CitizenConsentRequests citizenId={citizen.id} />
      {adding && (
        <ConsentForm
          citizen={citizen}
          onCancel={() => setAdding(false)}
          onDone={(n, mode) => {
            setAdding(false);
            setNotice(mode === 'prepare' ? t('consents.prepared') : t('consents.recorded', { count: n }));
          }}
        />
      )}
      {isLiaison && <SharedAccessLinks regionCitizenId={citizen.id} />}
      {consents.isPending && <Loading />}
      {consents.isError && <QueryError error={consents.error} />}
      {consents.data && items.length === 0 && <p className="empty-state">{t('consents.none')}</p>}
      {items.length > 0 && (
        <ul className="card-list consent-list">
          {items.map((c) => (
            <ConsentCard key={c.id} consent={c} citizenId={citizen.id} />
          ))}
        </ul>
      )}
    </Section>
  );
}

function ConsentCard({ consent: c, citizenId }: { consent: ConsentView; citizenId: string }) {
  const { t, language } = useI18n();
  const [withdrawing, setWithdrawing] = useState(false);
  const canWithdraw = c.state === 'valid' || c.state === 'not_yet_valid';
  const headingId = `consent-${c.id}`;
  return (
    <li className={`card-item consent consent-${c.state}`} aria-labelledby={headingId}>
      <div className="consent-head">
        <h3 className="h5" id={headingId}>
          {instrumentLabel(t, c.instrument)}
        </h3>
        <StateTag state={c.state} />
      </div>
      <dl className="detail-list consent-facts">
        <ConsentFacts consent={c} facts={['categories']} />
        <div>
          <dt>{t('consents.fromTo')}</dt>
          <dd>
            {c.source.name} → {recipientLabel(t, c, (r) => roleLabel(t, r))}
          </dd>
        </div>
        <ConsentFacts consent={c} facts={['validity', 'given', 'purpose', 'recordedBy']} />
        {c.withdrawal && (
          <div>
            <dt>{t('consents.withdrawnHeading')}</dt>
            <dd>
              {t('consents.withdrawnOn', { date: formatIsoDate(language, c.withdrawal.withdrawnOn), how: t(`consents.givenHow.${c.withdrawal.how}`) })}
              {c.withdrawal.note ? ` – ${c.withdrawal.note}` : ''}
            </dd>
          </div>
        )}
      </dl>
      <div className="button-row consent-tools">
        <Link className="button button-tertiary button-small" to={`/citizens/${citizenId}/consents/${c.id}/print`}>
          {t('consents.printCopy')}
        </Link>
        {canWithdraw && (
          <button type="button" className="button button-secondary button-small" aria-expanded={withdrawing} onClick={() => setWithdrawing(!withdrawing)}>
            {t('consents.withdraw')}
          </button>
        )}
      </div>
      {withdrawing && <WithdrawForm consent={c} citizenId={citizenId} onClose={() => setWithdrawing(false)} />}
    </li>
  );
}

/** For the liaison on the region's record: the municipal records a valid fvl_28 consent lets them read. */
function SharedAccessLinks({ regionCitizenId }: { regionCitizenId: string }) {
  const { t, language } = useI18n();
  const records = useMunicipalRecords(regionCitizenId, true);
  if (!records.data || records.data.items.length === 0) return null;
  return (
    <div className="shared-access-links">
      <h3 className="h5">{t('consents.sharedHeading')}</h3>
      <ul className="plain-list">
        {records.data.items.map((r) => (
          <li key={r.citizenId}>
            <Link to={`/citizens/${r.citizenId}/shared`}>{t('consents.sharedLink', { organisation: r.organisation.name })}</Link>{' '}
            <span className="muted">
              {t('consents.sharedCovers', { categories: r.categories.map((x) => categoryLabel(t, x)).join(', '), to: formatIsoDate(language, r.validTo) })}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
