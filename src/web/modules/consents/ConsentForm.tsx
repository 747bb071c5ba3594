// The consent form: the usual pair (sdl_43 + rsl_11a) given in one sitting, or the municipal disclosure consent
// (fvl_28) on its own. Shows the form and consequence texts the citizen is consenting to, checks what makes a
// consent specific (categories, recipient, end date) before sending, and explains the server's refusals.
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { todayInCopenhagen } from '../../i18n/format.ts';
import { roleLabel } from '../../i18n/labels.ts';
import { isValidCvr } from '../../../contracts/cvr.ts';
import { FormButtons, SelectField, TextArea, TextField } from '../../app/fields.tsx';
import { ErrorAlert } from '../../app/feedback.tsx';
import { citizenKey, currentEnrolment, type CitizenDetail } from '../citizens/citizenApi.ts';
import { MUNICIPAL_CATEGORIES, MUNICIPAL_ROLES, REGION_CATEGORIES, REGION_ROLES, useConsentForms, useProgrammeFacts, type Created } from './consentsApi.ts';
import { categoryLabel, instrumentLabel } from './labels.tsx';

/** `company`: sdl_43 on its own, naming a company (by CVR) the liaison may tell what the citizen needs at work. */
type Kind = 'pair' | 'fvl_28' | 'company';
const COMPANY_CATEGORIES = ['work_considerations', 'support_needs'] as const;

function plusMonths(iso: string, months: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** Server issue codes the form explains in words; anything else is shown as the server's message. */
const ISSUE_KEYS: Record<string, MessageKey> = {
  blanket_consent: 'consents.error.blanket',
  over_programme_maximum: 'consents.error.overMaximum',
  over_one_year: 'consents.error.overOneYear',
  required_for_oral: 'consents.error.oral',
  in_future: 'consents.error.future',
  before_given: 'consents.error.beforeGiven',
  before_valid_from: 'consents.error.beforeFrom',
  required: 'consents.error.required',
  required_for_rsl_11a: 'consents.error.caseReference',
};

/**
 * `record`: the consent given now in the sitting (written, or oral with a witness). `prepare`: the same consent set
 * up with the citizen, for them to confirm themselves with MitID in the portal (no consent until they do).
 */
export type ConsentFormMode = 'record' | 'prepare';

export function ConsentForm({ citizen, onDone, onCancel }: { citizen: CitizenDetail; onDone: (count: number, mode: ConsentFormMode) => void; onCancel: () => void }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const enrolment = currentEnrolment(citizen);
  const programmeId = enrolment?.programme.id ?? null;
  const programme = useProgrammeFacts(programmeId);
  const forms = useConsentForms();
  const today = todayInCopenhagen();
  const [kind, setKind] = useState<Kind>('pair');
  const [mode, setMode] = useState<ConsentFormMode>('record');
  const [categories, setCategories] = useState<string[]>([]);
  const [roles, setRoles] = useState<string[]>(['caseworker']);
  const [purpose, setPurpose] = useState(enrolment ? enrolment.programme.name : '');
  const [caseReference, setCaseReference] = useState('');
  const [givenOn, setGivenOn] = useState(today);
  const [validFrom, setValidFrom] = useState(today);
  const [validTo, setValidTo] = useState(plusMonths(today, 12));
  const [givenBy, setGivenBy] = useState<'citizen' | 'guardian' | 'power_of_attorney'>('citizen');
  const [givenByName, setGivenByName] = useState('');
  const [capacityNote, setCapacityNote] = useState('');
  const [givenHow, setGivenHow] = useState<'written' | 'oral'>('written');
  const [oralReason, setOralReason] = useState('');
  const [witness, setWitness] = useState('');
  const [copyGiven, setCopyGiven] = useState(true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [companyCvr, setCompanyCvr] = useState('');
  const [companyName, setCompanyName] = useState('');

  const partners = programme.data?.partners ?? [];
  const region = partners.find((p) => p.kind === 'region');
  const municipality = partners.find((p) => p.kind === 'municipality');
  const available = kind === 'pair' ? REGION_CATEGORIES : kind === 'company' ? COMPANY_CATEGORIES : MUNICIPAL_CATEGORIES;
  const roleOptions = kind === 'pair' ? MUNICIPAL_ROLES : REGION_ROLES;
  const instruments = kind === 'pair' ? (['sdl_43', 'rsl_11a'] as const) : kind === 'company' ? (['sdl_43'] as const) : (['fvl_28'] as const);
  // Only the region tells a company (on its own record of the patient).
  const kinds: Kind[] = region && citizen.organisation.id === region.id ? ['pair', 'fvl_28', 'company'] : ['pair', 'fvl_28'];

  const save = useMutation({
    mutationFn: async (body: Record<string, unknown>) => {
      if (mode === 'record') return (await api.post<Created>(`/api/citizens/${encodeURIComponent(citizen.id)}/consents`, body)).ids.length;
      // A preparation carries only what the citizen confirms: the period and the items (the sitting's facts come with the confirmation).
      await api.post(`/api/citizens/${encodeURIComponent(citizen.id)}/consent-preparations`, { validFrom: body.validFrom, validTo: body.validTo, items: body.items });
      return 1;
    },
    onSuccess: async (count) => {
      await client.invalidateQueries({ queryKey: mode === 'record' ? citizenKey(citizen.id) : ['consent-preparations', citizen.id] });
      onDone(count, mode);
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      const found: Record<string, string> = {};
      for (const issue of error.body?.issues ?? []) {
        const field = issue.path.replace(/^body\./, '').replace(/^items\.\d+\./, '').replace(/^recipientCompany\.cvr$/, 'companyCvr');
        found[field] = ISSUE_KEYS[issue.message] ? t(ISSUE_KEYS[issue.message]!) : error.message;
      }
      setErrors(found);
    },
  });

  function switchKind(next: Kind) {
    setKind(next);
    setCategories([]);
    setRoles(next === 'pair' ? ['caseworker'] : next === 'company' ? [] : ['liaison']);
    setErrors({});
  }
  const toggle = (list: string[], value: string, set: (v: string[]) => void) => set(list.includes(value) ? list.filter((x) => x !== value) : [...list, value]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (categories.length === 0) found.categories = t('consents.error.blanket');
    if (!validTo) found.validTo = t('consents.error.blanket');
    if (kind !== 'company' && roles.length === 0) found.recipientRoles = t('consents.error.roles');
    if (kind === 'company') {
      const cvr = companyCvr.replace(/\s/g, '');
      if (!/^[0-9]{8}$/.test(cvr)) found.companyCvr = t('liaisonCompanies.error.cvrDigits');
      else if (!isValidCvr(cvr)) found.companyCvr = t('liaisonCompanies.error.cvrInvalid');
      if (!companyName.trim()) found.companyName = t('liaisonCompanies.error.nameRequired');
    }
    if (!purpose.trim()) found.purpose = t('consents.error.required');
    if (kind === 'pair' && !caseReference.trim()) found.caseReference = t('consents.error.caseReference');
    if (mode === 'record' && givenBy !== 'citizen' && !givenByName.trim()) found.givenByName = t('consents.error.required');
    if (mode === 'record' && givenHow === 'oral' && !oralReason.trim()) found.oralReason = t('consents.error.oral');
    if (mode === 'record' && givenHow === 'oral' && !witness.trim()) found.witness = t('consents.error.oral');
    setErrors(found);
    if (Object.keys(found).length > 0 || !region || !municipality || !programmeId) return;
    const source = kind === 'fvl_28' ? municipality.id : region.id;
    const recipient = kind === 'pair' ? municipality.id : region.id;
    save.mutate({
      givenOn,
      validFrom,
      validTo,
      givenBy,
      givenByName: givenBy === 'citizen' ? null : givenByName,
      capacityNote: capacityNote.trim() || null,
      givenHow,
      oralReason: givenHow === 'oral' ? oralReason : null,
      witness: givenHow === 'oral' ? witness : null,
      copyGiven,
      items: instruments.map((instrument) => ({
        instrument,
        categories,
        sourceOrganisationId: source,
        ...(kind === 'company'
          ? { recipientOrganisationId: null, recipientCompany: { cvr: companyCvr.replace(/\s/g, ''), name: companyName.trim() } }
          : { recipientOrganisationId: recipient, recipientRoles: roles }),
        purpose,
        programmeId,
        caseReference: instrument === 'rsl_11a' ? caseReference : null,
      })),
    });
  }

  if (!enrolment) return <p>{t('consents.needsEnrolment')}</p>;
  // In the order the citizen reads them: the passing on (sdl_43) before the obtaining (rsl_11a).
  const formTexts = instruments.flatMap((i) => (forms.data?.items ?? []).filter((f) => f.instrument === i));
  return (
    <form className="inline-form consent-form" onSubmit={submit} noValidate aria-labelledby="consent-form-heading">
      <h3 id="consent-form-heading" className="h4">
        {t('consents.formHeading')}
      </h3>
      <fieldset className="consent-fieldset">
        <legend>{t('consents.kind')}</legend>
        {kinds.map((k) => (
          <div className="form-group-radio" key={k}>
            <input type="radio" className="form-radio" id={`consent-kind-${k}`} name="consent-kind" checked={kind === k} onChange={() => switchKind(k)} />
            <label htmlFor={`consent-kind-${k}`}>{t(k === 'pair' ? 'consents.kindPair' : k === 'company' ? 'liaisonCompanies.consentKind' : 'consents.kindMunicipal')}</label>
          </div>
        ))}
      </fieldset>

      {formTexts.map((f) => (
        <section className="consent-text" key={f.id} aria-label={instrumentLabel(t, f.instrument)}>
          <h4 className="h5">{f.title[language]}</h4>
          <p>{f.text[language]}</p>
          <p>
            <strong>{t('consents.consequence')}</strong> {f.consequence[language]}
          </p>
          <p className="form-hint">{t('consents.formVersion', { version: f.version })}</p>
        </section>
      ))}

      <fieldset className={errors.categories ? 'consent-fieldset form-error' : 'consent-fieldset'} aria-describedby={errors.categories ? 'consent-categories-error' : undefined}>
        <legend>{t(kind === 'pair' ? 'consents.categoriesRegion' : kind === 'company' ? 'liaisonCompanies.consentCategories' : 'consents.categoriesMunicipal')}</legend>
        {errors.categories && (
          <span className="form-error-message" id="consent-categories-error">
            {errors.categories}
          </span>
        )}
        {available.map((c) => (
          <div className="form-group-checkbox" key={c}>
            <input type="checkbox" className="form-checkbox" id={`consent-cat-${c}`} checked={categories.includes(c)} onChange={() => toggle(categories, c, setCategories)} />
            <label htmlFor={`consent-cat-${c}`}>{categoryLabel(t, c)}</label>
          </div>
        ))}
      </fieldset>

      {kind === 'company' && (
        <>
          <TextField id="consent-company-cvr" label={t('liaisonCompanies.cvr')} hint={t('liaisonCompanies.cvrHint')} inputMode="numeric" value={companyCvr} onChange={setCompanyCvr} error={errors.companyCvr} />
          <TextField id="consent-company-name" label={t('liaisonCompanies.companyName')} value={companyName} onChange={setCompanyName} error={errors.companyName} />
        </>
      )}
      {kind !== 'company' && (
      <p>
        {t('consents.direction', {
          source: (kind === 'pair' ? region?.name : municipality?.name) ?? '–',
          recipient: (kind === 'pair' ? municipality?.name : region?.name) ?? '–',
        })}
      </p>
      )}
      {kind !== 'company' && (
      <fieldset className={errors.recipientRoles ? 'consent-fieldset form-error' : 'consent-fieldset'}>
        <legend>{t('consents.recipientRoles')}</legend>
        {errors.recipientRoles && <span className="form-error-message">{errors.recipientRoles}</span>}
        {roleOptions.map((r) => (
          <div className="form-group-checkbox" key={r}>
            <input type="checkbox" className="form-checkbox" id={`consent-role-${r}`} checked={roles.includes(r)} onChange={() => toggle(roles, r, setRoles)} />
            <label htmlFor={`consent-role-${r}`}>{roleLabel(t, r)}</label>
          </div>
        ))}
      </fieldset>
      )}

      <TextField id="consent-purpose" label={t('consents.purpose')} value={purpose} onChange={setPurpose} error={errors.purpose} />
      {kind === 'pair' && <TextField id="consent-case" label={t('consents.caseReference')} hint={t('consents.caseReferenceHint')} value={caseReference} onChange={setCaseReference} error={errors.caseReference} />}
      <fieldset className="consent-fieldset">
        <legend>{t('consents.mode')}</legend>
        {(['record', 'prepare'] as const).map((m) => (
          <div className="form-group-radio" key={m}>
            <input type="radio" className="form-radio" id={`consent-mode-${m}`} name="consent-mode" checked={mode === m} onChange={() => setMode(m)} />
            <label htmlFor={`consent-mode-${m}`}>{t(m === 'record' ? 'consents.mode.record' : 'consents.mode.prepare')}</label>
          </div>
        ))}
        {mode === 'prepare' && <p className="form-hint">{t('consents.mode.prepareHint')}</p>}
      </fieldset>
      {mode === 'record' && <TextField id="consent-given-on" type="date" label={t('consents.givenOn')} value={givenOn} onChange={setGivenOn} error={errors.givenOn} />}
      <TextField id="consent-valid-from" type="date" label={t('consents.validFrom')} value={validFrom} onChange={setValidFrom} error={errors.validFrom} />
      <TextField id="consent-valid-to" type="date" label={t('consents.validTo')} hint={t(kind === 'pair' ? 'consents.validToHintPair' : 'consents.validToHint')} value={validTo} onChange={setValidTo} error={errors.validTo} />
      {mode === 'record' && (
        <>
      <SelectField
        id="consent-given-by"
        label={t('consents.givenByLabel')}
        value={givenBy}
        onChange={(v) => setGivenBy(v as typeof givenBy)}
        options={(['citizen', 'guardian', 'power_of_attorney'] as const).map((v) => ({ value: v, label: t(`consents.givenBy.${v}`) }))}
      />
      {givenBy !== 'citizen' && <TextField id="consent-given-by-name" label={t('consents.givenByName')} value={givenByName} onChange={setGivenByName} error={errors.givenByName} />}
      <TextArea id="consent-capacity" label={t('consents.capacityNote')} hint={t('consents.capacityHint')} rows={2} value={capacityNote} onChange={setCapacityNote} />
      <SelectField
        id="consent-given-how"
        label={t('consents.givenHowLabel')}
        value={givenHow}
        onChange={(v) => setGivenHow(v as typeof givenHow)}
        options={(['written', 'oral'] as const).map((v) => ({ value: v, label: t(`consents.givenHow.${v}`) }))}
      />
      {givenHow === 'oral' && (
        <>
          <TextArea id="consent-oral-reason" label={t('consents.oralReason')} rows={2} value={oralReason} onChange={setOralReason} error={errors.oralReason} />
          <TextField id="consent-witness" label={t('consents.witness')} value={witness} onChange={setWitness} error={errors.witness} />
        </>
      )}
      <div className="form-group-checkbox">
        <input type="checkbox" className="form-checkbox" id="consent-copy" checked={copyGiven} onChange={(e) => setCopyGiven(e.target.checked)} />
        <label htmlFor="consent-copy">{t('consents.copyGiven')}</label>
      </div>
        </>
      )}
      {save.isError && !(save.error instanceof ApiError && save.error.body?.issues?.length) && <ErrorAlert message={save.error instanceof ApiError ? save.error.message : t('error.network')} />}
      {Object.keys(errors).length > 0 && <ErrorAlert message={t('consents.error.summary')} />}
      <FormButtons
        saveLabel={mode === 'prepare' ? t('consents.mode.prepareSave') : t(kind === 'pair' ? 'consents.savePair' : kind === 'company' ? 'liaisonCompanies.consentSave' : 'consents.saveMunicipal')}
        disabled={save.isPending}
        onCancel={onCancel}
      />
    </form>
  );
}
