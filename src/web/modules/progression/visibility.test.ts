// The answering screen decides which items to show by itself (so it can hide an item the moment an answer
// changes); it must agree with the server's engine, which refuses answers to hidden items. Every combination of
// answers to a branching instrument is checked against the engine, and what the screen sends is accepted.
import { describe, expect, it } from 'vitest';
import { InstrumentDefinition } from '../../../contracts/instruments.ts';
import { validateAnswers, visibleItems as engineVisible } from '../../../server/modules/progression/engine.ts';
import { BUILTIN_INSTRUMENTS } from '../../../server/modules/progression/builtin.ts';
import { onlyVisible, plotted, stepsOf, visibleItems } from './progressionApi.ts';
import { localErrors, serverItemErrors } from './AnswerItems.tsx';

const yesNo = { kind: 'choice' as const, options: [{ value: 1, label: { da: 'Ja', en: 'Yes' } }, { value: 0, label: { da: 'Nej', en: 'No' } }] };
const scale = { kind: 'number' as const, min: 0, max: 4, integer: true };
const text = (s: string) => ({ da: s, en: s });

const BRANCHING = InstrumentDefinition.parse({
  code: 'branching',
  title: text('Forgrening'),
  licence: 'test',
  dataCategories: ['other'],
  healthData: false,
  items: [
    { code: 'works', text: text('Arbejder du?'), respondent: 'citizen', required: true, answer: yesNo },
    { code: 'hours', text: text('Timer'), respondent: 'citizen', required: true, answer: scale, showIf: { item: 'works', op: '=', value: 1 } },
    { code: 'more', text: text('Flere timer?'), respondent: 'citizen', required: false, answer: yesNo, showIf: { or: [{ item: 'hours', op: '<', value: 2 }, { item: 'works', op: '<>', value: 1 }] } },
    { code: 'staff', text: text('Vurdering'), respondent: 'staff', required: true, answer: scale, showIf: { and: [{ item: 'more', op: '=', value: 1 }, { item: 'hours', op: '>', value: 0 }] } },
  ],
  scoring: null,
});

/** Every way of answering or leaving out each item. */
function* combinations(): Generator<Record<string, number>> {
  for (const works of [undefined, 0, 1])
    for (const hours of [undefined, 0, 1, 2, 4])
      for (const more of [undefined, 0, 1])
        for (const staff of [undefined, 0, 3]) {
          const a: Record<string, number> = {};
          if (works !== undefined) a.works = works;
          if (hours !== undefined) a.hours = hours;
          if (more !== undefined) a.more = more;
          if (staff !== undefined) a.staff = staff;
          yield a;
        }
}

describe('which items the answering screen shows', () => {
  it('agrees with the server engine for every combination of answers', () => {
    let n = 0;
    for (const answers of combinations()) {
      expect(visibleItems(BRANCHING, answers).map((i) => i.code), JSON.stringify(answers)).toEqual(engineVisible(BRANCHING, answers).map((i) => i.code));
      n++;
    }
    expect(n).toBe(3 * 5 * 3 * 3);
  });

  it('sends only answers to shown items, which the server accepts as a draft', () => {
    for (const answers of combinations()) {
      const sent = onlyVisible(BRANCHING, answers);
      expect(validateAnswers(BRANCHING, sent, { draft: true }), JSON.stringify(answers)).toEqual({ ok: true });
    }
    // Answering "no" to the first question hides the hours, and the answer given to them is dropped.
    expect(onlyVisible(BRANCHING, { works: 0, hours: 3, more: 1 })).toEqual({ works: 0, more: 1 });
  });

  it('offers buttons for choices and short whole-number scales, a number field otherwise', () => {
    expect(stepsOf(yesNo)).toEqual([1, 0]);
    expect(stepsOf({ kind: 'number', min: 0, max: 10, integer: true })).toHaveLength(11);
    expect(stepsOf({ kind: 'number', min: 0, max: 100, integer: true })).toBeNull();
    expect(stepsOf({ kind: 'number', min: 0, max: 5, integer: false })).toBeNull();
  });

  it('plots the score the bands are on: WHO-5 scaled, the Work Ability Score raw', () => {
    const [who5, was] = BUILTIN_INSTRUMENTS;
    expect(plotted(who5, { raw: 18, scaled: 72 })).toBe(72);
    expect(plotted(was, { raw: 7, scaled: 70 })).toBe(7);
    expect(plotted(who5, null)).toBeNull();
  });

  it("shows the server's refusal at the items it names, and checks the shown required items before sending", () => {
    expect(serverItemErrors([{ path: 'answers.who5_interest', message: 'missing' }, { path: 'body.answers.who5_calm', message: 'out_of_range' }, { path: 'reason', message: 'x' }])).toEqual({
      who5_interest: 'progression.error.missing',
      who5_calm: 'progression.error.range',
    });
    // Hours are required only when shown; the optional follow-up never is.
    expect(localErrors(BRANCHING, { works: 0 })).toEqual({});
    expect(localErrors(BRANCHING, { works: 1 })).toEqual({ hours: 'progression.error.missing' });
    expect(localErrors(BRANCHING, { works: 1, hours: 7 })).toEqual({ hours: 'progression.error.range' });
    expect(localErrors(BRANCHING, { works: 1, hours: 1, more: 1 })).toEqual({ staff: 'progression.error.missing' });
  });
});
