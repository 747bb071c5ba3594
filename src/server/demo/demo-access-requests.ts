// Demo: access requests ("Indsigt") of a portal demo citizen (41, demo-portal.ts), so the portal and the staff queue
// show something real: one request received 12 days ago, past its 7 working days without a decision (the queue flags
// the interim notice), and one from 40 days ago, decided and released with its package. Ids from block 73.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addDays } from '../platform/dates.ts';
import { addMonths } from '../modules/access-requests/access-requests.service.ts';
import { buildPackage } from '../modules/access-requests/package.ts';
import { citizenId } from './demo-citizens.ts';

const ID_BLOCK = 73;
export const demoAccessRequestId = (n: number) => `00000000-0000-4000-8000-${String(ID_BLOCK * 10_000 + n).padStart(12, '0')}`;
/** The portal demo citizen whose requests these are. */
export const DEMO_ACCESS_CITIZEN = 41;

export async function loadDemoAccessRequests(db: Kysely<Database>, today: string): Promise<void> {
  const link = await db
    .selectFrom('portal_links as l')
    .innerJoin('enrolments as e', 'e.citizen_id', 'l.citizen_id')
    .innerJoin('team_members as tm', 'tm.enrolment_id', 'e.id')
    .select(['l.account_id', 'l.organisation_id', 'l.citizen_id', 'tm.user_id'])
    .where('l.citizen_id', '=', citizenId(DEMO_ACCESS_CITIZEN))
    .orderBy('tm.valid_from', 'desc')
    .executeTakeFirst();
  if (!link) return;
  const released = addDays(today, -40);
  const open = addDays(today, -12);
  await db
    .insertInto('access_requests')
    .values([
      {
        id: demoAccessRequestId(1),
        request_group_id: demoAccessRequestId(101),
        organisation_id: link.organisation_id,
        citizen_id: link.citizen_id,
        account_id: link.account_id,
        request_text: null,
        received_at: new Date(`${released}T09:00:00Z`),
        received_on: released,
        first_deadline: addMonths(released, 1),
        deadline: addMonths(released, 1),
        decision: 'full',
        decision_reasons: 'Du får alle de oplysninger, vi har om dig. Der er ikke noget, vi holder tilbage.',
        complaint_guidance: 'Er du ikke enig, kan du klage til Datatilsynet, Carl Jacobsens Vej 35, 2500 Valby, dt@datatilsynet.dk. Du kan også kontakte kommunens databeskyttelsesrådgiver.',
        decided_at: new Date(`${addDays(released, 9)}T10:00:00Z`),
        decided_by: link.user_id,
        released_at: new Date(`${addDays(released, 9)}T10:05:00Z`),
        released_by: link.user_id,
      },
      {
        id: demoAccessRequestId(2),
        request_group_id: demoAccessRequestId(102),
        organisation_id: link.organisation_id,
        citizen_id: link.citizen_id,
        account_id: link.account_id,
        request_text: 'Jeg vil gerne se mine notater fra samtalerne.',
        received_at: new Date(`${open}T09:00:00Z`),
        received_on: open,
        first_deadline: addMonths(open, 1),
        deadline: addMonths(open, 1),
      },
    ])
    .execute();
  const built = await buildPackage(db, demoAccessRequestId(1), async () => {});
  await db.insertInto('access_packages').values({ request_id: demoAccessRequestId(1), html: built.html, json: JSON.stringify(built.json) }).execute();
  await db
    .updateTable('access_requests')
    .set({ package_state: 'done', package_progress: 100, package_generated_at: new Date(`${addDays(released, 8)}T15:00:00Z`) })
    .where('id', '=', demoAccessRequestId(1))
    .execute();
}
