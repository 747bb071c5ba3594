// Knowledge transfers (vidensoverdragelse): the region's structured summary for the jobcenter, answering
// seed 003's four questions, each answer tagged with the category it belongs to. Owned by the region,
// versioned per patient (a change is a new version); it reaches the jobcenter only by disclosure.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { z } from 'zod';
import { QUESTION_CODES, type CreateKnowledgeTransferRequest, type ListQuery } from '../../../contracts/disclosures.ts';
import type { Database, KnowledgeTransferAnswer } from '../../db/schema.ts';
import { AccessDenied } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { decodeCursor, encodeCursor } from '../../platform/pagination.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { personRecord, PURPOSE, requirePerson } from './access.ts';

type Tx = Transaction<Database>;

interface Row {
  id: string;
  citizen_id: string;
  version: number;
  source_team: string;
  written_on: string;
  answers: KnowledgeTransferAnswer[];
  created_by: string;
  created_by_name: string;
  created_at: Date;
}

const order = (q: string) => QUESTION_CODES.indexOf(q as (typeof QUESTION_CODES)[number]);

export function toKnowledgeTransfer(r: Row) {
  return {
    id: r.id,
    citizenId: r.citizen_id,
    version: r.version,
    sourceTeam: r.source_team,
    writtenOn: r.written_on,
    answers: [...r.answers].sort((a, b) => order(a.question) - order(b.question)).map((a) => ({ question: a.question, text: a.text, category: a.category })),
    createdBy: { id: r.created_by, name: r.created_by_name },
    createdAt: new Date(r.created_at).toISOString(),
  };
}

const SELECT = sql`select k.id, k.citizen_id, k.version, k.source_team, k.written_on::text as written_on, k.answers, k.created_by, u.name as created_by_name, k.created_at
                     from knowledge_transfers k join users u on u.id = k.created_by`;

export async function createKnowledgeTransfer(db: Kysely<Database>, actor: Actor, citizenId: string, input: z.infer<typeof CreateKnowledgeTransferRequest>) {
  return inTransaction(db, async (tx) => {
    const person = await personRecord(tx, actor, citizenId, 'create');
    requirePerson(actor, person, 'knowledge-transfer:write', 'create');
    const answers = [...input.answers].sort((a, b) => order(a.question) - order(b.question));
    // The next version in the insert itself; two writers at once meet the unique (citizen, version) and one gets 409.
    const { rows } = await sql<Row>`
      with k as (
        insert into knowledge_transfers (organisation_id, citizen_id, version, source_team, written_on, answers, created_by)
        values (${person.organisationId}, ${citizenId},
                (select coalesce(max(version), 0) + 1 from knowledge_transfers where citizen_id = ${citizenId}),
                ${input.sourceTeam}, ${input.writtenOn}, ${JSON.stringify(answers)}::jsonb, ${actor.userId})
        returning *)
      select k.id, k.citizen_id, k.version, k.source_team, k.written_on::text as written_on, k.answers, k.created_by, ${actor.name}::text as created_by_name, k.created_at
        from k`.execute(tx);
    const row = rows[0]!;
    await recordAudit(tx, {
      actor,
      organisationId: person.organisationId,
      action: 'create',
      purpose: PURPOSE,
      resourceType: 'knowledge_transfer',
      resourceId: row.id,
      citizenId,
      outcome: 'success',
      criteria: { version: row.version, questions: answers.map((a) => a.question), categories: [...new Set(answers.map((a) => a.category))] },
    });
    return toKnowledgeTransfer(row);
  });
}

const isVersionCursor = (v: unknown): v is { v: number } => typeof v === 'object' && v !== null && Number.isInteger((v as { v: number }).v) && (v as { v: number }).v > 0 && (v as { v: number }).v < 2_147_483_647;

export async function listKnowledgeTransfers(db: Kysely<Database>, actor: Actor, citizenId: string, query: z.infer<typeof ListQuery>) {
  return inTransaction(db, async (tx) => {
    const person = await personRecord(tx, actor, citizenId, 'read');
    requirePerson(actor, person, 'knowledge-transfer:read', 'read');
    const after = decodeCursor(query.cursor, isVersionCursor);
    const { rows } = await sql<Row>`${SELECT}
      where k.citizen_id = ${citizenId} ${after ? sql`and k.version < ${after.v}` : sql``}
      order by k.version desc limit ${query.limit + 1}`.execute(tx);
    const page = rows.slice(0, query.limit);
    await recordAudit(tx, { actor, organisationId: person.organisationId, action: 'read', purpose: PURPOSE, resourceType: 'knowledge_transfer', citizenId, outcome: 'success', criteria: { count: page.length, cursor: query.cursor ? 'next' : null } });
    const last = page[page.length - 1];
    return { citizen: { id: citizenId, name: person.name }, items: page.map(toKnowledgeTransfer), nextCursor: rows.length > query.limit && last ? encodeCursor({ v: last.version }) : null };
  });
}

/** One version (the owner's staff only); unknown ids are refused like foreign ones. */
export async function knowledgeTransferRow(tx: Tx, actor: Actor, id: string, auditAction: 'read' | 'create'): Promise<Row> {
  const { rows } = await sql<Row>`${SELECT} where k.id = ${id}`.execute(tx);
  const row = rows[0];
  if (!row) throw new AccessDenied({ actor, organisationId: null, action: auditAction, purpose: PURPOSE, resourceType: 'knowledge_transfer', resourceId: id, outcome: 'denied', criteria: { reason: 'unknown id' } });
  return row;
}

export async function getKnowledgeTransfer(db: Kysely<Database>, actor: Actor, id: string) {
  return inTransaction(db, async (tx) => {
    const row = await knowledgeTransferRow(tx, actor, id, 'read');
    const person = await personRecord(tx, actor, row.citizen_id, 'read');
    requirePerson(actor, person, 'knowledge-transfer:read', 'read');
    await recordAudit(tx, { actor, organisationId: person.organisationId, action: 'read', purpose: PURPOSE, resourceType: 'knowledge_transfer', resourceId: id, citizenId: row.citizen_id, outcome: 'success' });
    return toKnowledgeTransfer(row);
  });
}
