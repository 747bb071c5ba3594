// Builds a register-linkage delivery (decision 0044): the study's approved variables of one disclosing organisation's
// citizens, keyed by the real CPR number (from the CPR vault, per batch, never held for more than one batch), for
// Danmarks Statistik's research service to swap for its own pseudonym. No pseudonym, no research-only questionnaire,
// no free text, no name, address or contact detail; dates by month. The k-anonymity step and the identifier scan of
// the pseudonymised export do not apply: the file is keyed by CPR on purpose and never reaches the researchers.
// The files are streamed in keyset batches, zipped with a manifest (JSON) and a README for DST into EXPORT_DIR.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { CodebookVariable } from '../../../contracts/studies.ts';
import type { Database } from '../../db/schema.ts';
import { cprVault } from '../citizens/cpr-vault.ts';
import { codebook, FILES } from './codebook.ts';
import { csvLine, Output, selectVariables, zipFiles } from './export-package.ts';
import { EXPORT_SOURCES, type SourceRow, type Value } from './export-sources.ts';

/** The files a linkage delivery can hold: the case data; the research-only questionnaires never (decision 0044). */
export const LINKAGE_FILES = ['enrolments', 'activities', 'assessments', 'status_weeks'] as const;
/** Value types that may leave keyed by CPR: codes, numbers and dates; anything else (free text) never. */
const RELEASABLE = new Set(['integer', 'number', 'date', 'year', 'code']);

export const linkagePath = (dir: string, deliveryId: string) => join(dir, `linkage-${deliveryId}.zip`);

export interface LinkageStudy {
  id: string;
  title: string;
  partnerName: string;
  dstReference: string;
  programmeId: string;
  programmeName: string;
  organisationId: string;
  organisationName: string;
  startsOn: string;
  endsOn: string;
}

export interface LinkageBuild {
  deliveryId: string;
  study: LinkageStudy;
  variables: string[];
  cprKey: string;
  dir: string;
  today: string;
  expiresOn: string;
  progress(percent: number): Promise<void>;
}

export interface LinkageResult {
  rowCounts: Record<string, number>;
  /** Rows left out because the citizen has no CPR number on file (cannot be linked). */
  withoutCpr: number;
  path: string;
  sizeBytes: number;
}

interface Column {
  name: string;
  variable: CodebookVariable | null;
}

/** The CPR numbers of one batch's citizens (one statement per batch). */
async function cprOf(db: Kysely<Database>, rows: SourceRow[], decrypt: (s: string) => string): Promise<Map<string, string>> {
  const ids = [...new Set(rows.map((r) => r.citizenId))];
  if (ids.length === 0) return new Map();
  const { rows: found } = await sql<{ id: string; cpr_encrypted: string }>`select id, cpr_encrypted from citizens where id = any(${ids}::uuid[])`.execute(db);
  return new Map(found.map((c) => [c.id, decrypt(c.cpr_encrypted)]));
}

export async function buildLinkage(db: Kysely<Database>, o: LinkageBuild): Promise<LinkageResult> {
  const book = await codebook(db);
  const plans = selectVariables(book.variables, new Set(o.variables)).filter((p) => (LINKAGE_FILES as readonly string[]).includes(p.file));
  const vault = cprVault(o.cprKey);
  const work = join(o.dir, `linkage-${o.deliveryId}.work`);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  try {
    await o.progress(1);
    const rowCounts: Record<string, number> = {};
    let withoutCpr = 0;
    const manifestFiles: { name: string; label: { da: string; en: string }; rows: number; sha256: string; columns: { name: string; type: string; unit: string | null; label: { da: string; en: string }; source: string }[] }[] = [];
    for (const [i, p] of plans.entries()) {
      const columns: Column[] = [{ name: 'cpr', variable: null }, ...p.variables.filter((v) => v.type !== 'pseudonym' && RELEASABLE.has(v.type)).map((v) => ({ name: v.variable, variable: v }))];
      const name = `${p.file}.csv`;
      const out = new Output(join(work, name));
      await out.write(csvLine(columns.map((c) => c.name)));
      rowCounts[p.file] = 0;
      const variables = new Set(columns.flatMap((c) => (c.variable ? [c.variable.variable] : [])));
      const scope = { studyId: o.study.id, programmeId: o.study.programmeId, organisationIds: [o.study.organisationId], variables, today: o.today };
      for await (const batch of EXPORT_SOURCES.find((s) => s.file === p.file)!.rows(db, scope)) {
        const cpr = await cprOf(db, batch, (s) => vault.decrypt(s));
        let text = '';
        for (const row of batch) {
          const number = cpr.get(row.citizenId);
          if (!number) {
            withoutCpr += 1;
            continue;
          }
          text += csvLine(
            columns.map((c): Value => {
              if (!c.variable) return number;
              if (c.variable.variable === 'sex' && p.file === 'enrolments') return Number(number.slice(-1)) % 2 === 1 ? 'm' : 'f';
              const value = row.values[c.variable.variable] ?? null;
              // Dates by month, whatever the study's precision: a shifted date next to a CPR number would protect nothing.
              return c.variable.type === 'date' && value !== null ? String(value).slice(0, 7) : value;
            }),
          );
          rowCounts[p.file] = (rowCounts[p.file] ?? 0) + 1;
        }
        await out.write(text);
      }
      await out.close();
      manifestFiles.push({
        name,
        label: FILES[p.file] ?? { da: p.file, en: p.file },
        rows: rowCounts[p.file] ?? 0,
        sha256: await sha256(join(work, name)),
        columns: columns.map((c) =>
          c.variable
            ? { name: c.name, type: c.variable.type, unit: c.variable.type === 'date' ? 'YYYY-MM' : c.variable.unit, label: c.variable.label, source: c.variable.source }
            : { name: 'cpr', type: 'cpr', unit: '10 digits, no hyphen', label: { da: 'CPR-nummer', en: 'CPR number' }, source: 'citizens (CPR vault)' },
        ),
      });
      await o.progress(Math.round(5 + (85 * (i + 1)) / plans.length));
    }
    const manifest = {
      delivery: o.deliveryId,
      kind: 'register-linkage',
      recipient: 'Danmarks Statistik, Forskningsservice',
      dstReference: o.study.dstReference,
      study: { id: o.study.id, title: o.study.title, partner: o.study.partnerName, startsOn: o.study.startsOn, endsOn: o.study.endsOn },
      programme: o.study.programmeName,
      disclosingOrganisation: o.study.organisationName,
      madeOn: o.today,
      expiresOn: o.expiresOn,
      key: 'cpr',
      datePrecision: 'month',
      rowsWithoutCpr: withoutCpr,
      excluded: ['pseudonyms', 'research-only questionnaires', 'free text', 'names', 'addresses', 'e-mail addresses', 'phone numbers', 'exact birth dates'],
      files: manifestFiles,
    };
    await writeFile(join(work, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await writeFile(join(work, 'README.md'), readme(o, manifestFiles, withoutCpr));
    const files = ['README.md', 'manifest.json', ...manifestFiles.map((f) => f.name)];
    const target = linkagePath(o.dir, o.deliveryId);
    await zipFiles(`${target}.part`, work, files);
    await rename(`${target}.part`, target);
    await o.progress(100);
    return { rowCounts, withoutCpr, path: target, sizeBytes: (await stat(target)).size };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function readme(o: LinkageBuild, files: { name: string; rows: number; label: { da: string; en: string }; columns: { name: string }[] }[], withoutCpr: number): string {
  const s = o.study;
  return [
    `# Registersamkøring / Register linkage: ${s.title}`,
    '',
    `Leverance ${o.deliveryId} til Danmarks Statistik, Forskningsservice — projekt/aftale **${s.dstReference}**.`,
    `Delivery ${o.deliveryId} to Statistics Denmark's research service — project/agreement **${s.dstReference}**.`,
    '',
    `- Dataansvarlig, der videregiver / Disclosing controller: ${s.organisationName}`,
    `- Program / Programme: ${s.programmeName}`,
    `- Forskningspartner / Research partner: ${s.partnerName}`,
    `- Undersøgelsens periode / Study period: ${s.startsOn} – ${s.endsOn}`,
    `- Dannet / Made: ${o.today}; kan hentes til / can be fetched until: ${o.expiresOn}`,
    '',
    '## Nøgle / Key',
    '',
    'Hver række har borgerens CPR-nummer (`cpr`, 10 cifre uden bindestreg). Danmarks Statistik erstatter CPR-nummeret med sit eget pseudonym, før data stilles til rådighed for forskerne; filen må aldrig gives til forskerne direkte.',
    "Every row carries the citizen's CPR number (`cpr`, 10 digits without a hyphen). Statistics Denmark replaces it with its own pseudonym before the data is made available to the researchers; the file must never be given to the researchers directly.",
    '',
    '## Filer / Files',
    '',
    ...files.map((f) => `- \`${f.name}\` (${f.label.da} / ${f.label.en}): ${f.rows} rækker/rows; kolonner/columns: ${f.columns.map((c) => `\`${c.name}\``).join(', ')}`),
    '- `manifest.json`: variablernes type, enhed, danske og engelske betegnelse og kilde, rækketal og SHA-256 pr. fil / every column with its type, unit, Danish and English label and source, the rows and a SHA-256 per file',
    '',
    '## Hvad der ikke er med / What is left out',
    '',
    'Kun undersøgelsens godkendte variable indgår. Ingen pseudonymer, navne, adresser, e-mailadresser, telefonnumre, fritekst, nøjagtige fødselsdatoer eller svar på forskningsspørgeskemaer. Datoer er på måned (ÅÅÅÅ-MM).',
    "Only the study's approved variables are included. No pseudonyms, names, addresses, e-mail addresses, phone numbers, free text, exact birth dates or answers to research-only questionnaires. Dates are by month (YYYY-MM).",
    ...(withoutCpr > 0 ? ['', `${withoutCpr} rækker uden CPR-nummer er udeladt (kan ikke samkøres) / rows without a CPR number were left out (cannot be linked).`] : []),
    '',
    'Filen er personoplysninger med CPR-nummer: overfør den ad Danmarks Statistiks sikre kanal og slet den lokale kopi efter overdragelsen.',
    'The file is personal data keyed by CPR number: transfer it through Statistics Denmark’s secure channel and delete the local copy after the hand-over.',
    '',
  ].join('\n');
}
