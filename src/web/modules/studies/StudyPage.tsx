// One study: the agreement's facts, each included organisation's dpo advice and approval, the named researchers,
// and the approved variables as the codebook describes them. The dpo of an included organisation records advice;
// its programme manager approves, and is told in words what is still missing.
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { ErrorAlert, Loading, PageHeading, QueryError, SuccessNotice } from '../../app/feedback.tsx';
import { FormButtons, SelectField, TextArea } from '../../app/fields.tsx';
import { useUser } from '../../app/session.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatDateTime, formatIsoDate } from '../../i18n/format.ts';
import { STUDIES_KEY, useCodebook, useQuestionnaireOptions, useResearcherOptions, useStudy, type Study } from './studiesApi.ts';
import { StudyEnd } from './StudyEnd.tsx';
import { StudyExports } from './StudyExports.tsx';
import { StudyLinkage } from './StudyLinkage.tsx';
import './studies.css';

const MISSING: Record<string, MessageKey> = {
  dpo_advice_missing: 'studies.missing.dpoAdvice',
  permission_missing: 'studies.missing.permission',
  no_researcher: 'studies.missing.researcher',
  already_approved: 'studies.missing.alreadyApproved',
};

export function StudyPage() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const study = useStudy(id);
  if (study.isPending) return <Loading />;
  if (study.isError) return <QueryError error={study.error} />;
  const s = study.data;
  const yes = (v: boolean) => t(v ? 'studies.yes' : 'studies.no');
  return (
    <>
      <p className="breadcrumb-link">
        <Link to="/studies">{t('studies.back')}</Link>
      </p>
      <PageHeading title={s.title}>{s.title}</PageHeading>
      <p>
        <span className={`study-status study-status-${s.status}`}>
          {s.status === 'approved' && s.approvedAt ? t('studies.approvedOn', { date: formatDateTime(language, s.approvedAt) }) : t('studies.status.awaiting')}
        </span>
      </p>
      <NameResearcher study={s} />
      <StudyEnd study={s} />
      <StudyExports study={s} />
      <StudyLinkage study={s} />
      {/* A changed study (a researcher named, advice given) starts the approval afresh: no stale "what is missing". */}
      <Actions key={`${s.researchers.map((r) => r.id).join()}|${s.organisations.map((o) => o.dpoAdvisedAt ?? '').join()}`} study={s} />
      <h2>{t('studies.agreement')}</h2>
      <dl className="study-facts">
        <dt>{t('studies.programme')}</dt>
        <dd>{s.programme.name}</dd>
        <dt>{t('studies.partner')}</dt>
        <dd>{s.partnerName}</dd>
        <dt>{t('studies.partnerRole')}</dt>
        <dd>{s.partnerRole === 'controller' ? t('studies.role.controller') : t('studies.role.processor', { reference: s.dpaReference ?? '' })}</dd>
        <dt>{t('studies.legalBasis')}</dt>
        <dd>{s.legalBasis.map((b) => t(b === 'dbl_10' ? 'studies.basis.dbl10' : 'studies.basis.gdpr6')).join('; ')}</dd>
        <dt>{t('studies.purpose')}</dt>
        <dd>{s.purpose}</dd>
        <dt>{t('studies.period')}</dt>
        <dd>{t('studies.periodValue', { from: formatIsoDate(language, s.startsOn), to: formatIsoDate(language, s.endsOn) })}</dd>
        <dt>{t('studies.datePrecision')}</dt>
        <dd>{t(s.datePrecision === 'month' ? 'studies.precision.month' : 'studies.precision.shifted')}</dd>
        <dt>{t('studies.dpia')}</dt>
        <dd>{s.dpiaReference}</dd>
        <dt>{t('studies.linkage.fact')}</dt>
        <dd>{s.registerLinkage ? t('studies.linkage.factYes', { reference: s.dstReference ?? '' }) : t('studies.linkage.factNo')}</dd>
        <dt>{t('studies.checklist')}</dt>
        <dd>
          <ul className="plain-list">
            <li>{t('studies.checklist.thirdCountry', { answer: yes(s.checklist.thirdCountry) })}</li>
            <li>{t('studies.checklist.biological', { answer: yes(s.checklist.biologicalMaterial) })}</li>
            <li>{t('studies.checklist.journal', { answer: yes(s.checklist.journalPublication) })}</li>
          </ul>
          {s.permissionNeeded ? t('studies.permission', { reference: s.permissionReference ?? t('studies.permissionMissing') }) : t('studies.permissionNotNeeded')}
        </dd>
        <dt>{t('studies.researchers')}</dt>
        <dd>{s.researchers.length === 0 ? t('studies.noResearchers') : s.researchers.map((r) => r.name).join(', ')}</dd>
      </dl>
      <h2 id="study-organisations-heading">{t('studies.organisations')}</h2>
      <TableScroll labelledBy="study-organisations-heading">
        <table className="table">
          <caption className="sr-only">{t('studies.organisations')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('studies.organisation')}</th>
              <th scope="col">{t('studies.dpoAdvice')}</th>
              <th scope="col">{t('studies.approval')}</th>
            </tr>
          </thead>
          <tbody>
            {s.organisations.map((o) => (
              <tr key={o.id}>
                <td>{o.name}</td>
                <td>
                  {o.dpoAdvice && o.dpoAdvisedAt ? (
                    <>
                      <p className="study-advice">{o.dpoAdvice}</p>
                      <span className="form-hint">{t('studies.byOn', { name: o.dpoAdvisedBy?.name ?? '', date: formatDateTime(language, o.dpoAdvisedAt) })}</span>
                    </>
                  ) : (
                    t('studies.noAdvice')
                  )}
                </td>
                <td>{o.approvedAt ? t('studies.byOn', { name: o.approvedBy?.name ?? '', date: formatDateTime(language, o.approvedAt) }) : t('studies.notApproved')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <ResearchQuestionnaires study={s} />
      <Variables study={s} />
    </>
  );
}

/** The approved variables per export file, as the codebook describes them. */
function Variables({ study }: { study: Study }) {
  const { t, language } = useI18n();
  const book = useCodebook();
  if (book.isPending) return <Loading />;
  if (book.isError) return <QueryError error={book.error} />;
  const chosen = new Set(study.variables);
  return (
    <>
      <h2>{t('studies.variables')}</h2>
      <p>{t('studies.variablesIntro')}</p>
      {book.data.files
        .filter((f) => book.data.variables.some((v) => v.file === f.name && chosen.has(v.name)))
        .map((f) => (
          <section key={f.name} aria-labelledby={`file-${f.name}`}>
            <h3 id={`file-${f.name}`}>{f.label[language]}</h3>
            <TableScroll labelledBy={`file-${f.name}`}>
              <table className="table">
                <caption className="sr-only">{f.label[language]}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('studies.variable')}</th>
                    <th scope="col">{t('studies.meaning')}</th>
                    <th scope="col">{t('studies.type')}</th>
                    <th scope="col">{t('studies.codes')}</th>
                  </tr>
                </thead>
                <tbody>
                  {book.data.variables
                    .filter((v) => v.file === f.name && chosen.has(v.name))
                    .map((v) => (
                      <tr key={v.name}>
                        <td>
                          <code>{v.variable}</code>
                        </td>
                        <td>
                          {v.label[language]}
                          {v.sensitive && (
                            <>
                              <br />
                              <strong>{t('studies.healthData')}</strong>
                            </>
                          )}
                        </td>
                        <td>
                          {v.type}
                          {v.unit && v.unit !== v.type ? ` (${v.unit})` : ''}
                        </td>
                        <td>{v.codes.length === 0 ? '—' : v.codes.map((c) => `${c.code} = ${c.label[language]}`).join('; ')}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </TableScroll>
          </section>
        ))}
    </>
  );
}

/** What the user can do on the study now: the dpo's advice, or the programme manager's approval. */
function Actions({ study }: { study: Study }) {
  const { t } = useI18n();
  const user = useUser();
  const client = useQueryClient();
  const own = study.organisations.find((o) => o.id === user.organisation.id);
  const isDpo = user.roles.some((r) => r.role === 'dpo' && r.programmeId === null);
  const isManager = user.roles.some((r) => r.role === 'programme_manager' && r.programmeId === study.programme.id);
  const [advice, setAdvice] = useState('');
  const [adviceError, setAdviceError] = useState<string | undefined>();
  const refresh = (next: Study) => {
    client.setQueryData(['studies', 'one', study.id], next);
    void client.invalidateQueries({ queryKey: STUDIES_KEY });
  };
  const advise = useMutation({ mutationFn: () => api.post<Study>(`/api/studies/${study.id}/dpo-advice`, { advice }), onSuccess: refresh });
  const approve = useMutation({ mutationFn: () => api.post<Study>(`/api/studies/${study.id}/approve`), onSuccess: refresh });
  if (!own || own.approvedAt) return null;
  const submitAdvice = (e: FormEvent) => {
    e.preventDefault();
    if (!advice.trim()) return setAdviceError(t('studies.error.adviceRequired'));
    setAdviceError(undefined);
    advise.mutate();
  };
  const missing = approve.error instanceof ApiError && approve.error.status === 409 ? (approve.error.body?.issues ?? []).map((i) => i.message) : [];
  return (
    <>
      {isDpo && (
        <form className="study-actions" onSubmit={submitAdvice} noValidate aria-labelledby="study-advice-heading">
          <h2 id="study-advice-heading">{t('studies.adviceHeading')}</h2>
          {advise.isSuccess && <SuccessNotice message={t('studies.adviceSaved')} />}
          {advise.isError && <ErrorAlert message={t('error.request')} />}
          <TextArea id="study-advice" label={t('studies.adviceLabel')} hint={t('studies.adviceHint')} value={advice} onChange={setAdvice} error={adviceError} rows={4} />
          <FormButtons saveLabel={t('studies.adviceSave')} disabled={advise.isPending} />
        </form>
      )}
      {isManager && (
        <div className="study-actions" role="group" aria-labelledby="study-approve-heading">
          <h2 id="study-approve-heading">{t('studies.approveHeading')}</h2>
          <p>{t('studies.approveIntro', { organisation: own.name })}</p>
          {missing.length > 0 && (
            <ErrorAlert heading={t('studies.notApprovedYet')} message={t('studies.missingIntro')}>
              <ul className="study-missing">
                {missing.map((m) => (
                  <li key={m}>{t(MISSING[m] ?? 'error.request')}</li>
                ))}
              </ul>
            </ErrorAlert>
          )}
          {approve.isError && missing.length === 0 && <ErrorAlert message={t('error.request')} />}
          <button type="button" className="button button-primary" onClick={() => approve.mutate()} disabled={approve.isPending}>
            {t('studies.approve')}
          </button>
        </div>
      )}
    </>
  );
}

/** The recording organisation's programme manager names a researcher of the programme (before approval). */
function NameResearcher({ study }: { study: Study }) {
  const user = useUser();
  const mayName =
    study.status !== 'approved' && user.organisation.id === study.organisationId && user.roles.some((r) => r.role === 'programme_manager' && r.programmeId === study.programme.id);
  return mayName ? <NameResearcherForm study={study} /> : null;
}

function NameResearcherForm({ study }: { study: Study }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const options = useResearcherOptions(study.id);
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [named, setNamed] = useState<string | null>(null);
  const name = useMutation({
    mutationFn: (userId: string) => api.post<Study>(`/api/studies/${study.id}/researchers`, { userId }),
    onSuccess: (next, userId) => {
      setNamed(next.researchers.find((r) => r.id === userId)?.name ?? null);
      setChosen('');
      client.setQueryData(['studies', 'one', study.id], next);
      void client.invalidateQueries({ queryKey: ['studies', 'researcher-options', study.id] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) return setError(t('studies.error.researcherRequired'));
    setError(undefined);
    setNamed(null);
    name.mutate(chosen);
  };
  return (
    <form className="study-actions" onSubmit={submit} noValidate aria-labelledby="study-name-heading">
      <h2 id="study-name-heading">{t('studies.nameHeading')}</h2>
      <p>{t('studies.nameIntro')}</p>
      {named && <SuccessNotice message={t('studies.nameSaved', { name: named })} />}
      {name.isError && <ErrorAlert message={t('error.request')} />}
      {options.isPending ? (
        <Loading />
      ) : options.isError ? (
        <QueryError error={options.error} />
      ) : options.data.items.length === 0 ? (
        <p>{t('studies.nameNone')}</p>
      ) : (
        <>
          <SelectField
            id="study-researcher"
            label={t('studies.nameLabel')}
            value={chosen}
            onChange={(v) => {
              setChosen(v);
              if (v) setError(undefined);
            }}
            error={error}
            options={[{ value: '', label: t('studies.nameChoose') }, ...options.data.items.map((r) => ({ value: r.id, label: r.name }))]}
          />
          <FormButtons saveLabel={t('studies.nameSave')} disabled={name.isPending} />
        </>
      )}
    </form>
  );
}

/**
 * The research-only questionnaires the citizen answers voluntarily in the portal (their answers are the partner's and
 * never shown here), and for the recording organisation's programme manager, before approval, the form to add one.
 */
function ResearchQuestionnaires({ study }: { study: Study }) {
  const { t, language } = useI18n();
  const user = useUser();
  const mayAdd =
    study.status !== 'approved' && user.organisation.id === study.organisationId && user.roles.some((r) => r.role === 'programme_manager' && r.programmeId === study.programme.id);
  return (
    <section aria-labelledby="study-questionnaires-heading">
      <h2 id="study-questionnaires-heading">{t('studies.questionnaires')}</h2>
      <p>{t('studies.questionnairesIntro', { partner: study.partnerName })}</p>
      {study.questionnaires.length === 0 ? (
        <p>{t('studies.noQuestionnaires')}</p>
      ) : (
        <ul className="plain-list study-questionnaires">
          {study.questionnaires.map((q) => (
            <li key={q.id}>
              <strong>{q.title[language]}</strong> ({q.instrumentCode}, {t('studies.questionnaireVersion', { version: q.instrumentVersion })})
              {q.healthData && (
                <>
                  {' · '}
                  <strong>{t('studies.healthData')}</strong>
                </>
              )}
              <br />
              <span className="form-hint">{t('studies.byOn', { name: q.addedBy.name, date: formatDateTime(language, q.addedAt) })}</span>
            </li>
          ))}
        </ul>
      )}
      {mayAdd && <AddQuestionnaireForm study={study} />}
    </section>
  );
}

const QUESTIONNAIRE_ISSUES: Record<string, MessageKey> = {
  controller_partner_required: 'studies.questionnaireError.controller',
  unknown_instrument: 'studies.questionnaireError.unknown',
  already_added: 'studies.questionnaireError.added',
};

function AddQuestionnaireForm({ study }: { study: Study }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const options = useQuestionnaireOptions(study.id);
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<string | undefined>();
  const add = useMutation({
    mutationFn: (instrumentCode: string) => api.post<Study>(`/api/studies/${study.id}/questionnaires`, { instrumentCode }),
    onSuccess: (next) => {
      setChosen('');
      client.setQueryData(['studies', 'one', study.id], next);
      void client.invalidateQueries({ queryKey: ['studies', 'questionnaire-options', study.id] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) return setError(t('studies.error.questionnaireRequired'));
    setError(undefined);
    add.mutate(chosen);
  };
  const issues = add.error instanceof ApiError ? (add.error.body?.issues ?? []).map((i) => i.message) : [];
  const messages = issues.map((m) => (m.startsWith('dbl_10_required_for') ? t('studies.questionnaireError.dbl10') : t(QUESTIONNAIRE_ISSUES[m] ?? 'error.request')));
  return (
    <form className="study-actions" onSubmit={submit} noValidate aria-labelledby="study-add-questionnaire-heading">
      <h3 id="study-add-questionnaire-heading">{t('studies.addQuestionnaire')}</h3>
      {add.isSuccess && <SuccessNotice message={t('studies.questionnaireAdded')} />}
      {add.isError && <ErrorAlert message={messages.length > 0 ? messages.join(' ') : t('error.request')} />}
      {options.isPending ? (
        <Loading />
      ) : options.isError ? (
        <QueryError error={options.error} />
      ) : options.data.items.length === 0 ? (
        <p>{t('studies.noQuestionnaireOptions')}</p>
      ) : (
        <>
          <SelectField
            id="study-questionnaire"
            label={t('studies.questionnaireLabel')}
            value={chosen}
            onChange={(v) => {
              setChosen(v);
              if (v) setError(undefined);
            }}
            error={error}
            options={[
              { value: '', label: t('studies.questionnaireChoose') },
              ...options.data.items.map((o) => ({ value: o.code, label: `${o.title[language]}${o.healthData ? ` (${t('studies.healthData')})` : ''}` })),
            ]}
          />
          <FormButtons saveLabel={t('studies.addQuestionnaireSave')} disabled={add.isPending} />
        </>
      )}
    </form>
  );
}
