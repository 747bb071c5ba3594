// A score as words and the band it falls in, the same on the citizen page, the answering screen and the chart's table.
import { useI18n, type Language } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../i18n/format.ts';
import { bandsOf, plotted, scoreMax, type Definition } from './progressionApi.ts';

/** A band label as the definition words it (lower case), capitalised where it stands alone. */
export function bandLabel(def: Definition | undefined, code: string | null, language: Language): string | null {
  if (!code) return null;
  const label = bandsOf(def).find((b) => b.code === code)?.label[language] ?? code;
  return label.charAt(0).toLocaleUpperCase(language) + label.slice(1);
}

export function BandTag({ def, band }: { def: Definition | undefined; band: string | null }) {
  const { language } = useI18n();
  const label = bandLabel(def, band, language);
  if (!label) return null;
  const index = bandsOf(def).findIndex((b) => b.code === band);
  return <span className={`tag-status band-tag band-tag-${index}`}>{label}</span>;
}

/** "72 af 100" (or the raw score where the bands are on it), with the raw score where they differ. */
export function scoreWords(t: (k: 'progression.scoreOf' | 'progression.scoreOnly' | 'progression.rawScore', v?: Record<string, string | number>) => string, language: Language, def: Definition | undefined, score: { raw: number; scaled: number | null } | null): string {
  if (!score) return '–';
  const value = plotted(def, score) ?? score.raw;
  const max = scoreMax(def);
  const main = max === null ? t('progression.scoreOnly', { value: formatNumber(language, value) }) : t('progression.scoreOf', { value: formatNumber(language, value), max: formatNumber(language, max) });
  return value !== score.raw ? `${main} ${t('progression.rawScore', { raw: formatNumber(language, score.raw, 2) })}` : main;
}

export function ScoreText({ def, score }: { def: Definition | undefined; score: { raw: number; scaled: number | null } | null }) {
  const { t, language } = useI18n();
  return <strong className="score-value">{scoreWords(t, language, def, score)}</strong>;
}
