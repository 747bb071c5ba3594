// Kysely's view of the tables; kept in step with the migrations by hand and checked by the tests.
import type { ColumnType, Generated, GeneratedAlways } from 'kysely';

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
  /** Whether staff may subscribe to their own iCalendar feed. */
  calendar_feed_enabled: Generated<boolean>;
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
  acute_procedure_da: Generated<string>;
  acute_procedure_en: Generated<string>;
  consent_max_months: Generated<number>;
  /** Whether the programme shows notes to its citizens in the portal (migration 0031). */
  show_notes_to_citizen: Generated<boolean>;
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
  spent_oere: number | null;
  spent_recorded_by: string | null;
  spent_recorded_at: Timestamp | null;
}

export interface ProgrammeEvaluationsTable {
  id: Generated<string>;
  programme_id: string;
  label: string;
  reported_on: DateOnly;
  citizens: number;
  job_percent: string | null;
  education_percent: string | null;
  internship_percent: string | null;
  created_at: Generated<Timestamp>;
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
  programme_evaluations: ProgrammeEvaluationsTable;
  dashboard_activity_days: DashboardActivityDaysTable;
  dashboard_support_days: DashboardSupportDaysTable;
  dashboard_activity_counts: DashboardActivityCountsTable;
  dashboard_enrolment_days: DashboardEnrolmentDaysTable;
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
  plans: PlansTable;
  plan_participants: PlanParticipantsTable;
  network_meetings: NetworkMeetingsTable;
  meeting_participants: MeetingParticipantsTable;
  plan_goals: PlanGoalsTable;
  plan_tasks: PlanTasksTable;
  plan_revisions: PlanRevisionsTable;
  plan_task_comments: PlanTaskCommentsTable;
  conversations: ConversationsTable;
  group_courses: GroupCoursesTable;
  group_course_leaders: GroupCourseLeadersTable;
  group_sessions: GroupSessionsTable;
  group_participants: GroupParticipantsTable;
  group_attendance: GroupAttendanceTable;
  companies: CompaniesTable;
  company_contacts: CompanyContactsTable;
  company_meetings: CompanyMeetingsTable;
  internships: InternshipsTable;
  internship_weeks: InternshipWeeksTable;
  internship_follow_ups: InternshipFollowUpsTable;
  upskilling: UpskillingTable;
  calendar_feeds: CalendarFeedsTable;
  calendar_uids: CalendarUidsTable;
  instruments: InstrumentsTable;
  programme_instruments: ProgrammeInstrumentsTable;
  assessments: AssessmentsTable;
  assessment_corrections: AssessmentCorrectionsTable;
  assessment_pairs: AssessmentPairsTable;
  cohort_aggregates: CohortAggregatesTable;
  staff_tasks: StaffTasksTable;
  consent_forms: ConsentFormsTable;
  consents: ConsentsTable;
  knowledge_transfers: KnowledgeTransfersTable;
  disclosures: DisclosuresTable;
  received_disclosures: ReceivedDisclosuresTable;
  inquiries: InquiriesTable;
  inquiry_messages: InquiryMessagesTable;
  crossing_tasks: CrossingTasksTable;
  transitions: TransitionsTable;
  consultations: ConsultationsTable;
  consultation_items: ConsultationItemsTable;
  consultation_duties: ConsultationDutiesTable;
  liaison_company_meetings: LiaisonCompanyMeetingsTable;
  liaison_company_meeting_items: LiaisonCompanyMeetingItemsTable;
  portal_accounts: PortalAccountsTable;
  portal_links: PortalLinksTable;
  portal_login_codes: PortalLoginCodesTable;
  portal_sessions: PortalSessionsTable;
  portal_mitid_logins: PortalMitidLoginsTable;
  portal_outbox: PortalOutboxTable;
  portal_calendar_feeds: PortalCalendarFeedsTable;
  studies: StudiesTable;
  study_organisations: StudyOrganisationsTable;
  study_researchers: StudyResearchersTable;
  study_exports: StudyExportsTable;
  study_linkage_deliveries: StudyLinkageDeliveriesTable;
  lookup_questions: LookupQuestionsTable;
  audit_notice_deferrals: AuditNoticeDeferralsTable;
  access_requests: AccessRequestsTable;
  access_packages: AccessPackagesTable;
  access_request_advice: AccessRequestAdviceTable;
  note_portal_remarks: NotePortalRemarksTable;
  consent_preparations: ConsentPreparationsTable;
  consent_withdrawal_requests: ConsentWithdrawalRequestsTable;
  portal_reminder_settings: PortalReminderSettingsTable;
  portal_reminders: PortalRemindersTable;
  study_questionnaires: StudyQuestionnairesTable;
  study_answers: StudyAnswersTable;
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
  /** The e-mail address as the portal's code login matches it (lower case, trimmed); kept by the database. */
  contact_email: GeneratedAlways<string | null>;
  /** The phone number as the code login matches it (digits with country code, 45 added to 8 digits); kept by the database. */
  contact_phone: GeneratedAlways<string | null>;
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
  /** Shown to the citizen in the portal (migration 0031). */
  citizen_visible: Generated<boolean>;
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

// The effort itself (migration 0009): plan, meetings, conversations, group courses, companies,
// internships, upskilling and the calendar feed.

export type MinPlan = 'yes' | 'no' | 'not_relevant';
export type LifeArea = 'work' | 'education' | 'health' | 'everyday_life' | 'finances' | 'network' | 'housing';

export interface PlansTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  enrolment_id: string;
  goal_kind: 'job' | 'education' | null;
  goal_text: string | null;
  goal_target_date: DateOnly | null;
  coordinator_id: string | null;
  next_follow_up: DateOnly | null;
  revision: Generated<number>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface PlanParticipantsTable {
  id: Generated<string>;
  organisation_id: string;
  plan_id: string;
  name: string;
  role: string;
  contact: string | null;
  consent_topics: string[];
  consent_recorded_by: string;
  consent_recorded_at: Timestamp;
  created_at: Timestamp;
}

export interface NetworkMeetingsTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  plan_id: string;
  starts_at: Timestamp;
  duration_minutes: number;
  place: 'office' | 'citizen_home' | 'jobcentre' | 'psychiatry' | 'company' | 'video' | 'other';
  place_text: string | null;
  status: 'planned' | 'held' | 'cancelled';
  minutes: string | null;
  booked_from: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface MeetingParticipantsTable {
  meeting_id: string;
  position: number;
  kind: 'citizen' | 'staff' | 'outside';
  user_id: string | null;
  plan_participant_id: string | null;
  role: string | null;
}

export interface PlanGoalsTable {
  id: Generated<string>;
  organisation_id: string;
  plan_id: string;
  life_area: LifeArea;
  text: string;
  target_date: DateOnly | null;
  status: 'active' | 'achieved' | 'changed' | 'dropped';
  position: Generated<number>;
  set_in_meeting: string | null;
  changed_in_meeting: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface PlanTasksTable {
  id: Generated<string>;
  organisation_id: string;
  plan_id: string;
  goal_id: string | null;
  title: string;
  owner_kind: 'citizen' | 'staff' | 'outside';
  owner_user_id: string | null;
  owner_participant_id: string | null;
  due_date: DateOnly | null;
  status: 'open' | 'done' | 'cancelled';
  min_plan_offer_kind: 'internship' | 'upskilling' | 'group_course' | null;
  min_plan_offer_id: string | null;
  created_in_meeting: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  completed_at: Date | null;
  version: Generated<number>;
  /** The portal account that marked the task done (migration 0024); null for staff changes. */
  completed_by_account: Generated<string | null>;
}

/** A comment on a plan task (migration 0024): the citizen's from the portal, or a staff member's. */
export interface PlanTaskCommentsTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  plan_id: string;
  task_id: string;
  author_kind: 'citizen' | 'staff';
  author_user_id: string | null;
  author_account_id: string | null;
  text: string;
  created_at: Timestamp;
}

/** The citizen's own iCalendar feed (migration 0024): the token's hash only. */
export interface PortalCalendarFeedsTable {
  account_id: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Date;
  revoked_at: Date | null;
}

export interface PlanRevisionsTable {
  plan_id: string;
  revision: number;
  organisation_id: string;
  changed_by: string;
  changed_at: Timestamp;
  meeting_id: string | null;
  summary: ColumnType<unknown, string, string>;
  snapshot: ColumnType<unknown, string, string>;
}

export interface ConversationsTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  starts_at: Timestamp;
  duration_minutes: number;
  place: 'walk_and_talk' | 'conversation_room' | 'library' | 'drop_in_centre' | 'citizen_home' | 'phone_video' | 'other';
  place_text: string | null;
  status: 'planned' | 'held' | 'no_show' | 'cancelled';
  staff_ids: string[];
  themes: ColumnType<string[], string[] | undefined, string[]>;
  note: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface GroupCoursesTable {
  id: Generated<string>;
  organisation_id: string;
  programme_id: string;
  title: string;
  description: string | null;
  topics: ColumnType<string[], string[] | undefined, string[]>;
  capacity: number;
  location: string | null;
  min_plan: ColumnType<MinPlan, MinPlan | undefined, MinPlan>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface GroupCourseLeadersTable {
  course_id: string;
  user_id: string;
}

export interface GroupSessionsTable {
  id: Generated<string>;
  organisation_id: string;
  course_id: string;
  number: number;
  starts_at: Timestamp;
  duration_minutes: number;
  status: Generated<'planned' | 'cancelled'>;
  version: Generated<number>;
}

export interface GroupParticipantsTable {
  course_id: string;
  citizen_id: string;
  organisation_id: string;
  added_by: string;
  added_at: Timestamp;
  left_at: Date | null;
  /** This place registered in the citizen's Min Plan; starts as the course's setting. */
  min_plan: Generated<MinPlan>;
  version: Generated<number>;
}

export interface GroupAttendanceTable {
  session_id: string;
  citizen_id: string;
  organisation_id: string;
  status: 'attended' | 'excused' | 'absent';
  recorded_by: string;
  recorded_at: Timestamp;
}

export interface CompaniesTable {
  id: Generated<string>;
  organisation_id: string;
  cvr: string;
  name: string;
  search_name: string;
  address: string | null;
  industry: string | null;
  is_fictitious: Generated<boolean>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface CompanyContactsTable {
  id: Generated<string>;
  organisation_id: string;
  company_id: string;
  name: string;
  role: string | null;
  phone: string | null;
  email: string | null;
  created_at: Timestamp;
}

export interface CompanyMeetingsTable {
  id: Generated<string>;
  organisation_id: string;
  company_id: string;
  held_on: DateOnly;
  staff_ids: string[];
  purpose: string;
  outcome: string | null;
  created_by: string;
  created_at: Timestamp;
}

export interface InternshipsTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  company_id: string;
  contact_id: string | null;
  purpose: 'gradual_return' | 'trial_before_hiring' | 'other';
  purpose_text: string | null;
  from_date: DateOnly;
  to_date: DateOnly;
  planned_weekly_hours: number;
  min_plan: ColumnType<MinPlan, MinPlan | undefined, MinPlan>;
  outcome: 'hired' | 'extended' | 'ended_as_planned' | 'ended_early' | null;
  outcome_reason: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface InternshipWeeksTable {
  internship_id: string;
  week_start: DateOnly;
  hours: number;
  organisation_id: string;
  recorded_by: string;
  recorded_at: Timestamp;
}

export interface InternshipFollowUpsTable {
  id: Generated<string>;
  organisation_id: string;
  internship_id: string;
  held_on: DateOnly;
  note: string;
  created_by: string;
  created_at: Timestamp;
}

export interface UpskillingTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  kind: 'course' | 'certificate' | 'education';
  title: string;
  provider: string;
  from_date: DateOnly;
  to_date: DateOnly | null;
  status: 'planned' | 'ongoing' | 'completed' | 'dropped';
  outcome: string | null;
  goal_id: string | null;
  min_plan: ColumnType<MinPlan, MinPlan | undefined, MinPlan>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface CalendarFeedsTable {
  user_id: string;
  organisation_id: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Date | null;
}

export interface CalendarUidsTable {
  ref_id: string;
  uid: Generated<string>;
}

type Json<T> = ColumnType<T, string, string>;

export interface InstrumentsTable {
  id: Generated<string>;
  organisation_id: string | null;
  code: string;
  version: number;
  status: 'inactive' | 'active' | 'retired';
  source: 'builtin' | 'json' | 'redcap';
  definition: Json<unknown>;
  definition_hash: string;
  licence: string;
  data_categories: string[];
  health_data: boolean;
  created_by: string | null;
  created_at: Generated<Date>;
  approved_by: string | null;
  approved_at: Date | null;
  approval_note: string | null;
}

export interface ProgrammeInstrumentsTable {
  programme_id: string;
  instrument_code: string;
  organisation_id: string;
  at_enrolment: Generated<boolean>;
  every_months: number | null;
  window_days: Generated<number>;
  at_exit: Generated<boolean>;
  position: Generated<number>;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export type AssessmentOccasion = 'baseline' | 'follow_up' | 'exit' | 'extra';

export interface AssessmentsTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  enrolment_id: string;
  programme_id: string;
  instrument_id: string;
  instrument_code: string;
  occasion: AssessmentOccasion;
  status: 'draft' | 'submitted';
  answers: Json<Record<string, number>>;
  raw: number | null;
  scaled: number | null;
  band: string | null;
  subscales: ColumnType<Record<string, { raw: number; scaled: number | null }> | null, string | null, string | null>;
  alerts: Generated<string[]>;
  answered_at: Timestamp;
  answered_with: 'with_citizen' | 'staff_only' | 'citizen_portal';
  /** The staff author; null when the citizen answered in the portal (answered_by_account). */
  created_by: string | null;
  /** The portal account that answered (migration 0029); null for staff answers. */
  answered_by_account: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

export interface AssessmentCorrectionsTable {
  id: Generated<string>;
  organisation_id: string;
  assessment_id: string;
  reason: string;
  previous_answers: Json<Record<string, number>>;
  previous_raw: number | null;
  previous_scaled: number | null;
  previous_band: string | null;
  corrected_by: string;
  corrected_at: Generated<Date>;
}

export interface AssessmentPairsTable {
  enrolment_id: string;
  instrument_code: string;
  organisation_id: string;
  programme_id: string;
  citizen_id: string;
  measurements: number;
  baseline_id: string;
  baseline_at: Timestamp;
  baseline_value: number | null;
  baseline_band: string | null;
  latest_id: string;
  latest_at: Timestamp;
  latest_value: number | null;
  latest_band: string | null;
  benefit_code: string | null;
  consultant_id: string | null;
  /** 1 improved, -1 worsened, 0 neither (migration 0012). */
  movement: ColumnType<number, number | undefined, number>;
}

/** The cohort view's sums per programme, instrument and grouping, kept by the pair table's triggers (0012). */
export interface CohortAggregatesTable {
  programme_id: string;
  instrument_code: string;
  dim: 'all' | 'baseline' | 'latest' | 'group' | 'consultant';
  key: string;
  measured: number;
  pairs: number;
  n_baseline: number;
  sum_baseline: string;
  n_latest: number;
  sum_latest: string;
  n_change: number;
  sum_change: string;
  sum_change_sq: string;
  improved: number;
  worsened: number;
}

export interface StaffTasksTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  enrolment_id: string;
  programme_id: string;
  kind: 'alert' | 'measurement_due';
  rule: string;
  instrument_code: string;
  text_da: string;
  text_en: string;
  assessment_id: string | null;
  due_date: DateOnly | null;
  window_end: DateOnly | null;
  status: 'open' | 'done' | 'cancelled';
  created_at: Generated<Date>;
  closed_at: Date | null;
  closed_by: string | null;
  close_note: string | null;
  version: Generated<number>;
}

// Information across two data controllers (migration 0013).

export type ConsentInstrument = 'sdl_43' | 'rsl_11a' | 'fvl_28';
export type GivenHow = 'written' | 'oral' | 'portal';

export interface ConsentFormsTable {
  id: Generated<string>;
  instrument: ConsentInstrument;
  version: number;
  title_da: string;
  title_en: string;
  text_da: string;
  text_en: string;
  consequence_da: string;
  consequence_en: string;
  created_at: Generated<Date>;
}

export interface ConsentsTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  person_hash: string;
  instrument: ConsentInstrument;
  categories: string[];
  source_organisation_id: string;
  source_unit: string | null;
  /** Null when the consent names a company instead (sdl_43 only). */
  recipient_organisation_id: string | null;
  recipient_company_cvr: string | null;
  recipient_company_name: string | null;
  recipient_unit: string | null;
  recipient_roles: string[];
  programme_id: string;
  purpose: string;
  case_reference: string | null;
  given_on: DateOnly;
  valid_from: DateOnly;
  valid_to: DateOnly;
  given_by: 'citizen' | 'guardian' | 'power_of_attorney';
  given_by_name: string | null;
  capacity_note: string | null;
  given_how: GivenHow;
  oral_reason: string | null;
  witness: string | null;
  form_id: string;
  copy_given: Generated<boolean>;
  replaces_id: string | null;
  superseded_at: Date | null;
  superseded_by: string | null;
  withdrawn_at: Date | null;
  withdrawn_on: DateOnly | null;
  withdrawn_how: GivenHow | null;
  withdrawn_recorded_by: string | null;
  withdrawal_note: string | null;
  /** The receipt of a withdrawal the citizen made in the portal (migration 0023); null otherwise. */
  withdrawal_receipt_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The preparation the citizen confirmed in the portal, and the MitID transaction they confirmed it with (migration 0031). */
  preparation_id: ColumnType<string | null, string | null | undefined, string | null>;
  mitid_transaction_id: ColumnType<string | null, string | null | undefined, string | null>;
  mitid_sid: ColumnType<string | null, string | null | undefined, string | null>;
  mitid_auth_time: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_by: string;
  created_at: Generated<Date>;
}

export interface KnowledgeTransfersTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  version: number;
  source_team: string;
  written_on: DateOnly;
  answers: ColumnType<KnowledgeTransferAnswer[], string, string>;
  created_by: string;
  created_at: Generated<Date>;
}

export interface KnowledgeTransferAnswer {
  question: 'offers' | 'support' | 'expectations' | 'companies';
  text: string;
  category: string;
}

export type ExceptionGround = 'required_by_law' | 'vital_interest' | 'supervision';

export interface DisclosuresTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  recipient_organisation_id: string;
  recipient_citizen_id: string;
  recipient_roles: string[];
  knowledge_transfer_id: string | null;
  categories: string[];
  snapshot: ColumnType<Record<string, unknown>, string, string>;
  basis: 'consent' | 'exception';
  consent_ids: ColumnType<string[], string[] | undefined, string[]>;
  exception_ground: ExceptionGround | null;
  justification: string | null;
  notice_required: Generated<boolean>;
  patient_told_on: DateOnly | null;
  not_told_reason: string | null;
  status: 'open' | 'closed';
  closed_at: Date | null;
  decided_by: string;
  channel: 'digital' | 'oral' | 'meeting';
  disclosed_at: Generated<Date>;
}

export interface ReceivedDisclosuresTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  disclosure_id: string;
  from_organisation_id: string;
  disclosed_by_name: string;
  disclosed_at: Date;
  channel: string;
  categories: string[];
  snapshot: ColumnType<Record<string, unknown>, string, string>;
  basis: 'consent' | 'exception';
  consent_ids: string[];
  exception_ground: ExceptionGround | null;
  received_at: Generated<Date>;
}

export interface InquiriesTable {
  id: Generated<string>;
  organisation_id: string;
  recipient_organisation_id: string;
  programme_id: string;
  kind: 'named' | 'anonymous' | 'general';
  citizen_id: string | null;
  consent_ids: ColumnType<string[], string[] | undefined, string[]>;
  subject: string;
  status: 'new' | 'in_progress' | 'answered' | 'closed';
  asked_by: string;
  asked_at: Generated<Date>;
  assigned_to: string | null;
  first_answer_at: Date | null;
  closed_at: Date | null;
  version: Generated<number>;
}

export interface InquiryMessagesTable {
  id: Generated<string>;
  inquiry_id: string;
  organisation_id: string;
  author_id: string;
  body: string;
  health_information: Generated<boolean>;
  disclosure_id: string | null;
  created_at: Generated<Date>;
}

export interface CrossingTasksTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string | null;
  kind: 'journal_consent' | 'journal_withdrawal' | 'journal_oral_disclosure' | 'consent_withdrawn_notice' | 'consent_given_notice';
  consent_id: string | null;
  disclosure_id: string | null;
  company_meeting_item_id: Generated<string | null>;
  status: 'open' | 'done';
  created_at: Generated<Date>;
  done_at: Date | null;
  done_by: string | null;
}

export interface TransitionsTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  programme_id: string;
  status: 'open' | 'completed' | 'cancelled';
  opened_on: DateOnly;
  contact_made_on: DateOnly | null;
  first_meeting_booked_on: DateOnly | null;
  psychiatry_contact_name: string | null;
  psychiatry_contact_on: DateOnly | null;
  note: string | null;
  closed_on: DateOnly | null;
  created_by: string;
  updated_by: string;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

export interface ConsultationsTable {
  id: Generated<string>;
  organisation_id: string;
  programme_id: string;
  municipality_id: string;
  kind: 'network_meeting' | 'case_conference' | 'anonymous';
  held_at: Timestamp;
  place: string | null;
  participant_ids: ColumnType<string[], string[] | undefined, string[]>;
  other_participants: string | null;
  status: Generated<'open' | 'stopped_recognised'>;
  recognised_at: Timestamp | null;
  recognised_by: string | null;
  created_by: string;
  created_at: Generated<Date>;
  version: Generated<number>;
}

export interface ConsultationItemsTable {
  id: Generated<string>;
  consultation_id: string;
  organisation_id: string;
  kind: 'named' | 'anonymous';
  citizen_id: string | null;
  disclosure_id: string | null;
  description: string | null;
  advice: string;
  categories: ColumnType<string[], string[] | undefined, string[]>;
  said_to: ColumnType<string[], string[] | undefined, string[]>;
  network_meeting_id: string | null;
  created_by: string;
  created_at: Generated<Date>;
}

export interface ConsultationDutiesTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  received_disclosure_id: string;
  network_meeting_id: string | null;
  from_organisation_id: string;
  said_by_name: string;
  held_at: Timestamp;
  assigned_to: string[];
  status: Generated<'pending' | 'noted' | 'not_relevant'>;
  note_id: string | null;
  reason: string | null;
  resolved_by: string | null;
  resolved_at: Timestamp | null;
  created_at: Generated<Date>;
}

/** The region's record of a company meeting the liaison attended (the company referred to by CVR only). */
export interface LiaisonCompanyMeetingsTable {
  id: Generated<string>;
  organisation_id: string;
  programme_id: string;
  company_cvr: string;
  company_name: string;
  held_on: DateOnly;
  attendees: string;
  purpose: string;
  created_by: string;
  created_at: Generated<Date>;
}

/** What the company was told about one patient: an oral disclosure to a third party, on consent. */
export interface LiaisonCompanyMeetingItemsTable {
  id: Generated<string>;
  meeting_id: string;
  organisation_id: string;
  citizen_id: string;
  categories: string[];
  told: string;
  consent_ids: string[];
  decided_by: string;
  channel: Generated<'meeting'>;
  disclosed_at: Generated<Date>;
}

/** The citizen's portal account: the person (keyed CPR hash), not any one organisation's record. */
export interface PortalAccountsTable {
  id: Generated<string>;
  person_hash: string;
  created_at: Timestamp;
  first_login_at: Date | null;
  last_login_at: Date | null;
  version: Generated<number>;
}

/** One organisation's record of the person, opened to the portal by that organisation's invitation. */
export interface PortalLinksTable {
  account_id: string;
  organisation_id: string;
  citizen_id: string;
  first_invited_at: Date;
  invited_at: Date;
  invited_by: string;
  channel: 'email' | 'sms';
  invitations: Generated<number>;
}

export interface PortalLoginCodesTable {
  id: Generated<string>;
  contact_key: string;
  account_ids: string[];
  code_hash: string;
  created_at: Date;
  expires_at: Date;
  failed_attempts: Generated<number>;
  used_at: Date | null;
}

export interface PortalSessionsTable {
  id_hash: string;
  account_id: string;
  assurance: 'low' | 'substantial';
  csrf_token: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  login_method: Generated<'one_time_code' | 'mitid'>;
  /** The MitID transaction's identifiers (the id token's sid, transaction id and auth_time); null for a one-time code login. */
  mitid_sid: string | null;
  mitid_transaction_id: string | null;
  mitid_auth_time: Date | null;
  /** The broker's id token, encrypted, for its logout (migration 0032); null for a one-time code login. */
  mitid_id_token: string | null;
}

/** A MitID login in flight: what the callback checks, kept ten minutes and used once. */
export interface PortalMitidLoginsTable {
  state_hash: string;
  nonce: string;
  code_verifier: string;
  created_at: Date;
  expires_at: Date;
}

/** Demo mode only: the messages that would have been sent. */
export interface PortalOutboxTable {
  seq: Generated<number>;
  created_at: Timestamp;
  channel: 'email' | 'sms';
  recipient: string;
  subject: string | null;
  body: string;
  /** The neutral sender name a reminder goes out with (migration 0032). */
  sender: Generated<string | null>;
}

/** A research agreement (migration 0028). */
export interface StudiesTable {
  id: Generated<string>;
  programme_id: string;
  organisation_id: string;
  title: string;
  partner_name: string;
  partner_role: 'controller' | 'processor';
  dpa_reference: string | null;
  legal_basis: string[];
  third_country: boolean;
  biological_material: boolean;
  journal_publication: boolean;
  permission_reference: string | null;
  purpose: string;
  starts_on: DateOnly;
  ends_on: DateOnly;
  variables: string[];
  date_precision: 'month' | 'shifted';
  dpia_reference: string;
  status: Generated<'awaiting_approval' | 'approved'>;
  approved_at: Date | null;
  created_by: string;
  created_at: Generated<Date>;
  /** Register linkage through Danmarks Statistik (migration 0038), with the DST agreement's reference. */
  register_linkage: Generated<boolean>;
  dst_reference: string | null;
  /** The partner's confirmation at the study's end (migration 0038). */
  end_confirmation: 'deleted' | 'archived' | null;
  archive_reference: string | null;
  end_confirmed_by: string | null;
  end_confirmed_at: Date | null;
}

export interface StudyOrganisationsTable {
  study_id: string;
  organisation_id: string;
  dpo_advice: string | null;
  dpo_advised_by: string | null;
  dpo_advised_at: Date | null;
  approved_by: string | null;
  approved_at: Date | null;
}

export interface StudyResearchersTable {
  study_id: string;
  user_id: string;
  added_by: string;
  added_at: Generated<Date>;
}

export type StudyExportStatus = 'queued' | 'running' | 'scanning' | 'ready' | 'blocked';

/** A research export of a study (migration 0034); the package is a zip on disk, never in the database. */
export interface StudyExportsTable {
  id: Generated<string>;
  study_id: string;
  requested_by: string;
  requested_at: Generated<Date>;
  format: 'csv' | 'redcap';
  variables: string[];
  status: Generated<StudyExportStatus>;
  progress: Generated<number>;
  row_counts: ColumnType<Record<string, number>, string | undefined, string>;
  anonymisation: ColumnType<ExportAnonymisation | null, string | null | undefined, string | null>;
  blocked: ColumnType<ExportBlocked | null, string | null | undefined, string | null>;
  finished_at: Date | null;
  expires_at: Date | null;
  deleted_at: Date | null;
  size_bytes: ColumnType<string | null, number | null | undefined, number | null>;
}

export interface ExportAnonymisation {
  k: number;
  level: number;
  generalised: string[];
  suppressedRecords: number;
}

/** A register-linkage delivery to Danmarks Statistik (migration 0038); the package is a zip on disk, never in the database. */
export interface StudyLinkageDeliveriesTable {
  id: Generated<string>;
  study_id: string;
  organisation_id: string;
  requested_by: string;
  requested_at: Generated<Date>;
  variables: string[];
  status: Generated<'queued' | 'running' | 'ready' | 'failed'>;
  progress: Generated<number>;
  row_counts: ColumnType<Record<string, number>, string | undefined, string>;
  failure: 'study_ended' | 'not_approved' | null;
  finished_at: Date | null;
  expires_at: Date | null;
  deleted_at: Date | null;
  size_bytes: ColumnType<string | null, number | null | undefined, number | null>;
}

export interface ExportBlocked {
  reason: 'identifier_found' | 'k_anonymity' | 'study_ended';
  kind: string | null;
  file: string | null;
  variable: string | null;
}

/** A citizen's question "who made this look-up?" about one entry of their access log; the organisation's dpo answers. */
export interface LookupQuestionsTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  account_id: string;
  audit_seq: ColumnType<number, number, never>;
  asked_at: Generated<Date>;
  message: string | null;
  answer: string | null;
  answered_at: Date | null;
  answered_by: string | null;
}

/** A lawfully deferred notice: the audit row stays; the citizen's log leaves it out until the deferral is lifted. */
export interface AuditNoticeDeferralsTable {
  id: Generated<string>;
  audit_seq: ColumnType<number, number, never>;
  organisation_id: string;
  citizen_id: string;
  ground: 'sdl_43_4' | 'dbl_22';
  reason: string;
  deferred_by: string;
  deferred_at: Generated<Date>;
  lifted_at: Date | null;
  lifted_by: string | null;
  /** The day the notice is given at the latest (migration 0032); null: until lifted. */
  until: DateOnly | null;
}

/** The citizen's opt-in to reminders (migration 0032); no row: none. */
export interface PortalReminderSettingsTable {
  account_id: string;
  channel: 'email' | 'sms';
  appointment: boolean;
  task: boolean;
  questionnaire: boolean;
  updated_at: Generated<Date>;
}

/** A reminder made by the due job and sent (or skipped) by the send job (migration 0032). */
export interface PortalRemindersTable {
  id: Generated<string>;
  account_id: string;
  kind: 'appointment' | 'task' | 'questionnaire';
  subject_key: string;
  created_at: Generated<Date>;
  attempts: Generated<number>;
  channel: 'email' | 'sms' | null;
  sent_at: Date | null;
  skipped: 'opted_out' | 'no_contact' | 'passed' | null;
}

/** One organisation's case of a citizen's access request (migration 0030). */
export interface AccessRequestsTable {
  id: Generated<string>;
  request_group_id: string;
  organisation_id: string;
  citizen_id: string;
  account_id: string;
  request_text: string | null;
  received_at: Generated<Date>;
  received_on: DateOnly;
  first_deadline: DateOnly;
  deadline: DateOnly;
  extension_reason: string | null;
  extension_noticed_at: Date | null;
  interim_reason: string | null;
  interim_expected_on: DateOnly | null;
  interim_noticed_at: Date | null;
  interim_noticed_by: string | null;
  redactions: ColumnType<string[], string | undefined, string>;
  withheld: ColumnType<{ table: string; id: string; personalData: string }[], string | undefined, string>;
  package_state: Generated<'none' | 'queued' | 'running' | 'done' | 'failed'>;
  package_progress: Generated<number>;
  package_job_id: string | null;
  package_generated_at: Date | null;
  decision: 'full' | 'partial' | 'refused' | null;
  decision_reasons: string | null;
  complaint_guidance: string | null;
  decided_at: Date | null;
  decided_by: string | null;
  released_at: Date | null;
  released_by: string | null;
  version: Generated<number>;
  /** Other people's names and CPR numbers found in the package's free text, with the caseworker's choice (migration 0036). */
  text_hits: ColumnType<
    { key: string; section: string; title: string; rowId: string; column: string; kind: 'name' | 'cpr'; excerpt: string; resolution: 'redact' | 'keep' | null }[],
    string | undefined,
    string
  >;
}

/** The dpo's advice on an access case (migration 0036). */
export interface AccessRequestAdviceTable {
  id: Generated<string>;
  request_id: string;
  author_id: string;
  body: string;
  created_at: Generated<Date>;
}

/** The generated access package of a case: readable HTML and the same data as JSON. */
export interface AccessPackagesTable {
  request_id: string;
  html: string;
  json: ColumnType<unknown, string, string>;
  generated_at: Generated<Date>;
}

// Migration 0031: the citizen's remarks, consents prepared for confirmation, withdrawal requests.
export interface NotePortalRemarksTable {
  id: Generated<string>;
  note_id: string;
  organisation_id: string;
  citizen_id: string;
  account_id: string;
  body: string;
  created_at: Generated<Date>;
}

export interface ConsentPreparationsTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  /** The consent rows the sitting's checks produced, inserted as they are (dated) when the citizen confirms. */
  rows: ColumnType<unknown[], string, string>;
  prepared_by: string;
  created_at: Generated<Date>;
  confirmed_at: Date | null;
  confirmed_by_account: string | null;
  cancelled_at: Date | null;
}

export interface ConsentWithdrawalRequestsTable {
  id: Generated<string>;
  organisation_id: string;
  citizen_id: string;
  account_id: string;
  message: string | null;
  created_at: Generated<Date>;
  handled_at: Date | null;
  handled_by: string | null;
  outcome: 'withdrawn' | 'contacted' | null;
  withdrawn_consent_ids: ColumnType<string[], string[] | undefined, string[]>;
}

/** Enrolment starts, exits and spell boundaries per programme and day, kept by a trigger (docs/decisions/0045). */
export interface DashboardEnrolmentDaysTable {
  programme_id: string;
  day: DateOnly;
  measure: 'start' | 'exit' | 'spell';
  code: string;
  n: number;
}

export interface DashboardActivityDaysTable {
  programme_id: string;
  day: DateOnly;
  kind: 'walk_and_talk' | 'conversation' | 'group_attendance' | 'network_meeting' | 'internship' | 'upskilling';
  n: number;
}

export interface DashboardActivityCountsTable {
  programme_id: string;
  counted_through: DateOnly;
  counted_at: Date;
}

export interface DashboardSupportDaysTable {
  programme_id: string;
  start_day: DateOnly;
  weeks: number;
  eligible: number;
  self: number;
}

// Migration 0035: research-only questionnaires of a study and the citizen's answers to them (the study's controller's).
export interface StudyQuestionnairesTable {
  id: Generated<string>;
  study_id: string;
  instrument_id: string;
  instrument_code: string;
  health_data: boolean;
  added_by: string;
  added_at: Generated<Date>;
}

export interface StudyAnswersTable {
  id: Generated<string>;
  study_id: string;
  questionnaire_id: string;
  citizen_id: string;
  portal_account_id: string;
  instrument_id: string;
  instrument_code: string;
  status: 'answered' | 'declined' | 'withdrawn';
  answers: ColumnType<Record<string, number> | null, string | null, string | null>;
  raw: number | null;
  scaled: number | null;
  answered_at: Generated<Date>;
  withdrawn_at: Date | null;
}
