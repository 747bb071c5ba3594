// One company meeting: what the company was told about each patient, and a new item. An item needs a valid
// sdl_43 consent naming this company (by CVR); a refusal names what is missing. Never a diagnosis.
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { ErrorAlert, Loading, PageHeading, QueryError, SuccessNotice } from '../../app/feedback.tsx';
import { FormButtons, SelectField, TextArea } from '../../app/fields.tsx';
import { isMessageKey, useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatDateTime, formatIsoDate } from '../../i18n/format.ts';
import { categoryLabel } from '../consents/labels.tsx';
import { COMPANY_CATEGORIES, COMPANY_MEETINGS_KEY, meetingKey, useCompanyMeeting, useMeetingPatients, type CompanyMeetingItem, type Gap } from './companyMeetingsApi.ts';
import './liaison-companies.css';

export function CompanyMeetingPage() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const meeting = useCompanyMeeting(id);
  const m = meeting.data;
  return (
    <>
      <p className="breadcrumb-link">
        <Link to="/company-meetings">{t('liaisonCompanies.backToList')}</Link>
      </p>
      {meeting.isPending && <Loading />}
      {meeting.isError && <QueryError error={meeting.error} />}
      {m && (
        <>
          <PageHeading title={m.company.name}>{m.company.name}</PageHeading>
          <dl className="detail-list">
            <div>
              <dt>{t('liaisonCompanies.cvr')}</dt>
              <dd>{m.company.cvr}</dd>
            </div>
            <div>
              <dt>{t('liaisonCompanies.heldOn')}</dt>
              <dd>{formatIsoDate(language, m.heldOn)}</dd>
            </div>
            <div>
              <dt>{t('liaisonCompanies.attendees')}</dt>
              <dd>{m.attendees}</dd>
            </div>
            <div>
              <dt>{t('liaisonCompanies.purpose')}</dt>
              <dd>{m.purpose}</dd>
            </div>
          </dl>
          <h2>{t('liaisonCompanies.itemsHeading')}</h2>
          {m.items.length === 0 && <p>{t('liaisonCompanies.noItems')}</p>}
          {m.items.length > 0 && (
            <ul className="company-meeting-items">
              {m.items.map((i) => (
                <li key={i.id}>
                  <p className="company-meeting-item-head">
                    <Link to={`/patients/${i.citizen.id}`}>{i.citizen.name}</Link> · {i.categories.map((c) => categoryLabel(t, c)).join(', ')}
                  </p>
                  <p>{i.told}</p>
                  <p className="form-hint">{t('liaisonCompanies.itemBasis', { name: i.decidedBy.name, when: formatDateTime(language, i.disclosedAt) })}</p>
                </li>
              ))}
            </ul>
          )}
          <NewItemForm meetingId={m.id} companyName={m.company.name} cvr={m.company.cvr} />
        </>
      )}
    </>
  );
}

function GapList({ gaps }: { gaps: Gap[] }) {
  const { t } = useI18n();
  return (
    <ul className="company-meeting-gaps">
      {gaps.map((g) => {
        const reasonKey = `liaisonCompanies.gap.${g.reason}`;
        return (
          <li key={`${g.category}-${g.reason}`}>
            {categoryLabel(t, g.category)}: {isMessageKey(reasonKey) ? t(reasonKey as MessageKey) : g.reason}
          </li>
        );
      })}
    </ul>
  );
}

function NewItemForm({ meetingId, companyName, cvr }: { meetingId: string; companyName: string; cvr: string }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const patients = useMeetingPatients(meetingId);
  const [citizenId, setCitizenId] = useState('');
  const [categories, setCategories] = useState<string[]>([]);
  const [told, setTold] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<CompanyMeetingItem | null>(null);
  const save = useMutation({
    mutationFn: () => api.post<CompanyMeetingItem>(`/api/liaison/company-meetings/${encodeURIComponent(meetingId)}/items`, { citizenId, categories, told }),
    onSuccess: (item) => {
      setSaved(item);
      setTold('');
      setCategories([]);
      setCitizenId('');
      void client.invalidateQueries({ queryKey: meetingKey(meetingId) });
      void client.invalidateQueries({ queryKey: COMPANY_MEETINGS_KEY });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    const next: Record<string, string> = {};
    if (!citizenId) next.citizen = t('liaisonCompanies.error.patientRequired');
    if (categories.length === 0) next.categories = t('liaisonCompanies.error.categoriesRequired');
    if (!told.trim()) next.told = t('liaisonCompanies.error.toldRequired');
    setErrors(next);
    if (Object.keys(next).length === 0) save.mutate();
  };
  const error = save.error instanceof ApiError ? save.error : null;
  const gaps = error?.status === 409 ? ((error.body as unknown as { gaps?: Gap[] } | null)?.gaps ?? []) : [];
  const diagnosis = error?.issueFor('told')?.startsWith('diagnosis:') ? error.issueFor('told')!.slice('diagnosis:'.length) : null;
  const toggle = (c: string) => setCategories((cs) => (cs.includes(c) ? cs.filter((x) => x !== c) : [...cs, c]));
  return (
    <form onSubmit={submit} noValidate className="company-meeting-form" aria-labelledby="company-item-heading">
      <h2 id="company-item-heading">{t('liaisonCompanies.newItem')}</h2>
      <p className="form-hint">{t('liaisonCompanies.newItemIntro')}</p>
      {saved && <SuccessNotice message={t('liaisonCompanies.itemSaved', { name: saved.citizen.name })} />}
      {error?.status === 409 && (
        <ErrorAlert heading={t('liaisonCompanies.error.notCovered', { company: companyName, cvr })} message={t('liaisonCompanies.error.notCoveredText')}>
          <GapList gaps={gaps} />
        </ErrorAlert>
      )}
      {error && error.status !== 409 && !diagnosis && <ErrorAlert heading={t('liaisonCompanies.error.notSaved')} message={t('error.request')} />}
      {patients.isError && <QueryError error={patients.error} />}
      <SelectField
        id="item-patient"
        label={t('liaisonCompanies.patient')}
        value={citizenId}
        error={errors.citizen}
        onChange={setCitizenId}
        options={[{ value: '', label: t('liaisonCompanies.choosePatient') }, ...(patients.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))]}
      />
      <fieldset className={errors.categories ? 'form-group form-error' : 'form-group'} aria-describedby={errors.categories ? 'item-categories-error' : undefined}>
        <legend className="form-label">{t('liaisonCompanies.categories')}</legend>
        {errors.categories && (
          <span className="form-error-message" id="item-categories-error">
            {errors.categories}
          </span>
        )}
        <ul className="plain-list">
          {COMPANY_CATEGORIES.map((c) => (
            <li key={c} className="form-group-checkbox">
              <input id={`item-category-${c}`} type="checkbox" className="form-checkbox" checked={categories.includes(c)} onChange={() => toggle(c)} />
              <label htmlFor={`item-category-${c}`}>{categoryLabel(t, c)}</label>
            </li>
          ))}
        </ul>
      </fieldset>
      <TextArea
        id="item-told"
        label={t('liaisonCompanies.told')}
        hint={t('liaisonCompanies.toldHint')}
        value={told}
        onChange={setTold}
        error={errors.told ?? (diagnosis ? t('liaisonCompanies.error.diagnosis', { word: diagnosis }) : undefined)}
        rows={4}
      />
      <FormButtons saveLabel={t('liaisonCompanies.saveItem')} disabled={save.isPending} />
    </form>
  );
}
