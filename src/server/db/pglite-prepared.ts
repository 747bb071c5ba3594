// Named prepared statements on embedded PGlite. PGlite's own `query()` parses and plans the text anew on
// every call and crosses into the database five times (parse, describe, bind, describe, execute). Here a
// text is parsed once per database under a name, and each later call is one crossing: bind, describe the
// portal, execute, sync. Values are serialised and rows parsed by PGlite's own type handlers, so the
// results are the same as `query()` gives.
import { parse, protocol, type PGlite, type Results } from '@electric-sql/pglite';

interface Prepared {
  name: string;
  /** The parameter types the server inferred, for serialising the values. */
  paramTypes: number[];
}

type Serializer = (value: unknown) => string;
type TypeHandlers = { serializers: Record<number, Serializer | undefined>; parsers: Record<number, (value: string, typeId?: number) => unknown> };

/** SQLSTATE 0A000 with this text: a table changed under a prepared statement so that its row type differs. */
const STALE_PLAN = /cached plan must not change result type/;

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const perDatabase = new WeakMap<PGlite, PreparedStatements>();

export class PreparedStatements {
  /** The one set of statements of a database: names are per database, so every connection to it shares them. */
  static of(pg: PGlite): PreparedStatements {
    let statements = perDatabase.get(pg);
    if (!statements) {
      statements = new PreparedStatements(pg);
      perDatabase.set(pg, statements);
    }
    return statements;
  }

  /** Texts in least-recently-used order (a Map keeps insertion order; a hit moves the text to the end). */
  private readonly statements = new Map<string, Prepared>();
  private counter = 0;

  constructor(
    private readonly pg: PGlite,
    /** Statements kept at most; the least recently used one is closed when a new text comes. */
    private readonly capacity = 500,
    /** Names start with this, so that sets made for tests beside the shared one do not collide. */
    private readonly prefix = 'b',
  ) {}

  get size(): number {
    return this.statements.size;
  }

  async query<R>(text: string, values: readonly unknown[]): Promise<Results<R>> {
    try {
      return await this.run<R>(text, values);
    } catch (error) {
      if (!STALE_PLAN.test((error as Error).message ?? '')) throw error;
      // The statement no longer matches its table: forget it and prepare it again (outside a transaction
      // the retry succeeds; inside one the transaction is already aborted and the caller rolls it back).
      await this.forget(text);
      if (this.pg.isInTransaction()) throw error;
      return this.run<R>(text, values);
    }
  }

  private async run<R>(text: string, values: readonly unknown[]): Promise<Results<R>> {
    const prepared = await this.prepare(text);
    const handlers = this.pg as unknown as TypeHandlers;
    const serialised = values.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serialise = handlers.serializers[prepared.paramTypes[i]!];
      return serialise ? serialise(value) : String(value);
    });
    const message = concat([
      protocol.serialize.bind({ statement: prepared.name, values: serialised }),
      protocol.serialize.describe({ type: 'P' }),
      protocol.serialize.execute({}),
      protocol.serialize.sync(),
    ]);
    const { messages } = await this.pg.runExclusive(() => this.pg.execProtocol(message));
    return parse.parseResults(messages, handlers.parsers)[0] as Results<R>;
  }

  private async prepare(text: string): Promise<Prepared> {
    const known = this.statements.get(text);
    if (known) {
      this.statements.delete(text);
      this.statements.set(text, known);
      return known;
    }
    if (this.statements.size >= this.capacity) {
      const oldest = this.statements.keys().next().value as string;
      await this.forget(oldest);
    }
    const name = `${this.prefix}${++this.counter}`;
    const message = concat([
      protocol.serialize.parse({ name, text }),
      protocol.serialize.describe({ type: 'S', name }),
      protocol.serialize.sync(),
    ]);
    const { messages } = await this.pg.runExclusive(() => this.pg.execProtocol(message));
    const prepared = { name, paramTypes: parse.parseDescribeStatementResults(messages) };
    this.statements.set(text, prepared);
    return prepared;
  }

  private async forget(text: string): Promise<void> {
    const prepared = this.statements.get(text);
    if (!prepared) return;
    this.statements.delete(text);
    const message = concat([protocol.serialize.close({ type: 'S', name: prepared.name }), protocol.serialize.sync()]);
    await this.pg.runExclusive(() => this.pg.execProtocol(message));
  }
}
