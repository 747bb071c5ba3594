// The coverage rule on hand-made consents: every gap is named, and only a valid consent that names category,
// source, recipient and role covers.
import { describe, expect, it } from 'vitest';
import { consentState, coverage, type ConsentFacts, type Crossing } from './coverage.ts';

const REGION = 'r';
const MUNI = 'm';
let n = 0;
function consent(over: Partial<ConsentFacts> = {}): ConsentFacts {
  n += 1;
  return {
    id: `c${n}`,
    instrument: 'sdl_43',
    categories: ['work_considerations', 'support_needs'],
    source_organisation_id: REGION,
    recipient_organisation_id: MUNI,
    recipient_roles: ['caseworker'],
    valid_from: '2026-01-01',
    valid_to: '2026-12-31',
    withdrawn_at: null,
    withdrawn_on: null,
    superseded_at: null,
    created_at: new Date(Date.UTC(2026, 0, n)),
    ...over,
  };
}
const crossing: Crossing = { instrument: 'sdl_43', categories: ['work_considerations'], sourceOrganisationId: REGION, recipientOrganisationId: MUNI, recipientRole: 'caseworker' };
const today = '2026-06-01';

describe('consent coverage', () => {
  it('covers with a valid consent naming category, source, recipient and role', () => {
    const c = consent();
    expect(coverage([c], crossing, today)).toEqual({ covered: true, consentIds: [c.id], gaps: [] });
  });

  it.each([
    ['no_consent', [] as ConsentFacts[]],
    ['no_consent', [consent({ instrument: 'rsl_11a' })]],
    ['expired', [consent({ valid_to: '2026-05-31' })]],
    ['not_yet_valid', [consent({ valid_from: '2026-06-02' })]],
    ['withdrawn', [consent({ withdrawn_at: new Date('2026-05-01'), withdrawn_on: '2026-05-01' })]],
    ['other_category', [consent({ categories: ['crisis_plan'] })]],
    ['other_source', [consent({ source_organisation_id: 'other-region' })]],
    ['other_recipient', [consent({ recipient_organisation_id: 'other-municipality' })]],
    ['other_role', [consent({ recipient_roles: ['job_consultant'] })]],
  ])('names the gap %s', (reason, consents) => {
    const result = coverage(consents, crossing, today);
    expect(result.covered).toBe(false);
    expect(result.consentIds).toEqual([]);
    expect(result.gaps).toEqual([{ instrument: 'sdl_43', category: 'work_considerations', reason, consentId: consents[0]?.instrument === 'sdl_43' ? consents[0].id : null }]);
  });

  it('is valid on its first and last day and not the day after', () => {
    const c = consent({ valid_from: '2026-06-01', valid_to: '2026-06-01' });
    expect(consentState(c, '2026-06-01')).toBe('valid');
    expect(consentState(c, '2026-06-02')).toBe('expired');
    expect(consentState(c, '2026-05-31')).toBe('not_yet_valid');
  });

  it('ignores a replaced consent and takes the one replacing it', () => {
    const old = consent({ superseded_at: new Date('2026-03-01') });
    const replacement = consent({ categories: ['support_needs'] });
    const result = coverage([old, replacement], crossing, today);
    expect(result.covered).toBe(false);
    expect(result.gaps[0]).toMatchObject({ reason: 'other_category', consentId: replacement.id });
  });

  it('prefers a valid consent over a withdrawn one that also fits, and names each category separately', () => {
    const withdrawn = consent({ withdrawn_at: new Date('2026-02-01'), withdrawn_on: '2026-02-01' });
    const valid = consent({ categories: ['work_considerations'] });
    const result = coverage([withdrawn, valid], { ...crossing, categories: ['work_considerations', 'support_needs'] }, today);
    expect(result.consentIds).toEqual([valid.id]);
    expect(result.gaps).toEqual([{ instrument: 'sdl_43', category: 'support_needs', reason: 'withdrawn', consentId: withdrawn.id }]);
  });

  it('accepts any role of the recipient when the crossing names none', () => {
    const c = consent({ recipient_roles: ['job_consultant'] });
    expect(coverage([c], { ...crossing, recipientRole: null }, today).covered).toBe(true);
  });

  describe('a company as recipient (by CVR)', () => {
    const CVR = '12345674';
    const toCompany: Crossing = { instrument: 'sdl_43', categories: ['work_considerations'], sourceOrganisationId: REGION, recipientOrganisationId: null, recipientCompanyCvr: CVR, recipientRole: null };
    const companyConsent = (over: Partial<ConsentFacts> = {}) => consent({ recipient_organisation_id: null, recipient_company_cvr: CVR, recipient_roles: ['company'], ...over });

    it('covers with a valid consent naming that company', () => {
      const c = companyConsent();
      expect(coverage([c], toCompany, today)).toEqual({ covered: true, consentIds: [c.id], gaps: [] });
    });

    it('names another company, or an organisation, as other_recipient', () => {
      const other = companyConsent({ recipient_company_cvr: '98765432' });
      expect(coverage([other], toCompany, today).gaps).toEqual([{ instrument: 'sdl_43', category: 'work_considerations', reason: 'other_recipient', consentId: other.id }]);
      const municipal = consent();
      expect(coverage([municipal], toCompany, today).gaps[0]).toMatchObject({ reason: 'other_recipient', consentId: municipal.id });
    });

    it('never lets a company consent cover a crossing to an organisation', () => {
      const c = companyConsent();
      expect(coverage([c], { ...crossing, recipientRole: null }, today).gaps[0]).toMatchObject({ reason: 'other_recipient', consentId: c.id });
    });
  });
});
