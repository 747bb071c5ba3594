// The municipal record as the region's liaison may read it while a valid municipal disclosure consent (fvl_28)
// covers it: only the covered sections. Asked again each time it is opened (the consent is checked on every
// read and logged by the municipality); when the consent has ended, the page says so.
import { Link, useParams } from 'react-router';
import { isMessageKey, useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime, formatIsoDate } from '../../i18n/format.ts';
import { Loading, PageHeading } from '../../app/feedback.tsx';
import { ApiError } from '../../api/client.ts';
import { useSharedRecord } from './consentsApi.ts';
import { categoryLabel } from './labels.tsx';
import './consents.css';

export function SharedRecordPage() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const record = useSharedRecord(id);
  if (record.isPending) return <Loading />;
  if (record.isError) {
    return (
      <>
        <PageHeading title={t('consents.sharedTitleNone')}>{t('consents.sharedTitleNone')}</PageHeading>
        <p>{record.error instanceof ApiError && record.error.status === 404 ? t('consents.sharedNone') : t('error.request')}</p>
      </>
    );
  }
  const r = record.data;
  // A meeting's title is its place (a code); a conversation's its themes; an internship's the company.
  const activityTitle = (a: NonNullable<typeof r.activities>[number]) => {
    if (a.kind !== 'network_meeting') return a.title;
    const key = `meetingPlace.${a.title}`;
    return isMessageKey(key) ? t(key) : a.title;
  };
  const name = `${r.firstName} ${r.lastName}`;
  const title = t('consents.sharedTitle', { name });
  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <div className="shared-banner" role="note">
        <p>
          <strong>{t('consents.sharedBanner', { organisation: r.organisation.name })}</strong>
        </p>
        <p>{t('consents.sharedCoversNow', { categories: r.categories.map((c) => categoryLabel(t, c)).join(', ') })}</p>
      </div>

      {r.plan && (
        <section className="page-section" aria-labelledby="shared-plan">
          <h2 id="shared-plan">{t('consents.category.municipal_plan')}</h2>
          {r.plan.goal.text && (
            <p>
              <strong>{t('consents.sharedGoal')}</strong> {r.plan.goal.text}
              {r.plan.goal.targetDate ? ` (${formatIsoDate(language, r.plan.goal.targetDate)})` : ''}
            </p>
          )}
          {r.plan.goals.length === 0 ? (
            <p className="empty-state">{t('consents.sharedEmpty')}</p>
          ) : (
            <ul>
              {r.plan.goals.map((g) => (
                <li key={g.id}>
                  {g.text}
                  {r.plan!.tasks.filter((x) => x.goalId === g.id && x.status === 'open').length > 0 && (
                    <ul>
                      {r.plan!.tasks
                        .filter((x) => x.goalId === g.id && x.status === 'open')
                        .map((x) => (
                          <li key={x.id}>{x.title}</li>
                        ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      {r.activities && (
        <section className="page-section" aria-labelledby="shared-activities">
          <h2 id="shared-activities">{t('consents.category.activities')}</h2>
          {r.activities.length === 0 ? (
            <p className="empty-state">{t('consents.sharedEmpty')}</p>
          ) : (
            <ul className="card-list">
              {r.activities.map((a) => (
                <li key={a.id} className="card-item">
                  <strong>{t(`consents.activity.${a.kind}`)}</strong> · {a.date.length > 10 ? formatDateTime(language, a.date) : formatIsoDate(language, a.date)}
                  {activityTitle(a) && <> · {activityTitle(a)}</>}
                  {a.text && <p>{a.text}</p>}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      {r.notes && (
        <section className="page-section" aria-labelledby="shared-notes">
          <h2 id="shared-notes">{t('consents.category.notes')}</h2>
          {r.notes.length === 0 ? (
            <p className="empty-state">{t('consents.sharedEmpty')}</p>
          ) : (
            <ul className="card-list">
              {r.notes.map((n) => (
                <li key={n.id} className="card-item">
                  <p className="note-meta">
                    {n.author.name} · {formatDateTime(language, n.createdAt)}
                  </p>
                  <p>{n.body}</p>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      <p className="no-print">
        <Link to="/citizens">{t('consents.sharedBack')}</Link>
      </p>
    </>
  );
}
