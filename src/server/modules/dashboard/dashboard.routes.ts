// HTTP routes of the steering dashboard: the figures for a period, and the spending the programme manager records
// against the budget.
import { ErrorBody } from '../../../contracts/common.ts';
import { BudgetLineParams, Dashboard, DashboardQuery, DashboardBudgetLine, RecordSpendingRequest } from '../../../contracts/dashboard.ts';
import { ProgrammeParams } from '../../../contracts/programmes.ts';
import { requireSession, type AppDeps, type TypedApp } from '../../platform/http.ts';
import { dashboard, recordSpending } from './dashboard.service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const tags = ['steering'];

export function dashboardRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    '/api/programmes/:id/dashboard',
    {
      schema: {
        tags,
        summary: "The programme's figures for a period (default: the programme's): enrolment against capacity, target groups against the plan, outcomes against the targets, activities by kind and month, self-support at 26 and 52 weeks, liaison inquiries, phases and budget",
        description:
          'Exact for the programme manager of the owning organisation; for the steering group a count below 5, a 0 % or 100 % share of a small group and any figure that would give one back is `{ "suppressed": true }`. 400 when `to` is before `from` or the period spans more than 120 months.',
        params: ProgrammeParams,
        querystring: DashboardQuery,
        response: { 200: Dashboard, ...errors },
      },
    },
    async (request) => dashboard(deps.db, requireSession(request).actor, request.params.id, request.query),
  );

  app.put(
    '/api/programmes/:id/budget-lines/:lineId/spent',
    {
      schema: {
        tags,
        summary: 'Record the spending against a budget line, in øre (the programme manager of the owning organisation); null clears it',
        params: BudgetLineParams,
        body: RecordSpendingRequest,
        response: { 200: DashboardBudgetLine, ...errors },
      },
    },
    async (request) => recordSpending(deps.db, requireSession(request).actor, request.params.id, request.params.lineId, request.body),
  );
}
