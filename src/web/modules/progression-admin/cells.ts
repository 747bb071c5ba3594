// Figures of the cohort view that may be hidden: the API sends `{ suppressed: true }` for a small cell, and
// the screen shows "< 5" in tables and leaves it out of charts.
import type { Language } from '../../i18n/i18n.tsx';
import { formatNumber } from '../../i18n/format.ts';

export type Cell = number | { suppressed: true };

export const SUPPRESSED_TEXT = '< 5';
/**
 * A group's size hidden only to protect a smaller neighbour (complementary suppression, decision 0022): its
 * mean is shown, which the server does only for 5 or more, so "< 5" would be false; it reads "≥ 5".
 */
export const PROTECTING_TEXT = '≥ 5';

/** The figure when it may be shown, otherwise undefined (a chart then draws nothing for it). */
export function shown(cell: Cell | null | undefined): number | undefined {
  return typeof cell === 'number' ? cell : undefined;
}

export function isSuppressed(cell: Cell | null | undefined): boolean {
  return typeof cell === 'object' && cell !== null;
}

/** A table's text for a figure: the number, "< 5" when hidden, "–" when there is nothing to compute. */
export function cellText(language: Language, cell: Cell | null | undefined, digits = 1): string {
  if (cell === null || cell === undefined) return '–';
  if (typeof cell === 'object') return SUPPRESSED_TEXT;
  return formatNumber(language, cell, digits);
}

/** A group's n: the number, "< 5" when hidden, "≥ 5" when hidden although the group's mean is shown. */
export function groupNText(language: Language, n: Cell, mean: Cell | null): string {
  if (typeof n === 'object' && typeof mean === 'number') return PROTECTING_TEXT;
  return cellText(language, n, 0);
}

/** A change with its sign, so that "+4" and "−4" read as changes, not levels. */
export function signedText(language: Language, cell: Cell | null | undefined, digits = 1): string {
  const text = cellText(language, cell, digits);
  return typeof cell === 'number' && cell > 0 ? `+${text}` : text;
}
