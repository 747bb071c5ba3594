// "Henvendelser": the liaison's home (the queue and who has waited longest, response times, knowledge transfers to
// write, consents expiring within 30 days, open tasks) and, for municipal staff, the inquiries they sent with the
// entry "Send henvendelse til psykiatrien".
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import { useUser } from '../../app/session.tsx';
import { formatDateTime, formatIsoDate, formatNumber } from '../../i18n/format.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { durationParts, useInquiryList, useLiaisonOverview, useOpenTransitions, type InquiryStatus, type InquirySummary, type LiaisonOverview } from './inquiryApi.ts';
import './inquiries.css';

const STATUSES: InquiryStatus[] = ['new', 'in_progress', 'answered', 'closed'];

export function StatusTag({ status }: { status: InquiryStatus }) {
  const { t } = useI18n();
  return <span className={`tag-status inquiry-status inquiry-status-${status}`}>{t(`inquiries.status.${status}` as MessageKey)}</span>;
}

export function KindLabel({ inquiry }: { inquiry: Pick<InquirySummary, 'kind' | 'citizenName'> }) {
  const { t } = useI18n();
  return <>{inquiry.kind === 'named' ? t('inquiries.kind.namedAbout', { name: inquiry.citizenName ?? '' }) : t(`inquiries.kind.${inquiry.kind}` as MessageKey)}</>;
}

function Duration({ hours }: { hours: number | null }) {
  const { t, language } = useI18n();
  if (hours === null) return <>–</>;
  const d = durationParts(hours);
  return <>{t(d.unit === 'hours' ? 'inquiries.hours' : 'inquiries.days', { n: formatNumber(language, d.value) })}</>;
}

function InquiryTable({ items, caption, queue }: { items: InquirySummary[]; caption: string; queue: boolean }) {
  const { t, language } = useI18n();
  const id = queue ? 'inquiry-queue-caption' : 'inquiry-asked-caption';
  return (
    <TableScroll labelledBy={id}>
      <table className="table table--compact table-stack">
        <caption id={id} className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('inquiries.subject')}</th>
            <th scope="col">{t('inquiries.kind')}</th>
            <th scope="col">{queue ? t('inquiries.from') : t('inquiries.to')}</th>
            <th scope="col">{t('inquiries.askedAt')}</th>
            <th scope="col">{t('inquiries.statusLabel')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.id}>
              <th scope="row">
                <Link to={`/inquiries/${i.id}`}>{i.subject}</Link>
              </th>
              <td data-label={t('inquiries.kind')}>
                <KindLabel inquiry={i} />
              </td>
              <td data-label={queue ? t('inquiries.from') : t('inquiries.to')}>{queue ? `${i.askedByName}, ${i.askingOrganisationName}` : i.recipientOrganisationName}</td>
              <td data-label={t('inquiries.askedAt')}>{formatDateTime(language, i.askedAt)}</td>
              <td data-label={t('inquiries.statusLabel')}>
                <StatusTag status={i.status} />
                {i.assignedToName && <span className="inquiry-assignee"> {t('inquiries.takenBy', { name: i.assignedToName })}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function InquiryList({ queue }: { queue: boolean }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<InquiryStatus | undefined>(undefined);
  const list = useInquiryList(queue ? status : undefined);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="page-section" aria-labelledby="inquiry-list-heading">
      <h2 id="inquiry-list-heading">{queue ? t('inquiries.queue') : t('inquiries.mine')}</h2>
      {queue && (
        <div className="form-group inquiry-filter">
          <label className="form-label" htmlFor="inquiry-status-filter">
            {t('inquiries.showStatus')}
          </label>
          <select id="inquiry-status-filter" className="form-select" value={status ?? ''} onChange={(e) => setStatus((e.target.value || undefined) as InquiryStatus | undefined)}>
            <option value="">{t('inquiries.status.open')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`inquiries.status.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
      )}
      {list.isPending && <Loading />}
      {list.isError && <QueryError error={list.error} />}
      {list.data && items.length === 0 && <p className="empty-state">{queue ? t('inquiries.queueEmpty') : t('inquiries.noneAsked')}</p>}
      {items.length > 0 && <InquiryTable items={items} caption={queue ? t('inquiries.queue') : t('inquiries.mine')} queue={queue} />}
      {list.hasNextPage && (
        <button type="button" className="button button-secondary load-more" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? t('common.loading') : t('common.showMore')}
        </button>
      )}
    </section>
  );
}

function OpenTransitions() {
  const { t, language } = useI18n();
  const transitions = useOpenTransitions(true);
  const items = transitions.data?.items ?? [];
  return (
    <section className="page-section" aria-labelledby="transitions-heading">
      <h2 id="transitions-heading">{t('inquiries.openTransitions')}</h2>
      {transitions.isError && <QueryError error={transitions.error} />}
      {transitions.data && items.length === 0 && <p className="empty-state">{t('inquiries.noTransitions')}</p>}
      {items.length > 0 && (
        <ul className="plain-list inquiry-list">
          {items.map((tr) => (
            <li key={tr.id}>
              <Link to={`/citizens/${tr.citizenId}`}>{tr.citizenName}</Link> · {t('inquiries.transitionSince', { date: formatIsoDate(language, tr.openedOn), done: tr.done })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Overview({ data, queue }: { data: LiaisonOverview; queue: ReactNode }) {
  const { t, language } = useI18n();
  const month = data.responseTimes[data.responseTimes.length - 1]!;
  const monthFormat = new Intl.DateTimeFormat(language === 'da' ? 'da-DK' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const monthLabel = (m: string) => monthFormat.format(new Date(`${m}-01T12:00:00Z`));
  return (
    <>
      <ul className="inquiry-figures" aria-label={t('inquiries.figures')}>
        <li>
          <span className="inquiry-figure">{data.queue.new}</span> {t('inquiries.figure.new')}
        </li>
        <li>
          <span className="inquiry-figure">{data.queue.inProgress}</span> {t('inquiries.figure.inProgress')}
        </li>
        <li>
          <span className="inquiry-figure">
            <Duration hours={month.medianHours} />
          </span>{' '}
          {t('inquiries.figure.median')}
        </li>
        <li>
          <span className="inquiry-figure">
            <Duration hours={month.p90Hours} />
          </span>{' '}
          {t('inquiries.figure.p90')}
        </li>
      </ul>

      <section className="page-section" aria-labelledby="waiting-heading">
        <h2 id="waiting-heading">{t('inquiries.waitingLongest')}</h2>
        {data.waitingLongest.length === 0 ? (
          <p className="empty-state">{t('inquiries.nobodyWaiting')}</p>
        ) : (
          <ol className="inquiry-waiting">
            {data.waitingLongest.map((i) => (
              <li key={i.id}>
                <Link to={`/inquiries/${i.id}`}>{i.subject}</Link> — {i.askedByName}, {i.askingOrganisationName} · {t('inquiries.since', { when: formatDateTime(language, i.askedAt) })} · <StatusTag status={i.status} />
              </li>
            ))}
          </ol>
        )}
      </section>

      {queue}

      <OpenTransitions />

      <section className="page-section" aria-labelledby="expiring-heading">
        <h2 id="expiring-heading">{t('inquiries.expiringConsents')}</h2>
        {data.expiringConsents.length === 0 ? (
          <p className="empty-state">{t('inquiries.noneExpiring')}</p>
        ) : (
          <ul className="plain-list inquiry-list">
            {data.expiringConsents.map((c) => (
              <li key={c.id}>
                <strong>
                  {c.firstName} {c.lastName}
                </strong>{' '}
                — {t(`inquiries.instrument.${c.instrument}` as MessageKey)} ({t(c.direction === 'given' ? 'inquiries.direction.given' : 'inquiries.direction.received')}) ·{' '}
                {t('inquiries.expiresOn', { date: formatIsoDate(language, c.validTo), days: c.daysLeft })}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="page-section" aria-labelledby="transfers-heading">
        <h2 id="transfers-heading">{t('inquiries.transfersToWrite', { count: data.knowledgeTransfersToWrite.count })}</h2>
        {data.knowledgeTransfersToWrite.items.length === 0 ? (
          <p className="empty-state">{t('inquiries.noTransfers')}</p>
        ) : (
          <ul className="plain-list inquiry-list">
            {data.knowledgeTransfersToWrite.items.map((k) => (
              <li key={k.citizenId}>
                {k.firstName} {k.lastName} · {t('inquiries.inProgrammeSince', { date: formatIsoDate(language, k.startDate) })}
              </li>
            ))}
          </ul>
        )}
      </section>

      {data.openTasks.length > 0 && (
        <section className="page-section" aria-labelledby="tasks-heading">
          <h2 id="tasks-heading">{t('inquiries.openTasks')}</h2>
          <ul className="plain-list inquiry-list">
            {data.openTasks.map((task) => (
              <li key={task.id}>
                {t(`inquiries.task.${task.kind}` as MessageKey)}
                {task.citizenName ? ` — ${task.citizenName}` : ''} · {formatDateTime(language, task.createdAt)}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="page-section" aria-labelledby="times-heading">
        <h2 id="times-heading">{t('inquiries.responseTimes')}</h2>
        <p className="form-hint">{t('inquiries.responseTimesHint')}</p>
        <TableScroll labelledBy="times-caption">
          <table className="table table--compact">
            <caption id="times-caption" className="sr-only">{t('inquiries.responseTimes')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('inquiries.month')}</th>
                <th scope="col" className="numeric">{t('inquiries.answeredCount')}</th>
                <th scope="col" className="numeric">{t('inquiries.median')}</th>
                <th scope="col" className="numeric">{t('inquiries.p90')}</th>
              </tr>
            </thead>
            <tbody>
              {data.responseTimes.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{monthLabel(m.month)}</th>
                  <td className="numeric">{m.answered}</td>
                  <td className="numeric">
                    <Duration hours={m.medianHours} />
                  </td>
                  <td className="numeric">
                    <Duration hours={m.p90Hours} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </section>
    </>
  );
}

export function InquiriesPage() {
  const { t } = useI18n();
  const user = useUser();
  const liaison = user.roles.some((r) => r.role === 'liaison' && r.programmeId);
  const overview = useLiaisonOverview(liaison);
  return (
    <>
      <div className="title-row">
        <PageHeading title={t('inquiries.title')}>{t('inquiries.title')}</PageHeading>
        {liaison && (
          <Link className="button button-secondary title-action" to="/company-meetings">
            {t('liaisonCompanies.nav')}
          </Link>
        )}
        {!liaison && (
          <Link className="button button-primary title-action" to="/inquiries/new">
            {t('inquiries.new')}
          </Link>
        )}
      </div>
      <p className="page-intro">{liaison ? t('inquiries.introLiaison') : t('inquiries.introAsker')}</p>
      <p className="inquiry-consultations-link">
        <Link to={liaison ? '/consultations' : '/consultation-duties'}>{liaison ? t('consultations.link') : t('consultations.duty.link')}</Link>
      </p>
      {liaison && overview.isPending && <Loading />}
      {liaison && overview.isError && <QueryError error={overview.error} />}
      {liaison && overview.data && <Overview data={overview.data} queue={<InquiryList queue />} />}
      {!liaison && <InquiryList queue={false} />}
    </>
  );
}
