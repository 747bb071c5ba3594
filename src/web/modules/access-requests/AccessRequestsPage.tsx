// "Indsigtsanmodninger": the access-request queue by deadline — the cases of citizens on the user's team, or for the
// dpo every case of the organisation — with the cases that owe the citizen an interim notice flagged.
import { useState } from 'react';
import { Link } from 'react-router';
import { Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatIsoDate } from '../../i18n/format.ts';
import { useAccessQueue } from './accessRequestsApi.ts';
import './accessRequests.css';

export function AccessRequestsPage() {
  const { t, language } = useI18n();
  const [released, setReleased] = useState(false);
  const list = useAccessQueue(released);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeading title={t('accessRequests.title')}>{t('accessRequests.title')}</PageHeading>
      <p className="page-intro">{t('accessRequests.intro')}</p>
      <div className="form-group-checkbox">
        <input id="access-released" className="form-checkbox" type="checkbox" checked={released} onChange={(e) => setReleased(e.target.checked)} />
        <label htmlFor="access-released">{t('accessRequests.showReleased')}</label>
      </div>
      {list.isPending && <Loading />}
      {list.isError && <QueryError error={list.error} />}
      {list.data && items.length === 0 && <p>{t('accessRequests.none')}</p>}
      {items.length > 0 && (
        <TableScroll labelledBy="access-queue-caption">
          <table className="table access-queue">
            <caption id="access-queue-caption" className="sr-only">
              {t('accessRequests.title')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('accessRequests.citizen')}</th>
                <th scope="col">{t('accessRequests.received')}</th>
                <th scope="col">{t('accessRequests.deadline')}</th>
                <th scope="col">{t('accessRequests.status')}</th>
                <th scope="col">{t('accessRequests.package')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={`/access-requests/${i.id}`}>{i.citizen.name}</Link>
                    {i.needsInterimNotice && (
                      <>
                        <br />
                        <strong className="access-flag">{t('accessRequests.needsInterim')}</strong>
                      </>
                    )}
                  </td>
                  <td>{formatIsoDate(language, i.receivedOn)}</td>
                  <td>
                    {formatIsoDate(language, i.deadline)}
                    {i.extended && <span className="form-hint"> {t('accessRequests.extended')}</span>}
                    {i.overdue && (
                      <>
                        <br />
                        <strong className="access-flag">{t('accessRequests.overdue')}</strong>
                      </>
                    )}
                  </td>
                  <td>{t(`accessRequests.state.${i.status}`)}</td>
                  <td>{t(`accessRequests.packageState.${i.packageState}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {list.hasNextPage && (
        <button type="button" className="button button-secondary" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {t('accessRequests.more')}
        </button>
      )}
    </>
  );
}
