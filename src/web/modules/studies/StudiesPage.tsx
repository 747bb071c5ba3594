// "Undersøgelser": the research agreements the user is a party to — the programme manager and the dpo of an
// included municipality, or a researcher named on the study. Newest first, paginated.
import { Link } from 'react-router';
import { Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { useUser } from '../../app/session.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatIsoDate } from '../../i18n/format.ts';
import { useStudies } from './studiesApi.ts';
import './studies.css';

export function StudiesPage() {
  const { t, language } = useI18n();
  const list = useStudies();
  const manager = useUser().roles.some((r) => r.role === 'programme_manager' && r.programmeId);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <div className="title-row">
        <PageHeading title={t('studies.title')}>{t('studies.title')}</PageHeading>
        {manager && (
          <Link className="button button-primary title-action" to="/studies/new">
            {t('studies.new.button')}
          </Link>
        )}
      </div>
      <p className="page-intro">{t('studies.intro')}</p>
      {list.isPending && <Loading />}
      {list.isError && <QueryError error={list.error} />}
      {list.data && items.length === 0 && <p>{t('studies.none')}</p>}
      {items.length > 0 && (
        <table className="table studies-table">
          <caption className="sr-only">{t('studies.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('studies.study')}</th>
              <th scope="col">{t('studies.partner')}</th>
              <th scope="col">{t('studies.period')}</th>
              <th scope="col">{t('studies.status')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link to={`/studies/${s.id}`}>{s.title}</Link>
                  <br />
                  <span className="form-hint">{s.programme.name}</span>
                </td>
                <td>{s.partnerName}</td>
                <td>{t('studies.periodValue', { from: formatIsoDate(language, s.startsOn), to: formatIsoDate(language, s.endsOn) })}</td>
                <td>
                  <span className={`study-status study-status-${s.status}`}>{t(s.status === 'approved' ? 'studies.status.approved' : 'studies.status.awaiting')}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.hasNextPage && (
        <button type="button" className="button button-secondary" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {t('studies.more')}
        </button>
      )}
    </>
  );
}
