// The access package of one case: every row the registry includes for the citizen's record in the case's
// organisation, with the redaction step applied (names staff ticked replaced, withheld documents given as their
// personal data only), as JSON and as readable HTML the browser prints to PDF. Runs on the job queue, with its
// progress written on the case as it goes.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { scanFields, redactIn, type TextField, type TextHit } from './free-text.ts';
import { HIDDEN_COLUMNS, includedColumns, RECORD_TITLE, STAFF_COLUMNS, ACCESS_REQUEST_MACHINERY } from './registry.ts';

type Row = Record<string, unknown>;

export interface PackageSection {
  key: string;
  title: string;
  rows: Row[];
}

export interface AccessPackage {
  organisation: { id: string; name: string };
  citizenId: string;
  generatedAt: string;
  request: { receivedOn: string; text: string | null };
  sections: PackageSection[];
  withheld: { table: string; id: string; personalData: string }[];
  redacted: number;
}

export const REDACTED = '[Udeladt]';

/** A value as JSON can hold it: dates as ISO text, everything else as it is. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

function visible(row: Row, skip: Set<string> = new Set()): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) if (!HIDDEN_COLUMNS.has(k) && !skip.has(k)) out[k] = plain(v);
  return out;
}

async function rowsWhere(db: Kysely<Database>, table: string, column: string, ids: readonly string[]): Promise<Row[]> {
  if (ids.length === 0) return [];
  // Table and column names come from the registry (constants), never from input.
  const { rows } = await sql<Row>`select * from ${sql.table(table)} where ${sql.ref(column)} = any(${sql.val(ids)}::uuid[])`.execute(db);
  return rows;
}

export interface PackageOptions {
  /** The keyed hash of a CPR number (the CPR vault's lookup hash), to tell the citizen's own number from others'. */
  cprHash?: (digits: string) => string;
}

/**
 * Builds the package; `progress` is told the share done (0–100) after each section. The free text is scanned for
 * other citizens' names and CPR numbers (free-text.ts): the hits come back with the case's earlier choices, and those
 * the caseworker chose to redact are replaced in the package.
 */
export async function buildPackage(
  db: Kysely<Database>,
  requestId: string,
  progress: (percent: number) => Promise<void>,
  options: PackageOptions = {},
): Promise<{ json: AccessPackage; html: string; hits: TextHit[] }> {
  const c = await db
    .selectFrom('access_requests as r')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select(['r.id', 'r.citizen_id', 'r.organisation_id', 'o.name as organisation_name', 'r.redactions', 'r.withheld', 'r.received_on', 'r.request_text', 'r.text_hits'])
    .where('r.id', '=', requestId)
    .executeTakeFirstOrThrow();
  const redactions = new Set(c.redactions);
  // A copy: a redaction in the personal data of a withheld document changes the package, not the case.
  const withheld = c.withheld.map((w) => ({ ...w }));
  const withheldIds = new Set(withheld.map((w) => `${w.table}:${w.id}`));
  const sections: PackageSection[] = [];

  const record = await rowsWhere(db, 'citizens', 'id', [c.citizen_id]);
  sections.push({ key: 'citizens', title: RECORD_TITLE, rows: record.map((r) => visible(r)) });

  const included = includedColumns();
  let done = 0;
  for (const { table, column, rule } of included) {
    let rows = await rowsWhere(db, table, column, [c.citizen_id]);
    if (table === 'access_requests') rows = rows.map((r) => visible(r, ACCESS_REQUEST_MACHINERY));
    if (table === 'group_participants') rows = await withCourseTitles(db, rows);
    if (table === 'internships') rows = await withCompanies(db, rows, redactions);
    sections.push({ key: table, title: rule.title, rows: rows.map((r) => visible(r)) });
    const parentIds = rows.map((r) => r.id).filter((id): id is string => typeof id === 'string');
    for (const child of rule.children ?? []) {
      let childRows = await rowsWhere(db, child.table, child.parentColumn, parentIds);
      if (child.table === 'note_revisions') childRows = childRows.filter((r) => !withheldIds.has(`notes:${String(r.note_id)}`));
      if (child.table === 'plan_participants') childRows = childRows.map((r) => (redactions.has(`plan_participants:${String(r.id)}`) ? { ...r, name: REDACTED, role: REDACTED, contact: null } : r));
      sections.push({ key: child.table, title: child.title, rows: childRows.map((r) => visible(r)) });
    }
    done += 1;
    await progress(Math.min(95, Math.round((done / included.length) * 95)));
  }

  await nameStaff(db, sections);
  const hits = await scanAndRedact(db, c, record[0] ?? {}, sections, withheld, options);
  const json: AccessPackage = {
    organisation: { id: c.organisation_id, name: c.organisation_name },
    citizenId: c.citizen_id,
    generatedAt: new Date().toISOString(),
    request: { receivedOn: c.received_on, text: c.request_text },
    sections,
    withheld,
    redacted: redactions.size,
  };
  return { json, html: renderHtml(json), hits };
}

/** Columns that hold names the redaction step handles itself (or staff names, which stay): not scanned. */
const NOT_SCANNED = new Set(['first_name', 'last_name', 'name', 'role', 'contact_name', 'contact_role', 'company_name', 'course_title', ...[...STAFF_COLUMNS].map((k) => `${k}_name`)]);
const MACHINE_TEXT = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{4}-\d{2}-\d{2}(?:T[0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)$/i;

/** Scans the package's free text (and the withheld documents' personal data) and applies the redactions chosen. */
async function scanAndRedact(
  db: Kysely<Database>,
  c: { citizen_id: string; organisation_id: string; text_hits: TextHit[] },
  record: Row,
  sections: PackageSection[],
  withheld: { table: string; id: string; personalData: string }[],
  options: PackageOptions,
): Promise<TextHit[]> {
  const others = await db
    .selectFrom('citizens')
    .select(sql<string>`first_name || ' ' || last_name`.as('name'))
    .where('organisation_id', '=', c.organisation_id)
    .where('id', '<>', c.citizen_id)
    .execute();
  const fields: TextField[] = [];
  for (const s of sections) {
    s.rows.forEach((r, i) => {
      for (const [column, value] of Object.entries(r)) {
        if (typeof value !== 'string' || NOT_SCANNED.has(column) || MACHINE_TEXT.test(value)) continue;
        fields.push({ section: s.key, title: s.title, rowId: typeof r.id === 'string' ? r.id : String(i), column, text: value });
      }
    });
  }
  withheld.forEach((w) => fields.push({ section: 'withheld', title: 'Interne arbejdsdokumenter', rowId: `${w.table}:${w.id}`, column: 'personalData', text: w.personalData }));
  const ownHash = typeof record.cpr_hash === 'string' ? record.cpr_hash : null;
  const { hits, found } = scanFields(
    fields,
    { otherNames: others.map((o) => o.name), ownName: `${String(record.first_name ?? '')} ${String(record.last_name ?? '')}`, isOwnCpr: (d) => !!options.cprHash && ownHash === options.cprHash(d) },
    c.text_hits,
  );
  const redact = new Set(hits.filter((h) => h.resolution === 'redact').map((h) => h.key));
  for (const f of found) {
    if (!redact.has(f.hit.key)) continue;
    if (f.hit.section === 'withheld') {
      const w = withheld.find((x) => `${x.table}:${x.id}` === f.hit.rowId);
      if (w) w.personalData = redactIn(w.personalData, f.match, REDACTED);
      continue;
    }
    const s = sections.find((x) => x.key === f.hit.section);
    s?.rows.forEach((r, i) => {
      const id = typeof r.id === 'string' ? r.id : String(i);
      const value = r[f.hit.column];
      if (id === f.hit.rowId && typeof value === 'string') r[f.hit.column] = redactIn(value, f.match, REDACTED);
    });
  }
  return hits;
}

/** The course's title beside the citizen's own place on it; the other participants are never read. */
async function withCourseTitles(db: Kysely<Database>, rows: Row[]): Promise<Row[]> {
  const ids = rows.map((r) => String(r.course_id));
  if (ids.length === 0) return rows;
  const courses = await db.selectFrom('group_courses').select(['id', 'title']).where('id', 'in', ids).execute();
  const title = new Map(courses.map((x) => [x.id, x.title]));
  return rows.map((r) => ({ ...r, course_title: title.get(String(r.course_id)) ?? null }));
}

/** The company and its contact person beside an internship; a contact staff chose to redact is replaced. */
async function withCompanies(db: Kysely<Database>, rows: Row[], redactions: Set<string>): Promise<Row[]> {
  const companyIds = rows.map((r) => String(r.company_id));
  const contactIds = rows.map((r) => r.contact_id).filter((id): id is string => typeof id === 'string');
  if (companyIds.length === 0) return rows;
  const companies = await db.selectFrom('companies').select(['id', 'name']).where('id', 'in', companyIds).execute();
  const contacts = contactIds.length ? await db.selectFrom('company_contacts').select(['id', 'name', 'role']).where('id', 'in', contactIds).execute() : [];
  const company = new Map(companies.map((x) => [x.id, x.name]));
  const contact = new Map(contacts.map((x) => [x.id, x]));
  return rows.map((r) => {
    const id = typeof r.contact_id === 'string' ? r.contact_id : null;
    const person = id ? contact.get(id) : undefined;
    const hidden = id !== null && redactions.has(`company_contacts:${id}`);
    return { ...r, company_name: company.get(String(r.company_id)) ?? null, contact_name: person ? (hidden ? REDACTED : person.name) : null, contact_role: person ? (hidden ? REDACTED : person.role) : null };
  });
}

/** Staff names stay: each staff member's id gets the name beside it, in one query. */
async function nameStaff(db: Kysely<Database>, sections: PackageSection[]): Promise<void> {
  const ids = new Set<string>();
  for (const s of sections) for (const r of s.rows) for (const [k, v] of Object.entries(r)) if (STAFF_COLUMNS.has(k) && typeof v === 'string') ids.add(v);
  if (ids.size === 0) return;
  const users = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', [...ids]).execute();
  const name = new Map(users.map((u) => [u.id, u.name]));
  for (const s of sections) {
    for (const r of s.rows) {
      for (const k of Object.keys(r)) if (STAFF_COLUMNS.has(k) && typeof r[k] === 'string' && name.has(r[k])) r[`${k}_name`] = name.get(r[k]);
    }
  }
}

/** Danish headings of the columns most rows have; any other column shows its name made readable. */
const COLUMN_LABELS: Record<string, string> = {
  id: 'Nummer',
  organisation_id: 'Organisation (nummer)',
  citizen_id: 'Din sag (nummer)',
  created_at: 'Oprettet',
  updated_at: 'Ændret',
  created_by_name: 'Oprettet af',
  author_id_name: 'Skrevet af',
  written_by_name: 'Skrevet af',
  written_at: 'Skrevet',
  body: 'Tekst',
  kind: 'Art',
  status: 'Status',
  title: 'Titel',
  text: 'Tekst',
  note: 'Note',
  first_name: 'Fornavn',
  last_name: 'Efternavn',
  birth_date: 'Fødselsdato',
  phone: 'Telefon',
  email: 'E-mail',
  address: 'Adresse',
  starts_at: 'Starter',
  duration_minutes: 'Varighed (minutter)',
  place: 'Sted',
  place_text: 'Sted (tekst)',
  from_date: 'Fra',
  to_date: 'Til',
  start_date: 'Startdato',
  end_date: 'Slutdato',
  goal_text: 'Mål',
  target_date: 'Måldato',
  due_date: 'Frist',
  name: 'Navn',
  role: 'Rolle',
  course_title: 'Gruppeforløb',
  company_name: 'Virksomhed',
  contact_name: 'Kontaktperson',
  purpose: 'Formål',
  minutes: 'Referat',
};

const label = (column: string) => COLUMN_LABELS[column] ?? column.replaceAll('_', ' ');

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

function show(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'object') return escape(JSON.stringify(value, null, 1));
  return escape(String(value));
}

/** Readable HTML: one section per kind of record, one small table per row; a print stylesheet makes the PDF. */
export function renderHtml(p: AccessPackage): string {
  const sections = p.sections
    .filter((s) => s.rows.length > 0)
    .map(
      (s) =>
        `<section><h2>${escape(s.title)} (${s.rows.length})</h2>${s.rows
          .map((r) => `<table><tbody>${Object.entries(r).map(([k, v]) => `<tr><th scope="row">${escape(label(k))}</th><td>${show(v)}</td></tr>`).join('')}</tbody></table>`)
          .join('')}</section>`,
    )
    .join('');
  const withheld = p.withheld.length
    ? `<section><h2>Interne arbejdsdokumenter (undtaget som dokumenter)</h2><p>Disse dokumenter udleveres ikke. Oplysningerne om dig i dem står her.</p><ul>${p.withheld
        .map((w) => `<li>${escape(w.table)} ${escape(w.id)}: ${escape(w.personalData)}</li>`)
        .join('')}</ul></section>`
    : '';
  return `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Indsigt – ${escape(p.organisation.name)}</title><style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a}
table{border-collapse:collapse;width:100%;margin:0 0 1rem}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{width:30%;background:#f2f2f2;overflow-wrap:normal;hyphens:auto}td{white-space:pre-wrap}
@media (max-width:30rem){th,td{display:block;width:auto;border-top:0}tr:first-child th{border-top:1px solid #999}}
@media print{section{break-inside:auto}h2{break-after:avoid}}
</style></head><body><h1>Dine oplysninger hos ${escape(p.organisation.name)}</h1>
<p>Lavet ${escape(p.generatedAt.slice(0, 10))}. Anmodning modtaget ${escape(p.request.receivedOn)}.${p.redacted ? ` Oplysninger om ${p.redacted} andre personer er udeladt.` : ''}</p>
${sections}${withheld}</body></html>`;
}
