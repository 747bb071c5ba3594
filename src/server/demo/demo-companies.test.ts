// The demo register and activities: a dozen fictitious companies with valid CVR numbers, internships of active
// "På vej til arbejde" citizens with weekly hours up to the load day, and some upskilling (the test template
// holds the demo data as loaded today).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidCvr } from '../../contracts/companies.ts';
import { dateInCopenhagen } from '../platform/dates.ts';
import { login, testApp, type TestContext } from '../testing/harness.ts';
import { citizenId } from './demo-citizens.ts';
import { demoCompanyId } from './demo-companies.ts';
import { ORG, PROGRAMME } from './ids.ts';

let t: TestContext;
const today = dateInCopenhagen();
const paaVejCitizens = new Set(Array.from({ length: 100 }, (_, i) => citizenId(i + 1)));

beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => {
  await t.close();
});

describe('demo companies', () => {
  it('registers twelve fictitious companies of Næstved Kommune with valid, distinct CVR numbers and fixed ids', async () => {
    const companies = await t.db.kysely.selectFrom('companies').selectAll().where('is_fictitious', '=', true).orderBy('id').execute();
    expect(companies).toHaveLength(12);
    expect(companies[0]!.id).toBe(demoCompanyId(1));
    expect(companies.every((c) => c.organisation_id === ORG.naestved && isValidCvr(c.cvr) && c.search_name === c.name.toLocaleLowerCase('da'))).toBe(true);
    expect(new Set(companies.map((c) => c.cvr)).size).toBe(12);
    const contacts = await t.db.kysely.selectFrom('company_contacts').select('company_id').execute();
    expect(new Set(contacts.map((c) => c.company_id)).size).toBe(12);
  });

  it('gives internships to active "På vej til arbejde" citizens, with Monday weeks inside the period and before this week', async () => {
    const internships = await t.db.kysely
      .selectFrom('internships as i')
      .innerJoin('enrolments as e', (j) => j.onRef('e.citizen_id', '=', 'i.citizen_id').on('e.programme_id', '=', PROGRAMME.paaVej))
      .select(['i.id', 'i.citizen_id', 'i.from_date', 'i.to_date', 'i.outcome', 'i.outcome_reason', 'e.status', 'e.start_date'])
      .execute();
    expect(internships.length).toBeGreaterThanOrEqual(10);
    for (const i of internships) {
      expect(paaVejCitizens.has(i.citizen_id)).toBe(true);
      expect(i.status).toBe('active');
      expect(i.from_date >= i.start_date).toBe(true);
      if (i.outcome === 'ended_early') expect(i.outcome_reason).toBeTruthy();
    }
    expect(internships.some((i) => i.outcome === null && i.to_date > today)).toBe(true);
    expect(internships.some((i) => i.outcome !== null)).toBe(true);
    const weeks = await t.db.kysely.selectFrom('internship_weeks as w').innerJoin('internships as i', 'i.id', 'w.internship_id').select(['w.week_start', 'w.hours', 'i.from_date', 'i.to_date']).execute();
    expect(weeks.length).toBeGreaterThan(30);
    for (const w of weeks) {
      expect(new Date(`${w.week_start}T00:00:00Z`).getUTCDay()).toBe(1);
      expect(w.week_start >= w.from_date && w.week_start <= w.to_date && w.week_start < today).toBe(true);
      expect(Number(w.hours)).toBeGreaterThan(0);
    }
    const upskilling = await t.db.kysely.selectFrom('upskilling').select(['citizen_id']).execute();
    expect(upskilling.length).toBeGreaterThanOrEqual(6);
    expect(upskilling.every((u) => paaVejCitizens.has(u.citizen_id))).toBe(true);
  });

  it('shows a demo internship\'s weeks in the citizen page figures and on the timeline', async () => {
    const latest = await t.db.kysely.selectFrom('internship_weeks as w').innerJoin('internships as i', 'i.id', 'w.internship_id').select(['i.citizen_id']).orderBy('w.week_start', 'desc').executeTakeFirstOrThrow();
    const manager = await login(t.app, 'projektleder');
    const page = (await manager.request({ method: 'GET', url: `/api/citizens/${latest.citizen_id}` })).json();
    expect(page.internshipWeeks.length).toBeGreaterThan(0);
    expect(page.selfSupport.last26.weeksWithHours).toBeGreaterThan(0);
    const timeline = (await manager.request({ method: 'GET', url: `/api/citizens/${latest.citizen_id}/timeline?kind=internship` })).json();
    expect(timeline.items.map((e: { kind: string }) => e.kind)).toContain('internship.created');
  });
});
