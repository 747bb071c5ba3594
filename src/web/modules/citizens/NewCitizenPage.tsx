// "Ny borger": one short form that creates the citizen and enrols them in a programme in one request.
// Checks as you type and on submit; server errors land at their field and nothing typed is lost;
// the programme's warnings (outside its period, full) are shown and confirmed before sending again.
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { CreateCitizenResponse } from '../../../contracts/citizens.ts';
import type { Warning } from '../../../contracts/common.ts';
import type { SessionUser } from '../../../contracts/auth.ts';
import { api, ApiError, queryString } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatIsoDate, todayInCopenhagen } from '../../i18n/format.ts';
import { FormButtons, SelectField, TextArea, TextField } from '../../app/fields.tsx';
import { ErrorAlert, Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { useUser } from '../../app/session.tsx';
import { useUnsavedWarning } from '../../app/unsaved.tsx';
import { WarningsConfirm } from './Warnings.tsx';
import { isIsoDate, useProgrammes, useProgrammeStaff, type CodeListName, type CodeValue, type Programmes } from './citizenApi.ts';
import {
  errorsFromServer,
  FIELD_ORDER,
  fieldId,
  MORE_FIELDS,
  validateNewCitizen,
  type NewCitizenErrors,
  type NewCitizenField,
  type NewCitizenValues,
} from './citizenForm.ts';

type Created = z.infer<typeof CreateCitizenResponse>;
type Programme = Programmes['items'][number];
const ENROLLING_ROLES = ['resource_consultant', 'caseworker', 'job_consultant', 'programme_manager'];

export function NewCitizenPage() {
  const { t } = useI18n();
  const programmes = useProgrammes();
  const title = t('newCitizen.title');
  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <p className="page-intro">{t('newCitizen.intro')}</p>
      {programmes.isPending && <Loading />}
      {programmes.isError && <QueryError error={programmes.error} />}
      {programmes.data && <NewCitizenForm programmes={programmes.data.items.filter((p) => p.myRoles.some((r) => ENROLLING_ROLES.includes(r)))} />}
    </>
  );
}

function initialValues(programmes: Programme[], user: SessionUser): NewCitizenValues {
  const programmeId = programmes.length === 1 ? programmes[0]!.id : '';
  return {
    cpr: '',
    firstName: '',
    lastName: '',
    phone: '',
    email: '',
    address: '',
    preferredContact: '',
    programmeId,
    startDate: todayInCopenhagen(),
    benefitCode: '',
    visitationCode: '',
    referralSource: '',
    referralDate: '',
    referralReason: '',
    consultantIds: defaultConsultants(programmeId, user),
    caseworkerId: '',
    jobConsultantId: '',
  };
}

/** "Me", when I am a resource consultant in the chosen programme. */
function defaultConsultants(programmeId: string, user: SessionUser): string[] {
  return programmeId && user.roles.some((r) => r.role === 'resource_consultant' && r.programmeId === programmeId) ? [user.id] : [];
}

function useCodeOptions(list: CodeListName, on: string) {
  return useQuery({
    queryKey: ['code-list', list, on, false],
    queryFn: () => api.get<{ items: CodeValue[] }>(`/api/code-lists/${list}${queryString({ on })}`),
    enabled: isIsoDate(on),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

function NewCitizenForm({ programmes }: { programmes: Programme[] }) {
  const { t, language } = useI18n();
  const user = useUser();
  const navigate = useNavigate();
  const client = useQueryClient();
  const initial = useMemo(() => initialValues(programmes, user), [programmes, user]);
  const [values, setValues] = useState<NewCitizenValues>(initial);
  const [touched, setTouched] = useState<Set<NewCitizenField>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<NewCitizenErrors>({});
  const [warnings, setWarnings] = useState<Warning[] | null>(null);
  const [duplicate, setDuplicate] = useState<{ existingId?: string; contacts?: { name: string }[] } | null>(null);
  const [failed, setFailed] = useState<MessageKey | null>(null);
  const [more, setMore] = useState(false);

  const dirty = JSON.stringify(values) !== JSON.stringify(initial);
  const { confirm: leaveConfirm, allowLeave } = useUnsavedWarning(dirty);
  const localErrors = validateNewCitizen(values);
  const programme = programmes.find((p) => p.id === values.programmeId);
  const staff = useProgrammeStaff(values.programmeId);
  const on = values.startDate;
  const benefits = useCodeOptions('benefit', on);
  const visitations = useCodeOptions('visitation', on);
  const referralSources = useCodeOptions('referral_source', on);

  const create = useMutation({
    mutationFn: (acknowledgeWarnings: boolean) => api.post<Created>('/api/citizens', requestBody(values, acknowledgeWarnings)),
    onSuccess: (created) => {
      allowLeave();
      void client.invalidateQueries({ queryKey: ['citizens'] });
      void navigate(`/citizens/${created.id}`, { state: { created: created.notices.map((n) => n.code) } });
    },
    onError: (error) => {
      // Whatever went wrong, the typed values stay in the form.
      if (error instanceof ApiError && error.status === 409 && error.body?.error === 'warnings' && error.body.warnings) {
        setWarnings(error.body.warnings);
        requestAnimationFrame(() => document.getElementById('new-citizen-warnings-heading')?.focus());
        return;
      }
      if (error instanceof ApiError && error.status === 409 && error.body?.error === 'duplicate') {
        setDuplicate({ existingId: error.body.existingId, contacts: error.body.contacts });
        setServerErrors({ cpr: 'newCitizen.error.duplicate' });
        requestAnimationFrame(() => document.getElementById(fieldId('cpr'))?.focus());
        return;
      }
      if (error instanceof ApiError && (error.status === 400 || error.status === 409) && error.body?.issues?.length) {
        const found = errorsFromServer(error.body.issues);
        if (Object.keys(found).length > 0) {
          setServerErrors(found);
          const first = FIELD_ORDER.find((f) => found[f]);
          if (first && MORE_FIELDS.includes(first)) setMore(true);
          if (first) requestAnimationFrame(() => focusField(first));
          return;
        }
      }
      setFailed(error instanceof ApiError && error.status === 403 ? 'error.forbidden' : 'newCitizen.failed');
    },
  });

  function update(patch: Partial<NewCitizenValues>) {
    setValues((v) => ({ ...v, ...patch }));
    setServerErrors((e) => {
      const next = { ...e };
      for (const f of Object.keys(patch) as NewCitizenField[]) delete next[f];
      return next;
    });
    setFailed(null);
    setWarnings(null);
    if ('cpr' in patch) setDuplicate(null);
  }
  const touch = (field: NewCitizenField) => setTouched((s) => new Set(s).add(field));
  const errorOf = (field: NewCitizenField): string | undefined => {
    const key = serverErrors[field] ?? (submitted || touched.has(field) ? localErrors[field] : undefined);
    return key ? t(key) : undefined;
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    setFailed(null);
    const first = FIELD_ORDER.find((f) => localErrors[f]);
    if (first) {
      if (MORE_FIELDS.includes(first)) setMore(true);
      requestAnimationFrame(() => focusField(first));
      return;
    }
    create.mutate(false);
  }

  const codeOptions = (list: { data?: { items: CodeValue[] } }, placeholder: MessageKey) => [
    { value: '', label: t(placeholder) },
    ...(list.data?.items ?? []).map((c) => ({ value: c.code, label: c.label[language] })),
  ];
  const members = staff.data?.items ?? [];
  const withRole = (role: string) => members.filter((m) => m.roles.includes(role as never));
  const personOptions = (role: string) => [{ value: '', label: t('newCitizen.nobody') }, ...withRole(role).map((m) => ({ value: m.id, label: m.name }))];
  const errorCount = Object.keys(localErrors).length;

  return (
    <form className="narrow-form" onSubmit={submit} noValidate aria-describedby="new-citizen-required">
      <p id="new-citizen-required" className="form-hint">
        {t('newCitizen.requiredHint')}
      </p>
      {submitted && errorCount > 0 && <ErrorAlert message={errorCount === 1 ? t('newCitizen.fixOne') : t('newCitizen.fixMany', { count: errorCount })} />}

      <fieldset>
        <legend className="h3">{t('newCitizen.person')}</legend>
        <TextField
          id={fieldId('cpr')}
          label={t('newCitizen.cpr')}
          hint={t('newCitizen.cprHint')}
          autoComplete="off"
          className="input-width-s"
          value={values.cpr}
          error={errorOf('cpr')}
          onChange={(cpr) => {
            update({ cpr });
            // Checked as you type once the number could be complete; before that only on leaving the field.
            if (cpr.replace('-', '').length >= 10) touch('cpr');
          }}
          onBlur={() => touch('cpr')}
        />
        {duplicate && (
          <div className="alert alert-warning" role="alert">
            <div className="alert-body">
              <p className="alert-heading">{t('newCitizen.duplicateHeading')}</p>
              <p className="alert-text">
                {duplicate.existingId ? (
                  <Link to={`/citizens/${duplicate.existingId}`}>{t('newCitizen.duplicateLink')}</Link>
                ) : (
                  <>
                    {t('newCitizen.duplicateHidden')}{' '}
                    {duplicate.contacts?.length
                      ? t('newCitizen.duplicateContacts', { names: duplicate.contacts.map((c) => c.name).join(', ') })
                      : t('newCitizen.duplicateNoContacts')}
                  </>
                )}
              </p>
            </div>
          </div>
        )}
        <TextField id={fieldId('firstName')} label={t('newCitizen.firstName')} autoComplete="off" value={values.firstName} error={errorOf('firstName')} onChange={(firstName) => update({ firstName })} onBlur={() => touch('firstName')} />
        <TextField id={fieldId('lastName')} label={t('newCitizen.lastName')} autoComplete="off" value={values.lastName} error={errorOf('lastName')} onChange={(lastName) => update({ lastName })} onBlur={() => touch('lastName')} />
        <TextField id={fieldId('phone')} label={t('newCitizen.phone')} autoComplete="off" value={values.phone} error={errorOf('phone')} onChange={(phone) => update({ phone })} onBlur={() => touch('phone')} />
        <TextField id={fieldId('email')} label={t('newCitizen.email')} type="email" inputMode="email" autoComplete="off" value={values.email} error={errorOf('email')} onChange={(email) => update({ email })} onBlur={() => touch('email')} />
      </fieldset>

      <fieldset>
        <legend className="h3">{t('newCitizen.enrolment')}</legend>
        {programmes.length === 1 ? (
          <p className="form-group">
            <strong>{t('newCitizen.programme')}:</strong> {programme?.name}
          </p>
        ) : (
          <SelectField
            id={fieldId('programmeId')}
            label={t('newCitizen.programme')}
            value={values.programmeId}
            options={[{ value: '', label: t('newCitizen.chooseProgramme') }, ...programmes.map((p) => ({ value: p.id, label: p.name }))]}
            error={errorOf('programmeId')}
            onChange={(programmeId) => update({ programmeId, consultantIds: defaultConsultants(programmeId, user), caseworkerId: '', jobConsultantId: '' })}
            onBlur={() => touch('programmeId')}
          />
        )}
        <TextField
          id={fieldId('startDate')}
          label={t('newCitizen.startDate')}
          hint={programme ? t('newCitizen.startDateHint', { from: formatIsoDate(language, programme.startsOn), to: formatIsoDate(language, programme.endsOn) }) : undefined}
          type="date"
          className="input-width-s"
          value={values.startDate}
          error={errorOf('startDate')}
          onChange={(startDate) => update({ startDate })}
          onBlur={() => touch('startDate')}
        />
        <SelectField id={fieldId('benefitCode')} label={t('newCitizen.benefit')} value={values.benefitCode} options={codeOptions(benefits, 'newCitizen.chooseBenefit')} error={errorOf('benefitCode')} onChange={(benefitCode) => update({ benefitCode })} onBlur={() => touch('benefitCode')} />
        <SelectField id={fieldId('visitationCode')} label={t('newCitizen.visitation')} value={values.visitationCode} options={codeOptions(visitations, 'newCitizen.notGiven')} error={errorOf('visitationCode')} onChange={(visitationCode) => update({ visitationCode })} />
        <SelectField id={fieldId('referralSource')} label={t('newCitizen.referralSource')} value={values.referralSource} options={codeOptions(referralSources, 'newCitizen.notGiven')} error={errorOf('referralSource')} onChange={(referralSource) => update({ referralSource })} />
      </fieldset>

      <div className="more-fields">
        <button type="button" className="button button-tertiary more-toggle" aria-expanded={more} aria-controls="new-citizen-more" onClick={() => setMore(!more)}>
          {t('newCitizen.more')}
        </button>
        <span className="form-hint">{t('newCitizen.moreHint')}</span>
        <div id="new-citizen-more" hidden={!more}>
          <fieldset>
            <legend className="h3">{t('newCitizen.moreLegend')}</legend>
            <TextField id={fieldId('address')} label={t('newCitizen.address')} autoComplete="off" value={values.address} error={errorOf('address')} onChange={(address) => update({ address })} onBlur={() => touch('address')} />
            <SelectField
              id={fieldId('preferredContact')}
              label={t('newCitizen.preferredContact')}
              value={values.preferredContact}
              options={[{ value: '', label: t('newCitizen.notGiven') }, ...CONTACT_WAYS.map((w) => ({ value: w, label: t(`contactWay.${w}`) }))]}
              error={errorOf('preferredContact')}
              onChange={(preferredContact) => update({ preferredContact })}
            />
            <TextField id={fieldId('referralDate')} label={t('newCitizen.referralDate')} type="date" className="input-width-s" value={values.referralDate} error={errorOf('referralDate')} onChange={(referralDate) => update({ referralDate })} onBlur={() => touch('referralDate')} />
            <TextArea id={fieldId('referralReason')} label={t('newCitizen.referralReason')} rows={4} value={values.referralReason} error={errorOf('referralReason')} onChange={(referralReason) => update({ referralReason })} onBlur={() => touch('referralReason')} />
          </fieldset>
        </div>
      </div>

      <fieldset aria-describedby={errorOf('consultantIds') ? `${fieldId('consultantIds')}-error` : undefined}>
        <legend className="h3">{t('newCitizen.team')}</legend>
        {staff.isError && <QueryError error={staff.error} />}
        <div className={errorOf('consultantIds') ? 'form-group form-error' : 'form-group'} id={fieldId('consultantIds')} tabIndex={-1}>
          <p className="form-label" id="new-citizen-consultants-label">
            {t('newCitizen.consultants')}
          </p>
          {errorOf('consultantIds') && (
            <span className="form-error-message" id={`${fieldId('consultantIds')}-error`}>
              {errorOf('consultantIds')}
            </span>
          )}
          {values.programmeId && withRole('resource_consultant').length === 0 && !staff.isPending && <p>{t('newCitizen.noConsultants')}</p>}
          <ul className="plain-list checkbox-list" aria-labelledby="new-citizen-consultants-label">
            {withRole('resource_consultant').map((m) => (
              <li key={m.id} className="form-group-checkbox">
                <input
                  id={`new-citizen-consultant-${m.id}`}
                  type="checkbox"
                  className="form-checkbox"
                  checked={values.consultantIds.includes(m.id)}
                  onChange={(e) => update({ consultantIds: e.target.checked ? [...values.consultantIds, m.id] : values.consultantIds.filter((id) => id !== m.id) })}
                />
                <label htmlFor={`new-citizen-consultant-${m.id}`}>{m.id === user.id ? t('newCitizen.me', { name: m.name }) : m.name}</label>
              </li>
            ))}
          </ul>
        </div>
        <SelectField id={fieldId('caseworkerId')} label={t('newCitizen.caseworker')} value={values.caseworkerId} options={personOptions('caseworker')} error={errorOf('caseworkerId')} onChange={(caseworkerId) => update({ caseworkerId })} />
        <SelectField id={fieldId('jobConsultantId')} label={t('newCitizen.jobConsultant')} value={values.jobConsultantId} options={personOptions('job_consultant')} error={errorOf('jobConsultantId')} onChange={(jobConsultantId) => update({ jobConsultantId })} />
      </fieldset>

      {warnings && (
        <WarningsConfirm
          id="new-citizen-warnings"
          warnings={warnings}
          heading={t('newCitizen.warningsHeading')}
          question={t('newCitizen.warningsQuestion')}
          confirmLabel={t('newCitizen.createAnyway')}
          pending={create.isPending}
          onConfirm={() => create.mutate(true)}
          onFix={() => {
            setWarnings(null);
            focusField('startDate');
          }}
        />
      )}
      {failed && <ErrorAlert message={t(failed)} />}

      {leaveConfirm ?? (
        <FormButtons saveLabel={create.isPending ? t('newCitizen.creating') : t('newCitizen.create')} disabled={create.isPending || !!warnings} cancelTo="/citizens" />
      )}
    </form>
  );
}

function focusField(field: NewCitizenField) {
  const el = document.getElementById(fieldId(field));
  el?.focus();
}

const CONTACT_WAYS = ['phone', 'sms', 'email', 'letter', 'digital_post'] as const;

function requestBody(v: NewCitizenValues, acknowledgeWarnings: boolean) {
  const opt = (s: string) => (s.trim() ? s.trim() : undefined);
  return {
    cpr: v.cpr.trim(),
    firstName: v.firstName.trim(),
    lastName: v.lastName.trim(),
    phone: opt(v.phone),
    email: opt(v.email),
    address: opt(v.address),
    preferredContact: v.preferredContact || undefined,
    enrolment: {
      programmeId: v.programmeId,
      startDate: v.startDate,
      benefitCode: v.benefitCode,
      visitationCode: opt(v.visitationCode),
      referralSource: opt(v.referralSource),
      referralDate: v.referralDate || undefined,
      referralReason: opt(v.referralReason),
      consultantIds: v.consultantIds,
      caseworkerId: opt(v.caseworkerId),
      jobConsultantId: opt(v.jobConsultantId),
    },
    acknowledgeWarnings,
  };
}
