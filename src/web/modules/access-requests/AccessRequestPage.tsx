// One access case: the deadline (and its one extension), the interim notice owed after 7 working days, the
// redaction step (fellow group participants always left out; meeting attendees and company contacts ticked one by
// one; notes withheld as internal working documents with the personal data in them given), the package made as a
// job with its progress, the decision with reasons and complaint guidance from templates, and the release. The dpo
// reads the case; the citizen's team acts on it.
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { ErrorAlert, Loading, PageHeading, QueryError, StatusNote } from '../../app/feedback.tsx';
import { SelectField, TextArea, TextField } from '../../app/fields.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime, formatIsoDate } from '../../i18n/format.ts';
import { ACCESS_REQUESTS_KEY, accessCaseKey, useAccessCase, type AccessCase } from './accessRequestsApi.ts';
import './accessRequests.css';

export function AccessRequestPage() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const found = useAccessCase(id);
  if (found.isPending) return <Loading />;
  if (found.isError) return <QueryError error={found.error} />;
  const c = found.data;
  return (
    <>
      <p className="breadcrumb-link">
        <Link to="/access-requests">{t('accessRequests.back')}</Link>
      </p>
      <PageHeading title={t('accessRequests.caseTitle', { name: c.citizen.name })}>{t('accessRequests.caseTitle', { name: c.citizen.name })}</PageHeading>
      {!c.canHandle && <StatusNote kind="info" message={t('accessRequests.followOnly')} />}
      <dl className="access-facts">
        <dt>{t('accessRequests.organisation')}</dt>
        <dd>{c.organisation.name}</dd>
        <dt>{t('accessRequests.request')}</dt>
        <dd>{c.text ?? t('accessRequests.everything')}</dd>
        <dt>{t('accessRequests.received')}</dt>
        <dd>{formatIsoDate(language, c.receivedOn)}</dd>
        <dt>{t('accessRequests.deadline')}</dt>
        <dd>
          {formatIsoDate(language, c.deadline)}
          {c.extension && ` — ${t('accessRequests.extendedBecause', { reason: c.extension.reason })}`}
        </dd>
        <dt>{t('accessRequests.status')}</dt>
        <dd>{t(`accessRequests.state.${c.status}`)}</dd>
        <dt>{t('accessRequests.interimDue')}</dt>
        <dd>
          {formatIsoDate(language, c.interimDueOn)}
          {c.needsInterimNotice && (
            <>
              {' '}
              <strong className="access-flag">{t('accessRequests.needsInterim')}</strong>
            </>
          )}
        </dd>
      </dl>
      <DeadlineStep c={c} />
      <RedactionStep c={c} />
      <PackageStep c={c} />
      <TextHitsStep key={c.textHits.map((h) => h.key).join()} c={c} />
      <AdviceStep c={c} />
      <DecisionStep c={c} />
    </>
  );
}

function useCaseChange(c: AccessCase, path: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<AccessCase>(`/api/access-requests/${c.id}/${path}`, { version: c.version, ...body }),
    onSuccess: (next) => {
      client.setQueryData(accessCaseKey(c.id), next);
      void client.invalidateQueries({ queryKey: [...ACCESS_REQUESTS_KEY, 'queue'] });
    },
  });
}

function errorText(t: ReturnType<typeof useI18n>['t'], error: unknown): string {
  if (error instanceof ApiError && error.body?.message) return error.body.message;
  return t('error.request');
}

function DeadlineStep({ c }: { c: AccessCase }) {
  const { t, language } = useI18n();
  const interim = useCaseChange(c, 'interim-notice');
  const extend = useCaseChange(c, 'extension');
  const [reason, setReason] = useState('');
  const [expectedOn, setExpectedOn] = useState(c.deadline);
  const [extendTo, setExtendTo] = useState(c.canExtendUntil ?? '');
  const [extendReason, setExtendReason] = useState('');
  const open = c.canHandle && c.status === 'received';
  return (
    <section className="access-step" aria-labelledby="access-deadline-heading">
      <h2 id="access-deadline-heading">{t('accessRequests.interim.heading')}</h2>
      {c.interimNotice ? (
        <p>{t('accessRequests.interim.given', { date: formatDateTime(language, c.interimNotice.givenAt), expected: formatIsoDate(language, c.interimNotice.expectedOn), reason: c.interimNotice.reason })}</p>
      ) : open ? (
        <form
          noValidate
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            interim.mutate({ reason, expectedOn });
          }}
        >
          <p className="form-hint">{t('accessRequests.interim.hint')}</p>
          {interim.isError && <ErrorAlert message={errorText(t, interim.error)} />}
          <TextArea id="interim-reason" label={t('accessRequests.interim.reason')} value={reason} onChange={setReason} rows={3} />
          <TextField id="interim-expected" type="date" label={t('accessRequests.interim.expected')} value={expectedOn} onChange={setExpectedOn} />
          <button type="submit" className="button button-secondary" disabled={interim.isPending}>
            {t('accessRequests.interim.save')}
          </button>
        </form>
      ) : (
        <p>{t('accessRequests.interim.none')}</p>
      )}
      {open && c.canExtendUntil && (
        <form
          noValidate
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            extend.mutate({ extendTo, reason: extendReason });
          }}
        >
          <h3>{t('accessRequests.extension.heading')}</h3>
          <p className="form-hint">{t('accessRequests.extension.hint', { latest: formatIsoDate(language, c.canExtendUntil) })}</p>
          {extend.isError && <ErrorAlert message={errorText(t, extend.error)} />}
          <TextField id="extend-to" type="date" label={t('accessRequests.extension.to')} value={extendTo} onChange={setExtendTo} />
          <TextArea id="extend-reason" label={t('accessRequests.extension.reason')} value={extendReason} onChange={setExtendReason} rows={2} />
          <button type="submit" className="button button-secondary" disabled={extend.isPending}>
            {t('accessRequests.extension.save')}
          </button>
        </form>
      )}
    </section>
  );
}

function RedactionStep({ c }: { c: AccessCase }) {
  const { t, language } = useI18n();
  const save = useCaseChange(c, 'redactions');
  const [redact, setRedact] = useState(() => new Set(c.redactionCandidates.filter((p) => p.redact).map((p) => p.key)));
  const [withheld, setWithheld] = useState(() => new Map(c.withholdCandidates.filter((w) => w.withheld).map((w) => [w.key, w.personalData ?? ''])));
  const editable = c.canHandle && !c.releasedAt;
  const toggle = (key: string) => setRedact((s) => (s.has(key) ? new Set([...s].filter((k) => k !== key)) : new Set([...s, key])));
  return (
    <section className="access-step" aria-labelledby="access-redaction-heading">
      <h2 id="access-redaction-heading">{t('accessRequests.redaction.heading')}</h2>
      <p>{t('accessRequests.redaction.groups')}</p>
      <form
        noValidate
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          save.mutate({ redact: [...redact], withheld: [...withheld].map(([key, personalData]) => ({ key, personalData })) });
        }}
      >
        <fieldset>
          <legend>{t('accessRequests.redaction.people')}</legend>
          {c.redactionCandidates.length === 0 && <p>{t('accessRequests.redaction.noPeople')}</p>}
          <ul className="access-candidates">
            {c.redactionCandidates.map((p) => (
              <li key={p.key} className="form-group-checkbox">
                <input id={`redact-${p.key}`} className="form-checkbox" type="checkbox" checked={redact.has(p.key)} disabled={!editable} onChange={() => toggle(p.key)} />
                <label htmlFor={`redact-${p.key}`}>
                  {p.name}
                  {p.role ? `, ${p.role}` : ''} ({t(p.kind === 'company_contact' ? 'accessRequests.redaction.companyContact' : 'accessRequests.redaction.attendee')})
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <fieldset>
          <legend>{t('accessRequests.redaction.documents')}</legend>
          <p className="form-hint">{t('accessRequests.redaction.documentsHint')}</p>
          <ul className="access-candidates">
            {c.withholdCandidates.map((w) => (
              <li key={w.key}>
                <div className="form-group-checkbox">
                  <input
                    id={`withhold-${w.key}`}
                    className="form-checkbox"
                    type="checkbox"
                    checked={withheld.has(w.key)}
                    disabled={!editable}
                    onChange={() =>
                      setWithheld((m) => {
                        const next = new Map(m);
                        if (next.has(w.key)) next.delete(w.key);
                        else next.set(w.key, '');
                        return next;
                      })
                    }
                  />
                  <label htmlFor={`withhold-${w.key}`}>{t('accessRequests.redaction.note', { date: formatDateTime(language, w.createdAt), excerpt: w.excerpt })}</label>
                </div>
                {withheld.has(w.key) && (
                  <TextArea
                    id={`personal-${w.key}`}
                    label={t('accessRequests.redaction.personalData')}
                    value={withheld.get(w.key) ?? ''}
                    onChange={(v) => setWithheld((m) => new Map(m).set(w.key, v))}
                    rows={2}
                  />
                )}
              </li>
            ))}
          </ul>
        </fieldset>
        {save.isError && <ErrorAlert message={errorText(t, save.error)} />}
        {save.isSuccess && <StatusNote kind="success" message={t('accessRequests.redaction.saved')} />}
        {editable && (
          <button type="submit" className="button button-secondary" disabled={save.isPending}>
            {t('accessRequests.redaction.save')}
          </button>
        )}
      </form>
    </section>
  );
}

/** Names of other citizens and CPR numbers not the citizen's own, found in the package's free text: redact or keep each. */
function TextHitsStep({ c }: { c: AccessCase }) {
  const { t } = useI18n();
  const save = useCaseChange(c, 'text-hits');
  const [chosen, setChosen] = useState(() => new Map(c.textHits.map((h) => [h.key, h.resolution])));
  const editable = c.canHandle && !c.releasedAt;
  const made = c.package.state === 'done' || c.textHits.length > 0;
  return (
    <section className="access-step" aria-labelledby="access-text-hits-heading">
      <h2 id="access-text-hits-heading">{t('accessRequests.textHits.heading')}</h2>
      <p className="form-hint">{t('accessRequests.textHits.hint')}</p>
      {!made && <p>{t('accessRequests.textHits.notYet')}</p>}
      {made && c.textHits.length === 0 && <p>{t('accessRequests.textHits.none')}</p>}
      {c.unresolvedTextHits > 0 && (
        <p>
          <strong className="access-flag">{t('accessRequests.textHits.open', { count: c.unresolvedTextHits })}</strong>
        </p>
      )}
      {c.textHits.length > 0 && (
        <form
          noValidate
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            save.mutate({ resolutions: [...chosen].flatMap(([key, resolution]) => (resolution ? [{ key, resolution }] : [])) });
          }}
        >
          {c.textHits.map((h, i) => (
            <fieldset key={h.key} className="access-text-hit">
              <legend>{t('accessRequests.textHits.where', { kind: t(`accessRequests.textHits.${h.kind}`), section: h.section })}</legend>
              <p className="access-advice-text">{h.excerpt}</p>
              {(['redact', 'keep'] as const).map((r) => (
                <div key={r} className="form-group-radio">
                  <input
                    id={`hit-${i}-${r}`}
                    className="form-radio"
                    type="radio"
                    name={`hit-${i}`}
                    checked={chosen.get(h.key) === r}
                    disabled={!editable}
                    onChange={() => setChosen((m) => new Map(m).set(h.key, r))}
                  />
                  <label htmlFor={`hit-${i}-${r}`}>{t(`accessRequests.textHits.${r}`)}</label>
                </div>
              ))}
            </fieldset>
          ))}
          {save.isError && <ErrorAlert message={errorText(t, save.error)} />}
          {save.isSuccess && <StatusNote kind="success" message={t('accessRequests.textHits.saved')} />}
          {editable && (
            <button type="submit" className="button button-secondary" disabled={save.isPending}>
              {t('accessRequests.textHits.save')}
            </button>
          )}
        </form>
      )}
    </section>
  );
}

function PackageStep({ c }: { c: AccessCase }) {
  const { t, language } = useI18n();
  const make = useCaseChange(c, 'package');
  const busy = c.package.state === 'queued' || c.package.state === 'running';
  return (
    <section className="access-step" aria-labelledby="access-package-heading">
      <h2 id="access-package-heading">{t('accessRequests.package.heading')}</h2>
      <p role="status">
        {t(`accessRequests.packageState.${c.package.state}`)}
        {c.package.state === 'done' && c.package.generatedAt && ` — ${t('accessRequests.package.done', { date: formatDateTime(language, c.package.generatedAt), sections: c.package.sections ?? 0, rows: c.package.rows ?? 0 })}`}
      </p>
      {busy && (
        <progress className="access-progress" max={100} value={c.package.progress} aria-label={t('accessRequests.package.progress')}>
          {c.package.progress} %
        </progress>
      )}
      {make.isError && <ErrorAlert message={errorText(t, make.error)} />}
      {c.canHandle && !c.releasedAt && !busy && (
        <button type="button" className="button button-secondary" disabled={make.isPending} onClick={() => make.mutate({})}>
          {t(c.package.state === 'done' ? 'accessRequests.package.remake' : 'accessRequests.package.make')}
        </button>
      )}
    </section>
  );
}

/** The dpo's advice, with who gave it and when; the dpo writes more while the case is open. */
function AdviceList({ advice }: { advice: AccessCase['advice'] }) {
  const { t, language } = useI18n();
  return (
    <ul className="access-advice">
      {advice.map((a) => (
        <li key={a.id}>
          <p className="access-advice-text">{a.text}</p>
          <p className="form-hint">{t('accessRequests.advice.by', { by: a.by ?? '', date: formatDateTime(language, a.at) })}</p>
        </li>
      ))}
    </ul>
  );
}

function AdviceStep({ c }: { c: AccessCase }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [text, setText] = useState('');
  const give = useMutation({
    mutationFn: () => api.post<AccessCase>(`/api/access-requests/${c.id}/advice`, { text }),
    onSuccess: (next) => {
      setText('');
      client.setQueryData(accessCaseKey(c.id), next);
    },
  });
  return (
    <section className="access-step" aria-labelledby="access-advice-heading">
      <h2 id="access-advice-heading">{t('accessRequests.advice.heading')}</h2>
      {c.advice.length === 0 ? <p>{t('accessRequests.advice.none')}</p> : <AdviceList advice={c.advice} />}
      {c.canAdvise && (
        <form
          noValidate
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            give.mutate();
          }}
        >
          <TextArea id="advice-text" label={t('accessRequests.advice.label')} hint={t('accessRequests.advice.hint')} value={text} onChange={setText} rows={3} />
          {give.isError && <ErrorAlert message={errorText(t, give.error)} />}
          {give.isSuccess && <StatusNote kind="success" message={t('accessRequests.advice.saved')} />}
          <button type="submit" className="button button-secondary" disabled={give.isPending}>
            {t('accessRequests.advice.save')}
          </button>
        </form>
      )}
    </section>
  );
}

function DecisionStep({ c }: { c: AccessCase }) {
  const { t, language } = useI18n();
  const decide = useCaseChange(c, 'decision');
  const release = useCaseChange(c, 'release');
  const [outcome, setOutcome] = useState<'full' | 'partial' | 'refused'>(c.decision?.outcome ?? 'full');
  const [reasons, setReasons] = useState(c.decision?.reasons ?? t('accessRequests.template.full'));
  const [complaint, setComplaint] = useState(c.decision?.complaintGuidance ?? t('accessRequests.template.complaint'));
  const choose = (value: string) => {
    const next = value as 'full' | 'partial' | 'refused';
    setOutcome(next);
    setReasons(t(`accessRequests.template.${next}`));
  };
  // The advice the decision is (or was) made with: all of it while undecided, what came before the decision after.
  const decidedAt = c.decision ? Date.parse(c.decision.decidedAt) : null;
  const advice = c.advice.filter((a) => decidedAt === null || Date.parse(a.at) <= decidedAt);
  return (
    <section className="access-step" aria-labelledby="access-decision-heading">
      <h2 id="access-decision-heading">{t('accessRequests.decision.heading')}</h2>
      {advice.length > 0 && (
        <div className="access-advice-box">
          <h3>{t('accessRequests.advice.beforeDecision')}</h3>
          <AdviceList advice={advice} />
        </div>
      )}
      {c.decision && (
        <p>
          {t('accessRequests.decision.made', { date: formatDateTime(language, c.decision.decidedAt), outcome: t(`accessRequests.outcome.${c.decision.outcome}`), by: c.decision.by ?? '' })}
        </p>
      )}
      {c.canHandle && !c.releasedAt && (
        <form
          noValidate
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            decide.mutate({ outcome, reasons, complaintGuidance: complaint });
          }}
        >
          <SelectField
            id="decision-outcome"
            label={t('accessRequests.decision.outcome')}
            value={outcome}
            onChange={choose}
            options={(['full', 'partial', 'refused'] as const).map((o) => ({ value: o, label: t(`accessRequests.outcome.${o}`) }))}
          />
          <TextArea id="decision-reasons" label={t('accessRequests.decision.reasons')} value={reasons} onChange={setReasons} rows={4} />
          <TextArea id="decision-complaint" label={t('accessRequests.decision.complaint')} value={complaint} onChange={setComplaint} rows={4} />
          {decide.isError && <ErrorAlert message={errorText(t, decide.error)} />}
          <button type="submit" className="button button-secondary" disabled={decide.isPending}>
            {t('accessRequests.decision.save')}
          </button>
        </form>
      )}
      {release.isError && <ErrorAlert message={errorText(t, release.error)} />}
      {c.releasedAt ? (
        <StatusNote kind="success" message={t('accessRequests.released', { date: formatDateTime(language, c.releasedAt) })} />
      ) : (
        c.canHandle &&
        c.decision && (
          <button type="button" className="button button-primary" disabled={release.isPending} onClick={() => release.mutate({})}>
            {t('accessRequests.release')}
          </button>
        )
      )}
    </section>
  );
}
