// Kysely's view of the tables; kept in step with the migrations by hand and checked by the tests.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A `date` column, always read as 'YYYY-MM-DD'. */
type DateOnly = string;

export interface OrganisationsTable {
  id: Generated<string>;
  name: string;
  kind: 'municipality' | 'region' | 'research' | 'company' | 'foundation';
  unit: string | null;
  is_demo: Generated<boolean>;
  created_at: Timestamp;
}

export interface ProgrammesTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  summary_da: Generated<string>;
  summary_en: Generated<string>;
  starts_on: DateOnly;
  ends_on: DateOnly;
  capacity: number;
  caseload_ceiling: Generated<number>;
  consultants_see_all: Generated<boolean>;
  is_demo: Generated<boolean>;
  created_at: Timestamp;
  version: Generated<number>;
}

export interface ProgrammePartnersTable {
  programme_id: string;
  organisation_id: string;
  role: 'lead' | 'partner' | 'research' | 'funder';
}

export interface ProgrammePhasesTable {
  id: Generated<string>;
  programme_id: string;
  position: number;
  name_da: string;
  name_en: string;
  responsible: string | null;
  starts_on: DateOnly;
  ends_on: DateOnly;
}

export interface ProgrammeTargetsTable {
  programme_id: string;
  outcome: 'job' | 'education' | 'internship';
  target_percent: ColumnType<number, number, number>;
}

export interface ProgrammeTargetGroupsTable {
  programme_id: string;
  benefit_code: string;
  planned_count: number;
}

export interface ProgrammeBudgetLinesTable {
  id: Generated<string>;
  programme_id: string;
  year: number;
  purpose: string;
  funder: string | null;
  amount_oere: number;
}

export interface UsersTable {
  id: Generated<string>;
  organisation_id: string;
  username: string;
  name: string;
  email: string | null;
  password_hash: string;
  active: Generated<boolean>;
  is_demo: Generated<boolean>;
  failed_login_count: Generated<number>;
  failed_login_window_start: Date | null;
  locked_until: Date | null;
  password_changed_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
  /** Set when an administrator chose the password; cleared when the user changes it. */
  password_must_change: Generated<boolean>;
  /** The latest failure of the current streak; the streak ends 24 hours after it. */
  last_failed_login_at: Date | null;
}

export interface LoginThrottleTable {
  address: string;
  failures: number;
  window_start: Date;
}

export interface UserRolesTable {
  id: Generated<string>;
  user_id: string;
  organisation_id: string;
  role: string;
  programme_id: string | null;
  created_at: Timestamp;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  organisation_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Date;
}

export interface AuditLogTable {
  seq: Generated<number>;
  occurred_at: Timestamp;
  organisation_id: string | null;
  actor_user_id: string | null;
  actor_username: string | null;
  actor_organisation_id: string | null;
  actor_roles: ColumnType<string[], string[] | undefined, string[]>;
  action: string;
  purpose: string;
  resource_type: string;
  resource_id: string | null;
  citizen_id: string | null;
  outcome: 'success' | 'denied' | 'failure';
  criteria: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  chain_no: number | null;
  segment: string | null;
  prev_hash: string | null;
  hash: string | null;
}

export interface AuditCheckpointsTable {
  segment: string;
  first_chain_no: number;
  last_chain_no: number;
  row_count: number;
  prev_hash: string;
  last_hash: string;
  signature: string;
  key_id: string;
  closed_at: Timestamp;
  purged_at: Date | null;
}

export interface AuditSettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
}

export interface AuditHeadsTable {
  id: Generated<number>;
  chain_no: number;
  hash: string;
  kind: 'seal' | 'accept-break';
  reason: string | null;
  signed_at: Date;
  key_id: string;
  signature: string;
}

export interface AuditPurgesTable {
  segment: string;
  row_count: number;
  last_hash: string;
  purged_at: Date;
  /** Null on purge records made before the retention period was signed with them. */
  retention_days: number | null;
  key_id: string;
  signature: string;
}

export interface AppStateTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
}

export interface Database {
  organisations: OrganisationsTable;
  programmes: ProgrammesTable;
  programme_partners: ProgrammePartnersTable;
  programme_phases: ProgrammePhasesTable;
  programme_targets: ProgrammeTargetsTable;
  programme_target_groups: ProgrammeTargetGroupsTable;
  programme_budget_lines: ProgrammeBudgetLinesTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_settings: AuditSettingsTable;
  audit_heads: AuditHeadsTable;
  audit_purges: AuditPurgesTable;
  app_state: AppStateTable;
  code_values: CodeValuesTable;
  citizens: CitizensTable;
  enrolments: EnrolmentsTable;
  team_members: TeamMembersTable;
  status_periods: StatusPeriodsTable;
  notes: NotesTable;
  note_revisions: NoteRevisionsTable;
  citizen_events: CitizenEventsTable;
  reference_version: ReferenceVersionTable;
}

/** One row: raised by a trigger whenever code lists or programmes change (the reference-data cache's key). */
export interface ReferenceVersionTable {
  id: Generated<number>;
  version: Generated<number>;
}

export interface CodeValuesTable {
  id: Generated<string>;
  list: 'visitation' | 'benefit' | 'exit_outcome' | 'referral_source';
  code: string;
  organisation_id: string | null;
  label_da: string;
  label_en: string;
  valid_from: ColumnType<string, string | undefined, string>;
  valid_to: string | null;
  position: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface CitizensTable {
  id: Generated<string>;
  organisation_id: string;
  cpr_encrypted: string;
  cpr_hash: string;
  birth_date: string;
  cpr_is_replacement: Generated<boolean>;
  first_name: string;
  last_name: string;
  search_name: string;
  phone: string | null;
  email: string | null;
  address: string | null;
  preferred_contact: string | null;
  note: string | null;
  is_demo: Generated<boolean>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export type EnrolmentStatus = 'referred' | 'active' | 'paused' | 'ended';

export interface EnrolmentsTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  programme_id: string;
  referral_source: string | null;
  referral_date: string | null;
  referral_reason: string | null;
  visitation_code: string | null;
  benefit_code: string;
  start_date: string;
  status: EnrolmentStatus;
  end_date: string | null;
  exit_outcome: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export type TeamRole = 'resource_consultant' | 'caseworker' | 'job_consultant' | 'liaison';

export interface TeamMembersTable {
  id: Generated<string>;
  organisation_id: string;
  enrolment_id: string;
  user_id: string;
  role: TeamRole;
  kind: Generated<'permanent' | 'substitute'>;
  substitute_for: string | null;
  valid_from: string;
  valid_to: string | null;
  created_by: string;
  created_at: Timestamp;
}

export interface StatusPeriodsTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  benefit_code: string;
  activity: 'ordinary_job' | 'wage_subsidy' | 'fleksjob' | 'internship' | 'education' | null;
  weekly_hours: number | null;
  from_date: string;
  to_date: string | null;
  note: string | null;
  created_by: string;
  created_at: Timestamp;
}

export interface NotesTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  kind: 'journal' | 'external_assessment' | 'citizen_remark';
  remark_on: string | null;
  sensitivity: Generated<'normal' | 'sensitive'>;
  source: string | null;
  author_id: string;
  created_at: Timestamp;
  revision: Generated<number>;
  version: Generated<number>;
}

export interface NoteRevisionsTable {
  note_id: string;
  revision: number;
  body: string;
  reason: string | null;
  written_by: string;
  written_at: Timestamp;
}

export interface CitizenEventsTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  occurred_at: Timestamp;
  kind: string;
  ref_id: string | null;
  actor_id: string | null;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
}
