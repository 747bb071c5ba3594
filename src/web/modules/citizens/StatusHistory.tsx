// Status history: self-support weeks in the last 26 and 52 weeks, a chart of weekly working hours and benefit
// periods over time, and the periods as a table (the chart's text alternative).
import { Area, AreaChart, CartesianGrid, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatIsoDate, formatNumber, formatUtcDate, isoDateToUtc } from '../../i18n/format.ts';
import { TableScroll } from '../../app/TableScroll.tsx';
import type { CitizenDetail, StatusPeriod } from './citizenApi.ts';
import { Section } from './Section.tsx';

const DAY = 86_400_000;

/** Steps: each period holds its hours from its first to its last day (or today); gaps fall to zero. */
function chartPoints(periods: StatusPeriod[], todayMs: number) {
  const sorted = [...periods].sort((a, b) => a.fromDate.localeCompare(b.fromDate));
  const points: { at: number; hours: number }[] = [];
  for (const p of sorted) {
    const from = isoDateToUtc(p.fromDate);
    const to = p.toDate ? isoDateToUtc(p.toDate) + DAY : Math.max(todayMs, from + DAY);
    const last = points[points.length - 1];
    if (last && last.at < from) points.push({ at: last.at, hours: 0 }, { at: from, hours: 0 });
    points.push({ at: from, hours: p.weeklyHours ?? 0 }, { at: to, hours: p.weeklyHours ?? 0 });
  }
  return points;
}

export function StatusHistory({ citizen }: { citizen: CitizenDetail }) {
  const { t, language } = useI18n();
  const s = citizen.selfSupport;
  const todayMs = isoDateToUtc(s.computedOn);
  const periods = [...citizen.statusPeriods].sort((a, b) => b.fromDate.localeCompare(a.fromDate));
  const points = chartPoints(citizen.statusPeriods, todayMs);
  const maxHours = Math.max(37, ...points.map((p) => p.hours));

  return (
    <Section id="status-heading" title={t('status.title')}>
      <dl className="facts self-support">
        <div>
          <dt>{t('status.last26')}</dt>
          <dd>{t('status.selfSupport', { x: s.last26.selfSupporting, weeks: 26, known: s.last26.known })}</dd>
        </div>
        <div>
          <dt>{t('status.last52')}</dt>
          <dd>{t('status.selfSupport', { x: s.last52.selfSupporting, weeks: 52, known: s.last52.known })}</dd>
        </div>
      </dl>
      {periods.length === 0 ? (
        <p>{t('status.none')}</p>
      ) : (
        <>
          <figure className="timeline" aria-labelledby="hours-caption">
            <figcaption id="hours-caption" className="timeline-caption">
              {t('status.chartCaption')}
            </figcaption>
            {/* The drawing repeats the table below for sighted users; screen readers get the table. */}
            <div aria-hidden="true" className="timeline-chart hours-chart">
              <ResponsiveContainer width="100%" height={220}>
                <AreaChart data={points} margin={{ top: 24, right: 16, bottom: 4, left: 0 }} accessibilityLayer={false}>
                  <CartesianGrid stroke="#dcdcdc" vertical={false} />
                  <XAxis
                    type="number"
                    dataKey="at"
                    domain={['dataMin', Math.max(todayMs, points[points.length - 1]?.at ?? todayMs)]}
                    scale="time"
                    tickFormatter={(ms: number) => formatUtcDate(language, ms)}
                    minTickGap={24}
                    stroke="#1a1a1a"
                    tick={{ fill: '#1a1a1a', fontSize: 12 }}
                  />
                  <YAxis domain={[0, maxHours]} width={44} stroke="#1a1a1a" tick={{ fill: '#1a1a1a', fontSize: 12 }} label={{ value: t('status.hoursAxis'), angle: -90, position: 'insideLeft', fill: '#1a1a1a', fontSize: 12, dy: 40 }} />
                  <Area type="linear" dataKey="hours" stroke="#0059b3" strokeWidth={2} fill="#cce0f5" isAnimationActive={false} />
                  <ReferenceLine x={todayMs} stroke="#b51d09" strokeDasharray="4 3" label={{ value: t('status.today'), position: 'top', fill: '#b51d09', fontSize: 12 }} />
                </AreaChart>
              </ResponsiveContainer>
            </div>
          </figure>
          <h3 id="status-periods-heading" className="h4">
            {t('status.periods')}
          </h3>
          <TableScroll labelledBy="status-periods-heading">
            <table className="table table--compact table-stack status-table">
              <caption className="sr-only">{t('status.tableCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('status.period')}</th>
                  <th scope="col">{t('status.benefit')}</th>
                  <th scope="col">{t('status.activity')}</th>
                  <th scope="col" className="numeric">
                    {t('status.weeklyHours')}
                  </th>
                  <th scope="col">{t('status.note')}</th>
                </tr>
              </thead>
              <tbody>
                {periods.map((p) => (
                  <tr key={p.id}>
                    <th scope="row" className="nowrap">
                      {t('status.fromTo', { from: formatIsoDate(language, p.fromDate), to: p.toDate ? formatIsoDate(language, p.toDate) : t('status.ongoing') })}
                    </th>
                    <td data-label={t('status.benefit')}>{p.benefit.label[language]}</td>
                    <td data-label={t('status.activity')}>{p.activity ? t(`activity.${p.activity}`) : t('activity.none')}</td>
                    <td data-label={t('status.weeklyHours')} className="numeric">
                      {p.weeklyHours === null ? '–' : formatNumber(language, p.weeklyHours)}
                    </td>
                    <td data-label={t('status.note')}>{p.note ?? '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </Section>
  );
}
