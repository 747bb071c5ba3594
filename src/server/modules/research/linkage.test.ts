// Register linkage and the study's end on both engines (decision 0044): the delivery keyed by CPR number for Danmarks
// Statistik — asked for and fetched by the disclosing organisation's programme manager only, never reached by the
// study's researchers (404, audited, even where a researcher also manages the programme, and absent from their export
// list), without pseudonyms, free text or research-only answers, with a manifest and README; the DST reference and
// the end confirmation's bounds (400); the study's end refusing new exports and deliveries (409), refusing to derive
// date offsets for an export still queued, deleting ready packages in the clean-up, and recording the partner's
// confirmation of deletion or archiving once, after the end. Every step audited with row counts.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DST_REFERENCE, DEMO_ENDED_STUDY_ID } from '../../demo/demo-linkage.ts';
import { DEMO_STUDY_ID } from '../../demo/demo-studies.ts';
import { ORG, PROGRAMME, userId } from '../../demo/ids.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { login, testApp, TEST_CPR_KEY, type Session, type TestContext } from '../../testing/harness.ts';
import { packagePath } from './export-package.ts';
import { cleanUpExports, exportDeps, makePackage, type ExportDeps } from './exports.service.ts';
import { linkagePath } from './linkage-package.ts';
import { cleanUpLinkages, makeLinkage } from './linkage.service.ts';

let t: TestContext;
let deps: ExportDeps;
let dir: string;
const as: Record<string, Session> = {};
const FORSKER = userId(12);
const PROJEKTLEDER = userId(10);
const today = dateInCopenhagen();

const post = (who: string, url: string, payload: Record<string, unknown> = {}) => as[who]!.request({ method: 'POST', url, payload });
const get = (who: string, url: string) => as[who]!.request({ method: 'GET', url });
const unzip = (body: Buffer) => Object.fromEntries(Object.entries(unzipSync(new Uint8Array(body))).map(([name, data]) => [name, strFromU8(data)]));

async function deliver(study = DEMO_STUDY_ID): Promise<string> {
  const res = await post('projektleder', `/api/studies/${study}/linkage-deliveries`);
  expect(res.statusCode, res.body).toBe(202);
  const { id } = res.json() as { id: string };
  expect(await makeLinkage(deps, id)).toBe('ready');
  return id;
}

const base = (over: Record<string, unknown> = {}) => ({
  programmeId: PROGRAMME.paaVej,
  title: 'Registerundersøgelse',
  partnerName: 'VIVE',
  partnerRole: 'controller',
  legalBasis: ['gdpr_6_1_e'],
  checklist: { thirdCountry: false, biologicalMaterial: false, journalPublication: false },
  purpose: 'Effekt målt i DREAM.',
  startsOn: addDays(today, -30),
  endsOn: addDays(today, 300),
  variables: ['enrolments.pseudonym', 'enrolments.exit_outcome', 'status_weeks.benefit'],
  datePrecision: 'month',
  dpiaReference: 'DPIA-R',
  organisationIds: [ORG.naestved],
  ...over,
});

/** A study recorded, given `forsker`, advised on and approved through the API. */
async function approvedStudy(over: Record<string, unknown> = {}): Promise<string> {
  const res = await post('projektleder', '/api/studies', base(over));
  expect(res.statusCode, res.body).toBe(201);
  const id = (res.json() as { id: string }).id;
  expect((await post('projektleder', `/api/studies/${id}/researchers`, { userId: FORSKER })).statusCode).toBe(200);
  expect((await post('dpo', `/api/studies/${id}/dpo-advice`, { advice: 'Anbefales.' })).statusCode).toBe(200);
  expect((await post('projektleder', `/api/studies/${id}/approve`)).statusCode).toBe(200);
  return id;
}
const endStudy = (id: string) => sql`update studies set starts_on = ${addDays(today, -90)}, ends_on = ${addDays(today, -1)} where id = ${id}`.execute(t.db.owner);

const deniedRows = (resourceType: string, username: string) =>
  t.db.owner.selectFrom('audit_log').select(['action', 'criteria', 'resource_id']).where('resource_type', '=', resourceType).where('outcome', '=', 'denied').where('actor_username', '=', username).orderBy('seq').execute();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bindeled-linkage-test-'));
  t = await testApp({ exportDir: dir });
  deps = exportDeps(t.db.kysely, { cprKey: TEST_CPR_KEY, demo: true, exportDir: dir });
  for (const u of ['projektleder', 'dpo', 'forsker', 'styregruppe', 'rk1']) as[u] = await login(t.app, u);
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('marking a study for register linkage', () => {
  it("records the DST agreement's reference with it, bounded (400 without it, too long, or without linkage)", async () => {
    expect((await post('projektleder', '/api/studies', base({ registerLinkage: true }))).statusCode).toBe(400);
    expect((await post('projektleder', '/api/studies', base({ registerLinkage: true, dstReference: 'x'.repeat(201) }))).statusCode).toBe(400);
    const without = await post('projektleder', '/api/studies', base({ dstReference: 'DST 1' }));
    expect(without.statusCode).toBe(400);
    expect(without.body).toContain('only_with_register_linkage');
    const res = await post('projektleder', '/api/studies', base({ registerLinkage: true, dstReference: 'DST projekt 700001' }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ registerLinkage: true, dstReference: 'DST projekt 700001', ended: false, endConfirmation: null });
  });

  it("shows the demo study's marking and the ended demo study awaiting confirmation", async () => {
    expect((await get('forsker', `/api/studies/${DEMO_STUDY_ID}`)).json()).toMatchObject({ registerLinkage: true, dstReference: DEMO_DST_REFERENCE, ended: false });
    expect((await get('projektleder', `/api/studies/${DEMO_ENDED_STUDY_ID}`)).json()).toMatchObject({ status: 'approved', ended: true, endConfirmation: null });
  });
});

describe('the delivery to Danmarks Statistik', () => {
  it('is keyed by CPR number, holds the approved variables without pseudonyms, free text or research answers, with a manifest and README; audited with row counts', async () => {
    const id = await deliver();
    const status = (await get('projektleder', `/api/linkage-deliveries/${id}`)).json() as { status: string; progress: number; rowCounts: Record<string, number>; canDownload: boolean; expiresAt: string };
    expect(status).toMatchObject({ status: 'ready', progress: 100, canDownload: true });
    expect(new Date(status.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(2 * 86_400_000 + 60_000);
    expect(status.rowCounts.enrolments).toBeGreaterThan(0);
    const res = await get('projektleder', `/api/linkage-deliveries/${id}/download`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/registersamkoering-/);
    const files = unzip(res.rawPayload);
    expect(Object.keys(files).sort()).toEqual(['README.md', 'activities.csv', 'assessments.csv', 'enrolments.csv', 'manifest.json', 'status_weeks.csv']);
    expect(files['enrolments.csv']!.split('\r\n')[0]).toBe('cpr,birth_year,sex,start_date,benefit_at_start,exit_outcome');
    for (const f of ['enrolments.csv', 'activities.csv', 'assessments.csv', 'status_weeks.csv']) {
      const [header, first] = files[f]!.split('\r\n');
      expect(header!.startsWith('cpr,')).toBe(true);
      expect(header).not.toMatch(/pseudonym|name|email|phone|address|note|text/);
      expect(first!.split(',')[0]).toMatch(/^\d{10}$/);
      expect(files[f]!.trim().split('\r\n')).toHaveLength(status.rowCounts[f.replace('.csv', '')]! + 1);
    }
    // Dates by month.
    expect(files['enrolments.csv']!.split('\r\n')[1]!.split(',')[3]).toMatch(/^\d{4}-\d{2}$/);
    const manifest = JSON.parse(files['manifest.json']!) as { dstReference: string; key: string; files: { name: string; rows: number; sha256: string }[]; excluded: string[] };
    expect(manifest).toMatchObject({ dstReference: DEMO_DST_REFERENCE, key: 'cpr' });
    expect(manifest.files.map((f) => f.name).sort()).toEqual(['activities.csv', 'assessments.csv', 'enrolments.csv', 'status_weeks.csv']);
    expect(manifest.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    expect(manifest.excluded).toEqual(expect.arrayContaining(['pseudonyms', 'free text', 'names', 'research-only questionnaires']));
    expect(files['README.md']).toContain(DEMO_DST_REFERENCE);
    expect(files['README.md']).toContain('No pseudonyms, names, addresses, e-mail addresses, phone numbers, free text');

    const audit = await t.db.owner.selectFrom('audit_log').select(['action', 'outcome', 'actor_username', 'criteria']).where('resource_type', '=', 'study_linkage_delivery').where('resource_id', '=', id).orderBy('seq').execute();
    expect(audit.map((a) => `${a.actor_username}:${a.action}:${a.outcome}`)).toEqual(['projektleder:create:success', 'job:study-linkage:export:success', 'projektleder:read:success', 'projektleder:export:success']);
    expect((audit[1]!.criteria as { rowCounts: Record<string, number> }).rowCounts).toEqual(status.rowCounts);
    expect((audit[3]!.criteria as { rowCounts: Record<string, number> }).rowCounts).toEqual(status.rowCounts);
    // The CPR numbers are in the package only: never in an audit row.
    const cpr = files['enrolments.csv']!.split('\r\n')[1]!.split(',')[0]!;
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit_log where criteria::text like ${`%${cpr}%`}`.execute(t.db.owner);
    expect(rows[0]!.n).toBe(0);
  });

  it("never reaches the study's researchers: 404 on every route (audited), and not in their export list", async () => {
    const id = await deliver();
    expect((await post('forsker', `/api/studies/${DEMO_STUDY_ID}/linkage-deliveries`)).statusCode).toBe(404);
    expect((await get('forsker', `/api/studies/${DEMO_STUDY_ID}/linkage-deliveries`)).statusCode).toBe(404);
    expect((await get('forsker', `/api/linkage-deliveries/${id}`)).statusCode).toBe(404);
    const download = await get('forsker', `/api/linkage-deliveries/${id}/download`);
    expect(download.statusCode).toBe(404);
    expect(download.headers['content-type']).not.toMatch(/zip/);
    const exportList = (await get('forsker', `/api/studies/${DEMO_STUDY_ID}/exports?limit=50`)).json() as { items: { id: string }[] };
    expect(exportList.items.map((x) => x.id)).not.toContain(id);
    expect((await get('forsker', `/api/exports/${id}`)).statusCode).toBe(404);
    const denied = await deniedRows('study_linkage_delivery', 'forsker');
    expect(denied.length).toBeGreaterThanOrEqual(4);
    expect(denied.filter((d) => d.resource_id === id).map((d) => d.action)).toEqual(['read', 'export']);
    expect(denied.every((d) => (d.criteria as { reason: string }).reason.includes('researcher'))).toBe(true);
  });

  it('refuses a researcher of the study even where they also manage the programme', async () => {
    const id = await deliver();
    await sql`insert into study_researchers (study_id, user_id, added_by) values (${DEMO_STUDY_ID}, ${PROJEKTLEDER}, ${PROJEKTLEDER})`.execute(t.db.owner);
    try {
      expect((await get('projektleder', `/api/linkage-deliveries/${id}/download`)).statusCode).toBe(404);
      expect((await post('projektleder', `/api/studies/${DEMO_STUDY_ID}/linkage-deliveries`)).statusCode).toBe(404);
    } finally {
      await sql`delete from study_researchers where study_id = ${DEMO_STUDY_ID} and user_id = ${PROJEKTLEDER}`.execute(t.db.owner);
    }
    expect((await get('projektleder', `/api/linkage-deliveries/${id}/download`)).statusCode).toBe(200);
  });

  it('shows the dpo the deliveries without the package; everyone else 404 (audited)', async () => {
    await deliver();
    const id = await deliver();
    expect((await get('dpo', `/api/linkage-deliveries/${id}`)).json()).toMatchObject({ status: 'ready', canDownload: false });
    const list = (await get('dpo', `/api/studies/${DEMO_STUDY_ID}/linkage-deliveries?limit=1`)).json() as { items: unknown[]; nextCursor: string | null };
    expect(list.items).toHaveLength(1);
    expect(list.nextCursor).not.toBeNull();
    expect((await get('dpo', `/api/studies/${DEMO_STUDY_ID}/linkage-deliveries?limit=1&cursor=${encodeURIComponent(list.nextCursor!)}`)).statusCode).toBe(200);
    expect((await get('dpo', `/api/linkage-deliveries/${id}/download`)).statusCode).toBe(404);
    expect((await post('dpo', `/api/studies/${DEMO_STUDY_ID}/linkage-deliveries`)).statusCode).toBe(404);
    for (const u of ['styregruppe', 'rk1']) {
      expect((await get(u, `/api/linkage-deliveries/${id}`)).statusCode).toBe(404);
      expect((await get(u, `/api/linkage-deliveries/${id}/download`)).statusCode).toBe(404);
      expect((await post(u, `/api/studies/${DEMO_STUDY_ID}/linkage-deliveries`)).statusCode).toBe(404);
    }
    // The download refused as the delivery's; the request refused by the access chokepoint, on the study.
    expect((await deniedRows('study_linkage_delivery', 'dpo')).map((d) => d.action)).toEqual(['export']);
    expect((await deniedRows('study', 'dpo')).filter((d) => d.action === 'export')).toHaveLength(1);
    expect((await deniedRows('study_linkage_delivery', 'rk1')).map((d) => d.action)).toEqual(['read', 'export']);
    expect((await deniedRows('study', 'rk1')).filter((d) => d.action === 'export')).toHaveLength(1);
    expect((await get('projektleder', `/api/studies/${DEMO_STUDY_ID}/linkage-deliveries?limit=51`)).statusCode).toBe(400);
  });

  it('refuses a study not marked for linkage (409, audited) and answers 410 once expired', async () => {
    const plain = await approvedStudy();
    const res = await post('projektleder', `/api/studies/${plain}/linkage-deliveries`);
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('not_register_linkage');
    const id = await deliver();
    await sql`update study_linkage_deliveries set expires_at = now() - interval '1 minute' where id = ${id}`.execute(t.db.owner);
    expect((await get('projektleder', `/api/linkage-deliveries/${id}/download`)).statusCode).toBe(410);
    expect(await cleanUpLinkages(deps)).toMatchObject({ deleted: expect.any(Number) });
    expect(existsSync(linkagePath(dir, id))).toBe(false);
    const reasons = (await deniedRows('study_linkage_delivery', 'projektleder')).map((d) => (d.criteria as { reason: string }).reason);
    expect(reasons).toEqual(expect.arrayContaining(['not_register_linkage', 'expired']));
  });
});

describe("the study's end", () => {
  it('refuses new exports and deliveries (409), refuses the offsets of a queued export, deletes ready packages, answers 410', async () => {
    const id = await approvedStudy({ registerLinkage: true, dstReference: 'DST projekt 700002', datePrecision: 'shifted' });
    const ready = await deliver(id);
    const exportRes = await post('forsker', `/api/studies/${id}/exports`);
    expect(exportRes.statusCode).toBe(202);
    const readyExport = (exportRes.json() as { id: string }).id;
    expect((await makePackage(deps, readyExport))?.status).toBe('ready');
    const queuedRes = await post('forsker', `/api/studies/${id}/exports`);
    const queued = (queuedRes.json() as { id: string }).id;
    const queuedDelivery = ((await post('projektleder', `/api/studies/${id}/linkage-deliveries`)).json() as { id: string }).id;

    await endStudy(id);
    const exportRefused = await post('forsker', `/api/studies/${id}/exports`);
    expect(exportRefused.statusCode).toBe(409);
    expect(exportRefused.body).toContain('study_ended');
    const linkageRefused = await post('projektleder', `/api/studies/${id}/linkage-deliveries`);
    expect(linkageRefused.statusCode).toBe(409);
    expect(linkageRefused.body).toContain('study_ended');

    // The export asked for before the end: its date offsets are not derived any more.
    const result = await makePackage(deps, queued);
    expect(result).toMatchObject({ status: 'blocked', blocked: { reason: 'study_ended' }, path: null });
    expect(existsSync(packagePath(dir, queued))).toBe(false);
    expect((await get('projektleder', `/api/exports/${queued}`)).json()).toMatchObject({ status: 'blocked', blocked: { reason: 'study_ended' } });
    expect(await makeLinkage(deps, queuedDelivery)).toBe('failed');
    expect((await get('projektleder', `/api/linkage-deliveries/${queuedDelivery}`)).json()).toMatchObject({ status: 'failed', failure: 'study_ended' });

    expect((await get('forsker', `/api/exports/${readyExport}/download`)).statusCode).toBe(410);
    expect((await get('projektleder', `/api/linkage-deliveries/${ready}/download`)).statusCode).toBe(410);
    await cleanUpExports(deps);
    await cleanUpLinkages(deps);
    expect(existsSync(packagePath(dir, readyExport))).toBe(false);
    expect(existsSync(linkagePath(dir, ready))).toBe(false);
    const deletions = await t.db.owner.selectFrom('audit_log').select(['resource_id', 'criteria']).where('action', '=', 'delete').where('resource_id', 'in', [ready, readyExport]).execute();
    expect(deletions).toHaveLength(2);
    const jobRefusal = await t.db.owner.selectFrom('audit_log').select(['outcome', 'criteria']).where('resource_id', '=', queued).where('actor_username', '=', 'job:study-export').executeTakeFirstOrThrow();
    expect(jobRefusal).toMatchObject({ outcome: 'denied', criteria: { blocked: { reason: 'study_ended' } } });
  });

  it("records the partner's confirmation once, after the end: bounded (400), 409 before the end or twice, 404 for others (audited)", async () => {
    const id = await approvedStudy();
    const early = await post('projektleder', `/api/studies/${id}/end-confirmation`, { kind: 'deleted' });
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('study_not_ended');
    await endStudy(id);
    expect((await post('projektleder', `/api/studies/${id}/end-confirmation`, { kind: 'archived' })).statusCode).toBe(400);
    expect((await post('projektleder', `/api/studies/${id}/end-confirmation`, { kind: 'deleted', archiveReference: 'A-1' })).statusCode).toBe(400);
    expect((await post('projektleder', `/api/studies/${id}/end-confirmation`, { kind: 'archived', archiveReference: 'x'.repeat(201) })).statusCode).toBe(400);
    expect((await post('projektleder', `/api/studies/${id}/end-confirmation`, { kind: 'burnt' })).statusCode).toBe(400);
    expect((await post('forsker', `/api/studies/${id}/end-confirmation`, { kind: 'deleted' })).statusCode).toBe(404);
    expect((await post('dpo', `/api/studies/${id}/end-confirmation`, { kind: 'deleted' })).statusCode).toBe(404);
    const res = await post('projektleder', `/api/studies/${id}/end-confirmation`, { kind: 'archived', archiveReference: 'VIVE arkiv 2026/88' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ ended: true, endConfirmation: { kind: 'archived', archiveReference: 'VIVE arkiv 2026/88', recordedBy: { id: PROJEKTLEDER } } });
    expect((await get('forsker', `/api/studies/${id}`)).json()).toMatchObject({ endConfirmation: { kind: 'archived' } });
    const twice = await post('projektleder', `/api/studies/${id}/end-confirmation`, { kind: 'deleted' });
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('already_confirmed');
    const audit = await t.db.owner.selectFrom('audit_log').select(['actor_username', 'outcome', 'criteria']).where('resource_type', '=', 'study').where('resource_id', '=', id).where('action', '=', 'update').orderBy('seq').execute();
    const steps = audit.filter((a) => (a.criteria as { step?: string } | null)?.step === 'end_confirmation' || a.outcome === 'denied').map((a) => `${a.actor_username}:${a.outcome}:${(a.criteria as { reason?: string; kind?: string }).reason ?? (a.criteria as { kind?: string }).kind}`);
    expect(steps).toEqual(expect.arrayContaining(['projektleder:denied:study_not_ended', 'projektleder:success:archived', 'projektleder:denied:already_confirmed']));
    expect(audit.some((a) => a.actor_username === 'forsker' && a.outcome === 'denied')).toBe(true);
    expect(audit.some((a) => a.actor_username === 'dpo' && a.outcome === 'denied')).toBe(true);
  });

  it('confirms the ended demo study as deleted', async () => {
    const res = await post('projektleder', `/api/studies/${DEMO_ENDED_STUDY_ID}/end-confirmation`, { kind: 'deleted' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ endConfirmation: { kind: 'deleted', archiveReference: null } });
  });
});
