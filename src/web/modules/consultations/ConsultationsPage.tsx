// "Sparring og rådgivning": the liaison records attending a municipal meeting or sparring — what was said about a
// named patient (only under consents both ways: an oral disclosure, with a task to note it in the patient journal)
// or an anonymous case — and sees the recent consultations.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { ErrorAlert, Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { FormButtons, SelectField, TextArea, TextField } from '../../app/fields.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { ConsentIssues } from '../inquiries/NewInquiryPage.tsx';
import { CONSULTATIONS_KEY, HEALTH_CATEGORIES, KINDS, useConsultationList, useConsultationOptions, useMyPatients, type ConsultationDetail, type ConsultationKind } from './consultationsApi.ts';
import './consultations.css';

export function ConsultationStatus({ status }: { status: 'open' | 'stopped_recognised' }) {
  const { t } = useI18n();
  return <span className={`tag-status consultation-status-${status}`}>{t(`consultations.status.${status}` as MessageKey)}</span>;
}

function RecentList() {
  const { t, language } = useI18n();
  const list = useConsultationList();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="page-section" aria-labelledby="consultations-recent-heading">
      <h2 id="consultations-recent-heading">{t('consultations.recent')}</h2>
      {list.isPending && <Loading />}
      {list.isError && <QueryError error={list.error} />}
      {list.data && items.length === 0 && <p className="empty-state">{t('consultations.none')}</p>}
      {items.length > 0 && (
        <TableScroll labelledBy="consultations-recent-caption">
          <table className="table table--compact table-stack">
            <caption id="consultations-recent-caption" className="sr-only">
              {t('consultations.recent')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('consultations.heldAt')}</th>
                <th scope="col">{t('consultations.kind')}</th>
                <th scope="col">{t('consultations.municipality')}</th>
                <th scope="col">{t('consultations.items')}</th>
                <th scope="col">{t('consultations.statusLabel')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link to={`/consultations/${c.id}`}>{formatDateTime(language, c.heldAt)}</Link>
                  </th>
                  <td data-label={t('consultations.kind')}>{t(`consultations.kind.${c.kind}` as MessageKey)}</td>
                  <td data-label={t('consultations.municipality')}>{c.municipality.name}</td>
                  <td data-label={t('consultations.items')}>{t('consultations.itemCount', { items: c.itemCount, named: c.namedCount })}</td>
                  <td data-label={t('consultations.statusLabel')}>
                    <ConsultationStatus status={c.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {list.hasNextPage && (
        <button type="button" className="button button-secondary load-more" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? t('common.loading') : t('common.showMore')}
        </button>
      )}
    </section>
  );
}

type Errors = Partial<Record<'heldDate' | 'heldTime' | 'participants' | 'patient' | 'categories' | 'saidTo' | 'description' | 'advice', string>>;

/** A date and a time of day in the browser's zone, as an ISO moment with its offset. */
function moment(date: string, time: string): string {
  return new Date(`${date}T${time}`).toISOString();
}

function CheckboxGroup({ id, legend, error, options, chosen, onChange }: { id: string; legend: string; error?: string; options: { value: string; label: string }[]; chosen: string[]; onChange: (v: string[]) => void }) {
  return (
    <fieldset className={error ? 'form-group form-error' : 'form-group'} aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="form-label">{legend}</legend>
      {error && (
        <span className="form-error-message" id={`${id}-error`}>
          {error}
        </span>
      )}
      <ul className="plain-list">
        {options.map((o) => (
          <li key={o.value} className="form-group-checkbox">
            <input
              id={`${id}-${o.value}`}
              type="checkbox"
              className="form-checkbox"
              checked={chosen.includes(o.value)}
              onChange={(e) => onChange(e.target.checked ? [...chosen, o.value] : chosen.filter((v) => v !== o.value))}
            />
            <label htmlFor={`${id}-${o.value}`}>{o.label}</label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

function NewConsultationForm() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const client = useQueryClient();
  const options = useConsultationOptions();
  const patients = useMyPatients();
  const programmes = options.data?.programmes ?? [];
  const [programmeId, setProgrammeId] = useState('');
  const programme = programmes.find((p) => p.id === programmeId) ?? (programmes.length === 1 ? programmes[0] : undefined);
  const [municipalityId, setMunicipalityId] = useState('');
  const municipality = programme?.municipalities.find((m) => m.id === municipalityId) ?? (programme?.municipalities.length === 1 ? programme.municipalities[0] : undefined);
  const [kind, setKind] = useState<ConsultationKind>('network_meeting');
  const [heldDate, setHeldDate] = useState('');
  const [heldTime, setHeldTime] = useState('');
  const [place, setPlace] = useState('');
  const [participants, setParticipants] = useState<string[]>([]);
  const [others, setOthers] = useState('');
  const [named, setNamed] = useState(true);
  const [patient, setPatient] = useState('');
  const [categories, setCategories] = useState<string[]>([]);
  const [saidTo, setSaidTo] = useState<string[]>([]);
  const [description, setDescription] = useState('');
  const [advice, setAdvice] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const itemNamed = kind !== 'anonymous' && named;
  const staff = municipality?.staff ?? [];
  const myPatients = (patients.data?.items ?? []).filter((p) => !programme || p.enrolment?.programmeId === programme.id);

  const save = useMutation({
    mutationFn: () =>
      api.post<ConsultationDetail>('/api/consultations', {
        programmeId: programme!.id,
        municipalityId: municipality!.id,
        kind,
        heldAt: moment(heldDate, heldTime),
        ...(place.trim() ? { place } : {}),
        participantIds: participants,
        ...(others.trim() ? { otherParticipants: others } : {}),
        items: [itemNamed ? { kind: 'named', citizenId: patient, saidTo: saidTo.filter((u) => participants.includes(u)), categories, advice } : { kind: 'anonymous', description, advice }],
      }),
    onSuccess: (created) => {
      void client.invalidateQueries({ queryKey: CONSULTATIONS_KEY });
      void navigate(`/consultations/${created.id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: Errors = {};
    if (!/^\d{4}-\d{2}-\d{2}$/.test(heldDate)) next.heldDate = t('consultations.error.date');
    if (!/^\d{2}:\d{2}$/.test(heldTime)) next.heldTime = t('consultations.error.time');
    if (itemNamed) {
      if (participants.length === 0) next.participants = t('consultations.error.participants');
      if (!patient) next.patient = t('consultations.error.patient');
      if (categories.length === 0) next.categories = t('consultations.error.categories');
      if (saidTo.filter((u) => participants.includes(u)).length === 0) next.saidTo = t('consultations.error.saidTo');
    } else if (!description.trim()) next.description = t('consultations.error.description');
    if (!advice.trim()) next.advice = t('consultations.error.advice');
    setErrors(next);
    if (Object.keys(next).length === 0 && programme && municipality) save.mutate();
  };
  const error = save.error instanceof ApiError ? save.error : null;
  if (options.isPending) return <Loading />;
  if (options.isError) return <QueryError error={options.error} />;
  return (
    <section className="page-section" aria-labelledby="consultation-new-heading">
      <h2 id="consultation-new-heading">{t('consultations.new')}</h2>
      <form onSubmit={submit} noValidate className="consultation-form">
        {error && (
          <ErrorAlert
            heading={t('consultations.error.notSaved')}
            message={error.status === 409 ? (error.body?.issues ?? []).some((i) => i.path.startsWith('consent.')) ? t('consultations.error.consentBoth') : (error.body?.message ?? t('error.request')) : error.status === 404 ? t('error.notFound') : t('consultations.error.checkFields')}
          >
            <ConsentIssues error={error} />
          </ErrorAlert>
        )}
        {programmes.length > 1 && (
          <SelectField id="consultation-programme" label={t('consultations.programme')} value={programme?.id ?? ''} onChange={setProgrammeId} options={[{ value: '', label: t('consultations.choose') }, ...programmes.map((p) => ({ value: p.id, label: p.name }))]} />
        )}
        {programme && programme.municipalities.length > 1 && (
          <SelectField id="consultation-municipality" label={t('consultations.municipality')} value={municipality?.id ?? ''} onChange={setMunicipalityId} options={[{ value: '', label: t('consultations.choose') }, ...programme.municipalities.map((m) => ({ value: m.id, label: m.name }))]} />
        )}
        <fieldset className="form-group">
          <legend className="form-label">{t('consultations.kind')}</legend>
          <ul className="plain-list">
            {KINDS.map((k) => (
              <li key={k} className="form-group-radio">
                <input id={`consultation-kind-${k}`} type="radio" name="consultation-kind" className="form-radio" checked={kind === k} onChange={() => setKind(k)} aria-describedby={`consultation-kind-${k}-hint`} />
                <label htmlFor={`consultation-kind-${k}`}>{t(`consultations.kind.${k}` as MessageKey)}</label>
                <span className="form-hint" id={`consultation-kind-${k}-hint`}>
                  {t(`consultations.kindHint.${k}` as MessageKey)}
                </span>
              </li>
            ))}
          </ul>
        </fieldset>
        <div className="consultation-when">
          <TextField id="consultation-date" type="date" label={t('consultations.date')} value={heldDate} onChange={setHeldDate} error={errors.heldDate} />
          <div className={errors.heldTime ? 'form-group form-error' : 'form-group'}>
            <label className="form-label" htmlFor="consultation-time">
              {t('consultations.time')}
            </label>
            {errors.heldTime && (
              <span className="form-error-message" id="consultation-time-error">
                {errors.heldTime}
              </span>
            )}
            <input id="consultation-time" type="time" className="form-input" value={heldTime} onChange={(e) => setHeldTime(e.target.value)} aria-invalid={errors.heldTime ? true : undefined} aria-describedby={errors.heldTime ? 'consultation-time-error' : undefined} />
          </div>
        </div>
        <TextField id="consultation-place" label={t('consultations.place')} hint={t('consultations.placeHint')} value={place} onChange={setPlace} error={error?.issueFor('place')} />
        {staff.length > 0 && (
          <CheckboxGroup id="consultation-participants" legend={t('consultations.participants', { municipality: municipality?.name ?? '' })} error={errors.participants} options={staff.map((s) => ({ value: s.id, label: s.name }))} chosen={participants} onChange={setParticipants} />
        )}
        <TextField id="consultation-others" label={t('consultations.others')} hint={t('consultations.othersHint')} value={others} onChange={setOthers} />

        <h3>{t('consultations.whatWasSaid')}</h3>
        {kind !== 'anonymous' && (
          <fieldset className="form-group">
            <legend className="form-label">{t('consultations.itemKind')}</legend>
            <ul className="plain-list">
              <li className="form-group-radio">
                <input id="consultation-item-named" type="radio" name="consultation-item" className="form-radio" checked={named} onChange={() => setNamed(true)} />
                <label htmlFor="consultation-item-named">{t('consultations.itemKind.named')}</label>
              </li>
              <li className="form-group-radio">
                <input id="consultation-item-anonymous" type="radio" name="consultation-item" className="form-radio" checked={!named} onChange={() => setNamed(false)} />
                <label htmlFor="consultation-item-anonymous">{t('consultations.itemKind.anonymous')}</label>
              </li>
            </ul>
          </fieldset>
        )}
        {itemNamed ? (
          <>
            <p className="form-hint">{t('consultations.namedHint')}</p>
            <SelectField
              id="consultation-patient"
              label={t('consultations.patient')}
              value={patient}
              error={errors.patient}
              onChange={setPatient}
              options={[{ value: '', label: t('consultations.choose') }, ...myPatients.map((p) => ({ value: p.id, label: `${p.firstName} ${p.lastName}` }))]}
            />
            <CheckboxGroup id="consultation-categories" legend={t('consultations.categories')} error={errors.categories} options={HEALTH_CATEGORIES.map((c) => ({ value: c, label: t(`inquiries.category.${c}` as MessageKey) }))} chosen={categories} onChange={setCategories} />
            <CheckboxGroup
              id="consultation-said-to"
              legend={t('consultations.saidTo')}
              error={errors.saidTo}
              options={staff.filter((s) => participants.includes(s.id)).map((s) => ({ value: s.id, label: s.name }))}
              chosen={saidTo}
              onChange={setSaidTo}
            />
            {participants.length === 0 && <p className="form-hint">{t('consultations.chooseParticipantsFirst')}</p>}
          </>
        ) : (
          <>
            <div className="alert alert-warning">
              <div className="alert-body">
                <p className="alert-heading">{t('consultations.anonymousWarningHeading')}</p>
                <p className="alert-text">{t('consultations.anonymousWarning')}</p>
              </div>
            </div>
            <TextArea id="consultation-description" label={t('consultations.description')} hint={t('consultations.descriptionHint')} value={description} onChange={setDescription} error={errors.description} rows={3} />
          </>
        )}
        <TextArea id="consultation-advice" label={t('consultations.advice')} value={advice} onChange={setAdvice} error={errors.advice} rows={5} />
        <FormButtons saveLabel={t('consultations.save')} disabled={save.isPending} cancelTo="/inquiries" />
      </form>
    </section>
  );
}

export function ConsultationsPage() {
  const { t } = useI18n();
  return (
    <>
      <p className="breadcrumb-link">
        <Link to="/inquiries">{t('consultations.back')}</Link>
      </p>
      <PageHeading title={t('consultations.title')}>{t('consultations.title')}</PageHeading>
      <p className="page-intro">{t('consultations.intro')}</p>
      <NewConsultationForm />
      <RecentList />
    </>
  );
}
