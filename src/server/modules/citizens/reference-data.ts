// The reference data the citizen routes read on nearly every request — the code lists an organisation sees and
// which programmes let their consultants see all citizens — held in memory per reference version (see
// platform/reference-cache.ts). One instance per application; nothing personal is held here.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { CodeValuesTable, Database } from '../../db/schema.ts';
import { VersionedCache } from '../../platform/reference-cache.ts';
import { CodeBook } from './code-book.ts';
import * as repo from './citizens.repository.ts';

type Q = Kysely<Database> | Transaction<Database>;

interface Codes {
  rows: Selectable<CodeValuesTable>[];
  book: CodeBook;
}

export class ReferenceData {
  private readonly codes = new VersionedCache<Codes>();
  private readonly programmes = new VersionedCache<ReadonlySet<string>>(1);

  private codesOf(db: Q, organisationId: string, version: number | undefined): Promise<Codes> {
    return this.codes.get(organisationId, version, async () => {
      const rows = await repo.codeValues(db, organisationId);
      return { rows, book: new CodeBook(rows) };
    });
  }

  /** The code lists as the organisation sees them (national values and its own), with labels and periods. */
  async codeRows(db: Q, organisationId: string, version: number | undefined): Promise<Selectable<CodeValuesTable>[]> {
    return (await this.codesOf(db, organisationId, version)).rows;
  }

  async codeBook(db: Q, organisationId: string, version: number | undefined): Promise<CodeBook> {
    return (await this.codesOf(db, organisationId, version)).book;
  }

  /** Ids of the programmes whose resource consultants see every enrolled citizen. */
  consultantsSeeAll(db: Q, version: number | undefined): Promise<ReadonlySet<string>> {
    return this.programmes.get('all', version, async () => new Set(await repo.programmesWhereConsultantsSeeAll(db)));
  }
}
