// "Never a diagnosis": what a company is told is what the citizen needs at work. Text naming an ICD-10 chapter F
// code (F20, F32.1) or a diagnosis from this small, maintained list is refused before anything is saved. The list
// errs on the side of refusing: the liaison rewrites the sentence in terms of needs ("short breaks", "a quiet desk").

/** Diagnoses by the stem they are written with (Danish, then English); a word starting with a stem matches. */
export const DIAGNOSIS_STEMS = [
  'skizofren',
  'skizotyp',
  'skizoaffektiv',
  'psykose',
  'psykotisk',
  'bipolar',
  'maniodepressiv',
  'depression',
  'depressiv',
  'personlighedsforstyrrelse',
  'borderline',
  'autisme',
  'autist',
  'asperger',
  'angstlidelse',
  'panikangst',
  'socialfobi',
  'spiseforstyrrelse',
  'anoreksi',
  'bulimi',
  'tvangstanke',
  'tvangslidelse',
  'skizophren',
  'schizophren',
  'schizoaffective',
  'psychosis',
  'psychotic',
  'personality disorder',
  'autism',
  'autistic',
  'anxiety disorder',
  'panic disorder',
  'eating disorder',
  'anorexia',
  'bulimia',
  'obsessive-compulsive',
  'obsessive compulsive',
] as const;

/** Abbreviations, matched as whole words only. */
export const DIAGNOSIS_ABBREVIATIONS = ['ADHD', 'ADD', 'OCD', 'PTSD', 'PTSS', 'ASF', 'BPD'] as const;

const LETTER_BEFORE = '(?<![\\p{L}\\p{N}])';
const LETTER_AFTER = '(?![\\p{L}\\p{N}])';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const STEM = new RegExp(`${LETTER_BEFORE}(${DIAGNOSIS_STEMS.map(escape).join('|')})\\p{L}*`, 'iu');
const ABBREVIATION = new RegExp(`${LETTER_BEFORE}(${DIAGNOSIS_ABBREVIATIONS.join('|')})${LETTER_AFTER}`, 'u');
/** ICD-10 chapter V: F00–F99, optionally with a decimal (F32.1), as written in a journal (also lower case, "F 20"). */
const F_CODE = new RegExp(`${LETTER_BEFORE}F ?[0-9]{2}(?:\\.[0-9]{1,2})?${LETTER_AFTER}`, 'iu');

/** The first diagnosis the text names, as written in it, or null when it names none. */
export function diagnosisIn(text: string): string | null {
  for (const pattern of [F_CODE, ABBREVIATION, STEM]) {
    const m = pattern.exec(text);
    if (m) return m[0];
  }
  return null;
}
