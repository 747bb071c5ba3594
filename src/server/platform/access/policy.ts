// The access policy as data: which roles may do what, in which scope. Anything not listed is denied.
import type { Role } from '../actor.ts';

/**
 * Scopes:
 * - `organisation`: an organisation-wide role (admin, dpo) in the organisation that owns the resource.
 * - `programme`: a role in the programme the resource belongs to (programme facts are not personal data,
 *   so partners from every organisation in the programme read them).
 * - `self`: the actor's own account.
 * - `programme-owner`: a role in the programme, held by staff of the organisation that owns the resource
 *   (a partner's programme manager does not steer the lead organisation's cases).
 * - `any-programme`: the role in at least one programme, within the own organisation.
 * - `citizen`: a citizen's case, reached through the actor's relation to the citizen (CITIZEN_RELATION)
 *   in a programme the citizen is enrolled in, within the organisation that owns the case.
 * - `citizen-team`: as `citizen`, but only while the actor is on the citizen's team today (member or
 *   substitute): health data the organisation collected (e.g. WHO-5 answers) is seen by the team only,
 *   whatever the programme lets its consultants see otherwise.
 */
export type Scope = 'organisation' | 'programme' | 'programme-owner' | 'self' | 'citizen' | 'citizen-team' | 'any-programme';

export interface Rule {
  roles: readonly Role[] | 'any';
  scope: Scope;
}

const PROGRAMME_MEMBERS: readonly Role[] = [
  'resource_consultant',
  'caseworker',
  'job_consultant',
  'liaison',
  'clinician',
  'programme_manager',
  'steering_group',
  'researcher',
];

const CASE_STAFF: readonly Role[] = ['resource_consultant', 'caseworker', 'job_consultant', 'liaison', 'programme_manager'];

/**
 * How a programme role reaches a citizen enrolled in that programme:
 * - `programme`: every citizen in the programme;
 * - `team`: citizens whose team the actor is on today (as a member or a substitute);
 * - `team-or-setting`: as `team`, or every citizen when the programme lets its consultants see all.
 * Roles not listed (steering group, researcher, admin, dpo) never reach case records; the clinician reaches only
 * actions that name the role (the region's own records, knowledge transfers, disclosures).
 */
export const CITIZEN_RELATION: Partial<Record<Role, 'programme' | 'team' | 'team-or-setting'>> = {
  programme_manager: 'programme',
  resource_consultant: 'team-or-setting',
  caseworker: 'team',
  job_consultant: 'team',
  liaison: 'team',
  /** The clinician reaches the region's own records of the programme's patients (the organisation check keeps them off municipal records). */
  clinician: 'programme',
};

export const POLICY = {
  'programme:read': { roles: PROGRAMME_MEMBERS, scope: 'programme' },
  'programme:configure': { roles: ['programme_manager'], scope: 'programme-owner' },
  'user:read': { roles: ['admin'], scope: 'organisation' },
  'user:create': { roles: ['admin'], scope: 'organisation' },
  'user:update': { roles: ['admin'], scope: 'organisation' },
  'user:assign-role': { roles: ['admin'], scope: 'organisation' },
  'audit:read': { roles: ['dpo'], scope: 'organisation' },
  'account:change-password': { roles: 'any', scope: 'self' },
  'citizen:read': { roles: CASE_STAFF, scope: 'citizen' },
  'citizen:update': { roles: CASE_STAFF, scope: 'citizen' },
  'citizen:reveal-cpr': { roles: CASE_STAFF, scope: 'citizen' },
  'citizen:write-case': { roles: CASE_STAFF, scope: 'citizen' },
  /** Creating a citizen or an enrolment: a case role in the programme (checked as `programme`). */
  'enrolment:create': { roles: ['resource_consultant', 'caseworker', 'job_consultant', 'programme_manager'], scope: 'programme-owner' },
  'citizen:create': { roles: ['resource_consultant', 'caseworker', 'job_consultant', 'programme_manager'], scope: 'any-programme' },
  'caseload:read': { roles: ['programme_manager'], scope: 'programme-owner' },
  'caseload:handover': { roles: ['programme_manager'], scope: 'programme-owner' },
  'codelist:manage': { roles: ['admin'], scope: 'organisation' },
  /** Companies are the organisation's own register: read by its case staff, kept by those who work with companies. */
  'company:read': { roles: ['resource_consultant', 'caseworker', 'job_consultant', 'programme_manager'], scope: 'any-programme' },
  'company:manage': { roles: ['resource_consultant', 'job_consultant', 'programme_manager'], scope: 'any-programme' },
  /** Group courses belong to a programme of the owning organisation; who sees the participants is decided by the course service (leaders only). */
  'course:read': { roles: ['resource_consultant', 'caseworker', 'job_consultant', 'liaison', 'programme_manager'], scope: 'programme' },
  'course:manage': { roles: ['resource_consultant', 'programme_manager'], scope: 'programme-owner' },
  /** The own calendar and its feed. */
  'calendar:read': { roles: 'any', scope: 'self' },
  /** Organisation settings (e.g. whether staff may subscribe to their calendar feed). */
  'organisation:configure': { roles: ['admin'], scope: 'organisation' },
  /** Progression answers are health data: the resource consultant and the caseworker on the team only. */
  'assessment:read': { roles: ['resource_consultant', 'caseworker'], scope: 'citizen-team' },
  'assessment:write': { roles: ['resource_consultant', 'caseworker'], scope: 'citizen-team' },
  /** Uploading, importing and approving the organisation's own instruments. */
  'instrument:manage': { roles: ['admin'], scope: 'organisation' },
  /** The cohort view: exact for the programme manager of the owning organisation, suppressed for the others. */
  'progression:cohort': { roles: ['programme_manager', 'steering_group', 'researcher'], scope: 'programme' },
  /** The steering dashboard (aggregates only): exact for the programme manager of the owning organisation, suppressed for the steering group. */
  'programme:dashboard': { roles: ['programme_manager', 'steering_group'], scope: 'programme' },
  /** Recording the spending against the programme's budget lines. */
  'programme:budget': { roles: ['programme_manager'], scope: 'programme-owner' },
  /** Measurements due in the programme, per consultant (figures about employees: the programme manager only). */
  'progression:due-list': { roles: ['programme_manager'], scope: 'programme-owner' },
  /** The transition from treatment: the region's checklist on its own record of the patient. */
  'transition:read': { roles: ['liaison', 'clinician'], scope: 'citizen' },
  'transition:write': { roles: ['liaison', 'clinician'], scope: 'citizen' },
  'transition:list': { roles: ['liaison', 'clinician'], scope: 'any-programme' },
  /** Consents on the own organisation's record of the person: region health professionals and municipal case staff. */
  'consent:read': { roles: ['liaison', 'clinician', 'resource_consultant', 'caseworker', 'job_consultant', 'programme_manager'], scope: 'citizen' },
  'consent:write': { roles: ['liaison', 'clinician', 'resource_consultant', 'caseworker', 'job_consultant', 'programme_manager'], scope: 'citizen' },
  /** Consent forms, consents expiring soon and the tasks crossings leave, within the own organisation's programmes. */
  'consent:overview': { roles: ['liaison', 'clinician', 'resource_consultant', 'caseworker', 'job_consultant', 'programme_manager'], scope: 'any-programme' },
  /** The shared-access door: the liaison reads another organisation's record only while a consent covers it (the hook decides). */
  'citizen:shared-read': { roles: ['liaison'], scope: 'citizen' },
  /** Knowledge transfers and disclosures: the region's health professionals, on the region's own record of the patient. */
  'knowledge-transfer:read': { roles: ['liaison', 'clinician'], scope: 'citizen' },
  'knowledge-transfer:write': { roles: ['liaison', 'clinician'], scope: 'citizen' },
  'disclosure:make': { roles: ['liaison', 'clinician'], scope: 'citizen' },
  'disclosure:read': { roles: ['liaison', 'clinician'], scope: 'citizen' },
  /** The region's dpo reviews every disclosure made under a sundhedsloven §43 stk. 2 exception. */
  'disclosure:review': { roles: ['dpo'], scope: 'organisation' },
  /** What the municipality received from psychiatry, in its own case: its case staff. */
  'health-information:read': { roles: ['resource_consultant', 'caseworker', 'job_consultant', 'programme_manager'], scope: 'citizen' },
  /** The single entry point (issue 10): municipal case staff ask the programme's psychiatry partner; the liaison answers. */
  'inquiry:ask': { roles: ['resource_consultant', 'caseworker', 'job_consultant', 'programme_manager'], scope: 'programme' },
  'inquiry:answer': { roles: ['liaison'], scope: 'programme' },
  /** Reading an inquiry: its asker or the liaison of the receiving organisation (the service checks which). */
  'inquiry:read': { roles: ['resource_consultant', 'caseworker', 'job_consultant', 'programme_manager', 'liaison'], scope: 'programme' },
  /** Oral advice and case consultations (issue 10, point 6): the liaison records them in the region's own organisation. */
  'consultation:write': { roles: ['liaison'], scope: 'programme-owner' },
  'consultation:read': { roles: ['liaison'], scope: 'programme-owner' },
  /** The municipality's note duties the oral advice leaves: its case staff (each duty further through the citizen). */
  'consultation-duty:read': { roles: ['resource_consultant', 'caseworker', 'job_consultant', 'programme_manager'], scope: 'any-programme' },
  /** Home pages: the liaison's "Henvendelser" and the clinician's "Mine patienter i forløb" (own organisation). */
  'liaison:overview': { roles: ['liaison'], scope: 'any-programme' },
  'clinician:patients': { roles: ['clinician'], scope: 'any-programme' },
  /** Company meetings the liaison attends (issue 10 point 9): the region's own record, kept by its liaison. */
  'company-meeting:record': { roles: ['liaison'], scope: 'programme' },
  'company-meeting:list': { roles: ['liaison'], scope: 'any-programme' },
  /** The citizen portal (issue 11): staff on the citizen's team invite the person to the portal from their own record. */
  'portal:invite': { roles: ['resource_consultant', 'caseworker', 'job_consultant', 'liaison'], scope: 'citizen-team' },
  /** Whether the record is invited and has been used to log in: whoever reads the record. */
  'portal:status': { roles: CASE_STAFF, scope: 'citizen' },
  /**
   * Studies (issue 12): recorded and given researchers by a programme manager of a disclosing organisation, advised
   * on by each included organisation's dpo and approved by each included organisation's programme manager. Who reads
   * a study (its parties and named researchers) the studies service decides.
   */
  'study:create': { roles: ['programme_manager'], scope: 'programme-owner' },
  'study:manage': { roles: ['programme_manager'], scope: 'programme-owner' },
  'study:advise': { roles: ['dpo'], scope: 'organisation' },
  'study:approve': { roles: ['programme_manager'], scope: 'programme-owner' },
  /** A register-linkage delivery to Danmarks Statistik (decision 0044): the disclosing organisation's programme manager. */
  'study:linkage': { roles: ['programme_manager'], scope: 'programme-owner' },
  /** Citizens' questions "who made this look-up?" (docs/decisions/0032): the dpo of the organisation whose staff made it. */
  'lookup-question:read': { roles: ['dpo'], scope: 'organisation' },
  'lookup-question:answer': { roles: ['dpo'], scope: 'organisation' },
  /** Deferring (and lifting) the citizen's notice of a use of their data (sundhedsloven §43 stk. 4, dbl §22): the dpo of the log's organisation. */
  'audit:defer-notice': { roles: ['dpo'], scope: 'organisation' },
  /**
   * Access requests (issue 11, "Indsigt"): the responsible unit (staff on the citizen's team today, in the
   * organisation that owns the record) handles the case and decides; the organisation's dpo follows the queue and
   * reads the cases to advise.
   */
  'access-request:handle': { roles: ['resource_consultant', 'caseworker', 'job_consultant', 'liaison', 'clinician'], scope: 'citizen-team' },
  'access-request:follow': { roles: ['dpo'], scope: 'organisation' },
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof POLICY;
