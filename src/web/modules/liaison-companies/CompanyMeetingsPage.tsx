// "Virksomhedsmøder": the meetings with companies the liaison attended (the region's record), and a new one.
// The company is named by its CVR number, checked as it is typed, with its name as the municipality knows it.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ProgrammeSummary } from '../../../contracts/programmes.ts';
import { isValidCvr } from '../../../contracts/cvr.ts';
import { api, ApiError } from '../../api/client.ts';
import { ErrorAlert, Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { FormButtons, SelectField, TextArea, TextField } from '../../app/fields.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatIsoDate, todayInCopenhagen } from '../../i18n/format.ts';
import { COMPANY_MEETINGS_KEY, useCompanyMeetings, type CompanyMeetingDetail } from './companyMeetingsApi.ts';
import './liaison-companies.css';

const todayIso = () => todayInCopenhagen();

export function CompanyMeetingsPage() {
  const { t, language } = useI18n();
  const list = useCompanyMeetings();
  const [adding, setAdding] = useState(false);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <p className="breadcrumb-link">
        <Link to="/inquiries">{t('liaisonCompanies.back')}</Link>
      </p>
      <div className="title-row">
        <PageHeading title={t('liaisonCompanies.title')}>{t('liaisonCompanies.title')}</PageHeading>
        {!adding && (
          <button type="button" className="button button-primary title-action" onClick={() => setAdding(true)}>
            {t('liaisonCompanies.new')}
          </button>
        )}
      </div>
      <p className="page-intro">{t('liaisonCompanies.intro')}</p>
      {adding && <NewMeetingForm onCancel={() => setAdding(false)} />}
      <h2>{t('liaisonCompanies.listHeading')}</h2>
      {list.isPending && <Loading />}
      {list.isError && <QueryError error={list.error} />}
      {list.data && items.length === 0 && <p>{t('liaisonCompanies.none')}</p>}
      {items.length > 0 && (
        <table className="table company-meetings-table">
          <caption className="sr-only">{t('liaisonCompanies.listHeading')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('liaisonCompanies.heldOn')}</th>
              <th scope="col">{t('liaisonCompanies.company')}</th>
              <th scope="col">{t('liaisonCompanies.purpose')}</th>
              <th scope="col">{t('liaisonCompanies.patients')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr key={m.id}>
                <td>{formatIsoDate(language, m.heldOn)}</td>
                <td>
                  <Link to={`/company-meetings/${m.id}`}>{m.company.name}</Link>
                  <br />
                  <span className="form-hint">{t('liaisonCompanies.cvrShort', { cvr: m.company.cvr })}</span>
                </td>
                <td>{m.purpose}</td>
                <td>{m.itemCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.hasNextPage && (
        <button type="button" className="button button-secondary" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {t('liaisonCompanies.more')}
        </button>
      )}
    </>
  );
}

function NewMeetingForm({ onCancel }: { onCancel: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const client = useQueryClient();
  const programmes = useQuery({ queryKey: ['programmes'], queryFn: () => api.get<{ items: ProgrammeSummary[] }>('/api/programmes') });
  const mine = (programmes.data?.items ?? []).filter((p) => p.myRoles.includes('liaison'));
  const [programmeId, setProgrammeId] = useState('');
  const [cvr, setCvr] = useState('');
  const [name, setName] = useState('');
  const [heldOn, setHeldOn] = useState(todayIso());
  const [attendees, setAttendees] = useState('');
  const [purpose, setPurpose] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const chosenProgramme = programmeId || (mine.length === 1 ? mine[0]!.id : '');
  const save = useMutation({
    mutationFn: () => api.post<CompanyMeetingDetail>('/api/liaison/company-meetings', { programmeId: chosenProgramme, companyCvr: cvr.replace(/\s/g, ''), companyName: name, heldOn, attendees, purpose }),
    onSuccess: (created) => {
      void client.invalidateQueries({ queryKey: COMPANY_MEETINGS_KEY });
      void navigate(`/company-meetings/${created.id}`);
    },
  });
  const cvrError = (value: string) => {
    const v = value.replace(/\s/g, '');
    if (!v) return t('liaisonCompanies.error.cvrRequired');
    if (!/^[0-9]{8}$/.test(v)) return t('liaisonCompanies.error.cvrDigits');
    if (!isValidCvr(v)) return t('liaisonCompanies.error.cvrInvalid');
    return undefined;
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    const c = cvrError(cvr);
    if (c) next.cvr = c;
    if (!name.trim()) next.name = t('liaisonCompanies.error.nameRequired');
    if (!heldOn) next.heldOn = t('liaisonCompanies.error.heldOnRequired');
    else if (heldOn > todayIso()) next.heldOn = t('liaisonCompanies.error.heldOnFuture');
    if (!attendees.trim()) next.attendees = t('liaisonCompanies.error.attendeesRequired');
    if (!purpose.trim()) next.purpose = t('liaisonCompanies.error.purposeRequired');
    if (!chosenProgramme) next.programme = t('liaisonCompanies.error.programmeRequired');
    setErrors(next);
    if (Object.keys(next).length === 0) save.mutate();
  };
  const error = save.error instanceof ApiError ? save.error : null;
  return (
    <form onSubmit={submit} noValidate className="company-meeting-form" aria-labelledby="company-meeting-new-heading">
      <h2 id="company-meeting-new-heading">{t('liaisonCompanies.new')}</h2>
      {error && <ErrorAlert heading={t('liaisonCompanies.error.notSaved')} message={error.issueFor('companyCvr') ? t('liaisonCompanies.error.cvrInvalid') : t('error.request')} />}
      {mine.length > 1 && (
        <SelectField
          id="meeting-programme"
          label={t('liaisonCompanies.programme')}
          value={programmeId}
          error={errors.programme}
          onChange={setProgrammeId}
          options={[{ value: '', label: t('liaisonCompanies.chooseProgramme') }, ...mine.map((p) => ({ value: p.id, label: p.name }))]}
        />
      )}
      <TextField id="meeting-cvr" label={t('liaisonCompanies.cvr')} hint={t('liaisonCompanies.cvrHint')} inputMode="numeric" value={cvr} onChange={setCvr} error={errors.cvr} />
      <TextField id="meeting-company-name" label={t('liaisonCompanies.companyName')} value={name} onChange={setName} error={errors.name} />
      <TextField id="meeting-held-on" type="date" label={t('liaisonCompanies.heldOn')} value={heldOn} onChange={setHeldOn} error={errors.heldOn} />
      <TextArea id="meeting-attendees" label={t('liaisonCompanies.attendees')} hint={t('liaisonCompanies.attendeesHint')} value={attendees} onChange={setAttendees} error={errors.attendees} rows={3} />
      <TextArea id="meeting-purpose" label={t('liaisonCompanies.purpose')} value={purpose} onChange={setPurpose} error={errors.purpose} rows={3} />
      <FormButtons saveLabel={t('liaisonCompanies.save')} disabled={save.isPending} onCancel={onCancel} />
    </form>
  );
}
