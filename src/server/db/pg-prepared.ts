// Named prepared statements on PostgreSQL. The application sends a fixed set of statement texts, so each
// connection parses and plans a text once (Parse under a name derived from the text) and afterwards only
// binds and executes it: one message round less of server work per statement, and no re-planning.
import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/** Per connection, at most this many named statements; texts beyond it go unnamed (parsed each time). */
export const MAX_NAMED_PER_CONNECTION = 500;

/** PostgreSQL refuses to run a prepared plan whose result columns changed under it (a column added by a migration). */
const PLAN_CHANGED = '0A000';

interface Tracked {
  /** Text → statement name on this connection. */
  names: Map<string, string>;
  /** Bumped when a text's plan was invalidated, so that the next use prepares it under a fresh name. */
  generation: number;
}

const tracked = new WeakMap<pg.PoolClient, Tracked>();

function nameFor(text: string, generation: number): string {
  return `k${generation}_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
}

function wrapClient(client: pg.PoolClient): PostgresPoolClient {
  let state = tracked.get(client);
  if (!state) {
    state = { names: new Map(), generation: 0 };
    tracked.set(client, state);
  }
  const s = state;
  const run = async (text: string, values: readonly unknown[]) => {
    // Statements without parameters (transaction control, migrations with several statements) use the
    // simple protocol, which also allows more than one statement in a text.
    if (values.length === 0) return client.query(text);
    let name = s.names.get(text);
    if (!name && s.names.size < MAX_NAMED_PER_CONNECTION) {
      name = nameFor(text, s.generation);
      s.names.set(text, name);
    }
    if (!name) return client.query(text, values as unknown[]);
    try {
      return await client.query({ name, text, values: values as unknown[] });
    } catch (error) {
      // The plan no longer fits the table (a migration from another instance): prepare it anew next time.
      // This statement has failed; inside a transaction nothing more can run, so the error stands.
      const { code, message } = error as { code?: string; message?: string };
      if (code === PLAN_CHANGED && message?.includes('cached plan must not change result type')) {
        s.generation += 1;
        s.names.delete(text);
      }
      throw error;
    }
  };
  return {
    query(text: unknown, values?: readonly unknown[]) {
      // A cursor (streaming) goes to the client as it is.
      if (typeof text !== 'string') return client.query(text as never);
      return run(text, values ?? []);
    },
    release() {
      client.release();
    },
  } as unknown as PostgresPoolClient;
}

/** A pool for Kysely's PostgreSQL dialect whose connections prepare every statement with parameters once. */
export function preparingPool(pool: pg.Pool): PostgresPool {
  return {
    async connect() {
      return wrapClient(await pool.connect());
    },
    end() {
      return pool.end();
    },
  };
}
