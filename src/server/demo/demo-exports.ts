// Demo: a finished export of VIVE's study (issue 12 point 5), asked for by `forsker` two days ago and ready to
// download. The row is made by the real pipeline (k-anonymity, identifier scan, row counts) with the demo research
// key while the demo data loads; the package file itself is not kept (the demo database is built once and copied,
// the file would not travel with it): the first download makes it again, deterministically, through the same
// pipeline (see docs/decisions/0039-research-export.md). Ids: block 76.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { makePackage } from '../modules/research/exports.service.ts';
import { DEMO_RESEARCH_KEY } from '../platform/config.ts';
import { addDays } from '../platform/dates.ts';
import { DEMO_STUDY_ID } from './demo-studies.ts';
import { userId } from './ids.ts';

const ID_BLOCK = 76;
export const DEMO_EXPORT_ID = `00000000-0000-4000-8000-${String(ID_BLOCK * 10_000 + 1).padStart(12, '0')}`;
const FORSKER = userId(12);

export async function loadDemoExports(db: Kysely<Database>, opts: { cprKey: string; today: string }): Promise<void> {
  const { rows } = await sql<{ variables: string[] }>`select variables from studies where id = ${DEMO_STUDY_ID}`.execute(db);
  if (!rows[0]) return;
  await db
    .insertInto('study_exports')
    .values({ id: DEMO_EXPORT_ID, study_id: DEMO_STUDY_ID, requested_by: FORSKER, requested_at: new Date(`${addDays(opts.today, -2)}T09:40:00Z`), format: 'csv', variables: rows[0].variables, row_counts: '{}' })
    .execute();
  const dir = mkdtempSync(join(tmpdir(), 'bindeled-demo-export-'));
  try {
    await makePackage({ db, researchKey: DEMO_RESEARCH_KEY, cprKey: opts.cprKey, exportDir: dir }, DEMO_EXPORT_ID, { today: opts.today });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
