// Spørgeskemaer in the citizen portal: the questionnaires due for me, answered one at a time with big answer buttons
// (the staff answering screen's look), a receipt that never shows a score; and, at level "substantial", my
// progression per questionnaire in plain words with a line chart (its numbers also as a table, for screen readers
// and anyone who prefers to read) and my earlier answers, a page at a time. The limited view (a one-time code) uses
// DueQuestionnaires only.
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { PortalProgressionInstrument, PortalQuestion, PortalQuestionnaire } from '../../../contracts/portal-questionnaires.ts';
import { ApiError } from '../../api/client.ts';
import { FailureRegion, Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { formatNumber } from '../../i18n/format.ts';
import { isMessageKey, useI18n, type Language, type MessageKey } from '../../i18n/i18n.tsx';
import { PORTAL_SUMMARY_KEY } from './portalApi.ts';
import { PORTAL_QUESTIONNAIRES_KEY, questionnairesApi, useAnswerHistory, useDueQuestionnaires, usePortalProgression } from './questionnairesApi.ts';
import type { PortalSectionProps } from './sections.tsx';
import '../progression/progression.css';
import './questionnaires.css';

function dateOf(language: Language, iso: string): string {
  return new Intl.DateTimeFormat(language === 'da' ? 'da-DK' : 'en-GB', { timeZone: 'Europe/Copenhagen', day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(iso));
}

/** Whole-number steps of a number question small enough for buttons; otherwise a field. */
function stepsOf(q: PortalQuestion): number[] | null {
  if (q.kind === 'choice') return q.options.map((o) => o.value);
  if (q.min !== null && q.max !== null && Number.isInteger(q.min) && Number.isInteger(q.max) && q.max - q.min <= 10) return Array.from({ length: q.max - q.min + 1 }, (_, i) => q.min! + i);
  return null;
}

export function QuestionnairesPage({ csrf }: PortalSectionProps) {
  const { t } = useI18n();
  return (
    <div className="portal-box portal-questionnaires">
      <PageHeading title={t('portal.questionnaires.nav')}>{t('portal.questionnaires.nav')}</PageHeading>
      <p>{t('portal.questionnaires.intro')}</p>
      <section aria-labelledby="portal-questionnaires-due">
        <h2 id="portal-questionnaires-due" className="h3">
          {t('portal.questionnaires.due.heading')}
        </h2>
        <DueQuestionnaires csrf={csrf} />
      </section>
      <ProgressionSection />
      <HistorySection />
    </div>
  );
}

/** The questionnaires due for me, each opened and answered in place; after an answer only the receipt is shown. */
export function DueQuestionnaires({ csrf, low = false }: { csrf: string; low?: boolean }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const due = useDueQuestionnaires();
  const [open, setOpen] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const onSent = async () => {
    setOpen(null);
    setSent(true);
    await Promise.all([client.invalidateQueries({ queryKey: PORTAL_QUESTIONNAIRES_KEY }), client.invalidateQueries({ queryKey: PORTAL_SUMMARY_KEY })]);
  };
  const items = due.data?.items ?? [];
  return (
    <div className="portal-due-questionnaires">
      {/* Always on the page, so the receipt is announced when it appears. */}
      <div role="status">{sent && <p className="portal-thanks">{t('portal.questionnaires.thanks')}</p>}</div>
      {due.isPending && <Loading />}
      {due.isError && <QueryError error={due.error} />}
      {due.data && items.length === 0 && !sent && <p>{t('portal.questionnaires.due.none')}</p>}
      {low && items.length > 0 && <p>{t('portal.questionnaires.lowNote')}</p>}
      {items.map((q) =>
        open === q.id ? (
          <QuestionnaireForm key={q.id} questionnaire={q} csrf={csrf} onSent={onSent} onCancel={() => setOpen(null)} />
        ) : (
          <button
            key={q.id}
            type="button"
            className="button button-primary portal-questionnaire-open"
            onClick={() => {
              setSent(false);
              setOpen(q.id);
            }}
          >
            {t('portal.questionnaires.due.open', { title: q.title[language] })}
          </button>
        ),
      )}
    </div>
  );
}

function failureKey(error: unknown): MessageKey {
  if (error instanceof ApiError && error.status === 409) return error.body?.issues?.[0]?.message === 'changed' ? 'portal.questionnaires.changed' : 'portal.questionnaires.alreadyAnswered';
  return 'portal.questionnaires.failed';
}

function QuestionnaireForm({ questionnaire, csrf, onSent, onCancel }: { questionnaire: PortalQuestionnaire; csrf: string; onSent: () => Promise<void>; onCancel: () => void }) {
  const { t, language } = useI18n();
  const questions = questionnaire.questions;
  const form = useAnswerForm(questions, (code) => `q-${questionnaire.id}-${code}`);
  const send = useMutation({
    mutationFn: () => questionnairesApi.answer(csrf, questionnaire.id, { instrumentVersion: questionnaire.instrumentVersion, answers: form.answers }),
    onSuccess: onSent,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (form.validate()) send.mutate();
  };
  const failure = send.isError ? t(failureKey(send.error)) : null;
  return (
    <form className="portal-questionnaire-form" onSubmit={submit} noValidate aria-labelledby={`q-${questionnaire.id}-title`}>
      <h3 id={`q-${questionnaire.id}-title`} className="h4">
        {questionnaire.title[language]}
      </h3>
      {questionnaire.description && <p>{questionnaire.description[language]}</p>}
      <AnswerFields questions={questions} form={form} />
      <FailureRegion heading={t('portal.questionnaires.failedHeading')} message={failure} />
      <div className="portal-links">
        <button type="submit" className="button button-primary" disabled={send.isPending}>
          {send.isPending ? t('portal.questionnaires.form.sending') : t('portal.questionnaires.form.submit')}
        </button>
        <button type="button" className="button button-tertiary" onClick={onCancel}>
          {t('portal.questionnaires.form.cancel')}
        </button>
      </div>
    </form>
  );
}

/** What a citizen's answering form keeps: the answers given, the questions still wrong, and the check before sending. */
export function useAnswerForm(questions: PortalQuestion[], idOf: (code: string) => string) {
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [missing, setMissing] = useState<number[]>([]);
  const invalid = (q: PortalQuestion) => {
    const v = answers[q.code];
    if (v === undefined) return q.required;
    return q.kind === 'number' && (!Number.isInteger(v) || (q.min !== null && v < q.min) || (q.max !== null && v > q.max));
  };
  /** True when every question is answered as it must be; otherwise the first wrong one gets the focus. */
  const validate = () => {
    const wrong = questions.flatMap((q, i) => (invalid(q) ? [i + 1] : []));
    setMissing(wrong);
    if (wrong.length > 0) setTimeout(() => document.getElementById(idOf(questions[wrong[0]! - 1]!.code))?.focus(), 0);
    return wrong.length === 0;
  };
  const set = (code: string, value: number | undefined) => {
    setAnswers((old) => {
      const next = { ...old };
      if (value === undefined || Number.isNaN(value)) delete next[code];
      else next[code] = value;
      return next;
    });
    setMissing((old) => old.filter((n) => questions[n - 1]?.code !== code));
  };
  return { answers, missing, validate, set, idOf };
}

/** The questions of an answering form with the summary of those still wrong above them. */
export function AnswerFields({ questions, form }: { questions: PortalQuestion[]; form: ReturnType<typeof useAnswerForm> }) {
  const { t } = useI18n();
  return (
    <>
      <div role="alert">
        {form.missing.length > 0 && (
          <div className="alert alert-error">
            <div className="alert-body">
              <p className="alert-heading">{t('portal.questionnaires.form.missingHeading')}</p>
              <p className="alert-text">{t('portal.questionnaires.form.missing', { list: form.missing.join(', ') })}</p>
            </div>
          </div>
        )}
      </div>
      <ol className="plain-list answer-items no-max-width">
        {questions.map((q, i) => (
          <li key={q.code} className="answer-item">
            <Question question={q} index={i + 1} count={questions.length} value={form.answers[q.code]} error={form.missing.includes(i + 1)} onAnswer={(v) => form.set(q.code, v)} id={form.idOf(q.code)} />
          </li>
        ))}
      </ol>
    </>
  );
}

export function Question({ question: q, index, count, value, error, onAnswer, id }: { question: PortalQuestion; index: number; count: number; value: number | undefined; error: boolean; onAnswer: (v: number | undefined) => void; id: string }) {
  const { t, language } = useI18n();
  const steps = stepsOf(q);
  const ends = q.kind === 'number' && (q.minLabel || q.maxLabel);
  const labelOf = (v: number) => (q.kind === 'choice' ? (q.options.find((o) => o.value === v)?.label[language] ?? String(v)) : formatNumber(language, v));
  const describedBy = [error ? `${id}-error` : null, ends ? `${id}-ends` : null].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset className={error ? 'answer-fieldset form-error' : 'answer-fieldset'} aria-describedby={describedBy} id={id} tabIndex={-1}>
      <legend className="answer-legend">
        <span className="answer-number">{t('portal.questionnaires.form.question', { n: index, total: count })}</span>
        <span className="answer-text">{q.text[language]}</span>
      </legend>
      {ends && (
        <p className="answer-ends" id={`${id}-ends`}>
          {q.minLabel && `${formatNumber(language, q.min!)} = ${q.minLabel[language]}`}
          {q.minLabel && q.maxLabel && ' · '}
          {q.maxLabel && `${formatNumber(language, q.max!)} = ${q.maxLabel[language]}`}
        </p>
      )}
      {error && (
        <span className="form-error-message" id={`${id}-error`}>
          {q.kind === 'number' && value !== undefined ? t('portal.questionnaires.form.number', { min: q.min ?? '', max: q.max ?? '', n: index }) : t('portal.questionnaires.form.missing', { list: index })}
        </span>
      )}
      {steps ? (
        <div className={q.kind === 'number' ? 'answer-options answer-options-scale' : 'answer-options'}>
          {steps.map((v) => (
            <label key={v} className="answer-option">
              <input type="radio" name={id} value={v} checked={value === v} onChange={() => onAnswer(v)} />
              <span>{labelOf(v)}</span>
            </label>
          ))}
        </div>
      ) : (
        <>
          <p className="form-hint" id={`${id}-hint`}>
            {t('portal.questionnaires.form.numberHint', { min: q.min ?? '', max: q.max ?? '' })}
          </p>
          <input
            className="form-input input-width-s"
            type="number"
            inputMode="numeric"
            aria-label={q.text[language]}
            aria-describedby={`${id}-hint`}
            min={q.min ?? undefined}
            max={q.max ?? undefined}
            step={1}
            value={value ?? ''}
            onChange={(e) => onAnswer(e.target.value === '' ? undefined : Number(e.target.value))}
          />
        </>
      )}
    </fieldset>
  );
}

function trendKey(code: string, trend: PortalProgressionInstrument['trend']): MessageKey {
  const key = `portal.questionnaires.trend.${code}.${trend ?? 'first'}`;
  return isMessageKey(key) ? key : (`portal.questionnaires.trend.other.${trend ?? 'first'}` as MessageKey);
}

function ProgressionSection() {
  const { t } = useI18n();
  const progression = usePortalProgression();
  const instruments = (progression.data?.instruments ?? []).filter((i) => i.points.length > 0);
  return (
    <section aria-labelledby="portal-questionnaires-progress">
      <h2 id="portal-questionnaires-progress" className="h3">
        {t('portal.questionnaires.progress.heading')}
      </h2>
      {progression.isPending && <Loading />}
      {progression.isError && <QueryError error={progression.error} />}
      {progression.data && instruments.length === 0 && <p>{t('portal.questionnaires.progress.none')}</p>}
      {instruments.map((i) => (
        <InstrumentProgress key={i.instrumentCode} instrument={i} />
      ))}
    </section>
  );
}

function InstrumentProgress({ instrument }: { instrument: PortalProgressionInstrument }) {
  const { t, language } = useI18n();
  const title = instrument.title[language];
  const latest = instrument.points[instrument.points.length - 1]!;
  const data = instrument.points.map((p) => ({ at: Date.parse(p.answeredAt), value: p.value }));
  const headingId = `portal-progress-${instrument.instrumentCode}`;
  const DAY = 86_400_000;
  const first = data[0]!.at;
  const last = data[data.length - 1]!.at;
  return (
    <div className="portal-card portal-progress" aria-labelledby={headingId} role="group">
      <h3 id={headingId} className="h4">
        {title}
      </h3>
      <p className="portal-card-value">{t(trendKey(instrument.instrumentCode, instrument.trend))}</p>
      <p>
        {instrument.max !== null
          ? t('portal.questionnaires.latest', { value: formatNumber(language, latest.value), max: formatNumber(language, instrument.max) })
          : t('portal.questionnaires.latestNoMax', { value: formatNumber(language, latest.value) })}
      </p>
      {/* The drawing repeats the table below; screen readers and keyboards use the table. */}
      <div aria-hidden="true" className="portal-progress-chart">
        <ResponsiveContainer width="100%" height={200}>
          <LineChart data={data} margin={{ top: 8, right: 12, bottom: 8, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid stroke="#d0d0d0" vertical={false} />
            <XAxis
              type="number"
              dataKey="at"
              scale="time"
              domain={first === last ? [first - 30 * DAY, last + 30 * DAY] : ['dataMin', 'dataMax']}
              tickFormatter={(ms: number) => new Intl.DateTimeFormat(language === 'da' ? 'da-DK' : 'en-GB', { timeZone: 'Europe/Copenhagen', month: 'short', year: '2-digit' }).format(new Date(ms))}
              minTickGap={24}
              stroke="#1a1a1a"
              tick={{ fill: '#1a1a1a', fontSize: 12 }}
            />
            <YAxis type="number" domain={[0, instrument.max ?? 'auto']} allowDecimals={false} width={36} stroke="#1a1a1a" tick={{ fill: '#1a1a1a', fontSize: 12 }} />
            <Line type="linear" dataKey="value" stroke="#0059b3" strokeWidth={2} dot={{ r: 4, fill: '#0059b3', stroke: '#ffffff', strokeWidth: 1.5 }} activeDot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <table className="table table--compact portal-progress-table">
        <caption>{t('portal.questionnaires.table.caption', { title })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('portal.questionnaires.table.date')}</th>
            <th scope="col">{t('portal.questionnaires.table.value')}</th>
          </tr>
        </thead>
        <tbody>
          {instrument.points.map((p) => (
            <tr key={p.answeredAt}>
              <td>{dateOf(language, p.answeredAt)}</td>
              <td>{formatNumber(language, p.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HistorySection() {
  const { t, language } = useI18n();
  const history = useAnswerHistory();
  const items = history.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="portal-questionnaires-history">
      <h2 id="portal-questionnaires-history" className="h3">
        {t('portal.questionnaires.history.heading')}
      </h2>
      {history.isPending && <Loading />}
      {history.isError && <QueryError error={history.error} />}
      {history.data && items.length === 0 && <p>{t('portal.questionnaires.history.none')}</p>}
      {items.length > 0 && (
        <ul className="portal-list">
          {items.map((a) => (
            <li key={a.id} className="portal-card">
              <p className="portal-item-title">
                {a.title[language]} · {dateOf(language, a.answeredAt)}
              </p>
              {a.value !== null && <p>{t('portal.questionnaires.history.value', { value: formatNumber(language, a.value) })}</p>}
              <p className="portal-item-meta">{a.byMe ? t('portal.questionnaires.history.byMe') : t('portal.questionnaires.history.withStaff')}</p>
            </li>
          ))}
        </ul>
      )}
      {history.hasNextPage && (
        <button type="button" className="button button-secondary" disabled={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
          {history.isFetchingNextPage ? t('portal.questionnaires.history.loadingMore') : t('portal.questionnaires.history.more')}
        </button>
      )}
    </section>
  );
}
