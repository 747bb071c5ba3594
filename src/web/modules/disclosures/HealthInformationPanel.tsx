// The municipal citizen page's marked panel of health information from psychiatry (PRODUCT.md: sensitive
// things look sensitive): what was received, when, from whom, under which consent, and whether that consent
// has since been withdrawn — or, where nothing was received, whether a consent is on file. Its own request,
// so the citizen page keeps its budget; without access (the server answers 404) the panel is not there.
import { ApiError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime, formatIsoDate } from '../../i18n/format.ts';
import { Loading, QueryError } from '../../app/feedback.tsx';
import { useUser } from '../../app/session.tsx';
import type { CitizenDetail } from '../citizens/citizenApi.ts';
import { label, RECIPIENT_ROLES, useHealthInformation, type HealthInfo, type Received } from './disclosuresApi.ts';
import { KnowledgeTransferAnswers } from './KnowledgeTransferAnswers.tsx';
import './disclosures.css';

export function HealthInformationPanel({ citizen }: { citizen: CitizenDetail }) {
  const user = useUser();
  const municipalStaff = user.organisation.id === citizen.organisation.id && user.roles.some((r) => r.programmeId && (RECIPIENT_ROLES as readonly string[]).includes(r.role));
  if (!municipalStaff) return null;
  return <Panel citizenId={citizen.id} />;
}

function Panel({ citizenId }: { citizenId: string }) {
  const { t } = useI18n();
  const info = useHealthInformation(citizenId);
  if (info.error instanceof ApiError && info.error.status === 404) return null;
  return (
    <section className="page-section citizen-section health-panel" aria-labelledby="health-heading">
      <div className="section-head">
        <h2 id="health-heading">
          <span className="health-mark" aria-hidden="true">
            ✚
          </span>{' '}
          {t('disclosures.health.title')}
        </h2>
        <span className="badge badge-small health-badge">{t('disclosures.health.badge')}</span>
      </div>
      <p className="health-intro">{t('disclosures.health.intro')}</p>
      {info.isPending && <Loading />}
      {info.isError && <QueryError error={info.error} />}
      {info.data && <Contents info={info.data} />}
    </section>
  );
}

function Contents({ info }: { info: HealthInfo }) {
  const { t, language } = useI18n();
  const date = (d: string | null) => (d ? formatIsoDate(language, d) : '–');
  if (info.items.length === 0) {
    const key =
      info.consentStatus === 'valid'
        ? 'disclosures.health.noneValid'
        : info.consentStatus === 'withdrawn'
          ? 'disclosures.health.noneWithdrawn'
          : info.consentStatus === 'expired'
            ? 'disclosures.health.noneExpired'
            : 'disclosures.health.noneNone';
    return <p className="health-status">{t(key, { date: date(info.consentStatus === 'withdrawn' ? info.consentWithdrawnOn : info.consentValidTo) })}</p>;
  }
  const statusKey =
    info.consentStatus === 'valid'
      ? 'disclosures.health.statusValid'
      : info.consentStatus === 'withdrawn'
        ? 'disclosures.health.statusWithdrawn'
        : info.consentStatus === 'expired'
          ? 'disclosures.health.statusExpired'
          : 'disclosures.health.statusNone';
  return (
    <>
      <p className="health-status">{t(statusKey, { date: date(info.consentStatus === 'withdrawn' ? info.consentWithdrawnOn : info.consentValidTo) })}</p>
      <ul className="plain-list received-list">
        {info.items.map((r) => (
          <li key={r.id}>
            <ReceivedCard received={r} />
          </li>
        ))}
      </ul>
    </>
  );
}

function ReceivedCard({ received: r }: { received: Received }) {
  const { t, language } = useI18n();
  const snapshot = r.snapshot as { advice?: string; sourceTeam?: string; writtenOn?: string; answers?: { question: string; text: string; category: string }[] };
  const withdrawn = r.consentWithdrawnAt;
  return (
    <article className={withdrawn ? 'received-card received-withdrawn' : 'received-card'} aria-labelledby={`received-${r.id}`}>
      <h3 className="h4" id={`received-${r.id}`}>
        {t('disclosures.health.from', { date: formatDateTime(language, r.disclosedAt), name: r.disclosedBy, organisation: r.fromOrganisation.name })}
      </h3>
      <p className="received-basis">
        {r.basis.kind === 'consent'
          ? t('disclosures.health.underConsent', { id: r.basis.consentIds.map((id) => id.slice(0, 8)).join(', ') })
          : t('disclosures.health.underException', { ground: label(t, 'disclosures.ground', r.basis.exceptionGround ?? '') })}
        {' · '}
        {label(t, 'disclosures.channel', r.channel)}
      </p>
      {withdrawn && (
        <p className="withdrawn-mark">
          <strong>{t('disclosures.health.withdrawn', { date: formatIsoDate(language, withdrawn) })}</strong>
        </p>
      )}
      {snapshot.sourceTeam && snapshot.writtenOn && <p className="muted">{t('disclosures.health.sourceTeam', { team: snapshot.sourceTeam, date: formatIsoDate(language, snapshot.writtenOn) })}</p>}
      {typeof snapshot.advice === 'string' && <p className="kt-text">{snapshot.advice}</p>}
      {snapshot.answers && <KnowledgeTransferAnswers answers={snapshot.answers} />}
    </article>
  );
}
