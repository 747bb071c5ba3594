// "Registersamkøring": a study marked for register linkage is delivered by the disclosing organisation, keyed by CPR
// number, to Danmarks Statistik's research service (decision 0044). The organisation's programme manager asks for the
// delivery, follows its progress and fetches the zip for the hand-over within 2 days; the dpo sees the deliveries.
// The study's researchers never see this section: the list answers them 404.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { ErrorAlert, Loading, SuccessNotice } from '../../app/feedback.tsx';
import { useUser } from '../../app/session.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { useLinkageDeliveries, type LinkageDelivery, type Study } from './studiesApi.ts';

const STATUS: Record<LinkageDelivery['status'], MessageKey> = {
  queued: 'studies.linkage.status.queued',
  running: 'studies.linkage.status.running',
  ready: 'studies.linkage.status.ready',
  failed: 'studies.linkage.status.failed',
};

export function StudyLinkage({ study }: { study: Study }) {
  const { t } = useI18n();
  const user = useUser();
  const named = study.researchers.some((r) => r.id === user.id);
  const included = study.organisations.some((o) => o.id === user.organisation.id);
  const isManager = user.roles.some((r) => r.role === 'programme_manager' && r.programmeId === study.programme.id);
  const isDpo = user.roles.some((r) => r.role === 'dpo' && r.programmeId === null);
  const visible = study.registerLinkage && study.status === 'approved' && included && !named && (isManager || isDpo);
  const deliveries = useLinkageDeliveries(study.id, visible);
  if (!visible) return null;
  if (deliveries.isError && deliveries.error instanceof ApiError && deliveries.error.status === 404) return null;
  const items = deliveries.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="study-exports" aria-labelledby="study-linkage-heading">
      <h2 id="study-linkage-heading">{t('studies.linkage.heading')}</h2>
      <p>{t('studies.linkage.intro', { reference: study.dstReference ?? '' })}</p>
      <p>{t('studies.linkage.neverResearchers')}</p>
      {isManager && !study.ended && <RequestDelivery study={study} />}
      {deliveries.isPending ? (
        <Loading />
      ) : deliveries.isError ? (
        <ErrorAlert message={t('error.request')} />
      ) : items.length === 0 ? (
        <p>{t('studies.linkage.none')}</p>
      ) : (
        <>
          <h3 id="study-linkage-list-heading">{t('studies.linkage.list')}</h3>
          <TableScroll labelledBy="study-linkage-list-heading">
            <table className="table study-exports-table">
              <caption className="sr-only">{t('studies.linkage.list')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('studies.exports.requested')}</th>
                  <th scope="col">{t('studies.exports.statusColumn')}</th>
                  <th scope="col">{t('studies.exports.rows')}</th>
                  <th scope="col">{t('studies.exports.package')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((x) => (
                  <DeliveryRow key={x.id} x={x} />
                ))}
              </tbody>
            </table>
          </TableScroll>
          {deliveries.hasNextPage && (
            <button type="button" className="button button-secondary" onClick={() => void deliveries.fetchNextPage()} disabled={deliveries.isFetchingNextPage}>
              {t('studies.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function DeliveryRow({ x }: { x: LinkageDelivery }) {
  const { t, language } = useI18n();
  const busy = x.status === 'queued' || x.status === 'running';
  return (
    <tr>
      <td>
        {formatDateTime(language, x.requestedAt)}
        <br />
        <span className="form-hint">{x.requestedBy.name}</span>
      </td>
      <td>
        <span className={`export-status export-status-${x.status === 'failed' ? 'blocked' : x.status}`}>{t(STATUS[x.status])}</span>
        {busy && (
          <>
            <br />
            <progress className="export-progress" max={100} value={x.progress} aria-label={t('studies.exports.progress')}>
              {x.progress} %
            </progress>
          </>
        )}
        {x.failure && <p className="export-blocked">{t(x.failure === 'study_ended' ? 'studies.linkage.failure.ended' : 'studies.linkage.failure.notApproved')}</p>}
      </td>
      <td>
        {Object.keys(x.rowCounts).length === 0 ? (
          '—'
        ) : (
          <ul className="plain-list">
            {Object.entries(x.rowCounts).map(([file, n]) => (
              <li key={file}>
                <code>{file}</code>: {n}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        {x.canDownload ? (
          <>
            <a className="button button-primary" href={`/api/linkage-deliveries/${x.id}/download`} download>
              {t('studies.linkage.download')}
            </a>
            {x.expiresAt && (
              <>
                <br />
                <span className="form-hint">{t('studies.exports.expires', { date: formatDateTime(language, x.expiresAt) })}</span>
              </>
            )}
          </>
        ) : x.status === 'ready' && x.expired ? (
          t('studies.exports.expired')
        ) : x.status === 'ready' && x.expiresAt ? (
          t('studies.exports.readyUntil', { date: formatDateTime(language, x.expiresAt) })
        ) : (
          '—'
        )}
      </td>
    </tr>
  );
}

function RequestDelivery({ study }: { study: Study }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const request = useMutation({
    mutationFn: () => api.post<{ id: string }>(`/api/studies/${study.id}/linkage-deliveries`, {}),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['studies', 'linkage', study.id] }),
  });
  return (
    <div className="study-actions" role="group" aria-labelledby="study-linkage-request-heading">
      <h3 id="study-linkage-request-heading">{t('studies.linkage.requestHeading')}</h3>
      <p>{t('studies.linkage.requestIntro')}</p>
      {request.isSuccess && <SuccessNotice message={t('studies.linkage.requestedNotice')} />}
      {request.isError && <ErrorAlert message={request.error instanceof ApiError && request.error.status === 409 ? t('studies.linkage.refused') : t('error.request')} />}
      <button type="button" className="button button-primary" onClick={() => request.mutate()} disabled={request.isPending}>
        {t('studies.linkage.request')}
      </button>
    </div>
  );
}
