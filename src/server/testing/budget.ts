// Shared shape of the query-budget table (src/server/query-budget.test.ts). Each activity module keeps its
// own rows in `<module>.budget.ts`, so modules add routes without editing each other's rows.
import type { InjectOptions } from 'fastify';
import type { InjectResponse, Session, TestContext } from './harness.ts';

export type Send = () => Promise<InjectResponse>;

export type BudgetCase = {
  /** The operation as the OpenAPI document names it: method and path template. */
  operation: string;
  /** Which kind of request, when an operation has more than one case. */
  variant?: string;
  /** The user who sends it (null: nobody logged in). */
  user: string | null;
  budget: number;
  /** How many of the counted statements write an audit row (in the request's transaction). */
  audit: number;
  /**
   * Prepares one valid request and returns the function that sends it. Preparing is not counted: it reads
   * the version a change must send, creates what the request acts on, or logs in a session of its own.
   */
  prepare: () => Promise<Send>;
  /** The status a valid request answers, when it is not a 2xx (the MitID login's redirects: 302). */
  status?: number;
  /** With `status` 302: where the redirect must go (e.g. /portal, not /portal?login=failed). */
  location?: string;
};

/** What the budget table's set-up provides; filled in `beforeAll`, read when a case runs. */
export interface BudgetContext {
  t: TestContext;
  /** Logged-in demo users by username (rk1, rk3, admin, dpo, projektleder, jobkonsulent, sagsbehandler). */
  as: Record<string, Session>;
  /** A demo citizen on rk1's caseload that the core cases only read. */
  readCitizenId: string;
  /** Creates a new citizen of rk1's own, enrolled in "På vej til arbejde" with rk1 on the team. */
  newCitizen(): Promise<{ id: string; enrolmentId: string }>;
}

export const sendAs = (ctx: BudgetContext, user: string, opts: InjectOptions) => async () => () => ctx.as[user]!.request(opts);
