// "Forskning" in the citizen portal: the research-only questionnaires of the approved studies of my programme (decision
// 0040). The page says first, plainly, that answering is voluntary, has no effect on my case, and that my caseworker
// never sees the answers. Per study: its purpose and partner; per questionnaire: answer it (the same big answer buttons
// as Spørgeskemaer), say "nej tak" (never asked again), or — once answered — delete my answers.
import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PortalResearchQuestionnaire, PortalResearchStudy } from '../../../contracts/portal-research.ts';
import { ApiError } from '../../api/client.ts';
import { FailureRegion, Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { useI18n, type Language } from '../../i18n/i18n.tsx';
import { AnswerFields, useAnswerForm } from './QuestionnairesPage.tsx';
import { PORTAL_RESEARCH_KEY, researchApi, usePortalResearch } from './researchApi.ts';
import type { PortalSectionProps } from './sections.tsx';
import '../progression/progression.css';
import './questionnaires.css';
import './research.css';

function dateOf(language: Language, iso: string): string {
  return new Intl.DateTimeFormat(language === 'da' ? 'da-DK' : 'en-GB', { timeZone: 'Europe/Copenhagen', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${iso.length === 10 ? `${iso}T12:00:00Z` : iso}`));
}

export function ResearchPage({ csrf }: PortalSectionProps) {
  const { t } = useI18n();
  const research = usePortalResearch();
  const [thanks, setThanks] = useState(false);
  const studies = research.data?.studies ?? [];
  return (
    <div className="portal-box portal-research">
      <PageHeading title={t('portal.research.nav')}>{t('portal.research.nav')}</PageHeading>
      <p>{t('portal.research.intro')}</p>
      <div className="portal-research-notice" role="note" aria-labelledby="portal-research-voluntary">
        <h2 id="portal-research-voluntary" className="h3">
          {t('portal.research.voluntary.heading')}
        </h2>
        <p>{t('portal.research.voluntary.text')}</p>
      </div>
      {/* Always on the page, so the thank-you is announced when it appears. */}
      <div role="status">{thanks && <p className="portal-thanks">{t('portal.research.thanks')}</p>}</div>
      {research.isPending && <Loading />}
      {research.isError && <QueryError error={research.error} />}
      {research.data && studies.length === 0 && <p>{t('portal.research.none')}</p>}
      {studies.map((s) => (
        <StudySection key={s.id} study={s} csrf={csrf} onAnswered={() => setThanks(true)} onChange={() => setThanks(false)} />
      ))}
    </div>
  );
}

function StudySection({ study, csrf, onAnswered, onChange }: { study: PortalResearchStudy; csrf: string; onAnswered: () => void; onChange: () => void }) {
  const { t, language } = useI18n();
  const headingId = `portal-research-${study.id}`;
  return (
    <section className="portal-card portal-research-study" aria-labelledby={headingId}>
      <h2 id={headingId} className="h3">
        {study.title}
      </h2>
      <dl className="portal-research-facts">
        <dt>{t('portal.research.partner')}</dt>
        <dd>{study.partnerName}</dd>
        <dt>{t('portal.research.purpose')}</dt>
        <dd>{study.purpose}</dd>
        <dt>{t('portal.research.until')}</dt>
        <dd>{dateOf(language, study.endsOn)}</dd>
      </dl>
      {study.questionnaires.map((q) => (
        <QuestionnaireItem key={q.id} questionnaire={q} partner={study.partnerName} csrf={csrf} onAnswered={onAnswered} onChange={onChange} />
      ))}
    </section>
  );
}

function QuestionnaireItem({ questionnaire: q, partner, csrf, onAnswered, onChange }: { questionnaire: PortalResearchQuestionnaire; partner: string; csrf: string; onAnswered: () => void; onChange: () => void }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const refresh = () => client.invalidateQueries({ queryKey: PORTAL_RESEARCH_KEY });
  const decline = useMutation({ mutationFn: () => researchApi.decline(csrf, q.id), onSuccess: refresh });
  const withdraw = useMutation({
    mutationFn: () => researchApi.withdraw(csrf, q.id),
    onSuccess: async () => {
      setConfirmDelete(false);
      await refresh();
    },
  });
  const title = q.title[language];
  const failed = decline.isError || withdraw.isError ? t('portal.research.failed') : null;
  return (
    <div className="portal-research-questionnaire">
      <h3 className="h4">{title}</h3>
      {q.state === 'open' &&
        (open ? (
          <ResearchForm
            questionnaire={q}
            csrf={csrf}
            onCancel={() => setOpen(false)}
            onSent={async () => {
              setOpen(false);
              onAnswered();
              await refresh();
            }}
          />
        ) : (
          <div className="portal-links">
            <button
              type="button"
              className="button button-primary"
              onClick={() => {
                onChange();
                setOpen(true);
              }}
            >
              {t('portal.research.answer', { title })}
            </button>
            <button
              type="button"
              className="button button-secondary"
              disabled={decline.isPending}
              onClick={() => {
                onChange();
                decline.mutate();
              }}
            >
              {t('portal.research.decline')}
            </button>
          </div>
        ))}
      {q.state === 'answered' && q.answeredAt && (
        <>
          <p>{t('portal.research.answered', { date: dateOf(language, q.answeredAt) })}</p>
          {confirmDelete ? (
            <div className="portal-research-confirm" role="group" aria-label={t('portal.research.delete')}>
              <p>{t('portal.research.deleteConfirm', { partner })}</p>
              <div className="portal-links">
                <button type="button" className="button button-primary" disabled={withdraw.isPending} onClick={() => withdraw.mutate()}>
                  {t('portal.research.deleteYes')}
                </button>
                <button type="button" className="button button-tertiary" onClick={() => setConfirmDelete(false)}>
                  {t('portal.research.deleteNo')}
                </button>
              </div>
            </div>
          ) : (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                onChange();
                setConfirmDelete(true);
              }}
            >
              {t('portal.research.delete')}
            </button>
          )}
        </>
      )}
      {q.state === 'declined' && <p>{t('portal.research.declined')}</p>}
      {q.state === 'withdrawn' && <p>{t('portal.research.withdrawn', { partner })}</p>}
      <FailureRegion heading={t('portal.research.failedHeading')} message={failed} />
    </div>
  );
}

function ResearchForm({ questionnaire, csrf, onSent, onCancel }: { questionnaire: PortalResearchQuestionnaire; csrf: string; onSent: () => Promise<void>; onCancel: () => void }) {
  const { t, language } = useI18n();
  const questions = questionnaire.questions;
  const form = useAnswerForm(questions, (code) => `r-${questionnaire.id}-${code}`);
  const send = useMutation({ mutationFn: () => researchApi.answer(csrf, questionnaire.id, form.answers), onSuccess: onSent });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (form.validate()) send.mutate();
  };
  const failure = send.isError ? t(send.error instanceof ApiError && send.error.status === 409 ? 'portal.research.alreadyAnswered' : 'portal.research.failed') : null;
  return (
    <form className="portal-questionnaire-form" onSubmit={submit} noValidate aria-label={questionnaire.title[language]}>
      {questionnaire.description && <p>{questionnaire.description[language]}</p>}
      <AnswerFields questions={questions} form={form} />
      <FailureRegion heading={t('portal.research.failedHeading')} message={failure} />
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
