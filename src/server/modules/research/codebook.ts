// The research codebook: every variable a study may be approved for, per file of an export (one row per
// citizen-enrolment, per activity, per assessment, per status week), with its type, unit, labels, source and
// whether it is health data. Direct identifiers (names, CPR numbers, addresses, contact details, free text, exact
// birth dates) are not in it, so no study can be approved for one. Code lists kept in the database (benefits, exit
// outcomes) get their labels from there; the rest are fixed by the application and listed here.
import { sql, type Kysely } from 'kysely';
import type { Codebook, CodebookVariable } from '../../../contracts/studies.ts';
import type { Database } from '../../db/schema.ts';

type Label = { da: string; en: string };
type Code = { code: string; label: Label };
type VariableSpec = Omit<CodebookVariable, 'name' | 'file' | 'variable' | 'codes'> & { codes?: Code[]; codeList?: 'benefit' | 'exit_outcome' };

const code = (c: string, da: string, en: string): Code => ({ code: c, label: { da, en } });

export const FILES: Record<string, Label> = {
  enrolments: { da: 'Forløb (én række pr. borger pr. forløb)', en: 'Enrolments (one row per citizen per enrolment)' },
  activities: { da: 'Aktiviteter (én række pr. aktivitet)', en: 'Activities (one row per activity)' },
  assessments: { da: 'Målinger (én række pr. besvarelse)', en: 'Assessments (one row per submitted answer set)' },
  status_weeks: { da: 'Statusuger (én række pr. borger pr. uge)', en: 'Status weeks (one row per citizen per week)' },
};

const PSEUDONYM: VariableSpec = {
  type: 'pseudonym',
  unit: null,
  label: { da: 'Pseudonym for borgeren (nøglet pr. undersøgelse)', en: "The citizen's pseudonym (keyed per study)" },
  source: 'citizens.id, keyed with the study key',
  sensitive: false,
  always: true,
};

const SPECS: Record<string, Record<string, VariableSpec>> = {
  enrolments: {
    pseudonym: PSEUDONYM,
    birth_year: { type: 'year', unit: 'year', label: { da: 'Fødselsår', en: 'Year of birth' }, source: 'citizens.birth_date (year only)', sensitive: false, always: false },
    sex: {
      type: 'code',
      unit: null,
      label: { da: 'Køn (efter CPR-nummeret)', en: 'Sex (from the CPR number)' },
      source: "the CPR number's last digit",
      sensitive: false,
      always: false,
      codes: [code('f', 'Kvinde', 'Female'), code('m', 'Mand', 'Male')],
    },
    start_date: { type: 'date', unit: 'date at the agreed precision', label: { da: 'Forløbets start', en: 'Start of the enrolment' }, source: 'enrolments.start_date', sensitive: false, always: true },
    end_date: { type: 'date', unit: 'date at the agreed precision', label: { da: 'Forløbets afslutning', en: 'End of the enrolment' }, source: 'enrolments.end_date', sensitive: false, always: false },
    status: {
      type: 'code',
      unit: null,
      label: { da: 'Forløbets status', en: 'Status of the enrolment' },
      source: 'enrolments.status',
      sensitive: false,
      always: false,
      codes: [code('referred', 'Henvist', 'Referred'), code('active', 'Aktiv', 'Active'), code('paused', 'På pause', 'Paused'), code('ended', 'Afsluttet', 'Ended')],
    },
    benefit_at_start: { type: 'code', unit: null, label: { da: 'Ydelse ved start', en: 'Benefit at the start' }, source: 'status_periods.benefit_code on the start date', sensitive: false, always: false, codeList: 'benefit' },
    exit_outcome: { type: 'code', unit: null, label: { da: 'Afslutningsårsag', en: 'Exit outcome' }, source: 'enrolments.exit_outcome', sensitive: false, always: false, codeList: 'exit_outcome' },
  },
  activities: {
    pseudonym: PSEUDONYM,
    date: { type: 'date', unit: 'date at the agreed precision', label: { da: 'Dato', en: 'Date' }, source: 'the activity’s date', sensitive: false, always: true },
    kind: {
      type: 'code',
      unit: null,
      label: { da: 'Aktivitetens art', en: 'Kind of activity' },
      source: 'conversations, group course sessions, network meetings, internships, upskilling',
      sensitive: false,
      always: false,
      codes: [
        code('conversation', 'Individuel samtale', 'Individual conversation'),
        code('group_session', 'Gruppeforløb (gang)', 'Group course session'),
        code('network_meeting', 'Netværksmøde', 'Network meeting'),
        code('internship', 'Virksomhedspraktik', 'Company internship'),
        code('upskilling', 'Opkvalificering', 'Upskilling'),
      ],
    },
    place: {
      type: 'code',
      unit: null,
      label: { da: 'Samtalens sted (kun samtaler)', en: 'Place of the conversation (conversations only)' },
      source: 'conversations.place',
      sensitive: false,
      always: false,
      codes: [
        code('walk_and_talk', 'Walk and talk', 'Walk and talk'),
        code('conversation_room', 'Samtalelokale', 'Conversation room'),
        code('library', 'Bibliotek', 'Library'),
        code('drop_in_centre', 'Værested', 'Drop-in centre'),
        code('citizen_home', 'Borgerens hjem', "The citizen's home"),
        code('phone_video', 'Telefon eller video', 'Phone or video'),
        code('other', 'Andet', 'Other'),
      ],
    },
    duration_minutes: { type: 'integer', unit: 'minutes', label: { da: 'Varighed', en: 'Duration' }, source: 'the activity’s duration', sensitive: false, always: false },
    attended: { type: 'code', unit: null, label: { da: 'Fremmøde', en: 'Attendance' }, source: 'the activity’s status', sensitive: false, always: false, codes: [code('yes', 'Ja', 'Yes'), code('no', 'Nej', 'No')] },
  },
  assessments: {
    pseudonym: PSEUDONYM,
    date: { type: 'date', unit: 'date at the agreed precision', label: { da: 'Besvaret', en: 'Submitted' }, source: 'assessments.answered_at', sensitive: true, always: true },
    instrument: { type: 'code', unit: null, label: { da: 'Måleredskab', en: 'Instrument' }, source: 'assessments.instrument_code', sensitive: true, always: false },
    occasion: {
      type: 'code',
      unit: null,
      label: { da: 'Målingens anledning', en: 'Occasion of the assessment' },
      source: 'assessments.occasion',
      sensitive: true,
      always: false,
      codes: [code('baseline', 'Start', 'Baseline'), code('follow_up', 'Opfølgning', 'Follow-up'), code('exit', 'Afslutning', 'Exit'), code('extra', 'Ekstra måling', 'Extra')],
    },
    raw_score: { type: 'number', unit: 'points', label: { da: 'Rå score', en: 'Raw score' }, source: 'assessments.raw', sensitive: true, always: false },
    scaled_score: { type: 'number', unit: 'points (the instrument’s scale)', label: { da: 'Skaleret score', en: 'Scaled score' }, source: 'assessments.scaled', sensitive: true, always: false },
  },
  status_weeks: {
    pseudonym: PSEUDONYM,
    week: { type: 'date', unit: 'the Monday of the ISO week, at the agreed precision', label: { da: 'Uge', en: 'Week' }, source: 'status_periods, one row per week', sensitive: false, always: true },
    benefit: { type: 'code', unit: null, label: { da: 'Ydelse i ugen', en: 'Benefit in the week' }, source: 'status_periods.benefit_code', sensitive: false, always: false, codeList: 'benefit' },
    activity: {
      type: 'code',
      unit: null,
      label: { da: 'Beskæftigelse eller uddannelse i ugen', en: 'Work or education in the week' },
      source: 'status_periods.activity',
      sensitive: false,
      always: false,
      codes: [
        code('ordinary_job', 'Ordinært job', 'Ordinary job'),
        code('wage_subsidy', 'Løntilskud', 'Wage subsidy'),
        code('fleksjob', 'Fleksjob', 'Flex-job'),
        code('internship', 'Praktik', 'Internship'),
        code('education', 'Uddannelse', 'Education'),
      ],
    },
    weekly_hours: { type: 'number', unit: 'hours per week', label: { da: 'Timer om ugen', en: 'Hours per week' }, source: 'status_periods.weekly_hours', sensitive: false, always: false },
  },
};

/**
 * The files of a study's research-only questionnaires (docs/decisions/0040): approved with the questionnaires (a
 * study records them before its approval), so they are not chosen one by one and are not in the choosable codebook;
 * every export of a study with questionnaires has them.
 */
export const RESEARCH_FILES: Record<string, Label> = {
  research_answers: { da: 'Forskningsspørgeskemaer (én række pr. besvaret spørgsmål)', en: 'Research questionnaires (one row per item answered)' },
  research_scores: { da: 'Forskningsspørgeskemaer (én række pr. besvarelse med score)', en: 'Research questionnaires (one row per answer set, with its scores)' },
};

const RESEARCH_COMMON: Record<string, VariableSpec> = {
  pseudonym: PSEUDONYM,
  date: { type: 'date', unit: 'date at the agreed precision', label: { da: 'Besvaret', en: 'Answered' }, source: 'study_answers.answered_at', sensitive: true, always: true },
  instrument: { type: 'code', unit: null, label: { da: 'Spørgeskema', en: 'Questionnaire' }, source: 'study_questionnaires.instrument_code', sensitive: true, always: true },
  instrument_version: { type: 'integer', unit: null, label: { da: 'Spørgeskemaets version', en: "The questionnaire's version" }, source: 'instruments.version', sensitive: true, always: true },
};

const RESEARCH_SPECS: Record<string, Record<string, VariableSpec>> = {
  research_answers: {
    ...RESEARCH_COMMON,
    item: { type: 'code', unit: null, label: { da: 'Spørgsmålets kode (se spørgeskemaets definition)', en: "The item's code (see the questionnaire's definition)" }, source: "the instrument's item codes", sensitive: true, always: true },
    value: { type: 'integer', unit: "the item's answer scale", label: { da: 'Svaret', en: 'The answer' }, source: 'study_answers.answers', sensitive: true, always: true },
  },
  research_scores: {
    ...RESEARCH_COMMON,
    raw_score: { type: 'number', unit: 'points', label: { da: 'Rå score', en: 'Raw score' }, source: 'study_answers.raw', sensitive: true, always: true },
    scaled_score: { type: 'number', unit: 'points (the instrument’s scale)', label: { da: 'Skaleret score', en: 'Scaled score' }, source: 'study_answers.scaled', sensitive: true, always: true },
  },
};

/** The research questionnaires' variables, as codebook entries (for the export of a study with questionnaires). */
export function researchVariables(): CodebookVariable[] {
  return Object.entries(RESEARCH_SPECS).flatMap(([file, vars]) =>
    Object.entries(vars).map(([variable, { codeList: _codeList, codes, ...spec }]) => ({ name: `${file}.${variable}`, file, variable, ...spec, codes: codes ?? [] })),
  );
}

/** Every variable name a study may be approved for, `<file>.<variable>`. */
export const VARIABLE_NAMES: ReadonlySet<string> = new Set(Object.entries(SPECS).flatMap(([file, vars]) => Object.keys(vars).map((v) => `${file}.${v}`)));

/** The health-data variables (a study approved for one needs databeskyttelsesloven §10 as a legal basis). */
export const SENSITIVE_VARIABLES: ReadonlySet<string> = new Set(
  Object.entries(SPECS).flatMap(([file, vars]) => Object.entries(vars).filter(([, s]) => s.sensitive).map(([v]) => `${file}.${v}`)),
);

/** The codebook, with the national code lists' labels read from the database (one statement). */
export async function codebook(db: Kysely<Database>): Promise<Codebook> {
  const { rows } = await sql<{ list: string; code: string; label_da: string; label_en: string }>`
    select list, code, label_da, label_en from code_values
     where organisation_id is null and list in ('benefit', 'exit_outcome')
     order by list, position, code`.execute(db);
  const lists = new Map<string, Code[]>();
  for (const r of rows) lists.set(r.list, [...(lists.get(r.list) ?? []), code(r.code, r.label_da, r.label_en)]);
  return {
    files: Object.entries(FILES).map(([name, label]) => ({ name, label })),
    variables: Object.entries(SPECS).flatMap(([file, vars]) =>
      Object.entries(vars).map(([variable, { codeList, codes, ...spec }]) => ({
        name: `${file}.${variable}`,
        file,
        variable,
        ...spec,
        codes: codeList ? (lists.get(codeList) ?? []) : (codes ?? []),
      })),
    ),
  };
}
