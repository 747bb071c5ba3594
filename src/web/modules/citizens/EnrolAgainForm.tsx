// "Skriv ind i forløb igen": enrols a citizen whose courses have all ended (or who has none) in a programme
// again — programme, start date, benefit, visitation, resource consultants — with the programme's warnings
// (outside its period, full) shown in words and confirmed before sending again. Psychiatry's liaison joins the
// team only while the citizen's consents cover both directions; a refusal lists what is missing.
import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { Warning } from '../../../contracts/common.ts';
import { api, ApiError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatIsoDate, todayInCopenhagen } from '../../i18n/format.ts';
import { SelectField, TextField } from '../../app/fields.tsx';
import { Loading, QueryError } from '../../app/feedback.tsx';
import { useUser } from '../../app/session.tsx';
import { isIsoDate, useCodeList, useProgrammes, useProgrammeStaff, type CitizenDetail } from './citizenApi.ts';
import { FormFrame, useSmallForm, type Errors } from './CitizenForms.tsx';
import { WarningsConfirm } from './Warnings.tsx';
import { ConsentIssues } from '../inquiries/NewInquiryPage.tsx';

const ENROLLING_ROLES = ['resource_consultant', 'caseworker', 'job_consultant', 'programme_manager'];
type EnrolValues = { programmeId: string; startDate: string; benefitCode: string; visitationCode: string; consultantIds: string; liaisonId: string };

const ISSUES: Record<string, Errors<keyof EnrolValues>[keyof EnrolValues]> = {
  already_enrolled: 'newCitizen.error.alreadyEnrolled',
  code_not_valid_on_date: 'newCitizen.error.codeNotValid',
  unknown_code: 'newCitizen.error.unknownCode',
  not_resource_consultant_in_programme: 'newCitizen.error.notInProgramme',
  not_liaison_in_programme: 'newCitizen.error.notInProgramme',
  liaison_consents_missing: 'consents.team.refused',
};

export function EnrolAgainForm({ citizen, onDone, onCancel }: { citizen: CitizenDetail; onDone: () => void; onCancel: () => void }) {
  const user = useUser();
  const programmes = useProgrammes();
  const mine = (programmes.data?.items ?? []).filter((p) => p.myRoles.some((r) => ENROLLING_ROLES.includes(r)));
  // The programme of the last course first, when I may enrol in it.
  const last = [...citizen.enrolments].sort((a, b) => b.startDate.localeCompare(a.startDate))[0];
  const preferred = mine.find((p) => p.id === last?.programme.id) ?? (mine.length === 1 ? mine[0] : undefined);
  if (programmes.isPending) return <Loading />;
  if (programmes.isError) return <QueryError error={programmes.error} />;
  const meIn = (programmeId: string) => (programmeId && user.roles.some((r) => r.role === 'resource_consultant' && r.programmeId === programmeId) ? user.id : '');
  return <EnrolForm key={preferred?.id ?? ''} citizen={citizen} programmes={mine} initialProgrammeId={preferred?.id ?? ''} meIn={meIn} onDone={onDone} onCancel={onCancel} />;
}

function EnrolForm({ citizen, programmes, initialProgrammeId, meIn, onDone, onCancel }: {
  citizen: CitizenDetail;
  programmes: { id: string; name: string; startsOn: string; endsOn: string }[];
  initialProgrammeId: string;
  meIn: (programmeId: string) => string;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t, language } = useI18n();
  const user = useUser();
  const [warnings, setWarnings] = useState<Warning[] | null>(null);
  const f = useSmallForm<EnrolValues>(
    { programmeId: initialProgrammeId, startDate: todayInCopenhagen(), benefitCode: '', visitationCode: '', consultantIds: meIn(initialProgrammeId), liaisonId: '' },
    (v) => {
      const e: Errors<keyof EnrolValues> = {};
      if (!v.programmeId) e.programmeId = 'newCitizen.error.programmeMissing';
      if (!v.startDate) e.startDate = 'newCitizen.error.startDateMissing';
      else if (!isIsoDate(v.startDate)) e.startDate = 'newCitizen.error.date';
      if (!v.benefitCode) e.benefitCode = 'newCitizen.error.benefitMissing';
      return e;
    },
    'enrol',
  );
  const v = f.values;
  const programme = programmes.find((p) => p.id === v.programmeId);
  const on = isIsoDate(v.startDate) ? v.startDate : null;
  const benefits = useCodeList('benefit', on);
  const visitations = useCodeList('visitation', on);
  const staff = useProgrammeStaff(v.programmeId);
  const consultants = (staff.data?.items ?? []).filter((m) => m.roles.includes('resource_consultant'));
  const liaisons = (staff.data?.items ?? []).filter((m) => m.roles.includes('liaison'));
  const chosen = v.consultantIds ? v.consultantIds.split(',') : [];
  const set = (field: keyof EnrolValues, value: string) => {
    f.set(field, value);
    setWarnings(null);
  };

  const enrol = useMutation({
    mutationFn: (acknowledgeWarnings: boolean) =>
      api.post<{ id: string; warnings: Warning[] }>(`/api/programmes/${encodeURIComponent(v.programmeId)}/enrolments`, {
        citizenId: citizen.id,
        startDate: v.startDate,
        benefitCode: v.benefitCode,
        visitationCode: v.visitationCode || undefined,
        consultantIds: chosen,
        liaisonId: v.liaisonId || undefined,
        acknowledgeWarnings,
      }),
    onSuccess: () => {
      f.unsaved.allowLeave();
      onDone();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 409 && e.body?.error === 'warnings' && e.body.warnings) {
        setWarnings(e.body.warnings);
        requestAnimationFrame(() => document.getElementById('enrol-warnings-heading')?.focus());
        return;
      }
      f.fail(
        e,
        (p) => (p === 'programmeId' || p === 'startDate' || p === 'benefitCode' || p === 'visitationCode' ? p : p.startsWith('consultantIds') ? 'consultantIds' : p === 'liaisonId' ? 'liaisonId' : undefined),
        (m) => ISSUES[m] ?? 'newCitizen.error.invalid',
      );
    },
  });

  const options = (list: { data?: { items: { code: string; label: { da: string; en: string } }[] } }, placeholder: 'newCitizen.chooseBenefit' | 'newCitizen.notGiven') => [
    { value: '', label: t(placeholder) },
    ...(list.data?.items ?? []).map((c) => ({ value: c.code, label: c.label[language] })),
  ];
  const consultantsError = f.errorOf('consultantIds');

  return (
    <FormFrame
      id="enrol-form"
      title={t('enrol.formTitle')}
      submitLabel={t('enrol.save')}
      pending={enrol.isPending || !!warnings}
      failed={f.failed}
      leaveConfirm={f.unsaved.confirm}
      onCancel={onCancel}
      onSubmit={(e) => {
        e.preventDefault();
        if (f.check()) enrol.mutate(false);
      }}
    >
      <p className="form-hint">{t('enrol.intro')}</p>
      {programmes.length === 0 ? (
        <p>{t('enrol.noProgrammes')}</p>
      ) : programmes.length === 1 ? (
        <p className="form-group" id="enrol-programmeId" tabIndex={-1}>
          <strong>{t('newCitizen.programme')}:</strong> {programme?.name}
        </p>
      ) : (
        <SelectField
          id="enrol-programmeId"
          label={t('newCitizen.programme')}
          value={v.programmeId}
          error={f.errorOf('programmeId')}
          options={[{ value: '', label: t('newCitizen.chooseProgramme') }, ...programmes.map((p) => ({ value: p.id, label: p.name }))]}
          onChange={(id) => {
            set('programmeId', id);
            f.set('consultantIds', meIn(id));
          }}
          onBlur={() => f.touch('programmeId')}
        />
      )}
      {programmes.length === 1 && f.errorOf('programmeId') && (
        <div className="form-group form-error">
          <span className="form-error-message">{f.errorOf('programmeId')}</span>
        </div>
      )}
      <TextField
        id="enrol-startDate"
        label={t('newCitizen.startDate')}
        hint={programme ? t('newCitizen.startDateHint', { from: formatIsoDate(language, programme.startsOn), to: formatIsoDate(language, programme.endsOn) }) : undefined}
        type="date"
        className="input-width-s"
        value={v.startDate}
        error={f.errorOf('startDate')}
        onChange={(x) => set('startDate', x)}
        onBlur={() => f.touch('startDate')}
      />
      <SelectField id="enrol-benefitCode" label={t('newCitizen.benefit')} value={v.benefitCode} error={f.errorOf('benefitCode')} options={options(benefits, 'newCitizen.chooseBenefit')} onChange={(x) => set('benefitCode', x)} onBlur={() => f.touch('benefitCode')} />
      <SelectField id="enrol-visitationCode" label={t('newCitizen.visitation')} value={v.visitationCode} error={f.errorOf('visitationCode')} options={options(visitations, 'newCitizen.notGiven')} onChange={(x) => set('visitationCode', x)} />
      <fieldset className={consultantsError ? 'form-group form-error' : 'form-group'} id="enrol-consultantIds" tabIndex={-1} aria-describedby={consultantsError ? 'enrol-consultantIds-error' : undefined}>
        <legend className="form-label">{t('newCitizen.consultants')}</legend>
        {consultantsError && (
          <span className="form-error-message" id="enrol-consultantIds-error">
            {consultantsError}
          </span>
        )}
        {staff.isError && <QueryError error={staff.error} />}
        {v.programmeId && !staff.isPending && consultants.length === 0 && <p>{t('newCitizen.noConsultants')}</p>}
        <ul className="plain-list checkbox-list">
          {consultants.map((m) => (
            <li key={m.id} className="form-group-checkbox">
              <input
                id={`enrol-consultant-${m.id}`}
                type="checkbox"
                className="form-checkbox"
                checked={chosen.includes(m.id)}
                onChange={(e) => set('consultantIds', (e.target.checked ? [...chosen, m.id] : chosen.filter((id) => id !== m.id)).join(','))}
              />
              <label htmlFor={`enrol-consultant-${m.id}`}>{m.id === user.id ? t('newCitizen.me', { name: m.name }) : m.name}</label>
            </li>
          ))}
        </ul>
      </fieldset>
      {liaisons.length > 0 && (
        <>
          <SelectField
            id="enrol-liaisonId"
            label={t('consents.team.liaison')}
            hint={t('consents.team.liaisonHint')}
            value={v.liaisonId}
            error={f.errorOf('liaisonId')}
            options={[{ value: '', label: t('newCitizen.nobody') }, ...liaisons.map((m) => ({ value: m.id, label: m.name }))]}
            onChange={(x) => set('liaisonId', x)}
          />
          {f.errorOf('liaisonId') && enrol.error instanceof ApiError && (
            <div className="form-group form-error" id="enrol-liaison-gaps">
              <p className="form-error-message">{t('consents.team.missing')}</p>
              <ConsentIssues error={enrol.error} />
            </div>
          )}
        </>
      )}
      {warnings && (
        <WarningsConfirm
          id="enrol-warnings"
          warnings={warnings}
          heading={t('enrol.warningsHeading')}
          question={t('enrol.warningsQuestion')}
          confirmLabel={t('enrol.anyway')}
          pending={enrol.isPending}
          onConfirm={() => enrol.mutate(true)}
          onFix={() => {
            setWarnings(null);
            document.getElementById('enrol-startDate')?.focus();
          }}
        />
      )}
    </FormFrame>
  );
}
