// One instrument's scores over time for one citizen: a line over the bands (shaded, each named inside its
// area), measurements after a relevant change drawn as a larger diamond and named in the legend, and the same
// measurements as a table (date, score, band, who answered, corrected) for keyboards, screen readers and
// anybody who prefers to read; the table pages with "Vis flere".
import { CartesianGrid, Line, LineChart, ReferenceArea, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { Link } from 'react-router';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime, formatNumber, formatUtcDate } from '../../i18n/format.ts';
import { Loading, QueryError } from '../../app/feedback.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import { BandTag, scoreWords } from './ScoreParts.tsx';
import { bandsOf, comparable, definitionOf, plotted, scoreMax, useAssessmentPages, useChartAssessments, useInstrument, type Assessment, type Definition } from './progressionApi.ts';

/** Pale fills from the lowest band up; each band is also named inside its area, so colour is never the only cue. */
const BAND_FILLS = ['#f3e6e4', '#f6f0dc', '#e3eef7', '#e2f0e6', '#eeeeee'];

type Point = { at: number; value: number; relevant: boolean; id: string };

function points(def: Definition | undefined, items: Assessment[]): Point[] {
  const submitted = items.filter((a) => a.status === 'submitted' && a.score).sort((a, b) => a.answeredAt.localeCompare(b.answeredAt));
  const size = def?.scoring?.relevantChange;
  return submitted.map((a, i) => {
    const before = i > 0 ? comparable(submitted[i - 1]!.score) : null;
    const now = comparable(a.score);
    const relevant = size !== undefined && before !== null && now !== null && Math.abs(Math.round((now - before) * 100) / 100) >= size;
    return { at: Date.parse(a.answeredAt), value: plotted(def, a.score) ?? 0, relevant, id: a.id };
  });
}

/** Each band shaded up to halfway to the next, so whole-number scores never sit on a border. */
function bandAreas(def: Definition | undefined) {
  const bands = bandsOf(def);
  return bands.map((b, i) => {
    const next = bands[i + 1];
    const prev = bands[i - 1];
    return { band: b, y1: prev ? (prev.max + b.min) / 2 : b.min, y2: next ? (b.max + next.min) / 2 : b.max, fill: BAND_FILLS[i % BAND_FILLS.length]! };
  });
}

function Dot(props: { cx?: number; cy?: number; payload?: Point }) {
  const { cx, cy, payload } = props;
  if (cx === undefined || cy === undefined || !payload) return null;
  if (payload.relevant) return <path d={`M${cx} ${cy - 8} L${cx + 8} ${cy} L${cx} ${cy + 8} L${cx - 8} ${cy} Z`} fill="#1a1a1a" stroke="#ffffff" strokeWidth={1.5} />;
  return <circle cx={cx} cy={cy} r={5} fill="#0059b3" stroke="#ffffff" strokeWidth={1.5} />;
}

export function ProgressChart({ citizenId, instrumentCode }: { citizenId: string; instrumentCode: string }) {
  const { t, language } = useI18n();
  const data = useChartAssessments(citizenId, instrumentCode);
  const instrument = useInstrument(instrumentCode);
  if (data.isPending || instrument.isPending) return null;
  if (data.isError) return <QueryError error={data.error} />;
  if (instrument.isError) return <QueryError error={instrument.error} />;
  const def = definitionOf(instrument.data);
  const pts = points(def, data.data.items);
  if (pts.length === 0 || !def.scoring) return null;
  const title = instrument.data.title[language];
  const headingId = `chart-${instrumentCode}-heading`;
  const areas = bandAreas(def);
  const max = scoreMax(def) ?? Math.max(...pts.map((p) => p.value));
  const min = areas[0]?.y1 ?? 0;
  const onRaw = bandsOf(def)[0]?.on === 'raw' || !def.scoring.scale;
  const anyRelevant = pts.some((p) => p.relevant);
  const DAY = 86_400_000;
  const first = pts[0]!.at;
  const last = pts[pts.length - 1]!.at;
  return (
    <section className="progress-chart" aria-labelledby={headingId}>
      <h3 id={headingId} className="h4">
        {t('progression.chartTitle', { title })}
      </h3>
      <figure className="timeline" aria-labelledby={`${headingId}-caption`}>
        <figcaption id={`${headingId}-caption`} className="timeline-caption">
          {t('progression.chartCaption', { n: pts.length })}
          {def.scoring.relevantChange !== undefined && <> {t('progression.relevantExplained', { size: formatNumber(language, def.scoring.relevantChange) })}</>}
        </figcaption>
        {/* The drawing repeats the table below for sighted users; screen readers and keyboards use the table. */}
        <div aria-hidden="true" className="timeline-chart progression-chart">
          <ResponsiveContainer width="100%" height={260}>
            <LineChart data={pts} margin={{ top: 12, right: 16, bottom: 24, left: 8 }} accessibilityLayer={false}>
              {areas.map((a) => (
                <ReferenceArea
                  key={a.band.code}
                  y1={a.y1}
                  y2={a.y2}
                  x1={first === last ? first - 30 * DAY : first}
                  x2={first === last ? last + 30 * DAY : last}
                  ifOverflow="extendDomain"
                  fill={a.fill}
                  fillOpacity={1}
                  stroke="none"
                  label={{ value: a.band.label[language], position: 'insideTopRight', fill: '#333333', fontSize: 12 }}
                />
              ))}
              <CartesianGrid stroke="#d0d0d0" vertical={false} />
              <XAxis
                type="number"
                dataKey="at"
                scale="time"
                domain={first === last ? [first - 30 * DAY, last + 30 * DAY] : ['dataMin', 'dataMax']}
                tickFormatter={(ms: number) => formatUtcDate(language, ms)}
                minTickGap={28}
                stroke="#1a1a1a"
                tick={{ fill: '#1a1a1a', fontSize: 12 }}
                label={{ value: t('progression.axisDate'), position: 'insideBottom', offset: -16, fill: '#1a1a1a', fontSize: 12 }}
              />
              <YAxis
                type="number"
                domain={[min, max]}
                allowDecimals={false}
                width={48}
                stroke="#1a1a1a"
                tick={{ fill: '#1a1a1a', fontSize: 12 }}
                label={{ value: onRaw ? t('progression.axisRaw') : t('progression.axisScaled'), angle: -90, position: 'insideLeft', fill: '#1a1a1a', fontSize: 12, dy: 40 }}
              />
              <Line type="linear" dataKey="value" stroke="#0059b3" strokeWidth={2} dot={<Dot />} activeDot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
        <ul className="plain-list chart-legend no-max-width" aria-hidden="true">
          <li>
            <svg width="14" height="14" aria-hidden="true">
              <circle cx="7" cy="7" r="5" fill="#0059b3" />
            </svg>{' '}
            {t('progression.legendMeasurement')}
          </li>
          {anyRelevant && (
            <li>
              <svg width="16" height="16" aria-hidden="true">
                <path d="M8 0 L16 8 L8 16 L0 8 Z" fill="#1a1a1a" />
              </svg>{' '}
              {t('progression.legendRelevant')}
            </li>
          )}
        </ul>
      </figure>
      <MeasurementTable citizenId={citizenId} instrumentCode={instrumentCode} def={def} relevantIds={new Set(pts.filter((p) => p.relevant).map((p) => p.id))} />
    </section>
  );
}

function MeasurementTable({ citizenId, instrumentCode, def, relevantIds }: { citizenId: string; instrumentCode: string; def: Definition; relevantIds: Set<string> }) {
  const { t, language } = useI18n();
  const pages = useAssessmentPages(citizenId, instrumentCode);
  const rows = (pages.data?.pages.flatMap((p) => p.items) ?? []).filter((a) => a.status === 'submitted');
  const tableId = `table-${instrumentCode}-heading`;
  if (pages.isPending) return <Loading />;
  if (pages.isError) return <QueryError error={pages.error} />;
  return (
    <>
      <h4 id={tableId} className="h5">
        {t('progression.tableTitle')}
      </h4>
      <TableScroll labelledBy={tableId}>
        <table className="table table--compact table-stack measurement-table">
          <caption className="sr-only">{t('progression.tableCaption', { title: rows[0]?.title[language] ?? instrumentCode })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('progression.col.date')}</th>
              <th scope="col">{t('progression.col.score')}</th>
              <th scope="col">{t('progression.col.band')}</th>
              <th scope="col">{t('progression.col.change')}</th>
              <th scope="col">{t('progression.col.who')}</th>
              <th scope="col">{t('progression.col.corrected')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id}>
                <th scope="row" className="nowrap">
                  <Link to={`/citizens/${citizenId}/assessments/${a.id}`} aria-label={t('progression.openAnswer', { date: formatDateTime(language, a.answeredAt) })}>
                    {formatDateTime(language, a.answeredAt)}
                  </Link>
                </th>
                <td data-label={t('progression.col.score')}>{scoreWords(t, language, def, a.score)}</td>
                <td data-label={t('progression.col.band')}>{a.score?.band ? <BandTag def={def} band={a.score.band} /> : '–'}</td>
                <td data-label={t('progression.col.change')}>{relevantIds.has(a.id) ? <strong>{t('progression.relevantChange')}</strong> : '–'}</td>
                <td data-label={t('progression.col.who')}>
                  {a.createdBy ? `${a.createdBy.name} (${t(`progression.answeredWith.${a.answeredWith}`)})` : t('progression.answeredInPortal')}
                </td>
                <td data-label={t('progression.col.corrected')}>{a.corrected ? t('progression.yes') : t('progression.no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {pages.hasNextPage && (
        <button type="button" className="button button-secondary load-more" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
          {t('common.showMore')}
        </button>
      )}
    </>
  );
}
