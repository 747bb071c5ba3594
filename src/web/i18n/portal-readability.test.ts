// The citizen portal speaks plainly: every portal text of two sentences or more, or of 15 words or more, has a
// LIX of at most 35 (issue 11). LIX = words per sentence + the share of words over six letters, in per cent.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Every portal catalogue: da.portal.json and one per portal section (da.portal-<section>.json).
const here = new URL('.', import.meta.url);
const portalFiles = readdirSync(here).filter((f) => /^da\.portal(-[a-zA-Z]+)?\.json$/.test(f));
const da: Record<string, string> = Object.assign({}, ...portalFiles.map((f) => JSON.parse(readFileSync(new URL(f, here), 'utf8')) as Record<string, string>));

function lix(text: string): number {
  const plain = text.replace(/\{\w+\}/g, 'x');
  const words = plain.match(/[\p{L}\p{N}]+/gu) ?? [];
  const sentences = Math.max(1, plain.split(/[.!?:]+(?:\s|$)/).filter((s) => /[\p{L}]/u.test(s)).length);
  const long = words.filter((w) => w.length > 6).length;
  return words.length / sentences + (100 * long) / Math.max(1, words.length);
}

function sentencesOf(text: string): number {
  return text.split(/[.!?:]+(?:\s|$)/).filter((s) => /[\p{L}]/u.test(s)).length;
}

describe('the portal texts citizens read', () => {
  it('measures LIX as the formula says', () => {
    // 6 words in 2 sentences, none over six letters: 3 + 0.
    expect(lix('Du får en kode. Den virker.')).toBe(3);
    // 2 words in 1 sentence, 1 of them long: 2 + 50.
    expect(lix('Spørgeskemaet venter.')).toBe(52);
  });

  it('reads the portal catalogues', () => {
    expect(portalFiles).toContain('da.portal.json');
  });

  it('keep LIX at 35 or below wherever a text has two sentences or 15 words', () => {
    const citizenTexts = Object.entries(da).filter(([key]) => key.startsWith('portal.') && !key.startsWith('portal.staff.'));
    const measured = citizenTexts.filter(([, text]) => sentencesOf(text) >= 2 || (text.match(/[\p{L}\p{N}]+/gu) ?? []).length >= 15);
    expect(measured.length).toBeGreaterThan(3);
    const tooHard = measured.filter(([, text]) => lix(text) > 35).map(([key, text]) => `${key}: ${lix(text).toFixed(1)} — ${text}`);
    expect(tooHard).toEqual([]);
  });
});
