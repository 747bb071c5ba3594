// The answering screen: the staff member fills an instrument in together with the citizen, one item per block
// with big answer buttons. Answering is voluntary and the screen says so. A draft is saved with "Gem som
// kladde" (the server keeps one draft per enrolment and instrument, and continuing it here reuses it); "Indsend"
// sends the whole answer, and a refusal naming items is shown at those items with every answer kept. After
// submitting: the score, its band, the change since last time and any alerts with the programme's procedure.
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatDateTime, formatNumber } from '../../i18n/format.ts';
import { ErrorAlert, errorMessageKey, Loading, PageHeading, QueryError, SuccessNotice } from '../../app/feedback.tsx';
import { useUnsavedWarning } from '../../app/unsaved.tsx';
import { useCitizen } from '../citizens/citizenApi.ts';
import { AnswerItems, localErrors, serverItemErrors, type ItemErrors } from './AnswerItems.tsx';
import { BandTag, scoreWords } from './ScoreParts.tsx';
import { definitionOf, measurementsKey, onlyVisible, useAssessment, useAssessmentPages, useInstrument, useStaffTasks, type Answers, type Definition, type Submitted } from './progressionApi.ts';
import './progression.css';

export function AnswerPage() {
  const { id = '', code = '' } = useParams();
  const { t, language } = useI18n();
  const citizen = useCitizen(id);
  const instrument = useInstrument(code);
  const list = useAssessmentPages(id, code);
  const draftRow = list.data?.pages[0]?.items.find((a) => a.status === 'draft');
  const draft = useAssessment(draftRow?.id);
  const title = instrument.data ? instrument.data.title[language] : t('progression.answerTitleFallback');
  // The draft is read once, when the page opens: saving a draft later must not reload the form under the user.
  const [start, setStart] = useState<{ draft: { answers: Answers; at: string; id: string } | null } | null>(null);
  const ready = !citizen.isPending && !instrument.isPending && !list.isPending && !(draftRow && draft.isPending);
  const error = citizen.error ?? instrument.error ?? list.error ?? draft.error;
  if (!start && ready && !error) setStart({ draft: draft.data ? { answers: draft.data.answers, at: draft.data.answeredAt, id: draft.data.id } : null });
  if (error || (ready && (!citizen.data || !instrument.data))) {
    return (
      <>
        <PageHeading title={title}>{title}</PageHeading>
        <QueryError error={error} />
        <Link to={`/citizens/${id}`}>{t('progression.backToCitizen')}</Link>
      </>
    );
  }
  if (!start || !citizen.data || !instrument.data) return <Loading />;
  const name = `${citizen.data.firstName} ${citizen.data.lastName}`;
  return (
    <AnswerForm
      citizenId={id}
      citizenName={name}
      code={code}
      title={title}
      def={definitionOf(instrument.data)}
      description={(instrument.data.definition as { description?: { da: string; en: string } }).description?.[language]}
      draft={start.draft}
    />
  );
}

function AnswerForm({ citizenId, citizenName, code, title, def, description, draft }: { citizenId: string; citizenName: string; code: string; title: string; def: Definition; description?: string; draft: { answers: Answers; at: string } | null }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const [answers, setAnswers] = useState<Answers>(draft?.answers ?? {});
  const [saved, setSaved] = useState<Answers>(draft?.answers ?? {});
  const [errors, setErrors] = useState<ItemErrors>({});
  const [failed, setFailed] = useState<MessageKey | null>(null);
  const [notice, setNotice] = useState<string | null>(draft ? t('progression.draftContinued', { date: formatDateTime(language, draft.at) }) : null);
  const [result, setResult] = useState<Submitted | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const unsaved = useUnsavedWarning(!result && JSON.stringify(answers) !== JSON.stringify(saved));
  const heading = t('progression.answerTitle', { title, name: citizenName });

  const refresh = async () => {
    await client.invalidateQueries({ queryKey: measurementsKey(citizenId) });
    void client.invalidateQueries({ queryKey: ['my-day'] });
  };
  const send = useMutation({
    mutationFn: (asDraft: boolean) => api.post<Submitted>(`/api/citizens/${citizenId}/assessments`, { instrumentCode: code, answers: onlyVisible(def, answers), ...(asDraft ? { draft: true } : {}) }),
    onSuccess: async (r, asDraft) => {
      setSaved(answers);
      if (asDraft) {
        setNotice(t('progression.draftSaved', { date: formatDateTime(language, r.answeredAt) }));
      } else {
        unsaved.allowLeave();
        setResult(r);
      }
      await refresh();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 400) {
        const found = serverItemErrors(e.body?.issues);
        if (Object.keys(found).length) {
          setErrors(found);
          focusSummary();
          return;
        }
        if (e.issueFor('citizen') === 'no_team_enrolment') return setFailed('progression.error.noTeam');
      }
      setFailed(errorMessageKey(e));
    },
  });
  const focusSummary = () => requestAnimationFrame(() => summaryRef.current?.focus());

  if (result) return <Result citizenId={citizenId} heading={heading} def={def} result={result} />;

  const onAnswer = (item: string, value: number | undefined) => {
    setAnswers((a) => {
      const next = { ...a };
      if (value === undefined) delete next[item];
      else next[item] = value;
      return next;
    });
    setErrors((e) => {
      const next = { ...e };
      delete next[item];
      return next;
    });
    setFailed(null);
    setNotice(null);
  };
  const errorItems = Object.keys(errors).filter((c) => def.items.some((i) => i.code === c));

  return (
    <>
      <PageHeading title={heading}>{heading}</PageHeading>
      <div className="alert alert-info answer-voluntary">
        <div className="alert-body">
          <p className="alert-text">{t('progression.voluntary')}</p>
        </div>
      </div>
      {description && <p className="page-intro">{description}</p>}
      {unsaved.confirm}
      <SuccessNotice message={notice} className="notice-slot" />
      <form
        className="answer-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const local = localErrors(def, answers);
          if (Object.keys(local).length) {
            setErrors(local);
            focusSummary();
            return;
          }
          send.mutate(false);
        }}
      >
        {errorItems.length > 0 && (
          <div className="alert alert-error error-summary" role="alert" tabIndex={-1} ref={summaryRef} aria-labelledby="answer-errors-heading">
            <div className="alert-body">
              <p className="alert-heading" id="answer-errors-heading">
                {t('progression.errorsHeading', { n: errorItems.length })}
              </p>
              <ul className="alert-text">
                {errorItems.map((c) => {
                  const item = def.items.find((i) => i.code === c)!;
                  const n = def.items.indexOf(item) + 1;
                  return (
                    <li key={c}>
                      <a href={`#answer-${c}`} onClick={(e) => { e.preventDefault(); document.getElementById(`answer-${c}`)?.focus(); }}>
                        {t('progression.errorAt', { n, text: item.text[language], problem: t(errors[c]!) })}
                      </a>
                    </li>
                  );
                })}
              </ul>
            </div>
          </div>
        )}
        <AnswerItems def={def} answers={answers} errors={errors} onAnswer={onAnswer} idPrefix="answer" />
        {failed && <ErrorAlert message={t(failed)} />}
        <div className="button-row answer-buttons">
          <button type="submit" className="button button-primary" disabled={send.isPending}>
            {t('progression.submit')}
          </button>
          <button type="button" className="button button-secondary" disabled={send.isPending} onClick={() => send.mutate(true)}>
            {t('progression.saveDraft')}
          </button>
          <Link to={`/citizens/${citizenId}`} className="button button-tertiary">
            {t('common.cancel')}
          </Link>
        </div>
      </form>
    </>
  );
}

function Result({ citizenId, heading, def, result }: { citizenId: string; heading: string; def: Definition; result: Submitted }) {
  const { t, language } = useI18n();
  const tasks = useStaffTasks(citizenId, result.alerts.length > 0);
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const change = result.change;
  const unit = def.scoring?.scale ? t('progression.points') : t('progression.rawPoints');
  return (
    <>
      <PageHeading title={heading} focus={false}>
        {heading}
      </PageHeading>
      <section className="answer-result" aria-labelledby="result-heading">
        <h2 id="result-heading" ref={ref} tabIndex={-1}>
          {t('progression.submitted')}
        </h2>
        {result.score ? (
          <dl className="facts result-facts">
            <div>
              <dt>{t('progression.score')}</dt>
              <dd>{scoreWords(t, language, def, result.score)}</dd>
            </div>
            <div>
              <dt>{t('progression.band')}</dt>
              <dd>{result.score.band ? <BandTag def={def} band={result.score.band} /> : '–'}</dd>
            </div>
            <div>
              <dt>{t('progression.change')}</dt>
              <dd>
                {change ? (
                  <>
                    {t('progression.changeText', { from: formatNumber(language, change.from), to: formatNumber(language, change.to), diff: `${change.to - change.from > 0 ? '+' : ''}${formatNumber(language, change.to - change.from)}`, unit })}
                    {change.relevant && (
                      <>
                        {' '}
                        <strong className="relevant-change">{t('progression.relevantChange')}</strong>
                      </>
                    )}
                  </>
                ) : (
                  t('progression.firstMeasurement')
                )}
              </dd>
            </div>
          </dl>
        ) : (
          <p>{t('progression.unscored')}</p>
        )}
        {result.alerts.length > 0 && (
          <div className="alert alert-warning result-alerts">
            <div className="alert-body">
              <p className="alert-heading">{result.alerts.length > 1 ? t('progression.alertsHeadingMany', { n: result.alerts.length }) : t('progression.alertsHeading')}</p>
              <ul className="alert-text">
                {result.alerts.map((a) => {
                  const procedure = tasks.data?.items.find((x) => x.kind === 'alert' && x.rule === a.code)?.acuteProcedure?.[language]?.trim();
                  return (
                    <li key={a.code}>
                      <strong>{a.task[language]}</strong>
                      <div className="acute-procedure">
                        <strong>{t('progression.acuteProcedure')}</strong> {procedure ? <span className="pre-line">{procedure}</span> : tasks.isPending ? t('common.loading') : <span className="muted">{t('progression.noAcuteProcedure')}</span>}
                      </div>
                    </li>
                  );
                })}
              </ul>
              <p className="alert-text">{t('progression.alertsInternal')}</p>
            </div>
          </div>
        )}
        <Link className="button button-primary" to={`/citizens/${citizenId}`}>
          {t('progression.backToCitizen')}
        </Link>
      </section>
    </>
  );
}
