// "Ny undersøgelse": the programme manager records a research agreement for their own organisation's data —
// partner and role, legal basis, the §10 stk. 3 checklist, purpose, period, the variables chosen from the codebook,
// date precision and DPIA. Validated as typed and on submit; the server's refusals are shown at their field.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ProgrammeSummary } from '../../../contracts/programmes.ts';
import { api, ApiError } from '../../api/client.ts';
import { ErrorAlert, Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { FormButtons, SelectField, TextArea, TextField } from '../../app/fields.tsx';
import { useUser } from '../../app/session.tsx';
import { useUnsavedWarning } from '../../app/unsaved.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { STUDIES_KEY, useCodebook, type Study } from './studiesApi.ts';
import './studies.css';

type Errors = Record<string, string>;

export function NewStudyPage() {
  const { t, language } = useI18n();
  const user = useUser();
  const navigate = useNavigate();
  const client = useQueryClient();
  const book = useCodebook();
  const programmes = useQuery({ queryKey: ['programmes'], queryFn: () => api.get<{ items: ProgrammeSummary[] }>('/api/programmes') });
  const managed = (programmes.data?.items ?? []).filter((p) => p.myRoles.includes('programme_manager'));
  const [f, setF] = useState({
    programmeId: '',
    title: '',
    partnerName: '',
    partnerRole: 'controller',
    dpaReference: '',
    sensitiveBasis: false,
    thirdCountry: false,
    biologicalMaterial: false,
    journalPublication: false,
    permissionReference: '',
    purpose: '',
    startsOn: '',
    endsOn: '',
    datePrecision: 'month',
    dpiaReference: '',
    registerLinkage: false,
    dstReference: '',
  });
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<Errors>({});
  const [dirty, setDirty] = useState(false);
  const { confirm, allowLeave } = useUnsavedWarning(dirty);
  const set = <K extends keyof typeof f>(key: K, value: (typeof f)[K]) => {
    setF((prev) => ({ ...prev, [key]: value }));
    // A field's message goes as soon as it is changed; the check runs again on submit.
    setErrors((prev) => {
      const { [key]: _gone, ...rest } = prev;
      return rest;
    });
    setDirty(true);
  };
  const programmeId = f.programmeId || (managed.length === 1 ? managed[0]!.id : '');
  const always = (book.data?.variables ?? []).filter((v) => v.always).map((v) => v.name);
  const variables = () => {
    const files = new Set([...chosen].map((n) => n.split('.')[0]));
    return [...new Set([...chosen, ...always.filter((n) => files.has(n.split('.')[0]))])];
  };
  const sensitiveChosen = (book.data?.variables ?? []).some((v) => v.sensitive && chosen.has(v.name));
  const permissionNeeded = f.thirdCountry || f.biologicalMaterial || f.journalPublication;

  const save = useMutation({
    mutationFn: () =>
      api.post<Study>('/api/studies', {
        programmeId,
        title: f.title,
        partnerName: f.partnerName,
        partnerRole: f.partnerRole,
        dpaReference: f.partnerRole === 'processor' ? f.dpaReference : null,
        legalBasis: f.sensitiveBasis ? ['gdpr_6_1_e', 'dbl_10'] : ['gdpr_6_1_e'],
        checklist: { thirdCountry: f.thirdCountry, biologicalMaterial: f.biologicalMaterial, journalPublication: f.journalPublication },
        permissionReference: f.permissionReference.trim() ? f.permissionReference : null,
        purpose: f.purpose,
        startsOn: f.startsOn,
        endsOn: f.endsOn,
        variables: variables(),
        datePrecision: f.datePrecision,
        dpiaReference: f.dpiaReference,
        organisationIds: [user.organisation.id],
        registerLinkage: f.registerLinkage,
        dstReference: f.registerLinkage ? f.dstReference : null,
      }),
    onSuccess: (created) => {
      allowLeave();
      void client.invalidateQueries({ queryKey: STUDIES_KEY });
      void navigate(`/studies/${created.id}`);
    },
  });

  const validate = (): Errors => {
    const e: Errors = {};
    if (!programmeId) e.programmeId = t('studies.new.error.programme');
    if (!f.title.trim()) e.title = t('studies.new.error.title');
    if (!f.partnerName.trim()) e.partnerName = t('studies.new.error.partner');
    if (f.partnerRole === 'processor' && !f.dpaReference.trim()) e.dpaReference = t('studies.new.error.dpa');
    if (!f.purpose.trim()) e.purpose = t('studies.new.error.purpose');
    if (!f.startsOn) e.startsOn = t('studies.new.error.startsOn');
    if (!f.endsOn) e.endsOn = t('studies.new.error.endsOn');
    else if (f.startsOn && f.endsOn < f.startsOn) e.endsOn = t('studies.new.error.endsBeforeStart');
    if (!f.dpiaReference.trim()) e.dpiaReference = t('studies.new.error.dpia');
    if (f.registerLinkage && !f.dstReference.trim()) e.dstReference = t('studies.new.error.dst');
    if (chosen.size === 0) e.variables = t('studies.new.error.variables');
    if (sensitiveChosen && !f.sensitiveBasis) e.sensitiveBasis = t('studies.new.error.dbl10');
    return e;
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = validate();
    setErrors(next);
    if (Object.keys(next).length === 0) save.mutate();
  };
  const serverError = save.error instanceof ApiError ? save.error : null;
  const toggle = (name: string, on: boolean) => {
    setChosen((prev) => {
      const next = new Set(prev);
      if (on) next.add(name);
      else next.delete(name);
      return next;
    });
    setErrors((prev) => {
      const { variables: _gone, sensitiveBasis: _basis, ...rest } = prev;
      return rest;
    });
    setDirty(true);
  };

  if (book.isPending || programmes.isPending) return <Loading />;
  if (book.isError) return <QueryError error={book.error} />;
  if (programmes.isError) return <QueryError error={programmes.error} />;
  return (
    <>
      <p className="breadcrumb-link">
        <Link to="/studies">{t('studies.back')}</Link>
      </p>
      <PageHeading title={t('studies.new.title')}>{t('studies.new.title')}</PageHeading>
      <p className="page-intro">{t('studies.new.intro', { organisation: user.organisation.name })}</p>
      {confirm}
      <form className="narrow-form study-form" onSubmit={submit} noValidate>
        {serverError && <ErrorAlert heading={t('studies.new.notSaved')} message={serverError.status === 400 ? t('studies.new.checkFields') : t('error.request')} />}
        {managed.length > 1 && (
          <SelectField
            id="study-programme"
            label={t('studies.programme')}
            value={f.programmeId}
            error={errors.programmeId}
            onChange={(v) => set('programmeId', v)}
            options={[{ value: '', label: t('studies.new.chooseProgramme') }, ...managed.map((p) => ({ value: p.id, label: p.name }))]}
          />
        )}
        <TextField id="study-title" label={t('studies.new.titleLabel')} value={f.title} onChange={(v) => set('title', v)} error={errors.title} />
        <TextField id="study-partner" label={t('studies.partner')} value={f.partnerName} onChange={(v) => set('partnerName', v)} error={errors.partnerName} />
        <SelectField
          id="study-partner-role"
          label={t('studies.partnerRole')}
          value={f.partnerRole}
          onChange={(v) => set('partnerRole', v)}
          options={[
            { value: 'controller', label: t('studies.role.controller') },
            { value: 'processor', label: t('studies.new.processor') },
          ]}
        />
        {f.partnerRole === 'processor' && (
          <TextField id="study-dpa" label={t('studies.new.dpaLabel')} value={f.dpaReference} onChange={(v) => set('dpaReference', v)} error={errors.dpaReference ?? (serverError?.issueFor('dpaReference') ? t('studies.new.error.dpa') : undefined)} />
        )}
        <fieldset className="form-group">
          <legend className="form-label">{t('studies.legalBasis')}</legend>
          <p className="form-hint">{t('studies.basis.gdpr6')}</p>
          <div className={errors.sensitiveBasis ? 'form-group-checkbox form-error' : 'form-group-checkbox'}>
            <input id="study-dbl10" type="checkbox" className="form-checkbox" checked={f.sensitiveBasis} aria-describedby={errors.sensitiveBasis ? 'study-dbl10-error' : undefined} onChange={(e) => set('sensitiveBasis', e.target.checked)} />
            <label htmlFor="study-dbl10">{t('studies.basis.dbl10')}</label>
          </div>
          {errors.sensitiveBasis && (
            <span className="form-error-message" id="study-dbl10-error">
              {errors.sensitiveBasis}
            </span>
          )}
        </fieldset>
        <fieldset className="form-group">
          <legend className="form-label">{t('studies.new.checklistLegend')}</legend>
          {(['thirdCountry', 'biologicalMaterial', 'journalPublication'] as const).map((key) => (
            <div className="form-group-checkbox" key={key}>
              <input id={`study-${key}`} type="checkbox" className="form-checkbox" checked={f[key]} onChange={(e) => set(key, e.target.checked)} />
              <label htmlFor={`study-${key}`}>{t(`studies.new.checklist.${key}`)}</label>
            </div>
          ))}
        </fieldset>
        {permissionNeeded && (
          <TextField id="study-permission" label={t('studies.new.permissionLabel')} hint={t('studies.new.permissionHint')} value={f.permissionReference} onChange={(v) => set('permissionReference', v)} />
        )}
        <TextArea id="study-purpose" label={t('studies.purpose')} value={f.purpose} onChange={(v) => set('purpose', v)} error={errors.purpose} rows={4} />
        <TextField id="study-starts" type="date" label={t('studies.new.startsOn')} value={f.startsOn} onChange={(v) => set('startsOn', v)} error={errors.startsOn} />
        <TextField id="study-ends" type="date" label={t('studies.new.endsOn')} value={f.endsOn} onChange={(v) => set('endsOn', v)} error={errors.endsOn} />
        <SelectField
          id="study-precision"
          label={t('studies.datePrecision')}
          value={f.datePrecision}
          onChange={(v) => set('datePrecision', v)}
          options={[
            { value: 'month', label: t('studies.precision.month') },
            { value: 'shifted', label: t('studies.precision.shifted') },
          ]}
        />
        <TextField id="study-dpia" label={t('studies.dpia')} value={f.dpiaReference} onChange={(v) => set('dpiaReference', v)} error={errors.dpiaReference} />
        <div className="form-group-checkbox">
          <input id="study-linkage" type="checkbox" className="form-checkbox" checked={f.registerLinkage} aria-describedby="study-linkage-hint" onChange={(e) => set('registerLinkage', e.target.checked)} />
          <label htmlFor="study-linkage">{t('studies.new.linkageLabel')}</label>
          <p className="form-hint" id="study-linkage-hint">
            {t('studies.new.linkageHint')}
          </p>
        </div>
        {f.registerLinkage && (
          <TextField id="study-dst" label={t('studies.new.dstLabel')} value={f.dstReference} onChange={(v) => set('dstReference', v)} error={errors.dstReference} />
        )}
        <fieldset className={errors.variables ? 'form-group form-error' : 'form-group'} aria-describedby="study-variables-hint">
          <legend className="form-label">{t('studies.variables')}</legend>
          <p className="form-hint" id="study-variables-hint">
            {t('studies.new.variablesHint')}
          </p>
          {errors.variables && <span className="form-error-message">{errors.variables}</span>}
          {book.data.files.map((file) => (
            <fieldset key={file.name} className="study-file">
              <legend>{file.label[language]}</legend>
              {book.data.variables
                .filter((v) => v.file === file.name && !v.always)
                .map((v) => (
                  <div className="form-group-checkbox" key={v.name}>
                    <input id={`var-${v.name}`} type="checkbox" className="form-checkbox" checked={chosen.has(v.name)} onChange={(e) => toggle(v.name, e.target.checked)} />
                    <label htmlFor={`var-${v.name}`}>
                      {v.label[language]}
                      {v.sensitive ? ` — ${t('studies.healthData')}` : ''}
                    </label>
                  </div>
                ))}
            </fieldset>
          ))}
        </fieldset>
        <FormButtons saveLabel={t('studies.new.save')} disabled={save.isPending} cancelTo="/studies" />
      </form>
    </>
  );
}
