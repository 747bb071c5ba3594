// Liveness and readiness: 503 until migrations and demo data are done.
import { z } from 'zod';
import type { AppDeps, TypedApp } from '../../platform/http.ts';

const Health = z.object({
  status: z.enum(['ok', 'starting', 'failed']),
  database: z.enum(['pglite', 'postgres']),
  phase: z.string(),
  /** 'halted' when audit sealing stopped because the table disagrees with its signed head. */
  audit: z.enum(['ok', 'halted']),
});

export function healthRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    '/api/health',
    { schema: { tags: ['health'], summary: 'Readiness: 200 when the database is migrated and demo data loaded', response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      const phase = deps.state.phase;
      const status = phase === 'ready' ? 'ok' : phase === 'failed' ? 'failed' : 'starting';
      return reply.code(phase === 'ready' ? 200 : 503).send({ status, database: deps.engine, phase, audit: deps.state.audit ?? 'ok' });
    },
  );
}
