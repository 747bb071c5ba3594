// Builds the package of a research export: the data files (CSV, or REDCap records with their data dictionary) are
// streamed in keyset batches into a working directory, the k-anonymity step generalises the enrolments file's
// quasi-identifiers first, the identifier scan reads every written cell back, and only a clean package is zipped
// (with the codebook as CSV, JSON and HTML and a README) into EXPORT_DIR. Nothing but counts stays in memory: the
// equivalence classes of the k-anonymity step, the scan's names of the export's own citizens and, for REDCap, one
// instance counter per citizen and file.
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { Zip, ZipDeflate } from 'fflate';
import { sql, type Kysely } from 'kysely';
import type { CodebookVariable } from '../../../contracts/studies.ts';
import type { Database, ExportAnonymisation, ExportBlocked } from '../../db/schema.ts';
import { addDays } from '../../platform/dates.ts';
import { cprVault } from '../citizens/cpr-vault.ts';
import { REDCAP_DICTIONARY_HEADER } from '../progression/redcap.ts';
import { codebook, FILES as CODEBOOK_FILES, RESEARCH_FILES, researchVariables } from './codebook.ts';

/** The labels of every file an export can hold. */
const FILES = { ...CODEBOOK_FILES, ...RESEARCH_FILES };
import { EXPORT_SOURCES, type SourceRow, type Value } from './export-sources.ts';
import { addCitizen, emptyKnown, scanRows, type IdentifierHit, type KnownIdentifiers } from './identifier-scan.ts';
import { AnonymityPlanner, dateAt, dateGrain, type AnonymisationPlan, type QuasiIdentifiers } from './k-anonymity.ts';
import { studyKey, type StudyKey } from './pseudonyms.ts';

export interface ExportStudy {
  id: string;
  title: string;
  partnerName: string;
  programmeId: string;
  programmeName: string;
  organisationIds: string[];
  organisationNames: string[];
  startsOn: string;
  endsOn: string;
  datePrecision: 'month' | 'shifted';
  /** The study has research-only questionnaires and the export is of all its approved variables: their answers are in it. */
  hasQuestionnaires: boolean;
}

export interface BuildOptions {
  exportId: string;
  study: ExportStudy;
  /** The released variables, `<file>.<variable>` (already checked against the study's approval). */
  variables: string[];
  format: 'csv' | 'redcap';
  researchKey: string;
  cprKey: string;
  /** EXPORT_DIR: the package lands here as `<exportId>.zip`. */
  dir: string;
  today: string;
  progress(status: 'running' | 'scanning', percent: number): Promise<void>;
}

export interface BuildResult {
  status: 'ready' | 'blocked';
  rowCounts: Record<string, number>;
  anonymisation: ExportAnonymisation | null;
  blocked: ExportBlocked | null;
  /** The package (ready only). */
  path: string | null;
  sizeBytes: number | null;
}

export const packagePath = (dir: string, exportId: string) => join(dir, `${exportId}.zip`);

// ---------------------------------------------------------------------------------------------------------------
// CSV

const csvCell = (v: Value): string => {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) || s.trim() !== s ? `"${s.replaceAll('"', '""')}"` : s;
};
export const csvLine = (cells: Value[]) => `${cells.map(csvCell).join(',')}\r\n`;

/** A file written with the stream's backpressure respected. */
export class Output {
  private readonly stream: WriteStream;
  constructor(path: string) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
  }
  async write(text: string): Promise<void> {
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }
  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Selecting the variables

interface FilePlan {
  file: string;
  variables: CodebookVariable[];
}

/** Per file, the codebook's variables released: the chosen ones and, in a file with any chosen, those always part of it. */
export function selectVariables(book: CodebookVariable[], chosen: ReadonlySet<string>): FilePlan[] {
  return EXPORT_SOURCES.map(({ file }) => {
    const inFile = book.filter((v) => v.file === file);
    if (!inFile.some((v) => chosen.has(v.name))) return { file, variables: [] };
    return { file, variables: inFile.filter((v) => chosen.has(v.name) || v.always) };
  }).filter((f) => f.variables.length > 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Building

export async function buildExport(db: Kysely<Database>, o: BuildOptions): Promise<BuildResult> {
  const book = await codebook(db);
  const plans = selectVariables(book.variables, new Set(o.variables));
  if (o.study.hasQuestionnaires) {
    const research = researchVariables();
    for (const file of Object.keys(RESEARCH_FILES)) plans.push({ file, variables: research.filter((v) => v.file === file) });
  }
  const key = studyKey(o.researchKey, o.study.id);
  const vault = cprVault(o.cprKey);
  const work = join(o.dir, `${o.exportId}.work`);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  try {
    await o.progress('running', 1);
    const enrolmentVars = new Set(plans.find((p) => p.file === 'enrolments')?.variables.map((v) => v.variable) ?? []);
    const scope = (file: string) => ({
      studyId: o.study.id,
      programmeId: o.study.programmeId,
      organisationIds: o.study.organisationIds,
      variables: new Set(plans.find((p) => p.file === file)?.variables.map((v) => v.variable) ?? []),
      today: o.today,
    });
    const sexOf = (row: SourceRow) => (row.cprEncrypted ? (Number(vault.decrypt(row.cprEncrypted).slice(-1)) % 2 === 1 ? 'm' : 'f') : null);
    const shift = (citizenId: string, date: string) => (o.study.datePrecision === 'shifted' ? addDays(date, key.shiftDays(citizenId)) : date);
    const quasi = (row: SourceRow): QuasiIdentifiers => ({
      birthYear: enrolmentVars.has('birth_year') ? (row.values.birth_year as number) : null,
      sex: enrolmentVars.has('sex') ? sexOf(row) : null,
      benefit: enrolmentVars.has('benefit_at_start') ? (row.values.benefit_at_start as string | null) : null,
      start: shift(row.citizenId, row.values.start_date as string),
    });

    // The k-anonymity step: a first pass over the enrolments counts the equivalence classes.
    let plan: AnonymisationPlan | null = null;
    if (enrolmentVars.size > 0) {
      const planner = new AnonymityPlanner(o.study.datePrecision);
      for await (const batch of EXPORT_SOURCES.find((s) => s.file === 'enrolments')!.rows(db, scope('enrolments'))) for (const row of batch) planner.add(quasi(row));
      plan = planner.plan({ birthYear: enrolmentVars.has('birth_year') });
      if (plan.refused) {
        return {
          status: 'blocked',
          rowCounts: { enrolments: plan.records },
          anonymisation: { k: plan.k, level: plan.level, generalised: plan.generalised, suppressedRecords: plan.suppressedRecords },
          blocked: { reason: 'k_anonymity', kind: null, file: 'enrolments', variable: null },
          path: null,
          sizeBytes: null,
        };
      }
    }
    await o.progress('running', 10);

    /** A row's values as released: pseudonym, dates at the precision, quasi-identifiers as the k-anonymity step says. */
    const release = (file: string, row: SourceRow, variables: CodebookVariable[]): Value[] => {
      const released = file === 'enrolments' && plan ? plan.release(quasi(row)) : null;
      return variables.map((v) => {
        if (v.type === 'pseudonym') return key.pseudonym(row.citizenId);
        if (released && v.variable === 'birth_year') return released.birthYear;
        if (released && v.variable === 'sex') return released.sex;
        if (released && v.variable === 'benefit_at_start') return released.benefit;
        if (released && v.variable === 'start_date') return released.start;
        const value = v.variable === 'sex' ? sexOf(row) : (row.values[v.variable] ?? null);
        if (v.type !== 'date' || value === null) return value;
        const date = shift(row.citizenId, String(value));
        // The end date goes with the start date: as coarse, and gone where the start date was suppressed.
        if (file === 'enrolments' && plan) return released?.start === '' ? '' : dateAt(date, dateGrain(o.study.datePrecision, plan.level));
        return o.study.datePrecision === 'month' ? date.slice(0, 7) : date;
      });
    };

    const rowCounts: Record<string, number> = {};
    const dataFiles: { name: string; header: string[]; variableOf: (c: string) => { file: string; variable: string } }[] = [];
    const share = 60 / plans.length;
    if (o.format === 'csv') {
      for (const [i, p] of plans.entries()) {
        const out = new Output(join(work, `${p.file}.csv`));
        const header = p.variables.map((v) => v.variable);
        await out.write(csvLine(header));
        rowCounts[p.file] = 0;
        for await (const batch of EXPORT_SOURCES.find((s) => s.file === p.file)!.rows(db, scope(p.file))) {
          await out.write(batch.map((row) => csvLine(release(p.file, row, p.variables))).join(''));
          rowCounts[p.file] = (rowCounts[p.file] ?? 0) + batch.length;
        }
        await out.close();
        dataFiles.push({ name: `${p.file}.csv`, header, variableOf: (c) => ({ file: p.file, variable: c }) });
        await o.progress('running', Math.round(10 + share * (i + 1)));
      }
    } else {
      const columns = redcapColumns(plans);
      const out = new Output(join(work, 'redcap_records.csv'));
      await out.write(csvLine(columns.map((c) => c.name)));
      for (const [i, p] of plans.entries()) {
        const instance = new Map<string, number>();
        rowCounts[p.file] = 0;
        const at = columns.map((c) => (c.file === p.file ? p.variables.findIndex((v) => v.variable === c.variable) : -1));
        for await (const batch of EXPORT_SOURCES.find((s) => s.file === p.file)!.rows(db, scope(p.file))) {
          let text = '';
          for (const row of batch) {
            const values = release(p.file, row, p.variables);
            const n = (instance.get(row.citizenId) ?? 0) + 1;
            instance.set(row.citizenId, n);
            text += csvLine(columns.map((c, j) => (c.name === 'record_id' ? key.pseudonym(row.citizenId) : c.name === 'redcap_repeat_instrument' ? p.file : c.name === 'redcap_repeat_instance' ? n : at[j]! >= 0 ? values[at[j]!]! : null)));
          }
          await out.write(text);
          rowCounts[p.file] = (rowCounts[p.file] ?? 0) + batch.length;
        }
        await o.progress('running', Math.round(10 + share * (i + 1)));
      }
      await out.close();
      const byName = new Map(columns.map((c) => [c.name, c]));
      dataFiles.push({ name: 'redcap_records.csv', header: columns.map((c) => c.name), variableOf: (c) => ({ file: byName.get(c)?.file ?? 'redcap_records', variable: byName.get(c)?.variable ?? c }) });
      await writeFile(join(work, 'redcap_data_dictionary.csv'), redcapDictionary(plans, o.study.datePrecision));
    }

    // The identifier scan: every written cell, against patterns and the export's own citizens' names and contacts.
    await o.progress('scanning', 75);
    const known = await knownIdentifiers(db, o.study);
    for (const f of dataFiles) {
      const hit = await scanFile(join(work, f.name), f.header, known, f.variableOf);
      if (hit) {
        return {
          status: 'blocked',
          rowCounts,
          anonymisation: plan ? { k: plan.k, level: plan.level, generalised: plan.generalised, suppressedRecords: plan.suppressedRecords } : null,
          blocked: { reason: 'identifier_found', kind: hit.kind, file: hit.file, variable: hit.variable },
          path: null,
          sizeBytes: null,
        };
      }
    }
    await o.progress('scanning', 90);

    const anonymisation = plan ? { k: plan.k, level: plan.level, generalised: plan.generalised, suppressedRecords: plan.suppressedRecords } : null;
    const released = plans.map((p) => ({ file: p.file, variables: p.variables }));
    const files: string[] = [...dataFiles.map((f) => f.name), ...(o.format === 'redcap' ? ['redcap_data_dictionary.csv'] : [])];
    await writeFile(join(work, 'codebook.json'), `${JSON.stringify({ study: o.study.title, datePrecision: o.study.datePrecision, files: released.map((r) => ({ name: r.file, label: FILES[r.file], variables: r.variables })) }, null, 2)}\n`);
    await writeFile(join(work, 'codebook.csv'), codebookCsv(released));
    await writeFile(join(work, 'codebook.html'), codebookHtml(o.study, released));
    await writeFile(join(work, 'README.md'), readme(o, rowCounts, anonymisation, files));
    const target = packagePath(o.dir, o.exportId);
    await zipFiles(`${target}.part`, work, ['README.md', ...files, 'codebook.csv', 'codebook.json', 'codebook.html']);
    await rename(`${target}.part`, target);
    return { status: 'ready', rowCounts, anonymisation, blocked: null, path: target, sizeBytes: (await stat(target)).size };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The names and contact details of the export's citizens (keyset batches), for the scan. */
async function knownIdentifiers(db: Kysely<Database>, study: ExportStudy): Promise<KnownIdentifiers> {
  const known = emptyKnown();
  let after: string | null = null;
  for (;;) {
    const { rows }: { rows: { id: string; first_name: string; last_name: string; email: string | null; phone: string | null; address: string | null }[] } = await sql<{
      id: string;
      first_name: string;
      last_name: string;
      email: string | null;
      phone: string | null;
      address: string | null;
    }>`
      select c.id, c.first_name, c.last_name, c.email, c.phone, c.address from citizens c
       where exists (select 1 from enrolments e where e.citizen_id = c.id and e.programme_id = ${study.programmeId} and e.organisation_id = any(${study.organisationIds}::uuid[]))
         ${after ? sql`and c.id > ${after}::uuid` : sql``}
       order by c.id limit 2000`.execute(db);
    for (const r of rows) addCitizen(known, r);
    if (rows.length < 2000) return known;
    after = rows[rows.length - 1]!.id;
  }
}

async function scanFile(path: string, header: string[], known: KnownIdentifiers, variableOf: (c: string) => { file: string; variable: string }): Promise<IdentifierHit | null> {
  const parser = createReadStream(path).pipe(parse({ from_line: 2, relax_quotes: false }));
  let n = 1;
  for await (const record of parser as AsyncIterable<string[]>) {
    const hit = scanRows('', header, [record], known, n, variableOf);
    if (hit) {
      parser.destroy();
      return hit;
    }
    n += 1;
  }
  return null;
}

/** Zips the files one after the other, reading each as a stream and respecting the output's backpressure. */
export async function zipFiles(target: string, dir: string, names: string[]): Promise<void> {
  const out = createWriteStream(target);
  let failure: Error | null = null;
  let pending = false;
  const zip = new Zip((err, chunk, final) => {
    if (err) failure = err;
    else if (!out.write(chunk)) pending = true;
    if (final) out.end();
  });
  for (const name of names) {
    const entry = new ZipDeflate(name, { level: 6 });
    zip.add(entry);
    for await (const chunk of createReadStream(join(dir, name))) {
      entry.push(chunk as Uint8Array);
      if (pending) {
        pending = false;
        await once(out, 'drain');
      }
    }
    entry.push(new Uint8Array(0), true);
  }
  zip.end();
  await once(out, 'finish');
  if (failure) throw failure;
}

// ---------------------------------------------------------------------------------------------------------------
// REDCap

interface RedcapColumn {
  name: string;
  file: string | null;
  variable: string | null;
}

/** record_id (the pseudonym), the repeating-instrument columns, then `<file>_<variable>` for every released variable. */
function redcapColumns(plans: FilePlan[]): RedcapColumn[] {
  return [
    { name: 'record_id', file: null, variable: 'pseudonym' },
    { name: 'redcap_repeat_instrument', file: null, variable: null },
    { name: 'redcap_repeat_instance', file: null, variable: null },
    ...plans.flatMap((p) => p.variables.filter((v) => v.type !== 'pseudonym').map((v) => ({ name: `${p.file}_${v.variable}`, file: p.file, variable: v.variable }))),
  ];
}


/** REDCap's data dictionary: one instrument (form) per export file, every file a repeating instrument of the record. */
function redcapDictionary(plans: FilePlan[], precision: 'month' | 'shifted'): string {
  const lines = [csvLine([...REDCAP_DICTIONARY_HEADER])];
  const row = (name: string, form: string, type: string, label: string, choices: string, note: string, validation: string) =>
    csvLine([name, form, '', type, label, choices, note, validation, '', '', '', '', '', '', '', '', '', '']);
  lines.push(row('record_id', plans[0]!.file, 'text', 'Pseudonym (keyed per study)', '', 'R + 16 letters/digits; never a CPR number', ''));
  for (const p of plans) {
    for (const v of p.variables) {
      if (v.type === 'pseudonym') continue;
      const label = `${v.label.en} / ${v.label.da}`;
      if (v.type === 'code' && v.codes.length > 0) {
        lines.push(row(`${p.file}_${v.variable}`, p.file, 'dropdown', label, v.codes.map((c) => `${c.code}, ${c.label.en} / ${c.label.da}`.replaceAll('|', '/')).join(' | '), v.unit ?? '', ''));
      } else if (v.type === 'date') {
        lines.push(row(`${p.file}_${v.variable}`, p.file, 'text', label, '', precision === 'month' ? 'YYYY-MM (month precision; YYYY-Qn or YYYY where generalised)' : 'YYYY-MM-DD shifted per citizen', precision === 'shifted' ? 'date_ymd' : ''));
      } else {
        lines.push(row(`${p.file}_${v.variable}`, p.file, 'text', label, '', v.unit ?? '', v.type === 'integer' || v.type === 'year' ? 'integer' : v.type === 'number' ? 'number' : ''));
      }
    }
  }
  return lines.join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Codebook and README

const codesText = (v: CodebookVariable) => v.codes.map((c) => `${c.code}=${c.label.da} / ${c.label.en}`).join('; ');

function codebookCsv(files: { file: string; variables: CodebookVariable[] }[]): string {
  const lines = [csvLine(['file', 'variable', 'type', 'unit', 'label_da', 'label_en', 'source', 'codes'])];
  for (const f of files) for (const v of f.variables) lines.push(csvLine([f.file, v.variable, v.type, v.unit, v.label.da, v.label.en, v.source, codesText(v)]));
  return lines.join('');
}

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

function codebookHtml(study: ExportStudy, files: { file: string; variables: CodebookVariable[] }[]): string {
  const sections = files
    .map(
      (f) => `<section><h2 id="${esc(f.file)}">${esc(f.file)}.csv — <span lang="da">${esc(FILES[f.file]?.da ?? f.file)}</span> / ${esc(FILES[f.file]?.en ?? f.file)}</h2>
<table><thead><tr><th scope="col">Variable</th><th scope="col" lang="da">Dansk</th><th scope="col">English</th><th scope="col">Type</th><th scope="col">Unit</th><th scope="col">Source</th><th scope="col">Codes</th></tr></thead><tbody>
${f.variables
  .map(
    (v) =>
      `<tr><th scope="row"><code>${esc(v.variable)}</code></th><td lang="da">${esc(v.label.da)}</td><td>${esc(v.label.en)}</td><td>${esc(v.type)}</td><td>${esc(v.unit ?? '–')}</td><td>${esc(v.source)}</td><td>${
        v.codes.length ? `<ul>${v.codes.map((c) => `<li><code>${esc(c.code)}</code>: <span lang="da">${esc(c.label.da)}</span> / ${esc(c.label.en)}</li>`).join('')}</ul>` : '–'
      }</td></tr>`,
  )
  .join('\n')}
</tbody></table></section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Codebook – ${esc(study.title)}</title><style>
body{font-family:system-ui,sans-serif;max-width:72rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.4}
table{border-collapse:collapse;width:100%;margin:0 0 2rem}th,td{border:1px solid #767676;padding:.25rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f2f2f2}ul{margin:0;padding-left:1.2rem}code{font-size:.95em}
</style></head><body><main>
<h1>Codebook / <span lang="da">Kodebog</span>: ${esc(study.title)}</h1>
<p>${esc(study.partnerName)}. Dates at the agreed precision: ${study.datePrecision === 'month' ? 'month (YYYY-MM)' : 'shifted per citizen (YYYY-MM-DD)'}. Every file is keyed by <code>pseudonym</code>, the citizen's pseudonym in this study.</p>
${sections}
</main></body></html>
`;
}

function readme(o: BuildOptions, rowCounts: Record<string, number>, a: ExportAnonymisation | null, files: string[]): string {
  const s = o.study;
  const lines = [
    `# ${s.title}`,
    '',
    `Research export (dataudtræk) ${o.exportId}, made ${o.today} by Bindeled for ${s.partnerName}.`,
    '',
    `- Programme: ${s.programmeName}`,
    `- Organisations whose data is included: ${s.organisationNames.join(', ')}`,
    `- Study period: ${s.startsOn} to ${s.endsOn}`,
    `- Date precision: ${s.datePrecision === 'month' ? 'month (YYYY-MM)' : 'dates shifted by a per-citizen offset (±1–182 days, kept with the study key, never released)'}`,
    `- Format: ${o.format === 'csv' ? 'CSV, one file per unit of observation' : 'REDCap records (repeating instruments) with its data dictionary'}`,
    '',
    '## Files and rows',
    '',
    ...files.map((f) => {
      const file = f.replace(/\.csv$/, '');
      return rowCounts[file] !== undefined ? `- \`${f}\`: ${rowCounts[file]} rows (${FILES[file]?.en ?? file})` : `- \`${f}\``;
    }),
    ...(o.format === 'redcap' ? Object.entries(rowCounts).map(([file, n]) => `  - ${file}: ${n} rows`) : []),
    '- `codebook.csv`, `codebook.json`, `codebook.html`: every variable with its type, unit, Danish and English label, source and code list',
    '',
    '## Pseudonyms',
    '',
    'Each citizen has a pseudonym (`R` and 16 letters/digits) made with a key of this study only: stable within the study, not linkable to another study, and not a CPR number. No names, CPR numbers, addresses, contact details, free text or exact birth dates are included.',
    '',
    '## k-anonymity and suppression',
    '',
    ...(a
      ? [
          `Quasi-identifiers (birth year, sex, benefit at the start and the start date, where released) were checked for k ≥ ${a.k}.`,
          a.generalised.length ? `Generalised: ${a.generalised.join('; ')}.` : 'Nothing had to be generalised.',
          a.suppressedRecords
            ? `Suppressed: the quasi-identifiers of ${a.suppressedRecords} enrolment records in groups smaller than ${a.k} (birth year, sex and benefit empty, dates to the year).`
            : 'No record was suppressed.',
        ]
      : ['The enrolments file is not part of this export: no quasi-identifiers were released.']),
    '',
    'Before release every cell was scanned for CPR numbers, e-mail addresses, phone numbers and the names and contact details of the citizens in the export; none was found.',
    '',
    'A pseudonymised dataset is still personal data: keep it under the study agreement and confirm its deletion or archiving at the end of the study.',
    '',
  ];
  return lines.join('\n');
}

export type { StudyKey };
