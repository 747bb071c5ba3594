// "Indsigt": the citizen asks for access to their data (an empty request means everything), sees each
// organisation's case with its status, deadline and interim notice, and downloads the released package as readable
// HTML (to read and print) and as JSON. Mobile first (360 px), plain Danish with "du".
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { AccessPackageDownload, NewAccessRequestAnswer, PortalAccessCase, PortalAccessCaseList } from '../../../contracts/access-requests.ts';
import { api } from '../../api/client.ts';
import { ErrorAlert, Loading, PageHeading, QueryError, StatusNote } from '../../app/feedback.tsx';
import { TextArea } from '../../app/fields.tsx';
import { formatIsoDate } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { PortalSectionProps } from './sections.tsx';
import './insight.css';

const CASES_KEY = ['portal', 'access-requests'] as const;
const PAGE = 20;

export function InsightPage({ csrf }: PortalSectionProps) {
  const { t } = useI18n();
  const client = useQueryClient();
  // Newest first, a page at a time (keyset on the server): "Vis flere" fetches the next page.
  const cases = useInfiniteQuery({
    queryKey: CASES_KEY,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<PortalAccessCaseList>(`/api/portal/access-requests?limit=${PAGE}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`, { quiet401: true }),
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = cases.data?.pages.flatMap((p) => p.items) ?? [];
  const [text, setText] = useState('');
  const ask = useMutation({
    mutationFn: () => api.post<NewAccessRequestAnswer>('/api/portal/access-requests', { text: text.trim() || null }, { quiet401: true, csrf }),
    onSuccess: async () => {
      setText('');
      await client.invalidateQueries({ queryKey: CASES_KEY });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    ask.mutate();
  };
  return (
    <div className="portal-box">
      <PageHeading title={t('portal.insight.nav')}>{t('portal.insight.nav')}</PageHeading>
      <p>{t('portal.insight.intro')}</p>
      <form className="portal-card" onSubmit={submit} noValidate aria-labelledby="insight-ask-heading">
        <h2 id="insight-ask-heading">{t('portal.insight.ask.heading')}</h2>
        <TextArea id="insight-text" label={t('portal.insight.ask.label')} hint={t('portal.insight.ask.hint')} value={text} onChange={setText} rows={3} />
        {ask.isError && <ErrorAlert message={t('error.request')} />}
        {ask.isSuccess && <StatusNote kind="success" message={t('portal.insight.ask.sent')} />}
        <button type="submit" className="button button-primary" disabled={ask.isPending}>
          {t('portal.insight.ask.button')}
        </button>
      </form>
      <h2>{t('portal.insight.cases.heading')}</h2>
      {cases.isPending && <Loading />}
      {cases.isError && <QueryError error={cases.error} />}
      {cases.data && items.length === 0 && <p>{t('portal.insight.cases.none')}</p>}
      {items.length > 0 && (
        <ul className="portal-list">
          {items.map((c) => (
            <li key={c.id} className="portal-card insight-case">
              <Case c={c} />
            </li>
          ))}
        </ul>
      )}
      {cases.hasNextPage && (
        <button type="button" className="button button-secondary" disabled={cases.isFetchingNextPage} onClick={() => void cases.fetchNextPage()}>
          {cases.isFetchingNextPage ? t('portal.insight.cases.loadingMore') : t('portal.insight.cases.more')}
        </button>
      )}
    </div>
  );
}

function save(name: string, content: string, type: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function Case({ c }: { c: PortalAccessCase }) {
  const { t, language } = useI18n();
  const download = useMutation({
    mutationFn: (format: 'html' | 'json') => api.get<AccessPackageDownload>(`/api/portal/access-requests/${encodeURIComponent(c.id)}/package`, { quiet401: true }).then((p) => ({ p, format })),
    onSuccess: ({ p, format }) => {
      const day = p.releasedAt.slice(0, 10);
      if (format === 'html') save(`indsigt-${day}.html`, p.html, 'text/html;charset=utf-8');
      else save(`indsigt-${day}.json`, p.json, 'application/json');
    },
  });
  return (
    <>
      <h3>{c.organisation.name}</h3>
      <p>
        <strong>{t(`portal.insight.status.${c.status}`)}</strong>
        <br />
        {t('portal.insight.case.received', { date: formatIsoDate(language, c.receivedOn) })}
        <br />
        {c.text ? t('portal.insight.case.text', { text: c.text }) : t('portal.insight.case.everything')}
      </p>
      {c.status !== 'released' && <p>{t('portal.insight.case.deadline', { date: formatIsoDate(language, c.deadline) })}</p>}
      {c.status !== 'released' && c.extension && <p>{t('portal.insight.case.extended', { reason: c.extension.reason })}</p>}
      {c.status !== 'released' && c.interimNotice && (
        <div className="insight-notice">
          <h4>{t('portal.insight.interim.heading')}</h4>
          <p>{t('portal.insight.interim.text', { reason: c.interimNotice.reason })}</p>
          <p>{t('portal.insight.interim.expected', { date: formatIsoDate(language, c.interimNotice.expectedOn) })}</p>
        </div>
      )}
      {c.decision && (
        <>
          <h4>{t('portal.insight.decision.heading')}</h4>
          <p>{t(`portal.insight.decision.${c.decision.outcome}`)}</p>
          <p>{c.decision.reasons}</p>
          <details>
            <summary>{t('portal.insight.decision.complaint')}</summary>
            <p>{c.decision.complaintGuidance}</p>
          </details>
          {c.decision.outcome !== 'refused' && (
            <div className="button-row">
              <button type="button" className="button button-primary" onClick={() => download.mutate('html')} disabled={download.isPending}>
                {t('portal.insight.download.html')}
              </button>
              <button type="button" className="button button-secondary" onClick={() => download.mutate('json')} disabled={download.isPending}>
                {t('portal.insight.download.json')}
              </button>
            </div>
          )}
          {download.isError && <ErrorAlert message={t('portal.insight.download.failed')} />}
        </>
      )}
    </>
  );
}
