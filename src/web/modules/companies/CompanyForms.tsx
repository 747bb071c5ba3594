// Short forms of the company module: a new company (CVR checked as you type), a contact, a meeting with the
// company, an internship (choosing a company of the register or registering a new one inline) and an upskilling.
import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, ApiError, queryString } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { todayInCopenhagen } from '../../i18n/format.ts';
import { SelectField, TextArea, TextField } from '../../app/fields.tsx';
import { FormFrame, useSmallForm, type Errors } from '../citizens/CitizenForms.tsx';
import { isIsoDate } from '../citizens/citizenApi.ts';
import { usePlan } from '../plan/planApi.ts';
import { isValidCvr, MIN_PLAN, parseHours, PURPOSES, UPSKILLING_KINDS, UPSKILLING_STATUSES, type CompanySummary } from './companyApi.ts';

/** The CVR field's problem as the user types: digits only, eight of them, and the check digit. */
export function cvrError(cvr: string): MessageKey | undefined {
  const v = cvr.replace(/\s/g, '');
  if (!v) return 'company.error.cvrMissing';
  if (!/^\d+$/.test(v)) return 'company.error.cvrDigits';
  if (v.length !== 8) return 'company.error.cvrLength';
  if (!isValidCvr(v)) return 'company.error.cvrCheck';
  return undefined;
}

const serverIssue = (message: string): MessageKey =>
  message === 'not_monday' ? 'internship.error.notMonday' : message === 'outside_period' ? 'internship.error.outsidePeriod' : message === 'unknown_goal' ? 'upskilling.error.goal' : 'company.error.invalid';

type CompanyValues = { cvr: string; name: string; address: string; industry: string; contactName: string; contactPhone: string };

/** Creates the company; a CVR number already in the register answers with the existing company's id. */
async function createCompany(v: { cvr: string; name: string; address?: string; industry?: string; contactName?: string; contactPhone?: string }): Promise<{ id: string; existed: boolean }> {
  try {
    const { id } = await api.post<{ id: string }>('/api/companies', {
      cvr: v.cvr.replace(/\s/g, ''),
      name: v.name.trim(),
      address: v.address?.trim() || null,
      industry: v.industry?.trim() || null,
      contacts: v.contactName?.trim() ? [{ name: v.contactName.trim(), phone: v.contactPhone?.trim() || null }] : [],
    });
    return { id, existed: false };
  } catch (error) {
    if (error instanceof ApiError && error.status === 409 && error.body?.existingId) return { id: error.body.existingId, existed: true };
    throw error;
  }
}

export function NewCompanyForm({ onDone, onCancel }: { onDone: (id: string, existed: boolean) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const f = useSmallForm<CompanyValues>(
    { cvr: '', name: '', address: '', industry: '', contactName: '', contactPhone: '' },
    (v) => ({ ...(cvrError(v.cvr) ? { cvr: cvrError(v.cvr) } : {}), ...(v.name.trim() ? {} : { name: 'company.error.nameMissing' as const }) }),
    'company',
  );
  const save = useMutation({
    mutationFn: createCompany,
    onSuccess: (r) => {
      f.unsaved.allowLeave();
      onDone(r.id, r.existed);
    },
    onError: (e) => f.fail(e, (p) => (p === 'cvr' || p === 'name' || p === 'address' || p === 'industry' ? p : undefined), () => 'company.error.invalid'),
  });
  return (
    <FormFrame id="company-form" title={t('company.newTitle')} submitLabel={t('company.save')} pending={save.isPending} failed={f.failed} leaveConfirm={f.unsaved.confirm} onCancel={onCancel} onSubmit={(e) => {
      e.preventDefault();
      if (f.check()) save.mutate(f.values);
    }}>
      <CvrField prefix="company" value={f.values.cvr} error={f.errorOf('cvr')} onChange={(v) => f.set('cvr', v)} onBlur={() => f.touch('cvr')} />
      <TextField id="company-name" label={t('company.name')} value={f.values.name} error={f.errorOf('name')} onChange={(v) => f.set('name', v)} onBlur={() => f.touch('name')} />
      <TextField id="company-address" label={t('company.addressOptional')} value={f.values.address} autoComplete="off" onChange={(v) => f.set('address', v)} />
      <TextField id="company-industry" label={t('company.industryOptional')} value={f.values.industry} onChange={(v) => f.set('industry', v)} />
      <TextField id="company-contactName" label={t('company.contactNameOptional')} value={f.values.contactName} autoComplete="off" onChange={(v) => f.set('contactName', v)} />
      <TextField id="company-contactPhone" label={t('company.contactPhoneOptional')} type="tel" value={f.values.contactPhone} autoComplete="off" onChange={(v) => f.set('contactPhone', v)} />
    </FormFrame>
  );
}

/**
 * The CVR number. As the user types, a live line says whether the number holds only digits and, at eight digits,
 * whether the check digit is right; the field's own error appears once it is left or the form is sent.
 */
function CvrField({ prefix, value, error, onChange, onBlur }: { prefix: string; value: string; error: string | undefined; onChange: (v: string) => void; onBlur: () => void }) {
  const { t } = useI18n();
  const digits = value.replace(/\s/g, '');
  const problem = cvrError(value);
  const live = !digits ? '' : !/^\d+$/.test(digits) || digits.length > 8 ? t(problem ?? 'company.error.cvrDigits') : digits.length < 8 ? '' : problem ? t(problem) : t('company.cvrValid');
  return (
    <>
      <TextField id={`${prefix}-cvr`} label={t('company.cvr')} hint={t('company.cvrHint')} inputMode="numeric" className="input-width-s" value={value} error={error} onChange={onChange} onBlur={onBlur} autoComplete="off" />
      <p className={problem ? 'form-hint cvr-status' : 'form-hint cvr-status cvr-ok'} aria-live="polite">
        {error ? '' : live}
      </p>
    </>
  );
}

type ContactValues = { name: string; role: string; phone: string; email: string };

export function ContactForm({ companyId, onDone, onCancel }: { companyId: string; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const f = useSmallForm<ContactValues>({ name: '', role: '', phone: '', email: '' }, (v) => (v.name.trim() ? {} : { name: 'company.error.contactMissing' as const }), 'contact');
  const save = useMutation({
    mutationFn: (v: ContactValues) => api.post(`/api/companies/${companyId}/contacts`, { name: v.name.trim(), role: v.role.trim() || null, phone: v.phone.trim() || null, email: v.email.trim() || null }),
    onSuccess: () => {
      f.unsaved.allowLeave();
      onDone();
    },
    onError: (e) => f.fail(e, (p) => (p === 'name' || p === 'role' || p === 'phone' || p === 'email' ? p : undefined), () => 'company.error.invalid'),
  });
  return (
    <FormFrame id="contact-form" title={t('company.contactTitle')} submitLabel={t('company.contactSave')} pending={save.isPending} failed={f.failed} leaveConfirm={f.unsaved.confirm} onCancel={onCancel} onSubmit={(e) => {
      e.preventDefault();
      if (f.check()) save.mutate(f.values);
    }}>
      <TextField id="contact-name" label={t('company.contactName')} value={f.values.name} error={f.errorOf('name')} autoComplete="off" onChange={(v) => f.set('name', v)} onBlur={() => f.touch('name')} />
      <TextField id="contact-role" label={t('company.contactRoleOptional')} value={f.values.role} onChange={(v) => f.set('role', v)} />
      <TextField id="contact-phone" label={t('company.contactPhoneOptional')} type="tel" value={f.values.phone} autoComplete="off" onChange={(v) => f.set('phone', v)} />
      <TextField id="contact-email" label={t('company.contactEmailOptional')} type="email" value={f.values.email} error={f.errorOf('email')} autoComplete="off" onChange={(v) => f.set('email', v)} />
    </FormFrame>
  );
}

type DetailsValues = { name: string; address: string; industry: string };

/** The company's name, address and industry, changed with the version read (a stale one is refused with 409). */
export function CompanyDetailsForm({ company, onDone, onCancel }: { company: { id: string; name: string; address: string | null; industry: string | null; version: number }; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const f = useSmallForm<DetailsValues>({ name: company.name, address: company.address ?? '', industry: company.industry ?? '' }, (v) => (v.name.trim() ? {} : { name: 'company.error.nameMissing' as const }), 'details');
  const save = useMutation({
    mutationFn: (v: DetailsValues) => api.patch(`/api/companies/${company.id}`, { version: company.version, name: v.name.trim(), address: v.address.trim() || null, industry: v.industry.trim() || null }),
    onSuccess: () => {
      f.unsaved.allowLeave();
      onDone();
    },
    onError: (e) => f.fail(e, (p) => (p === 'name' || p === 'address' || p === 'industry' ? p : undefined), () => 'company.error.invalid'),
  });
  return (
    <FormFrame id="details-form" title={t('company.detailsTitle')} submitLabel={t('company.detailsSave')} pending={save.isPending} failed={f.failed} leaveConfirm={f.unsaved.confirm} onCancel={onCancel} onSubmit={(e) => {
      e.preventDefault();
      if (f.check()) save.mutate(f.values);
    }}>
      <TextField id="details-name" label={t('company.name')} value={f.values.name} error={f.errorOf('name')} onChange={(v) => f.set('name', v)} onBlur={() => f.touch('name')} />
      <TextField id="details-address" label={t('company.address')} value={f.values.address} onChange={(v) => f.set('address', v)} />
      <TextField id="details-industry" label={t('company.industry')} value={f.values.industry} onChange={(v) => f.set('industry', v)} />
    </FormFrame>
  );
}

type MeetingValues = { heldOn: string; purpose: string; outcome: string };

export function MeetingForm({ companyId, onDone, onCancel }: { companyId: string; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const f = useSmallForm<MeetingValues>(
    { heldOn: todayInCopenhagen(), purpose: '', outcome: '' },
    (v) => ({ ...(isIsoDate(v.heldOn) ? {} : { heldOn: 'company.error.date' as const }), ...(v.purpose.trim() ? {} : { purpose: 'company.error.purposeMissing' as const }) }),
    'meeting',
  );
  const save = useMutation({
    mutationFn: (v: MeetingValues) => api.post(`/api/companies/${companyId}/meetings`, { heldOn: v.heldOn, purpose: v.purpose.trim(), outcome: v.outcome.trim() || null }),
    onSuccess: () => {
      f.unsaved.allowLeave();
      onDone();
    },
    onError: (e) => f.fail(e, (p) => (p === 'heldOn' || p === 'purpose' || p === 'outcome' ? p : undefined), () => 'company.error.invalid'),
  });
  return (
    <FormFrame id="meeting-form" title={t('company.meetingTitle')} submitLabel={t('company.meetingSave')} pending={save.isPending} failed={f.failed} leaveConfirm={f.unsaved.confirm} onCancel={onCancel} onSubmit={(e) => {
      e.preventDefault();
      if (f.check()) save.mutate(f.values);
    }}>
      <TextField id="meeting-heldOn" label={t('company.meetingDate')} type="date" className="input-width-s" value={f.values.heldOn} error={f.errorOf('heldOn')} onChange={(v) => f.set('heldOn', v)} onBlur={() => f.touch('heldOn')} />
      <TextArea id="meeting-purpose" label={t('company.meetingPurpose')} hint={t('company.meetingPurposeHint')} rows={3} value={f.values.purpose} error={f.errorOf('purpose')} onChange={(v) => f.set('purpose', v)} onBlur={() => f.touch('purpose')} />
      <TextArea id="meeting-outcome" label={t('company.meetingOutcomeOptional')} rows={3} value={f.values.outcome} onChange={(v) => f.set('outcome', v)} />
    </FormFrame>
  );
}

type InternshipValues = {
  companyMode: string;
  companyQuery: string;
  companyId: string;
  cvr: string;
  companyName: string;
  purpose: string;
  purposeText: string;
  fromDate: string;
  toDate: string;
  plannedWeeklyHours: string;
  minPlan: string;
};

/** An internship in one screen: the company (found in the register, or new by CVR and name), purpose, period, hours, Min Plan. */
export function InternshipForm({ citizenId, onDone, onCancel }: { citizenId: string; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const f = useSmallForm<InternshipValues>(
    { companyMode: 'existing', companyQuery: '', companyId: '', cvr: '', companyName: '', purpose: 'gradual_return', purposeText: '', fromDate: todayInCopenhagen(), toDate: '', plannedWeeklyHours: '', minPlan: 'no' },
    (v) => {
      const e: Errors<keyof InternshipValues> = {};
      if (v.companyMode === 'existing' && !v.companyId) e.companyId = 'internship.error.companyMissing';
      if (v.companyMode === 'new') {
        const cvr = cvrError(v.cvr);
        if (cvr) e.cvr = cvr;
        if (!v.companyName.trim()) e.companyName = 'company.error.nameMissing';
      }
      if (v.purpose === 'other' && !v.purposeText.trim()) e.purposeText = 'internship.error.purposeTextMissing';
      if (!isIsoDate(v.fromDate)) e.fromDate = 'company.error.date';
      if (!isIsoDate(v.toDate)) e.toDate = 'company.error.date';
      else if (isIsoDate(v.fromDate) && v.toDate < v.fromDate) e.toDate = 'internship.error.toBeforeFrom';
      const hours = parseHours(v.plannedWeeklyHours);
      if (hours === null || hours <= 0 || hours > 60) e.plannedWeeklyHours = 'internship.error.plannedHours';
      return e;
    },
    'internship',
  );
  const found = useQuery({
    queryKey: ['companies', 'pick', f.values.companyQuery.trim()],
    queryFn: () => api.get<{ items: CompanySummary[] }>(`/api/companies${queryString({ q: f.values.companyQuery.trim() || undefined, limit: 20 })}`),
    enabled: f.values.companyMode === 'existing',
  });
  const [existed, setExisted] = useState(false);
  const save = useMutation({
    mutationFn: async (v: InternshipValues) => {
      let companyId = v.companyId;
      if (v.companyMode === 'new') {
        const created = await createCompany({ cvr: v.cvr, name: v.companyName });
        companyId = created.id;
        setExisted(created.existed);
      }
      return api.post(`/api/citizens/${citizenId}/internships`, {
        companyId,
        purpose: v.purpose,
        purposeText: v.purpose === 'other' ? v.purposeText.trim() : null,
        fromDate: v.fromDate,
        toDate: v.toDate,
        plannedWeeklyHours: parseHours(v.plannedWeeklyHours),
        minPlan: v.minPlan,
      });
    },
    onSuccess: () => {
      f.unsaved.allowLeave();
      onDone();
    },
    onError: (e) =>
      f.fail(e, (p) => (['companyId', 'cvr', 'purposeText', 'fromDate', 'toDate', 'plannedWeeklyHours', 'minPlan'].includes(p) ? (p as keyof InternshipValues) : p === 'name' ? 'companyName' : undefined), serverIssue),
  });
  const options = found.data?.items ?? [];
  return (
    <FormFrame id="internship-form" title={t('internship.formTitle')} submitLabel={t('internship.save')} pending={save.isPending} failed={f.failed} leaveConfirm={f.unsaved.confirm} onCancel={onCancel} onSubmit={(e) => {
      e.preventDefault();
      if (f.check()) save.mutate(f.values);
    }}>
      <fieldset className="form-group">
        <legend className="form-label">{t('internship.company')}</legend>
        <div className="form-group-radio">
          <input id="internship-companyMode-existing" type="radio" name="internship-companyMode" className="form-radio" checked={f.values.companyMode === 'existing'} onChange={() => f.set('companyMode', 'existing')} />
          <label htmlFor="internship-companyMode-existing">{t('internship.companyExisting')}</label>
        </div>
        <div className="form-group-radio">
          <input id="internship-companyMode-new" type="radio" name="internship-companyMode" className="form-radio" checked={f.values.companyMode === 'new'} onChange={() => f.set('companyMode', 'new')} />
          <label htmlFor="internship-companyMode-new">{t('internship.companyNew')}</label>
        </div>
      </fieldset>
      {f.values.companyMode === 'existing' ? (
        <>
          <TextField id="internship-companyQuery" label={t('internship.companySearch')} type="search" value={f.values.companyQuery} autoComplete="off" onChange={(v) => f.set('companyQuery', v)} />
          <SelectField
            id="internship-companyId"
            label={t('internship.companyPick')}
            value={f.values.companyId}
            error={f.errorOf('companyId')}
            options={[{ value: '', label: found.isPending ? t('common.loading') : t('internship.companyChoose', { count: options.length }) }, ...options.map((c) => ({ value: c.id, label: `${c.name} (CVR ${c.cvr})` }))]}
            onChange={(v) => f.set('companyId', v)}
            onBlur={() => f.touch('companyId')}
          />
        </>
      ) : (
        <>
          <CvrField prefix="internship" value={f.values.cvr} error={f.errorOf('cvr')} onChange={(v) => f.set('cvr', v)} onBlur={() => f.touch('cvr')} />
          <TextField id="internship-companyName" label={t('company.name')} value={f.values.companyName} error={f.errorOf('companyName')} onChange={(v) => f.set('companyName', v)} onBlur={() => f.touch('companyName')} />
        </>
      )}
      {existed && <p className="form-hint">{t('internship.companyExisted')}</p>}
      <SelectField id="internship-purpose" label={t('internship.purpose')} value={f.values.purpose} options={PURPOSES.map((p) => ({ value: p, label: t(`internship.purpose.${p}`) }))} onChange={(v) => f.set('purpose', v)} />
      {f.values.purpose === 'other' && (
        <TextField id="internship-purposeText" label={t('internship.purposeText')} value={f.values.purposeText} error={f.errorOf('purposeText')} onChange={(v) => f.set('purposeText', v)} onBlur={() => f.touch('purposeText')} />
      )}
      <TextField id="internship-fromDate" label={t('internship.fromDate')} type="date" className="input-width-s" value={f.values.fromDate} error={f.errorOf('fromDate')} onChange={(v) => f.set('fromDate', v)} onBlur={() => f.touch('fromDate')} />
      <TextField id="internship-toDate" label={t('internship.toDate')} type="date" className="input-width-s" value={f.values.toDate} error={f.errorOf('toDate')} onChange={(v) => f.set('toDate', v)} onBlur={() => f.touch('toDate')} />
      <TextField id="internship-plannedWeeklyHours" label={t('internship.plannedHours')} hint={t('internship.plannedHoursHint')} inputMode="decimal" className="input-width-xs" value={f.values.plannedWeeklyHours} error={f.errorOf('plannedWeeklyHours')} onChange={(v) => f.set('plannedWeeklyHours', v)} onBlur={() => f.touch('plannedWeeklyHours')} />
      <SelectField id="internship-minPlan" label={t('activity.minPlan')} hint={t('activity.minPlanHint')} value={f.values.minPlan} options={MIN_PLAN.map((m) => ({ value: m, label: t(`activity.minPlan.${m}`) }))} onChange={(v) => f.set('minPlan', v)} />
    </FormFrame>
  );
}

type UpskillingValues = { kind: string; title: string; provider: string; fromDate: string; toDate: string; status: string; minPlan: string; goalId: string };

export function UpskillingForm({ citizenId, onDone, onCancel }: { citizenId: string; onDone: () => void; onCancel: () => void }) {
  // An upskilling may serve a goal of the citizen's plan.
  const plan = usePlan(citizenId);
  const activeGoals = (plan.data?.goals ?? []).filter((g) => g.status === 'active');
  const { t } = useI18n();
  const f = useSmallForm<UpskillingValues>(
    { kind: 'course', title: '', provider: '', fromDate: todayInCopenhagen(), toDate: '', status: 'planned', minPlan: 'no', goalId: '' },
    (v) => {
      const e: Errors<keyof UpskillingValues> = {};
      if (!v.title.trim()) e.title = 'upskilling.error.titleMissing';
      if (!v.provider.trim()) e.provider = 'upskilling.error.providerMissing';
      if (!isIsoDate(v.fromDate)) e.fromDate = 'company.error.date';
      if (v.toDate && !isIsoDate(v.toDate)) e.toDate = 'company.error.date';
      else if (v.toDate && v.toDate < v.fromDate) e.toDate = 'internship.error.toBeforeFrom';
      return e;
    },
    'upskilling',
  );
  const save = useMutation({
    mutationFn: (v: UpskillingValues) =>
      api.post(`/api/citizens/${citizenId}/upskilling`, { kind: v.kind, title: v.title.trim(), provider: v.provider.trim(), fromDate: v.fromDate, toDate: v.toDate || null, status: v.status, minPlan: v.minPlan, ...(v.goalId ? { goalId: v.goalId } : {}) }),
    onSuccess: () => {
      f.unsaved.allowLeave();
      onDone();
    },
    onError: (e) => f.fail(e, (p) => (['kind', 'title', 'provider', 'fromDate', 'toDate', 'status', 'minPlan', 'goalId'].includes(p) ? (p as keyof UpskillingValues) : undefined), serverIssue),
  });
  return (
    <FormFrame id="upskilling-form" title={t('upskilling.formTitle')} submitLabel={t('upskilling.save')} pending={save.isPending} failed={f.failed} leaveConfirm={f.unsaved.confirm} onCancel={onCancel} onSubmit={(e) => {
      e.preventDefault();
      if (f.check()) save.mutate(f.values);
    }}>
      <SelectField id="upskilling-kind" label={t('upskilling.kind')} value={f.values.kind} options={UPSKILLING_KINDS.map((k) => ({ value: k, label: t(`upskilling.kind.${k}`) }))} onChange={(v) => f.set('kind', v)} />
      <TextField id="upskilling-title" label={t('upskilling.title')} value={f.values.title} error={f.errorOf('title')} onChange={(v) => f.set('title', v)} onBlur={() => f.touch('title')} />
      <TextField id="upskilling-provider" label={t('upskilling.provider')} hint={t('upskilling.providerHint')} value={f.values.provider} error={f.errorOf('provider')} onChange={(v) => f.set('provider', v)} onBlur={() => f.touch('provider')} />
      <TextField id="upskilling-fromDate" label={t('internship.fromDate')} type="date" className="input-width-s" value={f.values.fromDate} error={f.errorOf('fromDate')} onChange={(v) => f.set('fromDate', v)} onBlur={() => f.touch('fromDate')} />
      <TextField id="upskilling-toDate" label={t('upskilling.toDateOptional')} type="date" className="input-width-s" value={f.values.toDate} error={f.errorOf('toDate')} onChange={(v) => f.set('toDate', v)} onBlur={() => f.touch('toDate')} />
      <SelectField id="upskilling-status" label={t('upskilling.status')} value={f.values.status} options={UPSKILLING_STATUSES.map((s) => ({ value: s, label: t(`upskilling.status.${s}`) }))} onChange={(v) => f.set('status', v)} />
      <SelectField id="upskilling-minPlan" label={t('activity.minPlan')} hint={t('activity.minPlanHint')} value={f.values.minPlan} options={MIN_PLAN.map((m) => ({ value: m, label: t(`activity.minPlan.${m}`) }))} onChange={(v) => f.set('minPlan', v)} />
      {activeGoals.length > 0 && (
        <SelectField
          id="upskilling-goalId"
          label={t('upskilling.goal')}
          value={f.values.goalId}
          error={f.errorOf('goalId')}
          options={[{ value: '', label: t('meeting.noGoal') }, ...activeGoals.map((g) => ({ value: g.id, label: `${t(`lifeArea.${g.lifeArea}`)}: ${g.text}` }))]}
          onChange={(v) => f.set('goalId', v)}
        />
      )}
    </FormFrame>
  );
}
