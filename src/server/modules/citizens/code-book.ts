// The code lists as one organisation sees them, for validating codes at the date the data is about and
// for labelling codes, also ones that have since ended.
import type { Selectable } from 'kysely';
import type { CodeRef } from '../../../contracts/common.ts';
import type { CodeValuesTable } from '../../db/schema.ts';
import { Invalid } from '../../platform/errors.ts';

export type CodeList = CodeValuesTable['list'];

export class CodeBook {
  private readonly byKey = new Map<string, Selectable<CodeValuesTable>[]>();

  constructor(rows: Selectable<CodeValuesTable>[]) {
    for (const r of rows) {
      const key = `${r.list}:${r.code}`;
      this.byKey.set(key, [...(this.byKey.get(key) ?? []), r]);
    }
  }

  /** The label of a code; an organisation's own value wins over the national one. */
  ref(list: CodeList, code: string): CodeRef {
    const rows = this.byKey.get(`${list}:${code}`) ?? [];
    const row = rows.find((r) => r.organisation_id !== null) ?? rows[0];
    return { code, label: { da: row?.label_da ?? code, en: row?.label_en ?? code } };
  }

  refOrNull(list: CodeList, code: string | null): CodeRef | null {
    return code === null ? null : this.ref(list, code);
  }

  isValid(list: CodeList, code: string, onDate: string): boolean {
    return (this.byKey.get(`${list}:${code}`) ?? []).some((r) => r.valid_from <= onDate && (r.valid_to === null || r.valid_to >= onDate));
  }

  /** Throws 400 naming the field when the code does not exist or is not valid at the date. */
  require(list: CodeList, code: string | null | undefined, onDate: string, path: string): void {
    if (code === null || code === undefined) return;
    if (!this.byKey.has(`${list}:${code}`)) throw new Invalid(`Unknown code ${code}`, [{ path, message: 'unknown_code' }]);
    if (!this.isValid(list, code, onDate)) throw new Invalid(`The code ${code} is not valid on ${onDate}`, [{ path, message: 'code_not_valid_on_date' }]);
  }
}
