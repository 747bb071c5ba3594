// "Dataudtræk": a study's research exports. A named researcher asks for one (CSV or REDCap), follows its progress and
// downloads the zip while it is ready (14 days); the study's programme managers and dpos see the same list with the
// reason an export was blocked (the file and variable, never the value), and no download.
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { ErrorAlert, Loading, SuccessNotice } from '../../app/feedback.tsx';
import { SelectField } from '../../app/fields.tsx';
import { useUser } from '../../app/session.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { useStudyExports, type Study, type StudyExport } from './studiesApi.ts';

const STATUS: Record<StudyExport['status'], MessageKey> = {
  queued: 'studies.exports.status.queued',
  running: 'studies.exports.status.running',
  scanning: 'studies.exports.status.scanning',
  ready: 'studies.exports.status.ready',
  blocked: 'studies.exports.status.blocked',
};
const KIND: Record<string, MessageKey> = {
  cpr: 'studies.exports.kind.cpr',
  email: 'studies.exports.kind.email',
  phone: 'studies.exports.kind.phone',
  name: 'studies.exports.kind.name',
  contact: 'studies.exports.kind.contact',
};

export function StudyExports({ study }: { study: Study }) {
  const { t } = useI18n();
  const user = useUser();
  const named = study.researchers.some((r) => r.id === user.id);
  const exports = useStudyExports(study.id, study.status === 'approved');
  if (study.status !== 'approved') return null;
  // Staff without a part in the study's exports get 404 from the list: the section is not theirs.
  if (exports.isError && exports.error instanceof ApiError && exports.error.status === 404) return null;
  const items = exports.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="study-exports" aria-labelledby="study-exports-heading">
      <h2 id="study-exports-heading">{t('studies.exports.heading')}</h2>
      <p>{t(named ? 'studies.exports.introResearcher' : 'studies.exports.introAdmin')}</p>
      {named && <RequestExport study={study} />}
      {exports.isPending ? (
        <Loading />
      ) : exports.isError ? (
        <ErrorAlert message={t('error.request')} />
      ) : items.length === 0 ? (
        <p>{t('studies.exports.none')}</p>
      ) : (
        <>
          <h3 id="study-exports-list-heading">{t('studies.exports.list')}</h3>
          <TableScroll labelledBy="study-exports-list-heading">
            <table className="table study-exports-table">
              <caption className="sr-only">{t('studies.exports.list')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('studies.exports.requested')}</th>
                  <th scope="col">{t('studies.exports.format')}</th>
                  <th scope="col">{t('studies.exports.statusColumn')}</th>
                  <th scope="col">{t('studies.exports.rows')}</th>
                  <th scope="col">{t('studies.exports.package')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((x) => (
                  <ExportRow key={x.id} x={x} />
                ))}
              </tbody>
            </table>
          </TableScroll>
          {exports.hasNextPage && (
            <button type="button" className="button button-secondary" onClick={() => void exports.fetchNextPage()} disabled={exports.isFetchingNextPage}>
              {t('studies.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function ExportRow({ x }: { x: StudyExport }) {
  const { t, language } = useI18n();
  const busy = x.status === 'queued' || x.status === 'running' || x.status === 'scanning';
  return (
    <tr>
      <td>
        {formatDateTime(language, x.requestedAt)}
        <br />
        <span className="form-hint">{x.requestedBy.name}</span>
      </td>
      <td>{t(x.format === 'redcap' ? 'studies.exports.format.redcap' : 'studies.exports.format.csv')}</td>
      <td>
        <span className={`export-status export-status-${x.status}`}>{t(STATUS[x.status])}</span>
        {busy && (
          <>
            <br />
            <progress className="export-progress" max={100} value={x.progress} aria-label={t('studies.exports.progress')}>
              {x.progress} %
            </progress>
          </>
        )}
        {x.blocked && (
          <p className="export-blocked">
            {x.blocked.reason === 'study_ended'
              ? t('studies.exports.blocked.ended')
              : x.blocked.reason === 'k_anonymity'
              ? t('studies.exports.blocked.k', { file: x.blocked.file ?? '' })
              : t('studies.exports.blocked.identifier', {
                  kind: t(KIND[x.blocked.kind ?? ''] ?? 'studies.exports.kind.contact'),
                  file: x.blocked.file ?? '',
                  variable: x.blocked.variable ?? '',
                })}
          </p>
        )}
        {x.anonymisation && x.anonymisation.generalised.length > 0 && (
          <p className="form-hint">
            {t('studies.exports.generalised')}{' '}
            {/* The notes are the package README's technical English (variable names and grains). */}
            <span lang="en">{x.anonymisation.generalised.join('; ')}</span>
          </p>
        )}
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
            <a className="button button-primary" href={`/api/exports/${x.id}/download`} download>
              {t('studies.exports.download')}
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

function RequestExport({ study }: { study: Study }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [format, setFormat] = useState<'csv' | 'redcap'>('csv');
  const request = useMutation({
    mutationFn: () => api.post<{ id: string }>(`/api/studies/${study.id}/exports`, { format }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['studies', 'exports', study.id] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    request.mutate();
  };
  const refusal = request.error instanceof ApiError && request.error.status === 409 ? t('studies.exports.refused') : t('error.request');
  return (
    <form className="study-actions" onSubmit={submit} noValidate aria-labelledby="study-export-request-heading">
      <h3 id="study-export-request-heading">{t('studies.exports.requestHeading')}</h3>
      <p>{t('studies.exports.requestIntro')}</p>
      {request.isSuccess && <SuccessNotice message={t('studies.exports.requestedNotice')} />}
      {request.isError && <ErrorAlert message={refusal} />}
      <SelectField
        id="study-export-format"
        label={t('studies.exports.formatLabel')}
        value={format}
        onChange={(v) => setFormat(v === 'redcap' ? 'redcap' : 'csv')}
        options={[
          { value: 'csv', label: t('studies.exports.format.csv') },
          { value: 'redcap', label: t('studies.exports.format.redcap') },
        ]}
      />
      <button type="submit" className="button button-primary" disabled={request.isPending}>
        {t('studies.exports.request')}
      </button>
    </form>
  );
}
