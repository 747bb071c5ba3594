// SQL for programmes and their facts.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

type Q = Kysely<Database>;

export function programmesOfUser(db: Q, userId: string) {
  return db
    .selectFrom('programmes as p')
    .innerJoin('user_roles as r', 'r.programme_id', 'p.id')
    .select(['p.id', 'p.name', 'p.starts_on', 'p.ends_on', 'p.capacity', 'p.is_demo'])
    .select((eb) => eb.fn.agg<string[]>('array_agg', ['r.role']).as('roles'))
    .where('r.user_id', '=', userId)
    .groupBy(['p.id', 'p.name', 'p.starts_on', 'p.ends_on', 'p.capacity', 'p.is_demo'])
    .orderBy('p.starts_on', 'desc')
    .execute();
}

export function programmeById(db: Q, id: string) {
  return db
    .selectFrom('programmes as p')
    .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select([
      'p.id',
      'p.name',
      'p.summary_da',
      'p.summary_en',
      'p.starts_on',
      'p.ends_on',
      'p.capacity',
      'p.caseload_ceiling',
      'p.consultants_see_all',
      'p.show_notes_to_citizen',
      'p.version',
      'p.is_demo',
      'p.organisation_id',
      'o.name as owner_name',
      'o.kind as owner_kind',
    ])
    .where('p.id', '=', id)
    .executeTakeFirst();
}

export async function programmeFacts(db: Q, id: string) {
  const [partners, phases, targets, targetGroups, budgetLines, active] = await Promise.all([
    db
      .selectFrom('programme_partners as pp')
      .innerJoin('organisations as o', 'o.id', 'pp.organisation_id')
      .select(['o.id', 'o.name', 'o.kind', 'pp.role'])
      .where('pp.programme_id', '=', id)
      .orderBy('pp.role')
      .orderBy('o.name')
      .execute(),
    db.selectFrom('programme_phases').selectAll().where('programme_id', '=', id).orderBy('position').execute(),
    db.selectFrom('programme_targets').select(['outcome', 'target_percent']).where('programme_id', '=', id).orderBy('outcome').execute(),
    db
      .selectFrom('programme_target_groups')
      .select(['benefit_code', 'planned_count'])
      .where('programme_id', '=', id)
      .orderBy('benefit_code')
      .execute(),
    db
      .selectFrom('programme_budget_lines')
      .select(['id', 'year', 'purpose', 'funder', 'amount_oere'])
      .where('programme_id', '=', id)
      .orderBy('year')
      .orderBy('purpose')
      .execute(),
    db
      .selectFrom('enrolments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('programme_id', '=', id)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow(),
  ]);
  return { partners, phases, targets, targetGroups, budgetLines, activeCitizens: Number(active.n) };
}

/**
 * Active staff with a case role in the programme who can join a team of the caller's organisation: its own
 * staff, and liaisons from psychiatry (regions).
 */
export function programmeStaff(db: Q, programmeId: string, organisationId: string) {
  return db
    .selectFrom('user_roles as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select(['u.id', 'u.name', 'o.name as organisation'])
    .select((eb) => eb.fn.agg<string[]>('array_agg', ['r.role']).as('roles'))
    .where('r.programme_id', '=', programmeId)
    .where('r.role', 'in', ['resource_consultant', 'caseworker', 'job_consultant', 'liaison'])
    .where('u.active', '=', true)
    .where((eb) => eb.or([eb('u.organisation_id', '=', organisationId), eb.and([eb('r.role', '=', 'liaison'), eb('o.kind', '=', 'region')])]))
    .groupBy(['u.id', 'u.name', 'o.name'])
    .orderBy('u.name')
    .execute();
}

export function updateSettings(db: Q, id: string, version: number, changes: { caseload_ceiling?: number; consultants_see_all?: boolean; show_notes_to_citizen?: boolean }) {
  return db
    .updateTable('programmes')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}
