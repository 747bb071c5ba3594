// The citizen page's short forms, one per action: note, status period, contact details, end, pause/resume.
// Each checks as you type and on submit, shows the server's answer at the field, and keeps what was typed.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { EnrolmentStatus } from '../../../contracts/citizens.ts';
import { api, ApiError } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { todayInCopenhagen } from '../../i18n/format.ts';
import { FormButtons, SelectField, TextArea, TextField } from '../../app/fields.tsx';
import { useUnsavedWarning } from '../../app/unsaved.tsx';
import { ErrorAlert, errorMessageKey } from '../../app/feedback.tsx';
import { isIsoDate, useCodeList, type CitizenDetail } from './citizenApi.ts';

export type Errors<F extends string> = Partial<Record<F, MessageKey>>;

/** Values, "checked once touched or submitted", server errors per field and a general failure, for one small form. */
export function useSmallForm<V extends Record<string, string>>(initial: V, validate: (v: V) => Errors<keyof V & string>, prefix: string) {
  type F = keyof V & string;
  const [values, setValues] = useState<V>(initial);
  const [touched, setTouched] = useState<Set<F>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Errors<F>>({});
  const [failed, setFailed] = useState<MessageKey | null>(null);
  const local = validate(values);
  const { t } = useI18n();
  const dirty = JSON.stringify(values) !== JSON.stringify(initial);
  const unsaved = useUnsavedWarning(dirty);
  return {
    values,
    failed,
    unsaved,
    set: (field: F, value: string) => {
      setValues((v) => ({ ...v, [field]: value }));
      setServerErrors((e) => ({ ...e, [field]: undefined }));
      setFailed(null);
    },
    touch: (field: F) => setTouched((s) => new Set(s).add(field)),
    errorOf: (field: F) => {
      const key = serverErrors[field] ?? (submitted || touched.has(field) ? local[field] : undefined);
      return key ? t(key) : undefined;
    },
    /** True when the form may be sent; otherwise focuses the first field with a problem. */
    check: () => {
      setSubmitted(true);
      setFailed(null);
      const first = (Object.keys(values) as F[]).find((f) => local[f]);
      if (first) document.getElementById(`${prefix}-${first}`)?.focus();
      return !first;
    },
    fail: (error: unknown, fieldOf: (path: string) => F | undefined, issueText: (message: string) => MessageKey) => {
      if (error instanceof ApiError && error.status === 409 && error.issueFor('version')) return setFailed('citizen.stale');
      if (error instanceof ApiError && (error.status === 400 || error.status === 409) && error.body?.issues?.length) {
        const found: Errors<F> = {};
        for (const issue of error.body.issues) {
          const field = fieldOf(issue.path.replace(/^body\./, ''));
          if (field) found[field] = issueText(issue.message);
        }
        const first = Object.keys(found)[0];
        if (first) {
          setServerErrors(found);
          document.getElementById(`${prefix}-${first}`)?.focus();
          return;
        }
      }
      setFailed(errorMessageKey(error));
    },
  };
}

export function FormFrame({ id, title, children, onSubmit, onCancel, submitLabel, pending, failed, leaveConfirm }: {
  id: string;
  title: string;
  children: ReactNode;
  onSubmit: (e: FormEvent) => void;
  onCancel: () => void;
  submitLabel: string;
  pending: boolean;
  failed: MessageKey | null;
  leaveConfirm: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <section className="editor" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="h3">
        {title}
      </h2>
      <form onSubmit={onSubmit} noValidate>
        {children}
        {failed && <ErrorAlert message={t(failed)} />}
        {leaveConfirm ?? <FormButtons saveLabel={submitLabel} disabled={pending} onCancel={onCancel} />}
      </form>
    </section>
  );
}

export const genericIssue = (message: string): MessageKey =>
  message === 'before_start' ? 'form.error.beforeStart' : message === 'required' ? 'form.error.required' : message === 'code_not_valid_on_date' ? 'newCitizen.error.codeNotValid' : 'newCitizen.error.invalid';

type NoteValues = { kind: string; body: string; sensitivity: string; source: string; internal: string };

export function NoteForm({ citizenId, onDone, onCancel }: { citizenId: string; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const f = useSmallForm<NoteValues>(
    { kind: 'journal', body: '', sensitivity: 'normal', source: '', internal: '' },
    (v) => ({
      ...(v.body.trim() ? {} : { body: 'note.error.bodyMissing' as const }),
      ...(v.kind === 'external_assessment' && !v.source.trim() ? { source: 'note.error.sourceMissing' as const } : {}),
    }),
    'note',
  );
  const save = useMutation({
    mutationFn: (v: NoteValues) =>
      api.post(`/api/citizens/${citizenId}/notes`, { kind: v.kind, body: v.body.trim(), sensitivity: v.sensitivity, internal: v.internal === 'yes', ...(v.kind === 'external_assessment' ? { source: v.source.trim() } : {}) }),
    onSuccess: () => {
      f.unsaved.allowLeave();
      onDone();
    },
    onError: (e) => f.fail(e, (p) => (p === 'body' || p === 'source' ? p : undefined), (m) => (m === 'required' ? 'note.error.sourceMissing' : 'newCitizen.error.invalid')),
  });
  return (
    <FormFrame id="note-form" title={t('note.formTitle')} submitLabel={t('note.save')} pending={save.isPending} failed={f.failed} leaveConfirm={f.unsaved.confirm} onCancel={onCancel} onSubmit={(e) => {
      e.preventDefault();
      if (f.check()) save.mutate(f.values);
    }}>
      <SelectField id="note-kind" label={t('note.kind')} value={f.values.kind} options={[{ value: 'journal', label: t('noteKind.journal') }, { value: 'external_assessment', label: t('noteKind.external_assessment') }]} onChange={(v) => f.set('kind', v)} />
      {f.values.kind === 'external_assessment' && (
        <TextField id="note-source" label={t('note.source')} hint={t('note.sourceHint')} value={f.values.source} error={f.errorOf('source')} onChange={(v) => f.set('source', v)} onBlur={() => f.touch('source')} />
      )}
      <TextArea id="note-body" label={t('note.body')} value={f.values.body} rows={6} error={f.errorOf('body')} onChange={(v) => f.set('body', v)} onBlur={() => f.touch('body')} />
      <div className="form-group">
        <div className="form-group-checkbox">
          <input id="note-sensitivity" type="checkbox" className="form-checkbox" checked={f.values.sensitivity === 'sensitive'} onChange={(e) => f.set('sensitivity', e.target.checked ? 'sensitive' : 'normal')} aria-describedby="note-sensitivity-hint" />
          <label htmlFor="note-sensitivity">{t('note.sensitive')}</label>
        </div>
        <span className="form-hint" id="note-sensitivity-hint">
          {t('note.sensitiveHint')}
        </span>
      </div>
      {f.values.kind === 'journal' && f.values.sensitivity === 'normal' && (
        <div className="form-group">
          <div className="form-group-checkbox">
            <input id="note-internal" type="checkbox" className="form-checkbox" checked={f.values.internal === 'yes'} onChange={(e) => f.set('internal', e.target.checked ? 'yes' : '')} aria-describedby="note-internal-hint" />
            <label htmlFor="note-internal">{t('note.internal')}</label>
          </div>
          <span className="form-hint" id="note-internal-hint">
            {t('note.internalHint')}
          </span>
        </div>
      )}
    </FormFrame>
  );
}

const ACTIVITIES = ['ordinary_job', 'wage_subsidy', 'fleksjob', 'internship', 'education'] as const;
type StatusValues = { benefitCode: string; activity: string; weeklyHours: string; fromDate: string; toDate: string; note: string };

export function StatusPeriodForm({ citizenId, onDone, onCancel }: { citizenId: string; onDone: () => void; onCancel: () => void }) {
  const { t, language } = useI18n();
  const f = useSmallForm<StatusValues>(
    { benefitCode: '', activity: '', weeklyHours: '', fromDate: todayInCopenhagen(), toDate: '', note: '' },
    (v) => {
      const e: Errors<keyof StatusValues> = {};
      if (!v.benefitCode) e.benefitCode = 'newCitizen.error.benefitMissing';
      if (!isIsoDate(v.fromDate)) e.fromDate = 'newCitizen.error.date';
      if (v.toDate && !isIsoDate(v.toDate)) e.toDate = 'newCitizen.error.date';
      else if (v.toDate && v.toDate < v.fromDate) e.toDate = 'form.error.beforeStart';
      const hours = v.weeklyHours.trim().replace(',', '.');
      if (hours && (!/^\d+(\.\d+)?$/.test(hours) || Number(hours) > 80)) e.weeklyHours = 'status.error.hours';
      else if (hours && !v.activity) e.activity = 'status.error.activityForHours';
      return e;
    },
    'status',
  );
  const benefits = useCodeList('benefit', isIsoDate(f.values.fromDate) ? f.values.fromDate : null);
  const save = useMutation({
    mutationFn: (v: StatusValues) =>
      api.post(`/api/citizens/${citizenId}/status-periods`, {
        benefitCode: v.benefitCode,
        activity: v.activity || null,
        weeklyHours: v.weeklyHours.trim() ? Number(v.weeklyHours.trim().replace(',', '.')) : null,
        fromDate: v.fromDate,
        toDate: v.toDate || null,
        note: v.note.trim() || null,
      }),
    onSuccess: () => {
      f.unsaved.allowLeave();
      onDone();
    },
    onError: (e) => f.fail(e, (p) => (['benefitCode', 'activity', 'weeklyHours', 'fromDate', 'toDate', 'note'].includes(p) ? (p as keyof StatusValues) : undefined), (m) => (m === 'required_with_hours' ? 'status.error.activityForHours' : m === 'not_after_latest_period' ? 'status.error.notAfterLatest' : genericIssue(m))),
  });
  return (
    <FormFrame id="status-form" title={t('status.formTitle')} submitLabel={t('status.save')} pending={save.isPending} failed={f.failed} leaveConfirm={f.unsaved.confirm} onCancel={onCancel} onSubmit={(e) => {
      e.preventDefault();
      if (f.check()) save.mutate(f.values);
    }}>
      <p className="form-hint">{t('status.formHint')}</p>
      <TextField id="status-fromDate" label={t('status.from')} type="date" className="input-width-s" value={f.values.fromDate} error={f.errorOf('fromDate')} onChange={(v) => f.set('fromDate', v)} onBlur={() => f.touch('fromDate')} />
      <TextField id="status-toDate" label={t('status.toOptional')} type="date" className="input-width-s" value={f.values.toDate} error={f.errorOf('toDate')} onChange={(v) => f.set('toDate', v)} onBlur={() => f.touch('toDate')} />
      <SelectField id="status-benefitCode" label={t('status.benefit')} value={f.values.benefitCode} error={f.errorOf('benefitCode')} options={[{ value: '', label: t('newCitizen.chooseBenefit') }, ...(benefits.data?.items ?? []).map((c) => ({ value: c.code, label: c.label[language] }))]} onChange={(v) => f.set('benefitCode', v)} onBlur={() => f.touch('benefitCode')} />
      <SelectField id="status-activity" label={t('status.activity')} value={f.values.activity} error={f.errorOf('activity')} options={[{ value: '', label: t('activity.none') }, ...ACTIVITIES.map((a) => ({ value: a, label: t(`activity.${a}`) }))]} onChange={(v) => f.set('activity', v)} onBlur={() => f.touch('activity')} />
      <TextField id="status-weeklyHours" label={t('status.weeklyHours')} hint={t('status.weeklyHoursHint')} inputMode="decimal" className="input-width-xs" value={f.values.weeklyHours} error={f.errorOf('weeklyHours')} onChange={(v) => f.set('weeklyHours', v)} onBlur={() => f.touch('weeklyHours')} />
      <TextField id="status-note" label={t('status.noteOptional')} value={f.values.note} onChange={(v) => f.set('note', v)} />
    </FormFrame>
  );
}

export const CONTACT_WAYS = ['phone', 'sms', 'email', 'letter', 'digital_post'] as const;
type ContactValues = { firstName: string; lastName: string; phone: string; email: string; address: string; preferredContact: string; note: string };

export function ContactForm({ citizen, onDone, onCancel }: { citizen: CitizenDetail; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const f = useSmallForm<ContactValues>(
    {
      firstName: citizen.firstName,
      lastName: citizen.lastName,
      phone: citizen.phone ?? '',
      email: citizen.email ?? '',
      address: citizen.address ?? '',
      preferredContact: citizen.preferredContact ?? '',
      note: citizen.note ?? '',
    },
    (v) => ({
      ...(v.firstName.trim() ? {} : { firstName: 'newCitizen.error.firstNameMissing' as const }),
      ...(v.lastName.trim() ? {} : { lastName: 'newCitizen.error.lastNameMissing' as const }),
      ...(v.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email.trim()) ? { email: 'newCitizen.error.email' as const } : {}),
    }),
    'contact',
  );
  const save = useMutation({
    mutationFn: (v: ContactValues) =>
      api.patch(`/api/citizens/${citizen.id}`, {
        version: citizen.version,
        firstName: v.firstName.trim(),
        lastName: v.lastName.trim(),
        phone: v.phone.trim() || null,
        email: v.email.trim() || null,
        address: v.address.trim() || null,
        preferredContact: v.preferredContact || null,
        note: v.note.trim() || null,
      }),
    onSuccess: () => {
      f.unsaved.allowLeave();
      onDone();
    },
    onError: (e) => f.fail(e, (p) => (['firstName', 'lastName', 'phone', 'email', 'address', 'note'].includes(p) ? (p as keyof ContactValues) : undefined), genericIssue),
  });
  return (
    <FormFrame id="contact-form" title={t('contact.formTitle')} submitLabel={t('contact.save')} pending={save.isPending} failed={f.failed} leaveConfirm={f.unsaved.confirm} onCancel={onCancel} onSubmit={(e) => {
      e.preventDefault();
      if (f.check()) save.mutate(f.values);
    }}>
      <TextField id="contact-firstName" label={t('newCitizen.firstName')} value={f.values.firstName} error={f.errorOf('firstName')} onChange={(v) => f.set('firstName', v)} onBlur={() => f.touch('firstName')} />
      <TextField id="contact-lastName" label={t('newCitizen.lastName')} value={f.values.lastName} error={f.errorOf('lastName')} onChange={(v) => f.set('lastName', v)} onBlur={() => f.touch('lastName')} />
      <TextField id="contact-phone" label={t('newCitizen.phone')} type="tel" value={f.values.phone} error={f.errorOf('phone')} onChange={(v) => f.set('phone', v)} />
      <TextField id="contact-email" label={t('newCitizen.email')} type="email" value={f.values.email} error={f.errorOf('email')} onChange={(v) => f.set('email', v)} onBlur={() => f.touch('email')} />
      <TextField id="contact-address" label={t('citizen.address')} value={f.values.address} onChange={(v) => f.set('address', v)} />
      <SelectField id="contact-preferredContact" label={t('citizen.preferredContact')} value={f.values.preferredContact} options={[{ value: '', label: t('citizen.notGiven') }, ...CONTACT_WAYS.map((w) => ({ value: w, label: t(`contactWay.${w}`) }))]} onChange={(v) => f.set('preferredContact', v)} />
      <TextArea id="contact-note" label={t('citizen.note')} rows={3} value={f.values.note} onChange={(v) => f.set('note', v)} />
    </FormFrame>
  );
}

type EnrolmentRef = { id: string; version: number; startDate: string; status: EnrolmentStatus; programme: { name: string } };
type EndValues = { endDate: string; exitOutcome: string };

export function EndEnrolmentForm({ enrolment, onDone, onCancel }: { enrolment: EnrolmentRef; onDone: () => void; onCancel: () => void }) {
  const { t, language } = useI18n();
  const f = useSmallForm<EndValues>(
    { endDate: todayInCopenhagen(), exitOutcome: '' },
    (v) => ({
      ...(!isIsoDate(v.endDate) ? { endDate: 'newCitizen.error.date' as const } : v.endDate < enrolment.startDate ? { endDate: 'form.error.beforeStart' as const } : {}),
      ...(v.exitOutcome ? {} : { exitOutcome: 'end.error.outcomeMissing' as const }),
    }),
    'end',
  );
  const outcomes = useCodeList('exit_outcome', isIsoDate(f.values.endDate) ? f.values.endDate : null);
  const save = useMutation({
    mutationFn: (v: EndValues) => api.patch(`/api/enrolments/${enrolment.id}`, { version: enrolment.version, status: 'ended', endDate: v.endDate, exitOutcome: v.exitOutcome }),
    onSuccess: () => {
      f.unsaved.allowLeave();
      onDone();
    },
    onError: (e) => f.fail(e, (p) => (p === 'endDate' || p === 'exitOutcome' ? p : undefined), genericIssue),
  });
  return (
    <FormFrame id="end-form" title={t('end.formTitle', { programme: enrolment.programme.name })} submitLabel={t('end.save')} pending={save.isPending} failed={f.failed} leaveConfirm={f.unsaved.confirm} onCancel={onCancel} onSubmit={(e) => {
      e.preventDefault();
      if (f.check()) save.mutate(f.values);
    }}>
      <p className="form-hint">{t('end.final')}</p>
      <TextField id="end-endDate" label={t('end.endDate')} type="date" className="input-width-s" value={f.values.endDate} error={f.errorOf('endDate')} onChange={(v) => f.set('endDate', v)} onBlur={() => f.touch('endDate')} />
      <SelectField id="end-exitOutcome" label={t('end.outcome')} value={f.values.exitOutcome} error={f.errorOf('exitOutcome')} options={[{ value: '', label: t('end.chooseOutcome') }, ...(outcomes.data?.items ?? []).map((c) => ({ value: c.code, label: c.label[language] }))]} onChange={(v) => f.set('exitOutcome', v)} onBlur={() => f.touch('exitOutcome')} />
    </FormFrame>
  );
}

export function PauseForm({ enrolment, to, onDone, onCancel }: { enrolment: EnrolmentRef; to: 'paused' | 'active'; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const f = useSmallForm<Record<string, string>>({}, () => ({}), 'pause');
  const save = useMutation({
    mutationFn: () => api.patch(`/api/enrolments/${enrolment.id}`, { version: enrolment.version, status: to }),
    onSuccess: onDone,
    onError: (e) => f.fail(e, () => undefined, genericIssue),
  });
  const title = t(to === 'paused' ? 'pause.title' : 'pause.resumeTitle', { programme: enrolment.programme.name });
  return (
    <FormFrame id="pause-form" title={title} submitLabel={t(to === 'paused' ? 'pause.confirm' : 'pause.resumeConfirm')} pending={save.isPending} failed={f.failed} leaveConfirm={null} onCancel={onCancel} onSubmit={(e) => {
      e.preventDefault();
      save.mutate();
    }}>
      <p>{t(to === 'paused' ? 'pause.text' : 'pause.resumeText')}</p>
    </FormFrame>
  );
}
