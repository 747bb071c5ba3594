// One inquiry: the question and its thread, the liaison's answer form (with health information only under the
// patient's consent), the asker's reply, taking and closing.
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { ErrorAlert, Loading, PageHeading, QueryError, SuccessNotice } from '../../app/feedback.tsx';
import { TextArea } from '../../app/fields.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { HEALTH_CATEGORIES, INQUIRIES_KEY, inquiryKey, useInquiry, type InquiryDetail } from './inquiryApi.ts';
import { KindLabel, StatusTag } from './InquiriesPage.tsx';
import { ConsentIssues } from './NewInquiryPage.tsx';
import './inquiries.css';

function AnswerForm({ inquiry, onDone }: { inquiry: InquiryDetail; onDone: (message: string) => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const liaison = inquiry.canAnswer;
  const [body, setBody] = useState('');
  const [health, setHealth] = useState(false);
  const [categories, setCategories] = useState<string[]>([]);
  const [errors, setErrors] = useState<{ body?: string; categories?: string }>({});
  const send = useMutation({
    mutationFn: () => api.post<InquiryDetail>(`/api/inquiries/${inquiry.id}/answers`, { body, healthInformation: liaison && health, categories: liaison && health ? categories : [], version: inquiry.version }),
    onSuccess: (updated) => {
      client.setQueryData(inquiryKey(inquiry.id), updated);
      void client.invalidateQueries({ queryKey: INQUIRIES_KEY });
      setBody('');
      setHealth(false);
      setCategories([]);
      onDone(liaison ? t('inquiries.answerSent') : t('inquiries.replySent'));
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: typeof errors = {};
    if (!body.trim()) next.body = t('inquiries.error.bodyRequired');
    if (liaison && health && categories.length === 0) next.categories = t('inquiries.error.categoriesRequired');
    setErrors(next);
    if (Object.keys(next).length === 0) send.mutate();
  };
  const error = send.error instanceof ApiError ? send.error : null;
  return (
    <form className="page-section inquiry-answer" onSubmit={submit} noValidate aria-labelledby="answer-heading">
      <h2 id="answer-heading">{liaison ? t('inquiries.answer') : t('inquiries.reply')}</h2>
      {error && (
        <ErrorAlert heading={t('inquiries.error.notSent')} message={error.status === 409 ? error.body?.message ?? t('error.conflict') : t('error.request')}>
          <ConsentIssues error={error} />
        </ErrorAlert>
      )}
      {send.error && !error && <QueryError error={send.error} />}
      <TextArea id="answer-body" label={liaison ? t('inquiries.answerBody') : t('inquiries.replyBody')} value={body} onChange={setBody} error={errors.body} rows={6} />
      {liaison && (
        <>
          <div className="form-group">
            <div className="form-group-checkbox">
              <input id="answer-health" type="checkbox" className="form-checkbox" checked={health} aria-describedby="answer-health-hint" onChange={(e) => setHealth(e.target.checked)} />
              <label htmlFor="answer-health">{t('inquiries.healthInformation')}</label>
            </div>
            <span className="form-hint" id="answer-health-hint">
              {inquiry.kind === 'named' ? t('inquiries.healthInformationHint') : t('inquiries.healthInformationAnonymous')}
            </span>
          </div>
          {health && (
            <fieldset className={errors.categories ? 'form-group form-error' : 'form-group'} aria-describedby={errors.categories ? 'answer-categories-error' : undefined}>
              <legend className="form-label">{t('inquiries.categories')}</legend>
              {errors.categories && (
                <span className="form-error-message" id="answer-categories-error">
                  {errors.categories}
                </span>
              )}
              <ul className="plain-list">
                {HEALTH_CATEGORIES.map((c) => (
                  <li key={c} className="form-group-checkbox">
                    <input id={`answer-category-${c}`} type="checkbox" className="form-checkbox" checked={categories.includes(c)} onChange={(e) => setCategories(e.target.checked ? [...categories, c] : categories.filter((x) => x !== c))} />
                    <label htmlFor={`answer-category-${c}`}>{t(`inquiries.category.${c}` as MessageKey)}</label>
                  </li>
                ))}
              </ul>
            </fieldset>
          )}
        </>
      )}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={send.isPending}>
          {liaison ? t('inquiries.sendAnswer') : t('inquiries.sendReply')}
        </button>
      </div>
    </form>
  );
}

export function InquiryPage() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const client = useQueryClient();
  const inquiry = useInquiry(id);
  const [notice, setNotice] = useState('');
  const status = useMutation({
    mutationFn: (next: 'in_progress' | 'closed') => api.post<InquiryDetail>(`/api/inquiries/${id}/status`, { status: next, version: inquiry.data!.version }),
    onSuccess: (updated, next) => {
      client.setQueryData(inquiryKey(id), updated);
      void client.invalidateQueries({ queryKey: INQUIRIES_KEY });
      setNotice(next === 'closed' ? t('inquiries.closedNotice') : t('inquiries.takenNotice'));
    },
  });
  const q = inquiry.data;
  return (
    <>
      <p className="breadcrumb-link">
        <Link to="/inquiries">{t('inquiries.back')}</Link>
      </p>
      {inquiry.isPending && <Loading />}
      {inquiry.isError && <QueryError error={inquiry.error} />}
      {q && (
        <>
          <PageHeading title={q.subject}>{q.subject}</PageHeading>
          <p className="inquiry-meta">
            <StatusTag status={q.status} /> · <KindLabel inquiry={q} /> · {t('inquiries.askedBy', { name: q.askedByName, organisation: q.askingOrganisationName, when: formatDateTime(language, q.askedAt) })}
            {q.assignedToName && <> · {t('inquiries.takenBy', { name: q.assignedToName })}</>}
          </p>
          {q.regionCitizenId && <p className="form-hint">{t('inquiries.regionRecordKnown')}</p>}
          <SuccessNotice message={notice} />
          {status.error && <QueryError error={status.error} />}
          {(q.canTake || q.canClose) && (
            <div className="button-row">
              {q.canTake && (
                <button type="button" className="button button-secondary" disabled={status.isPending} onClick={() => status.mutate('in_progress')}>
                  {t('inquiries.take')}
                </button>
              )}
              {q.canClose && (
                <button type="button" className="button button-secondary" disabled={status.isPending} onClick={() => status.mutate('closed')}>
                  {t('inquiries.close')}
                </button>
              )}
            </div>
          )}
          <section className="page-section" aria-labelledby="thread-heading">
            <h2 id="thread-heading">{t('inquiries.thread')}</h2>
            <ol className="inquiry-thread">
              {q.messages.map((m) => (
                <li key={m.id} className={m.fromAsker ? 'inquiry-message inquiry-message-asker' : 'inquiry-message inquiry-message-answer'}>
                  <p className="inquiry-message-meta">
                    <strong>{m.authorName}</strong>, {m.organisationName} · {formatDateTime(language, m.createdAt)}
                    {m.healthInformation && <span className="tag-sensitive inquiry-health">{t('inquiries.containsHealth')}</span>}
                  </p>
                  <p className="inquiry-message-body">{m.body}</p>
                </li>
              ))}
            </ol>
          </section>
          {(q.canAnswer || q.canReply) && <AnswerForm key={q.version} inquiry={q} onDone={setNotice} />}
        </>
      )}
    </>
  );
}
