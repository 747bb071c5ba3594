// Overblik: the programme's figures for a period, for the programme manager (exact) and the steering group
// (a hidden figure reads "< 5" in the tables and is left out of the charts, never drawn as 0). Every chart has its
// table; every figure its n; the page its computation time; and a print version for the steering meeting.
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { Dashboard } from '../../../contracts/dashboard.ts';
import type { ProgrammeDetail } from '../../../contracts/programmes.ts';
import { api, ApiError, queryString } from '../../api/client.ts';
import { Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { FormButtons, TextField } from '../../app/fields.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import { formatDateTime, formatIsoDate, formatMoneyFromOere, formatNumber, formatPercent } from '../../i18n/format.ts';
import { useI18n, type Language } from '../../i18n/i18n.tsx';
import { cellText, shown, type Cell } from '../progression-admin/cells.ts';
import './dashboard.css';

const AXIS = { stroke: '#1a1a1a', tick: { fill: '#1a1a1a', fontSize: 13 } };
// DKFDS colours with at least 3:1 against white (and against each other where they meet).
const COLOURS = ['#0059b3', '#008139', '#b51d09', '#6c3a9c', '#a85100', '#1a1a1a'];

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="page-section dashboard-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

const monthLabel = (language: Language, month: string) =>
  new Intl.DateTimeFormat(language === 'da' ? 'da-DK' : 'en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
const share = (language: Language, c: Cell | null) => (typeof c === 'number' ? formatPercent(language, Math.round(c * 1000) / 10) : cellText(language, c, 0));

export function DashboardPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const programme = useQuery({ queryKey: ['programme', id], queryFn: () => api.get<ProgrammeDetail>(`/api/programmes/${encodeURIComponent(id)}`) });
  const dashboard = useQuery({
    queryKey: ['programme', id, 'dashboard', from, to],
    queryFn: () => api.get<Dashboard>(`/api/programmes/${encodeURIComponent(id)}/dashboard${queryString({ from: from || undefined, to: to || undefined })}`),
    retry: (n, e) => !(e instanceof ApiError && e.status === 400) && n < 2,
  });
  const name = programme.data?.name ?? '';
  return (
    <>
      <p className="breadcrumb-link no-print">
        <Link to={`/programmes/${id}`}>{t('dashboard.back', { name })}</Link>
      </p>
      <PageHeading title={t('dashboard.title', { name })}>{t('dashboard.title', { name })}</PageHeading>
      <PeriodForm key={`${from}|${to}`} from={from} to={to} onChange={(f, tt) => setParams(Object.fromEntries(Object.entries({ from: f, to: tt }).filter(([, v]) => v)))} />
      {dashboard.isPending && <Loading />}
      {dashboard.isError && <QueryError error={dashboard.error} />}
      {dashboard.data && <Figures d={dashboard.data} />}
    </>
  );
}

function PeriodForm({ from, to, onChange }: { from: string; to: string; onChange: (from: string, to: string) => void }) {
  const { t } = useI18n();
  const [f, setF] = useState(from);
  const [tt, setT] = useState(to);
  const [error, setError] = useState<string | undefined>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (f && tt && f > tt) return setError(t('dashboard.period.toBeforeFrom'));
    setError(undefined);
    onChange(f, tt);
  };
  return (
    <form className="dashboard-period no-print" onSubmit={submit} noValidate aria-label={t('dashboard.period.label')}>
      <TextField id="dashboard-from" type="date" label={t('dashboard.period.from')} value={f} onChange={setF} />
      <TextField id="dashboard-to" type="date" label={t('dashboard.period.to')} value={tt} onChange={setT} error={error} hint={t('dashboard.period.hint')} />
      <FormButtons saveLabel={t('dashboard.period.show')} />
      <button type="button" className="button button-secondary" onClick={() => window.print()}>
        {t('dashboard.print')}
      </button>
    </form>
  );
}

function Figures({ d }: { d: Dashboard }) {
  const { t, language } = useI18n();
  const count = (c: Cell) => cellText(language, c, 0);
  const computed = t('dashboard.computedAt', { time: formatDateTime(language, d.computedAt) });
  const kindLabel = (k: string) => t(`dashboard.kind.${k as 'walk_and_talk'}`);
  const outcomeLabel = (o: string) => t(`dashboard.outcome.${o as 'job'}`);
  const enrolmentRows = d.enrolment.months.map((m) => ({ month: monthLabel(language, m.month), active: shown(m.active), started: shown(m.started) }));
  const outcomeRows = d.outcomes.rows.filter((r) => r.outcome !== 'not_ended');
  const evaluation = d.outcomes.evaluation;
  const evaluationPercent = (o: string) =>
    evaluation ? (o === 'job' ? evaluation.jobPercent : o === 'education' ? evaluation.educationPercent : o === 'internship' ? evaluation.internshipPercent : null) : null;
  return (
    <div className="dashboard">
      <p className="dashboard-meta">
        <span>{t('dashboard.periodText', { from: formatIsoDate(language, d.period.from), to: formatIsoDate(language, d.period.to) })}</span>
        {d.period.countedUntil < d.period.to && <span>{t('dashboard.countedUntil', { date: formatIsoDate(language, d.period.countedUntil) })}</span>}
        <span>{computed}</span>
      </p>
      {d.audience === 'suppressed' && (
        <div className="alert alert-info">
          <div className="alert-body">
            <p className="alert-text">
              <strong>{t('dashboard.suppressedNote')}</strong> {t('dashboard.suppressedExplained')}
            </p>
          </div>
        </div>
      )}

      <Section id="dash-enrolment" title={t('dashboard.enrolment.title')}>
        <p>{t('dashboard.enrolment.intro', { capacity: formatNumber(language, d.enrolment.capacity, 0), started: count(d.enrolment.started) })}</p>
        {enrolmentRows.length > 0 && (
          <div aria-hidden="true" className="dashboard-chart">
            <ResponsiveContainer width="100%" height={260}>
              <LineChart data={enrolmentRows} margin={{ top: 8, right: 24, bottom: 4, left: 4 }} accessibilityLayer={false}>
                <CartesianGrid vertical={false} stroke="#dcdcdc" />
                <XAxis dataKey="month" {...AXIS} minTickGap={24} />
                <YAxis allowDecimals={false} domain={[0, (max: number) => Math.max(max, d.enrolment.capacity)]} {...AXIS} />
                <ReferenceLine y={d.enrolment.capacity} stroke="#b51d09" strokeDasharray="4 3" label={{ value: t('dashboard.enrolment.capacity'), position: 'insideTopLeft', fill: '#1a1a1a' }} />
                <Legend formatter={(v: string) => <span style={{ color: '#1a1a1a' }}>{v}</span>} />
                <Line dataKey="active" name={t('dashboard.enrolment.active')} stroke={COLOURS[0]} strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
                <Line dataKey="started" name={t('dashboard.enrolment.started')} stroke={COLOURS[1]} strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </div>
        )}
        <TableScroll labelledBy="dash-enrolment">
          <table className="table table--compact">
            <caption className="sr-only">{t('dashboard.enrolment.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.month')}</th>
                <th scope="col" className="numeric">{t('dashboard.enrolment.active')}</th>
                <th scope="col" className="numeric">{t('dashboard.enrolment.started')}</th>
              </tr>
            </thead>
            <tbody>
              {d.enrolment.months.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{monthLabel(language, m.month)}</th>
                  <td className="numeric">{count(m.active)}</td>
                  <td className="numeric">{count(m.started)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </Section>

      <Section id="dash-groups" title={t('dashboard.groups.title')}>
        <TableScroll labelledBy="dash-groups">
          <table className="table table--compact">
            <caption className="sr-only">{t('dashboard.groups.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.groups.benefit')}</th>
                <th scope="col" className="numeric">{t('dashboard.groups.planned')}</th>
                <th scope="col" className="numeric">{t('dashboard.groups.actual')}</th>
              </tr>
            </thead>
            <tbody>
              {d.targetGroups.rows.map((r) => (
                <tr key={r.benefitCode}>
                  <th scope="row">{r.label[language]}</th>
                  <td className="numeric">{r.planned === null ? '–' : formatNumber(language, r.planned, 0)}</td>
                  <td className="numeric">{count(r.actual)}</td>
                </tr>
              ))}
              <tr className="table-total">
                <th scope="row">{t('dashboard.total')}</th>
                <td className="numeric">{formatNumber(language, d.targetGroups.plannedTotal, 0)}</td>
                <td className="numeric">{count(d.targetGroups.actualTotal)}</td>
              </tr>
            </tbody>
          </table>
        </TableScroll>
      </Section>

      <Section id="dash-outcomes" title={t('dashboard.outcomes.title')}>
        <p>
          {t('dashboard.outcomes.intro', { n: count(d.outcomes.participants) })}
          {evaluation && ` ${t('dashboard.outcomes.evaluation', { label: evaluation.label, date: formatIsoDate(language, evaluation.reportedOn), n: formatNumber(language, evaluation.citizens, 0) })}`}
        </p>
        <div aria-hidden="true" className="dashboard-chart">
          <ResponsiveContainer width="100%" height={260}>
            <BarChart
              data={outcomeRows.map((r) => ({
                outcome: outcomeLabel(r.outcome),
                share: typeof r.share === 'number' ? Math.round(r.share * 1000) / 10 : undefined,
                target: r.targetPercent ?? undefined,
                evaluation: evaluationPercent(r.outcome) ?? undefined,
              }))}
              margin={{ top: 8, right: 24, bottom: 4, left: 4 }}
              accessibilityLayer={false}
            >
              <CartesianGrid vertical={false} stroke="#dcdcdc" />
              <XAxis dataKey="outcome" interval={0} {...AXIS} />
              <YAxis unit=" %" {...AXIS} />
              <Legend formatter={(v: string) => <span style={{ color: '#1a1a1a' }}>{v}</span>} />
              <Bar dataKey="share" name={t('dashboard.outcomes.actual')} fill={COLOURS[0]} isAnimationActive={false} />
              <Bar dataKey="target" name={t('dashboard.outcomes.target')} fill="#747474" isAnimationActive={false} />
              {evaluation && <Bar dataKey="evaluation" name={evaluation.label} fill={COLOURS[3]} isAnimationActive={false} />}
            </BarChart>
          </ResponsiveContainer>
        </div>
        <TableScroll labelledBy="dash-outcomes">
          <table className="table table--compact">
            <caption className="sr-only">{t('dashboard.outcomes.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.outcomes.outcome')}</th>
                <th scope="col" className="numeric">{t('dashboard.outcomes.count')}</th>
                <th scope="col" className="numeric">{t('dashboard.outcomes.actual')}</th>
                <th scope="col" className="numeric">{t('dashboard.outcomes.target')}</th>
                {evaluation && <th scope="col" className="numeric">{evaluation.label}</th>}
              </tr>
            </thead>
            <tbody>
              {d.outcomes.rows.map((r) => (
                <tr key={r.outcome}>
                  <th scope="row">{outcomeLabel(r.outcome)}</th>
                  <td className="numeric">{count(r.count)}</td>
                  <td className="numeric">{share(language, r.share)}</td>
                  <td className="numeric">{r.targetPercent === null ? '–' : formatPercent(language, r.targetPercent)}</td>
                  {evaluation && <td className="numeric">{evaluationPercent(r.outcome) === null ? '–' : formatPercent(language, evaluationPercent(r.outcome)!)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </Section>

      <Section id="dash-activities" title={t('dashboard.activities.title')}>
        {d.activities.months.length > 0 && (
          <div aria-hidden="true" className="dashboard-chart">
            <ResponsiveContainer width="100%" height={280}>
              <BarChart
                data={d.activities.months.map((m) => ({ month: monthLabel(language, m.month), ...Object.fromEntries(d.activities.kinds.map((k, i) => [k, shown(m.counts[i])])) }))}
                margin={{ top: 8, right: 24, bottom: 4, left: 4 }}
                accessibilityLayer={false}
              >
                <CartesianGrid vertical={false} stroke="#dcdcdc" />
                <XAxis dataKey="month" {...AXIS} minTickGap={24} />
                <YAxis allowDecimals={false} {...AXIS} />
                <Legend formatter={(v: string) => <span style={{ color: '#1a1a1a' }}>{v}</span>} />
                {d.activities.kinds.map((k, i) => (
                  <Bar key={k} dataKey={k} name={kindLabel(k)} stackId="a" fill={COLOURS[i % COLOURS.length]} isAnimationActive={false} />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
        <TableScroll labelledBy="dash-activities">
          <table className="table table--compact">
            <caption className="sr-only">{t('dashboard.activities.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.month')}</th>
                {d.activities.kinds.map((k) => (
                  <th key={k} scope="col" className="numeric">
                    {kindLabel(k)}
                  </th>
                ))}
                <th scope="col" className="numeric">{t('dashboard.total')}</th>
              </tr>
            </thead>
            <tbody>
              {d.activities.months.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{monthLabel(language, m.month)}</th>
                  {m.counts.map((c, i) => (
                    <td key={i} className="numeric">
                      {count(c)}
                    </td>
                  ))}
                  <td className="numeric">{count(m.total)}</td>
                </tr>
              ))}
              <tr className="table-total">
                <th scope="row">{t('dashboard.total')}</th>
                {d.activities.totals.map((c, i) => (
                  <td key={i} className="numeric">
                    {count(c)}
                  </td>
                ))}
                <td className="numeric">{count(d.activities.total)}</td>
              </tr>
            </tbody>
          </table>
        </TableScroll>
        {d.activities.countedAt && <p className="form-hint">{t('dashboard.activities.countedAt', { time: formatDateTime(language, d.activities.countedAt) })}</p>}
      </Section>

      <Section id="dash-support" title={t('dashboard.support.title')}>
        <p>{t('dashboard.support.intro')}</p>
        <TableScroll labelledBy="dash-support">
          <table className="table table--compact table-narrow">
            <caption className="sr-only">{t('dashboard.support.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.support.after')}</th>
                <th scope="col" className="numeric">{t('dashboard.support.eligible')}</th>
                <th scope="col" className="numeric">{t('dashboard.support.self')}</th>
                <th scope="col" className="numeric">{t('dashboard.support.share')}</th>
              </tr>
            </thead>
            <tbody>
              {d.selfSupport.map((s) => (
                <tr key={s.weeks}>
                  <th scope="row">{t('dashboard.support.weeks', { weeks: s.weeks })}</th>
                  <td className="numeric">{count(s.eligible)}</td>
                  <td className="numeric">{count(s.selfSupporting)}</td>
                  <td className="numeric">{share(language, s.share)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </Section>

      <Section id="dash-inquiries" title={t('dashboard.inquiries.title')}>
        <dl className="dashboard-facts">
          <dt>{t('dashboard.inquiries.asked')}</dt>
          <dd>{count(d.inquiries.asked)}</dd>
          <dt>{t('dashboard.inquiries.answered')}</dt>
          <dd>{count(d.inquiries.answered)}</dd>
          <dt>{t('dashboard.inquiries.median')}</dt>
          <dd>{d.inquiries.medianHoursToAnswer === null ? '–' : typeof d.inquiries.medianHoursToAnswer === 'number' ? t('dashboard.inquiries.hours', { hours: formatNumber(language, d.inquiries.medianHoursToAnswer) }) : cellText(language, d.inquiries.medianHoursToAnswer)}</dd>
        </dl>
      </Section>

      <Section id="dash-phases" title={t('dashboard.phases.title')}>
        <ol className="dashboard-phases">
          {d.phases.map((p, i) => (
            <li key={i} className={p.current ? 'dashboard-phase-current' : undefined} aria-current={p.current ? 'step' : undefined}>
              <strong>{p.name[language]}</strong> {t('dashboard.periodText', { from: formatIsoDate(language, p.startsOn), to: formatIsoDate(language, p.endsOn) })}
              {p.current && ` – ${t('dashboard.phases.now')}`}
            </li>
          ))}
        </ol>
      </Section>

      <Section id="dash-budget" title={t('dashboard.budget.title')}>
        <TableScroll labelledBy="dash-budget">
          <table className="table table--compact">
            <caption className="sr-only">{t('dashboard.budget.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.budget.year')}</th>
                <th scope="col">{t('dashboard.budget.purpose')}</th>
                <th scope="col" className="numeric">{t('dashboard.budget.amount')}</th>
                <th scope="col" className="numeric">{t('dashboard.budget.spent')}</th>
                <th scope="col" className="numeric">{t('dashboard.budget.left')}</th>
              </tr>
            </thead>
            <tbody>
              {d.budget.map((b) => (
                <tr key={b.id}>
                  <td>{b.year}</td>
                  <td>
                    {b.purpose}
                    {b.funder && <span className="form-hint"> ({b.funder})</span>}
                  </td>
                  <td className="numeric">{formatMoneyFromOere(language, b.amountOere)}</td>
                  <td className="numeric">{b.spentOere === null ? t('dashboard.budget.notRecorded') : formatMoneyFromOere(language, b.spentOere)}</td>
                  <td className="numeric">{b.spentOere === null ? '–' : formatMoneyFromOere(language, b.amountOere - b.spentOere)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </Section>
    </div>
  );
}
