// HTTP route for the audit log search.
import { AuditPage, AuditQuery } from '../../../contracts/audit.ts';
import { ErrorBody } from '../../../contracts/common.ts';
import { requireSession, type AppDeps, type TypedApp } from '../http.ts';
import { searchAuditLog } from './audit.service.ts';

export function auditRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: "Search the own organisation's audit log, newest first (data-protection officer only)",
        querystring: AuditQuery,
        response: { 200: AuditPage, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => searchAuditLog(deps.db, requireSession(request).actor, request.query),
  );
}
