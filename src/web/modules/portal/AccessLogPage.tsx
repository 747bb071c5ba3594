// "Hvem har set mine oplysninger": others' uses of the citizen's data from both organisations' audit logs, newest
// first, a page at a time ("Vis flere"); never the employee's name. Each entry has a button to ask the organisation
// who made the look-up; the organisation's answer shows beside the entry. Mobile first (360 px).
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { AccessLogEntry, AccessLogPage as AccessLogPageBody, LookupQuestionState } from '../../../contracts/portal-log.ts';
import { api } from '../../api/client.ts';
import { ErrorAlert, Loading, PageHeading, QueryError, StatusNote } from '../../app/feedback.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { isMessageKey, useI18n } from '../../i18n/i18n.tsx';
import { roleLabel } from '../../i18n/labels.ts';
import type { PortalSectionProps } from './sections.tsx';
import './accessLog.css';

const PAGE_SIZE = 20;
const LOG_KEY = ['portal', 'access-log'] as const;

function useAccessLog() {
  return useInfiniteQuery({
    queryKey: LOG_KEY,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      api.get<AccessLogPageBody>(`/api/portal/access-log?limit=${PAGE_SIZE}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`, { quiet401: true }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function AccessLogPage({ csrf }: PortalSectionProps) {
  const { t } = useI18n();
  const log = useAccessLog();
  const entries = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="portal-box">
      <PageHeading title={t('portal.log.title')}>{t('portal.log.title')}</PageHeading>
      <p>{t('portal.log.intro')}</p>
      {log.isPending && <Loading />}
      {log.isError && <QueryError error={log.error} />}
      {log.data && entries.length === 0 && <p>{t('portal.log.empty')}</p>}
      {entries.length > 0 && (
        <ol className="portal-log" aria-label={t('portal.log.listLabel')}>
          {entries.map((entry) => (
            <li key={entry.id} className="portal-card portal-log-entry">
              <Entry entry={entry} csrf={csrf} />
            </li>
          ))}
        </ol>
      )}
      {log.hasNextPage && (
        <button type="button" className="button button-secondary load-more" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
          {log.isFetchingNextPage ? t('portal.log.loadingMore') : t('portal.log.more')}
        </button>
      )}
    </div>
  );
}

function Entry({ entry, csrf }: { entry: AccessLogEntry; csrf: string }) {
  const { t, language } = useI18n();
  const purposeKey = `portal.log.purpose.${entry.purpose}`;
  const kindKey = `portal.log.kind.${entry.kind}`;
  const roles = entry.roles.map((r) => roleLabel(t, r)).join(', ');
  return (
    <>
      <h2 className="portal-log-when">
        <time dateTime={entry.occurredAt}>{formatDateTime(language, entry.occurredAt)}</time>
      </h2>
      <dl className="portal-log-facts">
        <div>
          <dt>{t('portal.log.kind')}</dt>
          <dd>{isMessageKey(kindKey) ? t(kindKey) : entry.kind}</dd>
        </div>
        <div>
          <dt>{t('portal.log.organisation')}</dt>
          <dd>{entry.organisation ?? t('portal.log.unknownOrganisation')}</dd>
        </div>
        <div>
          <dt>{t('portal.log.role')}</dt>
          <dd>{roles || t('portal.log.noRole')}</dd>
        </div>
        <div>
          <dt>{t('portal.log.purpose')}</dt>
          <dd>{isMessageKey(purposeKey) ? t(purposeKey) : entry.purpose}</dd>
        </div>
      </dl>
      <Question entryId={entry.id} question={entry.question} csrf={csrf} />
    </>
  );
}

function Question({ entryId, question, csrf }: { entryId: string; question: LookupQuestionState | null; csrf: string }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const [sent, setSent] = useState(false);
  const ask = useMutation({
    mutationFn: () => api.post<LookupQuestionState>(`/api/portal/access-log/${encodeURIComponent(entryId)}/questions`, {}, { quiet401: true, csrf }),
    onSuccess: async () => {
      setSent(true);
      await client.invalidateQueries({ queryKey: LOG_KEY });
    },
  });
  if (question?.answer) {
    return (
      <div className="portal-log-answer">
        <p>
          <strong>{t('portal.log.answerLabel')}</strong> {question.answeredAt && <time dateTime={question.answeredAt}>{formatDateTime(language, question.answeredAt)}</time>}
        </p>
        <p>{question.answer}</p>
      </div>
    );
  }
  if (question || sent) {
    return <StatusNote kind={sent ? 'success' : 'info'} message={sent ? t('portal.log.askSent') : t('portal.log.asked')} />;
  }
  return (
    <>
      {ask.isError && <ErrorAlert message={t('portal.log.askFailed')} />}
      <button type="button" className="button button-secondary" onClick={() => ask.mutate()} disabled={ask.isPending}>
        {t('portal.log.ask')}
      </button>
    </>
  );
}
