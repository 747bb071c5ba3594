// The home pages of the region's staff (issue 10, point 10): the liaison's "Henvendelser" (the queue and who has
// waited longest, this month's response times, knowledge transfers to write, consents expiring within 30 days,
// open crossing tasks) and the clinician's "Mine patienter i forløb" (only patients whose fvl_28 consent names
// the region: the list reveals a municipal enrolment).
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { ClinicianPatientPage, ClinicianPatientsQuery, LiaisonOverview } from '../../../contracts/inquiries.ts';
import type { Database } from '../../db/schema.ts';
import { requireAccess } from '../../platform/access/access.ts';
import { POLICY } from '../../platform/access/policy.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { addDays, dateInCopenhagen } from '../../platform/dates.ts';
import { decodeCursor, encodeCursor, isShortString, isUuid } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import * as repo from './inquiries.repository.ts';
import { summaryOf } from './inquiries.service.ts';

const PURPOSE = 'case_work' as const;
const iso = (v: Date | string) => new Date(v).toISOString();

const programmesOf = (actor: Actor, roles: readonly string[]) => [...new Set(actor.roles.filter((g) => g.programmeId && roles.includes(g.role)).map((g) => g.programmeId!))];

/** The first day of the month `back` months before `today`'s month (YYYY-MM-01). */
export function monthStart(today: string, back: number): string {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
const hours = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

export async function liaisonOverview(deps: { db: Kysely<Database> }, actor: Actor): Promise<LiaisonOverview> {
  return inTransaction(deps.db, async (tx) => {
    requireAccess(actor, 'liaison:overview', { type: 'liaison_overview', organisationId: actor.organisationId }, { action: 'read', purpose: PURPOSE });
    const org = actor.organisationId;
    const programmes = programmesOf(actor, POLICY['liaison:overview'].roles);
    const today = dateInCopenhagen();
    const from = monthStart(today, 5);
    const counts = await repo.queueCounts(tx, org, programmes);
    const waiting = await repo.queue(tx, org, programmes, ['new', 'in_progress'], undefined, 5);
    const times = await repo.responseTimes(tx, org, programmes, from);
    const transfers = await repo.knowledgeTransfersToWrite(tx, org, programmes, 10);
    const consents = await repo.expiringConsents(tx, org, programmes, today, addDays(today, 30));
    const tasks = await repo.openTasks(tx, org, 10);
    const count = (s: string) => counts.find((c) => c.status === s)?.n ?? 0;
    const months = Array.from({ length: 6 }, (_, i) => monthStart(today, 5 - i).slice(0, 7));
    await recordAudit(tx, {
      actor,
      organisationId: org,
      action: 'read',
      purpose: PURPOSE,
      resourceType: 'liaison_overview',
      outcome: 'success',
      criteria: { waiting: waiting.length, transfersToWrite: transfers.length, expiringConsents: consents.length, openTasks: tasks.length },
    });
    return {
      queue: { new: count('new'), inProgress: count('in_progress'), answered: count('answered'), closed: count('closed') },
      waitingLongest: waiting.slice(0, 5).map(summaryOf),
      responseTimes: months.map((month) => {
        const row = times.find((t) => t.month === month);
        return { month, answered: row?.answered ?? 0, medianHours: hours(row?.median ?? null), p90Hours: hours(row?.p90 ?? null) };
      }),
      knowledgeTransfersToWrite: {
        count: transfers[0]?.total ?? 0,
        items: transfers.map((r) => ({ citizenId: r.citizen_id, firstName: r.first_name, lastName: r.last_name, startDate: r.start_date })),
      },
      expiringConsents: consents.map((c) => ({
        id: c.id,
        instrument: c.instrument,
        direction: c.source_organisation_id === org ? ('given' as const) : ('received' as const),
        citizenId: c.citizen_id,
        firstName: c.first_name,
        lastName: c.last_name,
        validTo: c.valid_to,
        daysLeft: daysBetween(today, c.valid_to),
      })),
      openTasks: tasks.map((t) => ({ id: t.id, kind: t.kind, citizenId: t.citizen_id, citizenName: t.first_name === null ? null : `${t.first_name} ${t.last_name}`, createdAt: iso(t.created_at) })),
    };
  });
}

const isPatientCursor = (v: unknown): v is repo.PatientCursor => {
  const c = v as repo.PatientCursor;
  return typeof c === 'object' && c !== null && isUuid(c.id) && isShortString(c.l) && isShortString(c.f);
};

export async function clinicianPatients(deps: { db: Kysely<Database> }, actor: Actor, query: z.infer<typeof ClinicianPatientsQuery>): Promise<z.infer<typeof ClinicianPatientPage>> {
  return inTransaction(deps.db, async (tx) => {
    requireAccess(actor, 'clinician:patients', { type: 'citizen', organisationId: actor.organisationId }, { action: 'read', purpose: PURPOSE });
    const programmes = programmesOf(actor, POLICY['clinician:patients'].roles);
    const after = decodeCursor(query.cursor, isPatientCursor);
    const rows = await repo.clinicianPatients(tx, actor.organisationId, programmes, dateInCopenhagen(), after, query.limit);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    await recordAudit(tx, {
      actor,
      organisationId: actor.organisationId,
      action: 'read',
      purpose: PURPOSE,
      resourceType: 'citizen',
      outcome: 'success',
      criteria: { list: 'clinician_patients', count: page.length, citizenIds: page.map((r) => r.citizen_id), cursor: query.cursor ? 'next' : null },
    });
    return {
      items: page.map((r) => ({
        citizenId: r.citizen_id,
        firstName: r.first_name,
        lastName: r.last_name,
        programmeId: r.programme_id,
        programmeName: r.programme_name,
        startDate: r.start_date,
        status: r.status,
        consentValidTo: r.consent_valid_to,
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ l: last.last_name, f: last.first_name, id: last.citizen_id }) : null,
    };
  });
}
