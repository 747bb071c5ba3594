// The cohort view's charts. Each one repeats a table beside it for sighted users (the drawing is hidden from
// screen readers, who get the table); a suppressed figure is left out of the drawing, never drawn as 0.
import { Bar, BarChart, CartesianGrid, ErrorBar, Legend, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../i18n/format.ts';
import { shown, type Cell } from './cells.ts';
import type { ProgressionView } from './progressionAdminApi.ts';

// DKFDS colours with at least 3:1 against white; the table gives every figure in words as well.
const BASELINE = '#747474';
const LATEST = '#0059b3';
const CHANGE = '#0059b3';
const AXIS = { stroke: '#1a1a1a', tick: { fill: '#1a1a1a', fontSize: 13 } };

/** A symmetric axis around 0 that holds every value, with round ticks (0 always among them). */
function symmetricAxis(values: number[]): { domain: [number, number]; ticks: number[] } {
  const max = Math.max(5, ...values.map((v) => Math.abs(v)));
  const step = max <= 10 ? 5 : max <= 30 ? 10 : max <= 60 ? 20 : 25;
  const edge = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = -edge; v <= edge; v += step) ticks.push(v);
  return { domain: [-edge, edge], ticks };
}

/** Mean change baseline → latest with its 95 % confidence interval as an error bar. */
export function ChangeChart({ view, label }: { view: ProgressionView; label: string }) {
  const { language } = useI18n();
  const mean = shown(view.change.meanChange);
  const low = shown(view.change.ciLow);
  const high = shown(view.change.ciHigh);
  if (mean === undefined) return null;
  const error = low !== undefined && high !== undefined ? [mean - low, high - mean] : undefined;
  const rows = [{ label, mean, error }];
  const relevant = view.relevantChange ?? undefined;
  const axis = symmetricAxis([mean, low ?? 0, high ?? 0, relevant ?? 0]);
  return (
    <div aria-hidden="true" className="cohort-chart">
      <ResponsiveContainer width="100%" height={130}>
        <BarChart data={rows} layout="vertical" margin={{ top: 8, right: 24, bottom: 4, left: 4 }} accessibilityLayer={false}>
          <CartesianGrid horizontal={false} stroke="#dcdcdc" />
          <XAxis type="number" domain={axis.domain} ticks={axis.ticks} interval={0} tickFormatter={(v: number) => formatNumber(language, v)} {...AXIS} />
          <YAxis type="category" dataKey="label" width={100} {...AXIS} />
          <ReferenceLine x={0} stroke="#1a1a1a" strokeWidth={2} />
          {relevant !== undefined && <ReferenceLine x={relevant} stroke="#b51d09" strokeDasharray="4 3" />}
          {relevant !== undefined && <ReferenceLine x={-relevant} stroke="#b51d09" strokeDasharray="4 3" />}
          <Bar dataKey="mean" fill={CHANGE} barSize={18} isAnimationActive={false}>
            {/* The caps reach beyond the bar, so the interval stays visible where it lies inside it. */}
            {error && <ErrorBar dataKey="error" width={30} strokeWidth={2} stroke="#1a1a1a" direction="x" />}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Citizens per band at baseline and now, side by side per band. */
export function BandChart({ view, baselineLabel, latestLabel }: { view: ProgressionView; baselineLabel: string; latestLabel: string }) {
  const { language } = useI18n();
  const rows = view.bands.map((b, i) => ({
    band: b.label[language],
    baseline: shown(view.bandDistribution.baseline[i]),
    latest: shown(view.bandDistribution.latest[i]),
  }));
  if (rows.every((r) => r.baseline === undefined && r.latest === undefined)) return null;
  return (
    <div aria-hidden="true" className="cohort-chart">
      <ResponsiveContainer width="100%" height={280}>
        <BarChart data={rows} margin={{ top: 8, right: 24, bottom: 4, left: 4 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="#dcdcdc" />
          <XAxis dataKey="band" interval={0} {...AXIS} />
          <YAxis allowDecimals={false} tickFormatter={(v: number) => formatNumber(language, v, 0)} {...AXIS} />
          <Legend formatter={(value: string) => <span style={{ color: '#1a1a1a' }}>{value}</span>} />
          <Bar dataKey="baseline" name={baselineLabel} fill={BASELINE} isAnimationActive={false} />
          <Bar dataKey="latest" name={latestLabel} fill={LATEST} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Mean change per group (target groups); groups whose figures are hidden are left out. */
export function GroupChangeChart({ rows }: { rows: { label: string; meanChange: Cell | null }[] }) {
  const { language } = useI18n();
  const data = rows.flatMap((r) => {
    const value = shown(r.meanChange);
    return value === undefined ? [] : [{ label: r.label, value }];
  });
  if (data.length === 0) return null;
  const axis = symmetricAxis(data.map((d) => d.value));
  return (
    <div aria-hidden="true" className="cohort-chart">
      <ResponsiveContainer width="100%" height={50 + data.length * 40}>
        <BarChart data={data} layout="vertical" margin={{ top: 8, right: 24, bottom: 4, left: 4 }} accessibilityLayer={false}>
          <CartesianGrid horizontal={false} stroke="#dcdcdc" />
          <XAxis type="number" domain={axis.domain} ticks={axis.ticks} interval={0} tickFormatter={(v: number) => formatNumber(language, v)} {...AXIS} />
          <YAxis type="category" dataKey="label" width={170} interval={0} {...AXIS} />
          <ReferenceLine x={0} stroke="#1a1a1a" strokeWidth={2} />
          <Bar dataKey="value" fill={CHANGE} barSize={22} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
