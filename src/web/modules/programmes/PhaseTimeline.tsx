// The programme's phases on a time axis with today marked; the table beside it is the text alternative.
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { ProgrammeDetail } from '../../../contracts/programmes.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatUtcDate, formatYear, isoDateToUtc } from '../../i18n/format.ts';
import { phaseStatus, type PhaseStatus } from './phaseStatus.ts';

// DKFDS palette; the status is also written in the table, so colour is never the only carrier.
const statusColour: Record<PhaseStatus, string> = { done: '#747474', running: '#0059b3', upcoming: '#358000' };

// Long phase names would wrap over each other on the axis; the table below has them in full.
const LABEL_CHARS = 18;
function shortLabel(position: number, name: string): string {
  const text = `${position}. ${name}`;
  return text.length <= LABEL_CHARS ? text : `${text.slice(0, LABEL_CHARS - 1).trimEnd()}…`;
}

function yearStarts(fromMs: number, toMs: number): number[] {
  const first = new Date(fromMs).getUTCFullYear();
  const last = new Date(toMs).getUTCFullYear();
  const ticks: number[] = [];
  for (let year = first; year <= last; year++) ticks.push(Date.UTC(year, 0, 1));
  return ticks;
}

/** Written to the left of the line, so it stays inside the chart when today is near the axis end. */
function TodayLabel({ text, viewBox }: { text: string; viewBox?: { x?: number; y?: number } }) {
  const x = viewBox?.x ?? 0;
  const y = viewBox?.y ?? 0;
  return (
    <text x={x - 6} y={y - 10} textAnchor="end" fill="#b51d09" fontSize={13} fontWeight={600}>
      {text}
    </text>
  );
}

export function PhaseTimeline({ phases, today }: { phases: ProgrammeDetail['phases']; today: string }) {
  const { t, language } = useI18n();
  const todayMs = isoDateToUtc(today);
  const rows = phases.map((p) => ({
    name: p.name[language],
    label: shortLabel(p.position, p.name[language]),
    range: [isoDateToUtc(p.startsOn), isoDateToUtc(p.endsOn)] as [number, number],
    status: phaseStatus(p, today),
  }));
  // The axis always reaches today, even when every phase lies in the past or the future.
  const earliest = Math.min(todayMs, ...rows.map((r) => r.range[0]));
  const latest = Math.max(todayMs, ...rows.map((r) => r.range[1]));
  const from = Date.UTC(new Date(earliest).getUTCFullYear(), 0, 1);
  const to = Date.UTC(new Date(latest).getUTCFullYear() + 1, 0, 1);

  return (
    <figure className="timeline" aria-labelledby="timeline-caption">
      <figcaption id="timeline-caption" className="timeline-caption">
        {t('programme.timelineCaption')}
      </figcaption>
      {/* The drawing repeats the table below for sighted users; screen readers get the table. */}
      <div aria-hidden="true" className="timeline-chart">
        <ResponsiveContainer width="100%" height={70 + rows.length * 44}>
          <BarChart data={rows} layout="vertical" margin={{ top: 28, right: 24, bottom: 4, left: 4 }} accessibilityLayer={false}>
            <CartesianGrid horizontal={false} stroke="#dcdcdc" />
            <XAxis
              type="number"
              domain={[from, to]}
              ticks={yearStarts(from, to)}
              tickFormatter={(ms: number) => formatYear(language, ms)}
              minTickGap={8}
              stroke="#1a1a1a"
              tick={{ fill: '#1a1a1a', fontSize: 13 }}
            />
            <YAxis type="category" dataKey="label" width={150} interval={0} stroke="#1a1a1a" tick={{ fill: '#1a1a1a', fontSize: 13 }} />
            <Bar dataKey="range" barSize={22} isAnimationActive={false}>
              {rows.map((r) => (
                <Cell key={r.name} fill={statusColour[r.status]} />
              ))}
            </Bar>
            <ReferenceLine
              x={todayMs}
              stroke="#b51d09"
              strokeWidth={2}
              strokeDasharray="4 3"
              label={<TodayLabel text={t('programme.today', { date: formatUtcDate(language, todayMs) })} />}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
