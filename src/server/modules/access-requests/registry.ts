// The registry of citizen data (issue 11, "Indsigt"): every column that holds a citizen id, in every table, has a
// rule here: included in the access package (and how), or left out with the reason. A test enumerates the
// database's citizen-id columns (information_schema) and fails for one without a rule, so a new table cannot slip
// out of (or into) the package unnoticed. Rows are found only by the citizen's own id (one organisation's record of
// the person), so another person's rows never match; children are reached through their own parent row.

export interface Child {
  /** The child table and the column that points at the parent row's `id`. */
  table: string;
  parentColumn: string;
  title: string;
}

export interface IncludeRule {
  include: true;
  /** The heading in the package (Danish: the package is the organisation's answer to a Danish citizen). */
  title: string;
  /** Rows of other tables that belong to an included row (e.g. a note's text, a plan's goals). */
  children?: Child[];
}

export interface ExcludeRule {
  include: false;
  /** Why the column's rows are not in the package. */
  reason: string;
}

export type CitizenDataRule = IncludeRule | ExcludeRule;

/** Keyed `table.column`. The order is the order of the package's sections. */
export const CITIZEN_DATA: Record<string, CitizenDataRule> = {
  'enrolments.citizen_id': { include: true, title: 'Forløb' },
  'status_periods.citizen_id': { include: true, title: 'Ydelse og status over tid' },
  'notes.citizen_id': {
    include: true,
    title: 'Notater',
    children: [{ table: 'note_revisions', parentColumn: 'note_id', title: 'Notatets tekst (alle udgaver)' }],
  },
  'plans.citizen_id': {
    include: true,
    title: 'Plan',
    children: [
      { table: 'plan_goals', parentColumn: 'plan_id', title: 'Mål' },
      { table: 'plan_tasks', parentColumn: 'plan_id', title: 'Opgaver' },
      { table: 'plan_participants', parentColumn: 'plan_id', title: 'Deltagere i planen' },
    ],
  },
  'plan_task_comments.citizen_id': { include: true, title: 'Kommentarer til opgaver' },
  'network_meetings.citizen_id': {
    include: true,
    title: 'Netværksmøder',
    children: [{ table: 'meeting_participants', parentColumn: 'meeting_id', title: 'Mødedeltagere' }],
  },
  'conversations.citizen_id': { include: true, title: 'Samtaler' },
  'group_participants.citizen_id': { include: true, title: 'Gruppeforløb (din plads; andre deltagere er altid udeladt)' },
  'group_attendance.citizen_id': { include: true, title: 'Fremmøde i gruppeforløb' },
  'internships.citizen_id': {
    include: true,
    title: 'Praktik',
    children: [
      { table: 'internship_weeks', parentColumn: 'internship_id', title: 'Timer pr. uge' },
      { table: 'internship_follow_ups', parentColumn: 'internship_id', title: 'Opfølgning' },
    ],
  },
  'upskilling.citizen_id': { include: true, title: 'Opkvalificering' },
  'assessments.citizen_id': { include: true, title: 'Målinger og spørgeskemaer' },
  'assessment_pairs.citizen_id': { include: true, title: 'Sammenhørende målinger' },
  'staff_tasks.citizen_id': { include: true, title: 'Medarbejdernes opgaver om dig' },
  'consents.citizen_id': { include: true, title: 'Samtykker' },
  'knowledge_transfers.citizen_id': { include: true, title: 'Videnoverdragelser' },
  'disclosures.citizen_id': { include: true, title: 'Videregivelser' },
  'disclosures.recipient_citizen_id': {
    include: false,
    reason: 'The disclosing organisation’s row (found by its own record in disclosures.citizen_id); the recipient’s copy is its received_disclosures row',
  },
  'received_disclosures.citizen_id': { include: true, title: 'Modtagne oplysninger' },
  'inquiries.citizen_id': { include: true, title: 'Henvendelser om dig' },
  'crossing_tasks.citizen_id': { include: true, title: 'Opgaver efter samtykker og videregivelser' },
  'transitions.citizen_id': { include: true, title: 'Overgang fra behandling' },
  'consultation_items.citizen_id': { include: true, title: 'Rådgivning om dig' },
  'consultation_duties.citizen_id': { include: true, title: 'Noter efter rådgivning' },
  'liaison_company_meeting_items.citizen_id': { include: true, title: 'Oplysninger givet til virksomheder' },
  'portal_links.citizen_id': { include: true, title: 'Invitation til Min plan' },
  'lookup_questions.citizen_id': { include: true, title: 'Dine spørgsmål om opslag' },
  'note_portal_remarks.citizen_id': { include: true, title: 'Dine bemærkninger til notater' },
  'consent_preparations.citizen_id': { include: true, title: 'Samtykker forberedt til din bekræftelse' },
  'consent_withdrawal_requests.citizen_id': { include: true, title: 'Dine ønsker om at trække samtykker tilbage' },
  'access_requests.citizen_id': { include: true, title: 'Dine anmodninger om indsigt' },
  'citizen_events.citizen_id': { include: true, title: 'Historik for dine oplysninger' },
  'study_answers.citizen_id': {
    include: false,
    reason:
      'Answers to a study’s research-only questionnaire belong to the study’s controller (the research partner), not to the municipality: it only collects them in the portal for the partner and never reads them (decision 0040); databeskyttelsesloven §22 stk. 5 lifts the right of access for data processed only for research. The citizen sees which they answered in the portal’s "Forskning" and can delete them there',
  },
  'audit_log.citizen_id': {
    include: false,
    reason: 'Who used the data is given live, from the log itself, in the portal’s "Hvem har set mine oplysninger" (deferred notices left out there by law)',
  },
  'audit_notice_deferrals.citizen_id': {
    include: false,
    reason: 'A lawfully deferred notice (sundhedsloven §43 stk. 4, databeskyttelsesloven §22) may not be told until it is lifted',
  },
};

/** Columns never shown: keys, hashes and machine copies of what is shown elsewhere in the row. */
export const HIDDEN_COLUMNS = new Set(['cpr_encrypted', 'cpr_hash', 'person_hash', 'search_name', 'contact_email', 'contact_phone', 'token_hash', 'version', 'snapshot']);

/** Columns holding a staff member's user id: the package names the person (staff names stay). */
export const STAFF_COLUMNS = new Set([
  'created_by',
  'author_id',
  'written_by',
  'recorded_by',
  'decided_by',
  'asked_by',
  'assigned_to',
  'coordinator_id',
  'changed_by',
  'owner_user_id',
  'added_by',
  'closed_by',
  'done_by',
  'resolved_by',
  'invited_by',
  'actor_id',
  'consent_recorded_by',
  'interim_noticed_by',
  'released_by',
  'answered_by',
  'user_id',
]);

/** The citizen's own record (the `citizens` row itself), first in every package. */
export const RECORD_TITLE = 'Dine stamoplysninger';

/** Columns of access_requests that are the case's machinery, not data about the citizen. */
export const ACCESS_REQUEST_MACHINERY = new Set(['redactions', 'withheld', 'text_hits', 'package_state', 'package_progress', 'package_job_id', 'package_generated_at']);

export function includedColumns(): { table: string; column: string; rule: IncludeRule }[] {
  return Object.entries(CITIZEN_DATA).flatMap(([key, rule]) => {
    const [table, column] = key.split('.') as [string, string];
    return rule.include ? [{ table, column, rule }] : [];
  });
}
