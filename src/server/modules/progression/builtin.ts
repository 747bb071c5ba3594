// The instruments Bindeled ships (DOMAIN.md "Progression measurement", issue 9 §3). Texts are written for
// Bindeled: WHO-5 faithful to the published meaning, the employment-progression items in our own words.
// No text here names a diagnosis: bands and alerts speak of well-being and suggest a talk. Band labels are
// lower-case phrases as issue 9 words them ("god trivsel"); a screen that starts a sentence with one capitalises it.
//
// All three are marked as health data: WHO-5 is by DOMAIN.md; the Work Ability Score asks about work ability
// compared with its best (in practice a health-related judgement), and the progression instrument asks how the
// citizen copes with their health. Marking them as health data restricts who sees them; a later version may
// relax that after the dpo has been consulted, whereas the reverse could not undo a disclosure.
import type { ChoiceOption, InstrumentDefinition, InstrumentItem, LocalText } from '../../../contracts/instruments.ts';
import type { z } from 'zod';

type Option = z.infer<typeof ChoiceOption>;
const option = (value: number, da: string, en: string): Option => ({ value, label: { da, en } });

// ---------------------------------------------------------------------------------------------------------------
// WHO-5

/** Published order: "all of the time" first. */
const WHO5_OPTIONS: Option[] = [
  option(5, 'Hele tiden', 'All of the time'),
  option(4, 'Det meste af tiden', 'Most of the time'),
  option(3, 'Lidt mere end halvdelen af tiden', 'More than half of the time'),
  option(2, 'Lidt mindre end halvdelen af tiden', 'Less than half of the time'),
  option(1, 'Lidt af tiden', 'Some of the time'),
  option(0, 'På intet tidspunkt', 'At no time'),
];

const who5Item = (code: string, da: string, en: string): InstrumentItem => ({
  code,
  text: { da, en },
  respondent: 'citizen',
  required: true,
  answer: { kind: 'choice', options: WHO5_OPTIONS },
});

export const WHO5: InstrumentDefinition = {
  code: 'who5',
  title: { da: 'WHO-5 Trivselsindeks', en: 'WHO-5 Well-being Index' },
  description: {
    da: 'Fem udsagn om, hvordan du har haft det i de seneste to uger. Vælg ved hvert udsagn det svar, der passer bedst.',
    en: 'Five statements about how you have been feeling over the last two weeks. For each one, choose the answer that fits best.',
  },
  licence: 'Free to use. WHO-5 Well-being Index, from the Psychiatric Centre North Zealand (Psykiatrisk Center Nordsjælland).',
  dataCategories: ['wellbeing'],
  healthData: true,
  items: [
    who5Item('who5_cheerful', 'I de seneste to uger har jeg været glad og i godt humør', 'Over the last two weeks I have been cheerful and in good spirits'),
    who5Item('who5_calm', 'I de seneste to uger har jeg følt mig rolig og afslappet', 'Over the last two weeks I have felt calm and relaxed'),
    who5Item('who5_active', 'I de seneste to uger har jeg følt mig aktiv og fuld af energi', 'Over the last two weeks I have felt active and full of energy'),
    who5Item('who5_rested', 'I de seneste to uger er jeg vågnet frisk og udhvilet', 'Over the last two weeks I have woken up feeling fresh and rested'),
    who5Item('who5_interest', 'I de seneste to uger har min hverdag været fyldt med ting, der interesserer mig', 'Over the last two weeks my daily life has been filled with things that interest me'),
  ],
  scoring: {
    method: 'sum',
    scale: { multiply: 4 },
    // Scaled scores are multiples of 4, so the bands leave no reachable value out.
    bands: [
      { code: 'good', label: { da: 'god trivsel', en: 'good well-being' }, on: 'scaled', min: 51, max: 100 },
      { code: 'low', label: { da: 'lav trivsel', en: 'low well-being' }, on: 'scaled', min: 29, max: 50 },
      { code: 'very_low', label: { da: 'meget lav trivsel', en: 'very low well-being' }, on: 'scaled', min: 0, max: 28 },
    ],
    relevantChange: 10,
  },
  alerts: [
    {
      code: 'who5_low',
      when: { any: [{ score: 'scaled', op: '<=', value: 50 }, { anyItem: { op: '<=', value: 1 } }] },
      task: {
        da: 'Lav trivsel — tal med borgeren om, hvordan det går',
        en: 'Low well-being — talk with the citizen about how things are going',
      },
    },
    {
      code: 'who5_very_low',
      when: { score: 'scaled', op: '<=', value: 28 },
      task: {
        da: 'Meget lav trivsel — tal med borgeren om kontakt til egen læge',
        en: 'Very low well-being — talk with the citizen about contacting their own doctor',
      },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Work Ability Score

export const WAS: InstrumentDefinition = {
  code: 'was',
  title: { da: 'Arbejdsevne (Work Ability Score)', en: 'Work Ability Score' },
  licence: 'Free to use. Work Ability Score, the first question of the Work Ability Index.',
  dataCategories: ['work_ability'],
  healthData: true,
  items: [
    {
      code: 'was_score',
      text: {
        da: 'Forestil dig, at din arbejdsevne, da den var bedst, er 10 point værd. Hvor mange point vil du give din arbejdsevne i dag?',
        en: 'Imagine that your work ability at its best is worth 10 points. How many points would you give your work ability today?',
      },
      respondent: 'citizen',
      required: true,
      answer: {
        kind: 'number',
        min: 0,
        max: 10,
        integer: true,
        minLabel: { da: 'Kan slet ikke arbejde', en: 'Cannot work at all' },
        maxLabel: { da: 'Arbejdsevnen, da den var bedst', en: 'Work ability at its best' },
      },
    },
  ],
  scoring: {
    method: 'sum',
    scale: { multiply: 10 },
    bands: [
      { code: 'poor', label: { da: 'lav arbejdsevne', en: 'poor work ability' }, on: 'raw', min: 0, max: 5 },
      { code: 'moderate', label: { da: 'middel arbejdsevne', en: 'moderate work ability' }, on: 'raw', min: 6, max: 7 },
      { code: 'good', label: { da: 'god arbejdsevne', en: 'good work ability' }, on: 'raw', min: 8, max: 10 },
    ],
  },
  alerts: [],
};

// ---------------------------------------------------------------------------------------------------------------
// Employment progression (Bindeled's own)

const scale5 = (labels: [string, string][]): Option[] => labels.map(([da, en], i) => option(i + 1, da, en));

const HOW_WELL = scale5([
  ['Meget dårligt', 'Very poorly'],
  ['Dårligt', 'Poorly'],
  ['Hverken godt eller dårligt', 'Neither well nor poorly'],
  ['Godt', 'Well'],
  ['Meget godt', 'Very well'],
]);
const HOW_REALISTIC = scale5([
  ['Slet ikke realistisk', 'Not at all realistic'],
  ['Lidt realistisk', 'A little realistic'],
  ['Nogenlunde realistisk', 'Fairly realistic'],
  ['Meget realistisk', 'Very realistic'],
  ['Helt sikkert', 'Certain'],
]);
const HOW_EASY = scale5([
  ['Meget svært', 'Very hard'],
  ['Svært', 'Hard'],
  ['Hverken let eller svært', 'Neither easy nor hard'],
  ['Let', 'Easy'],
  ['Meget let', 'Very easy'],
]);
const HOW_MUCH = scale5([
  ['Intet', 'Nothing'],
  ['Lidt', 'A little'],
  ['Noget', 'Some'],
  ['En del', 'Quite a lot'],
  ['Meget', 'A lot'],
]);

const progressionItem = (code: string, respondent: 'citizen' | 'staff', text: LocalText, options: Option[]): InstrumentItem => ({
  code,
  text,
  respondent,
  required: true,
  answer: { kind: 'choice', options },
});

const CITIZEN_ITEMS = ['jp_health', 'jp_everyday', 'jp_job_belief', 'jp_cooperation', 'jp_job_search'];

export const JOB_PROGRESSION: InstrumentDefinition = {
  code: 'jobprogression',
  title: { da: 'Progression mod job', en: 'Progress towards work' },
  description: {
    da: 'Fem spørgsmål til borgeren om, hvor du står lige nu, og et spørgsmål til medarbejderen.',
    en: 'Five questions for the citizen about where you are right now, and one question for the staff member.',
  },
  licence: "Bindeled's own instrument, free to use with Bindeled.",
  dataCategories: ['employment_progression', 'health', 'everyday_life'],
  healthData: true,
  items: [
    progressionItem('jp_health', 'citizen', {
      da: 'Hvor godt synes du, at du klarer dig med dit helbred for tiden?',
      en: 'How well do you feel you are managing your health at the moment?',
    }, HOW_WELL),
    progressionItem('jp_everyday', 'citizen', {
      da: 'Hvor godt får du din hverdag til at hænge sammen, fx indkøb, aftaler og økonomi?',
      en: 'How well do you manage your everyday life, for example shopping, appointments and money?',
    }, HOW_WELL),
    progressionItem('jp_job_belief', 'citizen', {
      da: 'Hvor realistisk tror du, det er, at du er i arbejde inden for det næste år?',
      en: 'How realistic do you think it is that you will be in work within the next year?',
    }, HOW_REALISTIC),
    progressionItem('jp_cooperation', 'citizen', {
      da: 'Hvor let har du ved at samarbejde med andre, fx kolleger, en leder eller din kontaktperson?',
      en: 'How easy do you find it to work together with others, for example colleagues, a manager or your contact person?',
    }, HOW_EASY),
    progressionItem('jp_job_search', 'citizen', {
      da: 'Hvor meget har du gjort for at finde arbejde den seneste måned, fx læst jobopslag eller kontaktet arbejdspladser?',
      en: 'How much have you done to find work in the last month, for example read job ads or contacted workplaces?',
    }, HOW_MUCH),
    progressionItem('jp_staff_belief', 'staff', {
      da: 'Hvor realistisk vurderer du som medarbejder, at borgeren er i arbejde inden for det næste år?',
      en: 'As the staff member, how realistic do you judge it that the citizen will be in work within the next year?',
    }, HOW_REALISTIC),
  ],
  scoring: {
    method: 'mean',
    items: CITIZEN_ITEMS,
    // Mean 1–5 → 0–100; with all five items answered the scaled score moves in steps of 5.
    scale: { range: [1, 5] },
    subscales: [
      {
        code: 'staff_view',
        label: { da: 'Medarbejderens vurdering', en: "The staff member's view" },
        method: 'mean',
        items: ['jp_staff_belief'],
        scale: { range: [1, 5] },
      },
    ],
    // Inclusive bands on a 1-decimal scaled score: each ends at .9 below the next.
    bands: [
      { code: 'low', label: { da: 'lavt niveau', en: 'low level' }, on: 'scaled', min: 0, max: 39.9 },
      { code: 'middle', label: { da: 'mellemniveau', en: 'middle level' }, on: 'scaled', min: 40, max: 69.9 },
      { code: 'high', label: { da: 'højt niveau', en: 'high level' }, on: 'scaled', min: 70, max: 100 },
    ],
  },
  alerts: [],
};

export const BUILTIN_INSTRUMENTS: readonly InstrumentDefinition[] = [WHO5, WAS, JOB_PROGRESSION];
