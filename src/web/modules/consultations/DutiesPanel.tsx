// The municipality's note duties from psychiatry's oral advice (offentlighedsloven § 13): on the citizen page and as
// the staff member's own list. A meeting stays open on the municipal side until the note of the external professional
// assessment is written (a citizen note) or the advice is marked not relevant to the case, with the reason.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { ErrorAlert, Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { FormButtons, TextArea } from '../../app/fields.tsx';
import { useUser } from '../../app/session.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import type { CitizenDetail } from '../citizens/citizenApi.ts';
import { DUTIES_KEY, useCitizenDuties, useMyDuties, type ConsultationDuty } from './consultationsApi.ts';
import './consultations.css';

const MUNICIPAL_ROLES = ['resource_consultant', 'caseworker', 'job_consultant', 'programme_manager'];

function Resolve({ duty }: { duty: ConsultationDuty }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [resolution, setResolution] = useState<'note' | 'not_relevant'>('note');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const resolve = useMutation({
    mutationFn: () => api.post<ConsultationDuty>(`/api/consultation-duties/${duty.id}/resolve`, { resolution, text }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: DUTIES_KEY });
      void client.invalidateQueries({ queryKey: ['notes'] });
      void client.invalidateQueries({ queryKey: ['citizen'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const missing = !text.trim() ? t(resolution === 'note' ? 'consultations.error.note' : 'consultations.error.reason') : undefined;
    setError(missing);
    if (!missing) resolve.mutate();
  };
  const base = `duty-${duty.id}`;
  return (
    <form onSubmit={submit} noValidate className="duty-resolve">
      {resolve.error instanceof ApiError && <ErrorAlert heading={t('consultations.error.notSaved')} message={resolve.error.body?.message ?? t('error.request')} />}
      <fieldset className="form-group">
        <legend className="form-label">{t('consultations.duty.how')}</legend>
        <ul className="plain-list">
          {(['note', 'not_relevant'] as const).map((r) => (
            <li key={r} className="form-group-radio">
              <input id={`${base}-${r}`} type="radio" name={`${base}-resolution`} className="form-radio" checked={resolution === r} onChange={() => setResolution(r)} />
              <label htmlFor={`${base}-${r}`}>{t(`consultations.duty.resolution.${r}` as MessageKey)}</label>
            </li>
          ))}
        </ul>
      </fieldset>
      <TextArea id={`${base}-text`} label={t(resolution === 'note' ? 'consultations.duty.noteLabel' : 'consultations.duty.reasonLabel')} value={text} onChange={setText} error={error} rows={4} />
      <FormButtons saveLabel={t('consultations.duty.save')} disabled={resolve.isPending} />
    </form>
  );
}

function DutyCard({ duty, showCitizen }: { duty: ConsultationDuty; showCitizen: boolean }) {
  const { t, language } = useI18n();
  const pending = duty.status === 'pending';
  return (
    <article className={pending ? 'duty-card duty-pending' : 'duty-card'} aria-labelledby={`duty-${duty.id}-heading`}>
      <h3 className="h4" id={`duty-${duty.id}-heading`}>
        {showCitizen && (
          <>
            <Link to={`/citizens/${duty.citizenId}`}>{duty.citizenName}</Link>:{' '}
          </>
        )}
        {t('consultations.duty.from', { name: duty.saidByName, organisation: duty.fromOrganisationName, date: formatDateTime(language, duty.heldAt) })}
      </h3>
      {duty.networkMeetingAt && (
        <p className="muted">
          {t('consultations.duty.meeting', { date: formatDateTime(language, duty.networkMeetingAt) })}
          {pending && <strong> — {t('consultations.duty.awaiting')}</strong>}
        </p>
      )}
      <p className="consultation-advice">{duty.advice}</p>
      <p className="muted">
        {duty.categories.map((c) => t(`inquiries.category.${c}` as MessageKey)).join(', ')} · {t('consultations.duty.saidTo', { names: duty.assignedTo.map((a) => a.name).join(', ') })}
      </p>
      {pending ? (
        <>
          <p className="duty-status">
            <span className="tag-status duty-status-pending">{t('consultations.duty.status.pending')}</span>
          </p>
          <Resolve duty={duty} />
        </>
      ) : (
        <p className="duty-status">
          <span className="tag-status">{t(`consultations.duty.status.${duty.status}` as MessageKey)}</span> {duty.resolvedByName && duty.resolvedAt && t('consultations.duty.resolvedBy', { name: duty.resolvedByName, date: formatDateTime(language, duty.resolvedAt) })}
          {duty.reason && <> — {duty.reason}</>}
        </p>
      )}
    </article>
  );
}

/** On the municipal citizen page: the duties on this record (nothing at all when there are none or no access). */
export function CitizenDutiesPanel({ citizen }: { citizen: CitizenDetail }) {
  const user = useUser();
  const municipal = user.organisation.id === citizen.organisation.id && user.roles.some((r) => r.programmeId && MUNICIPAL_ROLES.includes(r.role));
  if (!municipal) return null;
  return <CitizenDuties citizenId={citizen.id} />;
}

function CitizenDuties({ citizenId }: { citizenId: string }) {
  const { t } = useI18n();
  const duties = useCitizenDuties(citizenId);
  const items = duties.data?.pages.flatMap((p) => p.items) ?? [];
  if (duties.isError || items.length === 0) return null;
  const pending = items.filter((d) => d.status === 'pending').length;
  return (
    <section className="page-section citizen-section duty-panel" aria-labelledby="duties-heading">
      <h2 id="duties-heading">{t('consultations.duty.title')}</h2>
      <p>{pending > 0 ? t('consultations.duty.pendingIntro', { count: pending }) : t('consultations.duty.noneIntro')}</p>
      <ul className="plain-list duty-list">
        {items.map((d) => (
          <li key={d.id}>
            <DutyCard duty={d} showCitizen={false} />
          </li>
        ))}
      </ul>
      {duties.hasNextPage && (
        <button type="button" className="button button-secondary load-more" onClick={() => void duties.fetchNextPage()} disabled={duties.isFetchingNextPage}>
          {t('common.showMore')}
        </button>
      )}
    </section>
  );
}

/** "Notater om ekstern faglig vurdering": the staff member's pending duties. */
export function MyDutiesPage() {
  const { t } = useI18n();
  const duties = useMyDuties();
  const items = duties.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <p className="breadcrumb-link">
        <Link to="/inquiries">{t('consultations.back')}</Link>
      </p>
      <PageHeading title={t('consultations.duty.mineTitle')}>{t('consultations.duty.mineTitle')}</PageHeading>
      <p className="page-intro">{t('consultations.duty.mineIntro')}</p>
      {duties.isPending && <Loading />}
      {duties.isError && <QueryError error={duties.error} />}
      {duties.data && items.length === 0 && <p className="empty-state">{t('consultations.duty.noneMine')}</p>}
      <ul className="plain-list duty-list">
        {items.map((d) => (
          <li key={d.id}>
            <DutyCard duty={d} showCitizen />
          </li>
        ))}
      </ul>
      {duties.hasNextPage && (
        <button type="button" className="button button-secondary load-more" onClick={() => void duties.fetchNextPage()} disabled={duties.isFetchingNextPage}>
          {t('common.showMore')}
        </button>
      )}
    </>
  );
}
