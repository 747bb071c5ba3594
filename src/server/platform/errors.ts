// Typed domain errors, mapped once to HTTP in the app's error handler.
import type { AuditEntry } from './audit/audit.ts';

export type FieldIssue = { path: string; message: string };

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: FieldIssue[],
  ) {
    super(message);
  }
}

export class NotFound extends DomainError {
  constructor(message = 'Not found') {
    super(404, 'not_found', message);
  }
}

export class Unauthenticated extends DomainError {
  constructor(message = 'Login required') {
    super(401, 'unauthenticated', message);
  }
}

export class Forbidden extends DomainError {
  /** The refusal's own audit row, written after the rollback; without one a generic denied row is written. */
  readonly auditAfterRollback?: AuditEntry;
  /** Why, for the generic denied row (e.g. `csrf`). */
  readonly reason?: string;

  constructor(message = 'Forbidden', opts: { audit?: AuditEntry; reason?: string } = {}) {
    super(403, 'forbidden', message);
    this.auditAfterRollback = opts.audit;
    this.reason = opts.reason;
  }
}

export class Conflict extends DomainError {
  constructor(message: string, issues?: FieldIssue[]) {
    super(409, 'conflict', message, issues);
  }
}

export class Invalid extends DomainError {
  constructor(message: string, issues?: FieldIssue[]) {
    super(400, 'invalid', message, issues);
  }
}
