// The demo data: the two seed programmes with every fact their texts give, and the demo staff accounts.
// Loaded once into an empty database in demo mode, in bulk, with fixed ids.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { hashPassword } from '../platform/auth/passwords.ts';
import type { Role } from '../platform/actor.ts';
import { ORG, PROGRAMME, userId } from './ids.ts';
import { loadDemoPlans, openDemoMinPlanReminders } from './demo-plans.ts';
import { loadDemoCitizens, loadDemoHistory } from './demo-citizens.ts';
import { loadDemoCompanies } from './demo-companies.ts';
import { loadDemoCourses } from './demo-courses.ts';
import { loadDemoProgression } from './demo-progression.ts';
import { loadDemoRegionRecords, loadDemoTransitions } from './demo-crossing.ts';
import { loadDemoConsents } from './demo-consents.ts';
import { loadDemoDisclosures } from './demo-disclosures.ts';
import { loadDemoInquiries } from './demo-inquiries.ts';
import { loadDemoConsultations } from './demo-consultations.ts';
import { loadDemoLiaisonCompanies } from './demo-liaison-companies.ts';
import { loadDemoPortal } from './demo-portal.ts';
import { loadDemoStudies } from './demo-studies.ts';
import { loadDemoLinkage } from './demo-linkage.ts';
import { loadDemoExports } from './demo-exports.ts';
import { loadDemoPortalPlans } from './demo-portal-plan.ts';
import { loadDemoPortalConsents } from './demo-portal-consents.ts';
import { loadDemoAccessRequests } from './demo-access-requests.ts';
import { loadDemoPortalQuestionnaires } from './demo-portal-questionnaires.ts';
import { loadDemoPortalRemarks } from './demo-portal-remarks.ts';
import { loadDemoPortalReminders } from './demo-portal-reminders.ts';
import { loadDemoResearch } from './demo-research.ts';
import { dateInCopenhagen } from '../platform/dates.ts';

export const DEMO_PASSWORD = 'demo';

const organisations = [
  { id: ORG.naestved, name: 'Næstved Kommune', kind: 'municipality', unit: 'Center for Handicap og Psykiatri · Jobcenter Næstved' },
  { id: ORG.regionSjaelland, name: 'Region Sjælland, Psykiatrien', kind: 'region', unit: 'Integreret Psykiatri, Psykiatriens Hus, Ringstedgade, Næstved' },
  { id: ORG.paOdense, name: 'Psykiatrisk Afdeling Odense', kind: 'region', unit: 'Region Syddanmark' },
  { id: ORG.nordfyn, name: 'Nordfyns Kommune', kind: 'municipality', unit: 'Jobcenter Nordfyn' },
  { id: ORG.vive, name: 'VIVE – Det Nationale Forsknings- og Analysecenter for Velfærd', kind: 'research', unit: null },
  { id: ORG.fond, name: 'Den A.P. Møllerske Støttefond', kind: 'foundation', unit: null },
] as const;

const programmes = [
  {
    id: PROGRAMME.paaVej,
    organisation_id: ORG.naestved,
    name: 'På vej til arbejde',
    summary_da:
      'Intensiv indsats for aktivitetsparate borgere med psykiske vanskeligheder, så de får fodfæste på arbejdsmarkedet. ' +
      'Fire ressourcekonsulenter i Integreret Psykiatri: individuelle samtaler (også walk and talk), gruppeforløb, netværksmøder, ' +
      'virksomhedspraktik og opkvalificering. VIVE står for forskningsdelen.',
    summary_en:
      'An intensive effort for citizens with mental health difficulties who are "activity-ready" in the jobcenter, to gain a foothold ' +
      'in the labour market. Four resource consultants in Integrated Psychiatry: individual conversations (also walk and talk), group ' +
      'courses, network meetings, company internships and upskilling. VIVE carries out the research.',
    starts_on: '2017-08-01',
    ends_on: '2021-07-31',
    capacity: 100,
  },
  {
    id: PROGRAMME.fremskudt,
    organisation_id: ORG.paOdense,
    name: 'Fremskudt psykiatrifagligt arbejde',
    summary_da:
      'En socialrådgiver med psykiatrifaglig viden fra Psykiatrisk Afdeling Odense er bindeled til Nordfyns Kommunes ' +
      'beskæftigelsesindsats: sikrer overgangen fra behandling, videregiver viden (med borgerens samtykke), er én indgang til ' +
      'psykiatrien, rådgiver i konkrete sager og deltager i møder med virksomheder.',
    summary_en:
      'A social worker with psychiatric expertise from the Psychiatric Department Odense links the psychiatric teams with the ' +
      "employment effort of Nordfyn Municipality: secures the transition from treatment, passes on knowledge (with the citizen's " +
      'consent), is one entry point to psychiatry, advises on concrete cases and attends meetings with companies.',
    starts_on: '2019-11-01',
    ends_on: '2020-08-31',
    capacity: 80,
  },
] as const;

const partners = [
  { programme_id: PROGRAMME.paaVej, organisation_id: ORG.naestved, role: 'lead' },
  { programme_id: PROGRAMME.paaVej, organisation_id: ORG.regionSjaelland, role: 'partner' },
  { programme_id: PROGRAMME.paaVej, organisation_id: ORG.vive, role: 'research' },
  { programme_id: PROGRAMME.paaVej, organisation_id: ORG.fond, role: 'funder' },
  { programme_id: PROGRAMME.fremskudt, organisation_id: ORG.paOdense, role: 'lead' },
  { programme_id: PROGRAMME.fremskudt, organisation_id: ORG.nordfyn, role: 'partner' },
] as const;

const phases = [
  { programme_id: PROGRAMME.paaVej, position: 1, name_da: 'Opstartsfase', name_en: 'Start-up phase', responsible: null, starts_on: '2017-08-01', ends_on: '2018-01-31' },
  { programme_id: PROGRAMME.paaVej, position: 2, name_da: 'Projektfase', name_en: 'Project phase', responsible: null, starts_on: '2018-02-01', ends_on: '2021-01-31' },
  { programme_id: PROGRAMME.paaVej, position: 3, name_da: 'Evalueringsfase', name_en: 'Evaluation phase', responsible: 'VIVE', starts_on: '2021-02-01', ends_on: '2021-07-31' },
  {
    programme_id: PROGRAMME.fremskudt,
    position: 1,
    name_da: 'Rekruttering af socialrådgiver med psykiatrifaglig baggrund',
    name_en: 'Recruiting a social worker with a psychiatric background',
    responsible: 'PA Odense',
    starts_on: '2019-09-01',
    ends_on: '2019-10-31',
  },
  {
    programme_id: PROGRAMME.fremskudt,
    position: 2,
    name_da: 'Detaljeret beskrivelse af samarbejdsstruktur og den fremskudte funktion',
    name_en: 'Detailed description of the cooperation and the liaison role',
    responsible: 'PA Odense / Nordfyns Kommune',
    starts_on: '2019-10-01',
    ends_on: '2019-11-30',
  },
  {
    programme_id: PROGRAMME.fremskudt,
    position: 3,
    name_da: 'Introduktionsforløb med fokus på at opbygge relationer til Jobcenter m.fl.',
    name_en: 'Introduction, building relations with the jobcenter and others',
    responsible: 'Nordfyns Kommune',
    starts_on: '2019-11-01',
    ends_on: '2019-12-31',
  },
  {
    programme_id: PROGRAMME.fremskudt,
    position: 4,
    name_da: 'Projektgennemførelse',
    name_en: 'Project execution',
    responsible: 'PA Odense / Nordfyns Kommune',
    starts_on: '2019-12-01',
    ends_on: '2020-09-30',
  },
  {
    programme_id: PROGRAMME.fremskudt,
    position: 5,
    name_da: 'Projektafslutning og evaluering',
    name_en: 'Project close and evaluation',
    responsible: 'PA Odense / Nordfyns Kommune',
    starts_on: '2020-10-01',
    ends_on: '2020-10-31',
  },
] as const;

const targets = [
  { programme_id: PROGRAMME.paaVej, outcome: 'job', target_percent: 20 },
  { programme_id: PROGRAMME.paaVej, outcome: 'education', target_percent: 15 },
] as const;

const targetGroups = [
  { programme_id: PROGRAMME.fremskudt, benefit_code: 'ressourceforloeb', planned_count: 10 },
  { programme_id: PROGRAMME.fremskudt, benefit_code: 'kontanthjaelp', planned_count: 10 },
  { programme_id: PROGRAMME.fremskudt, benefit_code: 'uddannelseshjaelp', planned_count: 30 },
  { programme_id: PROGRAMME.fremskudt, benefit_code: 'jobafklaringsforloeb', planned_count: 20 },
  { programme_id: PROGRAMME.fremskudt, benefit_code: 'ledighedsydelse', planned_count: 10 },
] as const;

const budgetLines = [
  {
    programme_id: PROGRAMME.paaVej,
    year: 2017,
    purpose: 'Bevilling til intensiv indsats i hele projektperioden (4 år)',
    funder: 'Den A.P. Møllerske Støttefond',
    amount_oere: 9_400_000 * 100,
  },
  {
    programme_id: PROGRAMME.fremskudt,
    year: 2019,
    purpose: 'Halvtidsstilling, socialrådgiver med fremskudt funktion i Nordfyns Kommune (ca. 2 måneder)',
    funder: 'Region Syddanmark',
    amount_oere: 40_000 * 100,
  },
  {
    programme_id: PROGRAMME.fremskudt,
    year: 2020,
    purpose: 'Halvtidsstilling, socialrådgiver med fremskudt funktion i Nordfyns Kommune (ca. 8 måneder)',
    funder: 'Region Syddanmark',
    amount_oere: 160_000 * 100,
  },
] as const;

type DemoUser = { n: number; username: string; name: string; org: string; roles: { role: Role; programme: string | null }[] };

export const DEMO_USERS: DemoUser[] = [
  { n: 1, username: 'admin', name: 'Birgitte Holm', org: ORG.naestved, roles: [{ role: 'admin', programme: null }] },
  { n: 2, username: 'dpo', name: 'Henrik Dahl', org: ORG.naestved, roles: [{ role: 'dpo', programme: null }] },
  { n: 3, username: 'regionsdpo', name: 'Marianne Kjær', org: ORG.paOdense, roles: [{ role: 'dpo', programme: null }] },
  { n: 4, username: 'rk1', name: 'Lone Madsen', org: ORG.naestved, roles: [{ role: 'resource_consultant', programme: PROGRAMME.paaVej }] },
  { n: 5, username: 'rk2', name: 'Jesper Nygaard', org: ORG.naestved, roles: [{ role: 'resource_consultant', programme: PROGRAMME.paaVej }] },
  { n: 6, username: 'rk3', name: 'Sofie Lund', org: ORG.naestved, roles: [{ role: 'resource_consultant', programme: PROGRAMME.paaVej }] },
  { n: 7, username: 'rk4', name: 'Ali Hassan', org: ORG.naestved, roles: [{ role: 'resource_consultant', programme: PROGRAMME.paaVej }] },
  { n: 8, username: 'sagsbehandler', name: 'Mette Frandsen', org: ORG.naestved, roles: [{ role: 'caseworker', programme: PROGRAMME.paaVej }] },
  { n: 9, username: 'jobkonsulent', name: 'Thomas Berg', org: ORG.naestved, roles: [{ role: 'job_consultant', programme: PROGRAMME.paaVej }] },
  { n: 10, username: 'projektleder', name: 'Karen Winther', org: ORG.naestved, roles: [{ role: 'programme_manager', programme: PROGRAMME.paaVej }] },
  { n: 11, username: 'styregruppe', name: 'Poul Eriksen', org: ORG.naestved, roles: [{ role: 'steering_group', programme: PROGRAMME.paaVej }] },
  { n: 12, username: 'forsker', name: 'Ida Bech', org: ORG.vive, roles: [{ role: 'researcher', programme: PROGRAMME.paaVej }] },
  { n: 13, username: 'liaison', name: 'Camilla Juhl', org: ORG.paOdense, roles: [{ role: 'liaison', programme: PROGRAMME.fremskudt }] },
  { n: 14, username: 'behandler', name: 'Niels Overgaard', org: ORG.paOdense, roles: [{ role: 'clinician', programme: PROGRAMME.fremskudt }] },
  { n: 15, username: 'nordfyn', name: 'Rikke Svendsen', org: ORG.nordfyn, roles: [{ role: 'caseworker', programme: PROGRAMME.fremskudt }] },
  // Fremskudt's programme manager at the lead organisation, who records its spending (number from demo block 80).
  { n: 80, username: 'regionsprojektleder', name: 'Anette Skov', org: ORG.paOdense, roles: [{ role: 'programme_manager', programme: PROGRAMME.fremskudt }] },
];

/** True when the database holds nothing yet, the only time demo data is loaded. */
export async function databaseIsEmpty(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
  return !row;
}

export interface DemoOptions {
  cprKey: string;
  /** The day the demo is anchored to (DECISION 0006); today in Copenhagen by default. */
  today?: string;
  /** Leave out the fictitious citizens (organisations, programmes and accounts only). */
  withoutCitizens?: boolean;
}

export async function loadDemoData(db: Kysely<Database>, opts: DemoOptions, onProgress: (step: string) => void = () => {}): Promise<void> {
  onProgress('hashing demo passwords');
  const hashes = await Promise.all(DEMO_USERS.map(() => hashPassword(DEMO_PASSWORD)));
  await db.transaction().execute(async (tx) => {
    onProgress('organisations and programmes');
    await tx.insertInto('organisations').values(organisations.map((o) => ({ ...o, is_demo: true, calendar_feed_enabled: o.id === ORG.naestved }))).execute();
    await tx.insertInto('programmes').values(programmes.map((p) => ({ ...p, is_demo: true }))).execute();
    await tx.insertInto('programme_partners').values([...partners]).execute();
    await tx.insertInto('programme_phases').values([...phases]).execute();
    await tx.insertInto('programme_targets').values([...targets]).execute();
    await tx.insertInto('programme_target_groups').values([...targetGroups]).execute();
    await tx.insertInto('programme_budget_lines').values([...budgetLines]).execute();
    // The steering dashboard's reference line: the mid-term evaluation's reported shares (98 citizens).
    await tx
      .insertInto('programme_evaluations')
      .values({ programme_id: PROGRAMME.paaVej, label: 'Midtvejsevaluering', reported_on: '2019-08-01', citizens: 98, job_percent: '17.0', education_percent: '10.0', internship_percent: '19.0' })
      .execute();
    onProgress('demo accounts');
    await tx
      .insertInto('users')
      .values(
        DEMO_USERS.map((u, i) => ({
          id: userId(u.n),
          organisation_id: u.org,
          username: u.username,
          name: u.name,
          password_hash: hashes[i]!,
          is_demo: true,
        })),
      )
      .execute();
    await tx
      .insertInto('user_roles')
      .values(DEMO_USERS.flatMap((u) => u.roles.map((r) => ({ user_id: userId(u.n), organisation_id: u.org, role: r.role, programme_id: r.programme }))))
      .execute();
    // The spending the programme manager recorded against "På vej"'s grant (the dashboard sets it against the budget).
    await tx
      .updateTable('programme_budget_lines')
      .set({ spent_oere: 6_120_000 * 100, spent_recorded_by: userId(10), spent_recorded_at: new Date('2020-12-31T12:00:00Z') })
      .where('programme_id', '=', PROGRAMME.paaVej)
      .execute();
    // Fremskudt's spending as its programme manager recorded it at each year's end: the social worker started a month
    // later than planned in 2019 (recruitment ran into November), so the year was under budget; in 2020 the function
    // took more hours than the half-time post (the company meetings and the inquiries grew), so the year went over.
    for (const [year, spentKroner] of [[2019, 21_300], [2020, 171_850]] as const) {
      await tx
        .updateTable('programme_budget_lines')
        .set({ spent_oere: spentKroner * 100, spent_recorded_by: userId(80), spent_recorded_at: new Date(`${year}-12-31T12:00:00Z`) })
        .where('programme_id', '=', PROGRAMME.fremskudt)
        .where('year', '=', year)
        .execute();
    }
    const today = opts.today ?? dateInCopenhagen();
    if (!opts.withoutCitizens) {
      onProgress('fictitious citizens with their courses');
      await loadDemoCitizens(tx, { cprKey: opts.cprKey, today });
      await loadDemoCompanies(tx, { today });
      onProgress('plans, network meetings and conversations');
      await loadDemoPlans(tx, today);
      await loadDemoCourses(tx, { today });
      onProgress('Min Plan reminders for offers not yet registered');
      await openDemoMinPlanReminders(tx);
      onProgress('progression measurements, their alerts and the measurements due');
      await loadDemoProgression(tx, today);
      onProgress("the region's records of the patients in the Nordfyn programme");
      const regionRecords = await loadDemoRegionRecords(tx);
      onProgress('consents of the Nordfyn patients in every state');
      await loadDemoConsents(tx, regionRecords, today);
      onProgress('knowledge transfers and the disclosures made of them');
      await loadDemoDisclosures(tx, today);
      onProgress('transitions from treatment');
      await loadDemoTransitions(tx, regionRecords, today);
      onProgress('the liaison\'s inquiry queue');
      await loadDemoInquiries(tx, today);
      onProgress("the liaison's oral advice at the municipality's meetings and the note duties it leaves");
      await loadDemoConsultations(tx, today);
      onProgress('company meetings the liaison attended');
      await loadDemoLiaisonCompanies(tx, regionRecords, today);
      onProgress('citizens invited to the portal (Min plan)');
      await loadDemoPortal(tx, today);
      await loadDemoPortalPlans(tx, today);
      onProgress("VIVE's approved effect study");
      await loadDemoStudies(tx, today);
      onProgress("register linkage on VIVE's study, and an ended pilot study awaiting its partner's confirmation");
      await loadDemoLinkage(tx, today);
      onProgress("the portal citizens' consents (Mine samtykker)");
      await loadDemoPortalConsents(tx, today);
      onProgress("a portal citizen's access requests (Indsigt)");
      await loadDemoAccessRequests(tx, today);
      onProgress("the portal citizens' questionnaires (Spørgeskemaer)");
      await loadDemoPortalQuestionnaires(tx, today);
      onProgress('notes shown to portal citizens, and a consent awaiting confirmation (Mine bemærkninger)');
      await loadDemoPortalRemarks(tx, today);
      onProgress("a portal citizen's reminders, and a look-up question for the dpo");
      await loadDemoPortalReminders(tx, today);
      onProgress('a research-only questionnaire on the VIVE study (Forskning)');
      await loadDemoResearch(tx, today);
      onProgress('"På vej til arbejde"\'s earlier participants, for the steering dashboard of the programme period');
      await loadDemoHistory(tx, { cprKey: opts.cprKey, today });
      onProgress("a finished export of VIVE's study (Dataudtræk)");
      await loadDemoExports(tx, { cprKey: opts.cprKey, today });
    }
    await tx
      .insertInto('app_state')
      .values({ key: 'demo_loaded', value: JSON.stringify({ at: new Date().toISOString(), anchoredTo: today }) })
      .execute();
  });
}
