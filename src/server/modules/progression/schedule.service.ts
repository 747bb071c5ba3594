// A programme's measurement schedule (which instruments, at enrolment, every N months within a window, at
// exit) and its procedure for acute concern, shown beside every alert. Kept by the programme manager.
import { sql, type Kysely } from 'kysely';
import type { z } from 'zod';
import type { UpdateAcuteProcedureRequest, UpdateScheduleRequest } from '../../../contracts/progression.ts';
import type { Database } from '../../db/schema.ts';
import { requireAccess } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { Invalid, NotFound } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { activeInstrument } from './instruments.service.ts';

async function programmeOf(db: Kysely<Database>, programmeId: string) {
  const programme = await db.selectFrom('programmes').select(['organisation_id', 'acute_procedure_da', 'acute_procedure_en']).where('id', '=', programmeId).executeTakeFirst();
  if (!programme) throw new NotFound('No such programme');
  return programme;
}

export async function getSchedule(db: Kysely<Database>, actor: Actor, programmeId: string) {
  return inTransaction(db, async (tx) => {
    const programme = await programmeOf(tx, programmeId);
    requireAccess(actor, 'programme:read', { type: 'programme', id: programmeId, organisationId: programme.organisation_id, programmeId }, { action: 'read', purpose: 'programme_management' });
    const rows = await tx
      .selectFrom('programme_instruments as pi')
      .select(['pi.instrument_code', 'pi.at_enrolment', 'pi.every_months', 'pi.window_days', 'pi.at_exit'])
      .select((eb) =>
        eb
          .selectFrom('instruments as i')
          .select(sql<{ da: string; en: string }>`i.definition -> 'title'`.as('t'))
          .whereRef('i.code', '=', 'pi.instrument_code')
          .where('i.status', '=', 'active')
          .where((w) => w.or([w('i.organisation_id', 'is', null), w('i.organisation_id', '=', programme.organisation_id)]))
          .limit(1)
          .as('title'),
      )
      .where('pi.programme_id', '=', programmeId)
      .orderBy('pi.position')
      .orderBy('pi.instrument_code')
      .execute();
    return {
      items: rows.map((r) => ({ instrumentCode: r.instrument_code, atEnrolment: r.at_enrolment, everyMonths: r.every_months, windowDays: r.window_days, atExit: r.at_exit, title: r.title ?? { da: r.instrument_code, en: r.instrument_code } })),
      acuteProcedure: { da: programme.acute_procedure_da, en: programme.acute_procedure_en },
    };
  });
}

export async function updateSchedule(db: Kysely<Database>, actor: Actor, programmeId: string, input: z.infer<typeof UpdateScheduleRequest>) {
  await inTransaction(db, async (tx) => {
    const programme = await programmeOf(tx, programmeId);
    requireAccess(actor, 'programme:configure', { type: 'programme', id: programmeId, organisationId: programme.organisation_id, programmeId }, { action: 'update', purpose: 'programme_management' });
    const codes = input.items.map((i) => i.instrumentCode);
    const duplicate = codes.findIndex((c, i) => codes.indexOf(c) !== i);
    if (duplicate >= 0) throw new Invalid('An instrument is listed twice', [{ path: `items.${duplicate}.instrumentCode`, message: 'duplicate' }]);
    for (const [i, item] of input.items.entries()) {
      const instrument = await activeInstrument(tx, programme.organisation_id, item.instrumentCode);
      if (!instrument) throw new Invalid('No active instrument with that code', [{ path: `items.${i}.instrumentCode`, message: 'unknown_instrument' }]);
      if (!item.atEnrolment && !item.everyMonths && !item.atExit) throw new Invalid('Say when the instrument is measured', [{ path: `items.${i}`, message: 'no_occasion' }]);
    }
    await tx.deleteFrom('programme_instruments').where('programme_id', '=', programmeId).execute();
    if (input.items.length > 0) {
      await tx
        .insertInto('programme_instruments')
        .values(
          input.items.map((item, position) => ({
            programme_id: programmeId,
            organisation_id: programme.organisation_id,
            instrument_code: item.instrumentCode,
            at_enrolment: item.atEnrolment,
            every_months: item.everyMonths,
            window_days: item.windowDays,
            at_exit: item.atExit,
            position,
            updated_by: actor.userId,
          })),
        )
        .execute();
    }
    await recordAudit(tx, { actor, organisationId: programme.organisation_id, action: 'update', purpose: 'programme_management', resourceType: 'measurement_schedule', resourceId: programmeId, outcome: 'success', criteria: { instruments: codes } });
  });
  return getSchedule(db, actor, programmeId);
}

export async function updateAcuteProcedure(db: Kysely<Database>, actor: Actor, programmeId: string, input: z.infer<typeof UpdateAcuteProcedureRequest>) {
  return inTransaction(db, async (tx) => {
    const programme = await programmeOf(tx, programmeId);
    requireAccess(actor, 'programme:configure', { type: 'programme', id: programmeId, organisationId: programme.organisation_id, programmeId }, { action: 'update', purpose: 'programme_management' });
    await tx.updateTable('programmes').set({ acute_procedure_da: input.da, acute_procedure_en: input.en }).where('id', '=', programmeId).execute();
    await recordAudit(tx, { actor, organisationId: programme.organisation_id, action: 'update', purpose: 'programme_management', resourceType: 'acute_procedure', resourceId: programmeId, outcome: 'success' });
    return { da: input.da, en: input.en };
  });
}
