// Versioned code lists: national values (changed only by law, through migrations) and an organisation's
// own values, which its admin adds, relabels and ends.
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { CreateCodeValueRequest, UpdateCodeValueRequest } from '../../../contracts/citizens.ts';
import type { CodeValuesTable } from '../../db/schema.ts';
import { AccessDenied, requireAccess } from '../../platform/access/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { dateInCopenhagen } from '../../platform/dates.ts';
import { Conflict, Forbidden } from '../../platform/errors.ts';
import { inTransaction } from '../../platform/transaction.ts';
import type { CodeList } from './code-book.ts';
import type { CitizenDeps } from './citizens.service.ts';
import * as repo from './citizens.repository.ts';

function toContract(r: Selectable<CodeValuesTable>) {
  return {
    id: r.id,
    code: r.code,
    label: { da: r.label_da, en: r.label_en },
    validFrom: r.valid_from,
    validTo: r.valid_to,
    national: r.organisation_id === null,
    version: r.version,
  };
}

/** Values valid on a date (today by default), or all of them with their periods. Not personal data. */
export async function codeList(deps: CitizenDeps, actor: Actor, list: CodeList, query: { on?: string; includeEnded: boolean }) {
  const on = query.on ?? dateInCopenhagen();
  const rows = await deps.reference.codeRows(deps.db, actor.organisationId, actor.referenceVersion);
  return {
    items: rows
      .filter((r) => r.list === list && (query.includeEnded || (r.valid_from <= on && (r.valid_to === null || r.valid_to >= on))))
      .map(toContract),
  };
}

export async function addCodeValue(deps: CitizenDeps, actor: Actor, list: CodeList, input: z.infer<typeof CreateCodeValueRequest>) {
  return inTransaction(deps.db, async (tx) => {
    requireAccess(actor, 'codelist:manage', { type: 'code_value', organisationId: actor.organisationId }, { action: 'create', purpose: 'administration' });
    const clash = (await repo.codeValues(tx, actor.organisationId)).some((r) => r.list === list && r.code === input.code);
    if (clash) throw new Conflict('The code exists already', [{ path: 'code', message: 'taken' }]);
    const row = await repo.insertCodeValue(tx, {
      list,
      code: input.code,
      organisation_id: actor.organisationId,
      label_da: input.labelDa,
      label_en: input.labelEn,
      valid_from: input.validFrom ?? '1900-01-01',
      valid_to: input.validTo ?? null,
    });
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'create', purpose: 'administration', resourceType: 'code_value', resourceId: row.id, outcome: 'success', criteria: { list, code: input.code } });
    return toContract(row);
  });
}

export async function updateCodeValue(deps: CitizenDeps, actor: Actor, id: string, input: z.infer<typeof UpdateCodeValueRequest>) {
  return inTransaction(deps.db, async (tx) => {
    const current = await repo.codeValueById(tx, id);
    if (!current || (current.organisation_id !== null && current.organisation_id !== actor.organisationId)) {
      throw new AccessDenied({ actor, organisationId: current?.organisation_id ?? null, action: 'update', purpose: 'administration', resourceType: 'code_value', resourceId: id, outcome: 'denied', criteria: { reason: current ? 'other organisation' : 'unknown id' } });
    }
    requireAccess(actor, 'codelist:manage', { type: 'code_value', id, organisationId: actor.organisationId }, { action: 'update', purpose: 'administration' });
    if (current.organisation_id === null) {
      throw new Forbidden('National codes change by law, through a new version of Bindeled', {
        audit: { actor, organisationId: actor.organisationId, action: 'update', purpose: 'administration', resourceType: 'code_value', resourceId: id, outcome: 'denied', criteria: { reason: 'national_code' } },
      });
    }
    const row = await repo.updateCodeValue(tx, id, input.version, {
      ...(input.labelDa !== undefined ? { label_da: input.labelDa } : {}),
      ...(input.labelEn !== undefined ? { label_en: input.labelEn } : {}),
      ...(input.validTo !== undefined ? { valid_to: input.validTo } : {}),
    });
    if (!row) throw new Conflict('The code was changed in the meantime; reload and try again', [{ path: 'version', message: 'stale' }]);
    await recordAudit(tx, { actor, organisationId: actor.organisationId, action: 'update', purpose: 'administration', resourceType: 'code_value', resourceId: id, outcome: 'success', criteria: { fields: Object.keys(input).filter((k) => k !== 'version') } });
    return toContract(row);
  });
}
