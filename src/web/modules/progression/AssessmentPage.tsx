// One answer in full: when, who, with whom, the score and band, each item with the answer given, and the
// history of corrections. "Ret svar" corrects it with a required reason (the earlier answers are kept).
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { ErrorAlert, errorMessageKey, Loading, PageHeading, QueryError, SuccessNotice } from '../../app/feedback.tsx';
import { TextArea } from '../../app/fields.tsx';
import { useUnsavedWarning } from '../../app/unsaved.tsx';
import { AnswerItems, localErrors, serverItemErrors, type ItemErrors } from './AnswerItems.tsx';
import { BandTag, scoreWords } from './ScoreParts.tsx';
import { definitionOf, measurementsKey, onlyVisible, useAssessment, visibleItems, type AssessmentFull, type Answers, type Definition } from './progressionApi.ts';
import './progression.css';

export function AssessmentPage() {
  const { id = '', assessmentId = '' } = useParams();
  const { t, language } = useI18n();
  const a = useAssessment(assessmentId);
  // Above the detail, which starts afresh with each new version of the answer.
  const [notice, setNotice] = useState<string | null>(null);
  if (a.isPending) return <Loading />;
  if (a.isError) {
    return (
      <>
        <PageHeading title={t('progression.answerDetail')}>{t('progression.answerDetail')}</PageHeading>
        <QueryError error={a.error} />
        <Link to={`/citizens/${id}`}>{t('progression.backToCitizen')}</Link>
      </>
    );
  }
  const heading = t('progression.detailTitle', { title: a.data.title[language], date: formatDateTime(language, a.data.answeredAt) });
  return <Detail key={a.data.version} citizenId={id} heading={heading} a={a.data} notice={notice} setNotice={setNotice} />;
}

function answerText(def: Definition, code: string, value: number | undefined, language: 'da' | 'en'): string {
  if (value === undefined) return '–';
  const item = def.items.find((i) => i.code === code);
  if (item?.answer.kind === 'choice') return item.answer.options.find((o) => o.value === value)?.label[language] ?? String(value);
  return String(value);
}

function Detail({ citizenId, heading, a, notice, setNotice }: { citizenId: string; heading: string; a: AssessmentFull; notice: string | null; setNotice: (n: string | null) => void }) {
  const { t, language } = useI18n();
  const def = definitionOf(a.instrument);
  const [editing, setEditing] = useState(false);
  const shown = visibleItems(def, a.answers);
  return (
    <>
      <PageHeading title={heading}>{heading}</PageHeading>
      <p>
        <Link to={`/citizens/${citizenId}`}>{t('progression.backToCitizen')}</Link>
      </p>
      <SuccessNotice message={notice} className="notice-slot" />
      <dl className="facts">
        <div>
          <dt>{t('progression.score')}</dt>
          <dd>{a.status === 'draft' ? t('progression.draft') : scoreWords(t, language, def, a.score)}</dd>
        </div>
        <div>
          <dt>{t('progression.band')}</dt>
          <dd>{a.score?.band ? <BandTag def={def} band={a.score.band} /> : '–'}</dd>
        </div>
        <div>
          <dt>{t('progression.col.who')}</dt>
          <dd>
            {a.createdBy ? `${a.createdBy.name} (${t(`progression.answeredWith.${a.answeredWith}`)})` : t('progression.answeredInPortal')}
          </dd>
        </div>
        <div>
          <dt>{t('progression.version')}</dt>
          <dd>{t('progression.versionText', { version: a.instrumentVersion })}</dd>
        </div>
      </dl>
      {editing ? (
        <CorrectForm
          citizenId={citizenId}
          a={a}
          def={def}
          onCancel={() => setEditing(false)}
          onDone={() => {
            setEditing(false);
            setNotice(t('progression.corrected'));
          }}
        />
      ) : (
        <>
          <h2 id="answers-heading">{t('progression.answers')}</h2>
          <table className="table table--compact table-stack answers-table" aria-labelledby="answers-heading">
            <thead>
              <tr>
                <th scope="col">{t('progression.col.item')}</th>
                <th scope="col">{t('progression.col.answer')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((item) => (
                <tr key={item.code}>
                  <th scope="row">
                    {item.text[language]}
                    {item.respondent === 'staff' && <> ({t('progression.staffItem')})</>}
                  </th>
                  <td data-label={t('progression.col.answer')}>{answerText(def, item.code, a.answers[item.code], language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {a.status === 'submitted' && (
            <button
              type="button"
              className="button button-secondary correct-button"
              onClick={() => {
                setNotice(null);
                setEditing(true);
              }}
            >
              {t('progression.correct')}
            </button>
          )}
        </>
      )}
      <h2 id="corrections-heading">{t('progression.corrections')}</h2>
      {a.corrections.length === 0 ? (
        <p className="muted">{t('progression.noCorrections')}</p>
      ) : (
        <ol className="plain-list correction-list no-max-width" aria-labelledby="corrections-heading">
          {[...a.corrections].reverse().map((c) => {
            const changed = Object.keys({ ...c.previousAnswers, ...a.answers }).filter((k) => c.previousAnswers[k] !== a.answers[k]);
            return (
              <li key={c.correctedAt} className="correction">
                <p>
                  <strong>{formatDateTime(language, c.correctedAt)}</strong> · {c.correctedBy.name}
                </p>
                <p>
                  {t('progression.reason')}: {c.reason}
                </p>
                <p className="muted-plain">
                  {t('progression.previousScore', { score: scoreWords(t, language, def, c.previousScore) })}
                  {changed.length > 0 && (
                    <>
                      {' · '}
                      {t('progression.previousAnswers', {
                        list: changed.map((k) => `${t('progression.itemShort', { n: def.items.findIndex((i) => i.code === k) + 1 })}: ${answerText(def, k, c.previousAnswers[k], language)}`).join('; '),
                      })}
                    </>
                  )}
                </p>
              </li>
            );
          })}
        </ol>
      )}
    </>
  );
}

function CorrectForm({ citizenId, a, def, onCancel, onDone }: { citizenId: string; a: AssessmentFull; def: Definition; onCancel: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [answers, setAnswers] = useState<Answers>(a.answers);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<ItemErrors>({});
  const [reasonError, setReasonError] = useState<MessageKey | null>(null);
  const [failed, setFailed] = useState<MessageKey | null>(null);
  const unsaved = useUnsavedWarning(reason !== '' || JSON.stringify(answers) !== JSON.stringify(a.answers));
  const save = useMutation({
    mutationFn: () => api.patch(`/api/assessments/${a.id}`, { answers: onlyVisible(def, answers), version: a.version, reason: reason.trim() }),
    onSuccess: async () => {
      unsaved.allowLeave();
      await client.invalidateQueries({ queryKey: ['assessment', a.id] });
      await client.invalidateQueries({ queryKey: measurementsKey(citizenId) });
      onDone();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 400) {
        const found = serverItemErrors(e.body?.issues);
        if (Object.keys(found).length) return setErrors(found);
        if (e.issueFor('reason')) return setReasonError('progression.error.reason');
      }
      setFailed(errorMessageKey(e));
    },
  });
  return (
    <form
      className="answer-form correct-form"
      noValidate
      aria-labelledby="correct-heading"
      onSubmit={(e) => {
        e.preventDefault();
        setFailed(null);
        const local = localErrors(def, answers);
        setErrors(local);
        const noReason = reason.trim() === '';
        setReasonError(noReason ? 'progression.error.reason' : null);
        if (Object.keys(local).length) return document.getElementById(`correct-${Object.keys(local)[0]}`)?.focus();
        if (noReason) return document.getElementById('correct-reason')?.focus();
        save.mutate();
      }}
    >
      <h2 id="correct-heading">{t('progression.correct')}</h2>
      {unsaved.confirm}
      <AnswerItems
        def={def}
        answers={answers}
        errors={errors}
        idPrefix="correct"
        onAnswer={(code, v) => {
          setAnswers((x) => {
            const next = { ...x };
            if (v === undefined) delete next[code];
            else next[code] = v;
            return next;
          });
          setErrors((x) => ({ ...x, [code]: undefined }) as ItemErrors);
        }}
      />
      <TextArea id="correct-reason" label={t('progression.reasonLabel')} hint={t('progression.reasonHint')} rows={3} value={reason} error={reasonError ? t(reasonError) : undefined} onChange={(v) => { setReason(v); setReasonError(null); }} />
      {failed && <ErrorAlert message={t(failed)} />}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {t('progression.saveCorrection')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
