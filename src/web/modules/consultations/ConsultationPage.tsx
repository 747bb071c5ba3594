// One consultation: who took part, what was said (named items with the disclosure they made; anonymous advice), and
// for an anonymous case consultation "Jeg genkender personen" (it stops) and more anonymous advice while it may.
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { ErrorAlert, Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { FormButtons, TextArea } from '../../app/fields.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { ConsultationStatus } from './ConsultationsPage.tsx';
import { CONSULTATIONS_KEY, consultationKey, useConsultation, type ConsultationDetail } from './consultationsApi.ts';
import './consultations.css';

function AnonymousAdvice({ consultation }: { consultation: ConsultationDetail }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [description, setDescription] = useState('');
  const [advice, setAdvice] = useState('');
  const [errors, setErrors] = useState<{ description?: string; advice?: string }>({});
  const add = useMutation({
    mutationFn: () => api.post<ConsultationDetail>(`/api/consultations/${consultation.id}/items`, { kind: 'anonymous', description, advice }),
    onSuccess: (next) => {
      client.setQueryData(consultationKey(consultation.id), next);
      void client.invalidateQueries({ queryKey: CONSULTATIONS_KEY });
      setDescription('');
      setAdvice('');
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: typeof errors = {};
    if (!description.trim()) next.description = t('consultations.error.description');
    if (!advice.trim()) next.advice = t('consultations.error.advice');
    setErrors(next);
    if (Object.keys(next).length === 0) add.mutate();
  };
  return (
    <section className="page-section" aria-labelledby="consultation-more-heading">
      <h2 id="consultation-more-heading">{t('consultations.moreAdvice')}</h2>
      <form onSubmit={submit} noValidate>
        {add.error instanceof ApiError && <ErrorAlert heading={t('consultations.error.notSaved')} message={add.error.body?.message ?? t('error.request')} />}
        <TextArea id="more-description" label={t('consultations.description')} hint={t('consultations.descriptionHint')} value={description} onChange={setDescription} error={errors.description} rows={3} />
        <TextArea id="more-advice" label={t('consultations.advice')} value={advice} onChange={setAdvice} error={errors.advice} rows={4} />
        <FormButtons saveLabel={t('consultations.addAdvice')} disabled={add.isPending} />
      </form>
    </section>
  );
}

function Recognise({ consultation }: { consultation: ConsultationDetail }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const stop = useMutation({
    mutationFn: () => api.post<ConsultationDetail>(`/api/consultations/${consultation.id}/recognised`, { version: consultation.version }),
    onSuccess: (next) => {
      client.setQueryData(consultationKey(consultation.id), next);
      void client.invalidateQueries({ queryKey: CONSULTATIONS_KEY });
    },
  });
  return (
    <section className="page-section" aria-labelledby="consultation-recognise-heading">
      <h2 id="consultation-recognise-heading">{t('consultations.recogniseHeading')}</h2>
      <p>{t('consultations.recogniseText')}</p>
      {stop.error && <QueryError error={stop.error} />}
      <button type="button" className="button button-secondary" onClick={() => stop.mutate()} disabled={stop.isPending}>
        {t('consultations.recognise')}
      </button>
    </section>
  );
}

export function ConsultationPage() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const consultation = useConsultation(id);
  const c = consultation.data;
  return (
    <>
      <p className="breadcrumb-link">
        <Link to="/consultations">{t('consultations.backToList')}</Link>
      </p>
      {consultation.isPending && <Loading />}
      {consultation.isError && <QueryError error={consultation.error} />}
      {c && (
        <>
          <PageHeading title={t('consultations.detailTitle', { kind: t(`consultations.kind.${c.kind}` as MessageKey), date: formatDateTime(language, c.heldAt) })}>
            {t('consultations.detailTitle', { kind: t(`consultations.kind.${c.kind}` as MessageKey), date: formatDateTime(language, c.heldAt) })}
          </PageHeading>
          <dl className="consultation-facts">
            <div>
              <dt>{t('consultations.statusLabel')}</dt>
              <dd>
                <ConsultationStatus status={c.status} />
                {c.recognisedAt && ` ${t('consultations.recognisedAt', { date: formatDateTime(language, c.recognisedAt) })}`}
              </dd>
            </div>
            <div>
              <dt>{t('consultations.municipality')}</dt>
              <dd>{c.municipality.name}</dd>
            </div>
            {c.place && (
              <div>
                <dt>{t('consultations.place')}</dt>
                <dd>{c.place}</dd>
              </div>
            )}
            <div>
              <dt>{t('consultations.participantsShort')}</dt>
              <dd>{[...c.participants.map((p) => p.name), ...(c.otherParticipants ? [c.otherParticipants] : [])].join(', ') || '–'}</dd>
            </div>
          </dl>
          {c.status === 'stopped_recognised' && (
            <div className="alert alert-warning">
              <div className="alert-body">
                <p className="alert-heading">{t('consultations.stoppedHeading')}</p>
                <p className="alert-text">{t('consultations.stoppedText')}</p>
              </div>
            </div>
          )}
          <section className="page-section" aria-labelledby="consultation-items-heading">
            <h2 id="consultation-items-heading">{t('consultations.whatWasSaid')}</h2>
            <ul className="plain-list consultation-items">
              {c.items.map((i) => (
                <li key={i.id}>
                  <article className="consultation-item" aria-labelledby={`item-${i.id}`}>
                    <h3 className="h4" id={`item-${i.id}`}>{i.kind === 'named' ? t('consultations.aboutNamed', { name: i.citizenName ?? '' }) : t('consultations.aboutAnonymous')}</h3>
                    {i.description && <p className="muted">{i.description}</p>}
                    <p className="consultation-advice">{i.advice}</p>
                    {i.kind === 'named' && (
                      <p className="muted">
                        {t('consultations.saidToNames', { names: i.saidTo.map((s) => s.name).join(', ') })} · {i.categories.map((k) => t(`inquiries.category.${k}` as MessageKey)).join(', ')} · {t('consultations.journalTask')}
                      </p>
                    )}
                  </article>
                </li>
              ))}
            </ul>
          </section>
          {c.kind === 'anonymous' && c.status === 'open' && <Recognise consultation={c} />}
          {c.canAddAnonymous && <AnonymousAdvice consultation={c} />}
        </>
      )}
    </>
  );
}
