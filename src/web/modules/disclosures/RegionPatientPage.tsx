// The region's page of a patient in the programme (liaison, clinician): the knowledge transfer with its
// versions and the form for a new one, "Videregiv" (choose a version or some of its answers, the recipient,
// the channel; a refusal names in plain Danish what no consent covers; a clinician may use an exception of
// sundhedsloven § 43, stk. 2), and the disclosures made, with the notice to the patient where stk. 4 asks it.
import { CompanyDisclosuresSection } from '../liaison-companies/CompanyDisclosuresSection.tsx';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime, formatIsoDate, todayInCopenhagen } from '../../i18n/format.ts';
import { ErrorAlert, Loading, PageHeading, QueryError, SuccessNotice } from '../../app/feedback.tsx';
import { SelectField, TextArea, TextField } from '../../app/fields.tsx';
import { useUser } from '../../app/session.tsx';
import { Section } from '../citizens/Section.tsx';
import {
  CHANNELS,
  EXCEPTION_GROUNDS,
  QUESTION_CODES,
  RECIPIENT_ROLES,
  REGION_CATEGORY_CODES,
  disclosuresKey,
  knowledgeTransfersKey,
  label,
  refusalOf,
  useDisclosures,
  useKnowledgeTransfers,
  type Disclosure,
  type Gap,
  type KnowledgeTransfer,
} from './disclosuresApi.ts';
import { KnowledgeTransferAnswers } from './KnowledgeTransferAnswers.tsx';
import './disclosures.css';

export function RegionPatientPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const [limit, setLimit] = useState(5);
  const transfers = useKnowledgeTransfers(id, limit);
  const [notice, setNotice] = useState<string | null>(null);
  if (transfers.isPending) return <Loading />;
  if (transfers.isError)
    return (
      <>
        <PageHeading title={t('citizen.unavailable')}>{t('citizen.unavailable')}</PageHeading>
        <QueryError error={transfers.error} />
      </>
    );
  const name = transfers.data.citizen.name;
  return (
    <>
      <PageHeading title={name}>{name}</PageHeading>
      <p className="lead-text">
        <span className="badge badge-small kt-badge">{t('disclosures.patient.title')}</span> {t('disclosures.patient.intro')}
      </p>
      <SuccessNotice message={notice} className="notice-slot" />
      <KnowledgeTransferSection citizenId={id} items={transfers.data.items} more={transfers.data.nextCursor !== null} onMore={() => setLimit((l) => l + 10)} onSaved={setNotice} />
      <DisclosureSection citizenId={id} transfers={transfers.data.items} onDone={setNotice} />
      <CompanyDisclosuresSection citizenId={id} />
    </>
  );
}

function KnowledgeTransferSection({ citizenId, items, more, onMore, onSaved }: { citizenId: string; items: KnowledgeTransfer[]; more: boolean; onMore: () => void; onSaved: (m: string) => void }) {
  const { t } = useI18n();
  const [writing, setWriting] = useState(false);
  return (
    <Section
      id="kt-heading"
      title={t('disclosures.kt.title')}
      actions={
        <button type="button" className="button button-secondary" aria-expanded={writing} onClick={() => setWriting((w) => !w)}>
          {items.length === 0 ? t('disclosures.kt.write') : t('disclosures.kt.newVersion')}
        </button>
      }
    >
      {writing && (
        <KnowledgeTransferForm
          citizenId={citizenId}
          previous={items[0]}
          onCancel={() => setWriting(false)}
          onSaved={(version) => {
            setWriting(false);
            onSaved(t('disclosures.kt.saved', { version }));
          }}
        />
      )}
      {items.length === 0 ? (
        !writing && <p>{t('disclosures.kt.none')}</p>
      ) : (
        <ol className="plain-list kt-versions">
          {items.map((k, i) => (
            <li key={k.id}>
              <KnowledgeTransferCard transfer={k} open={i === 0} />
            </li>
          ))}
        </ol>
      )}
      {more && (
        <button type="button" className="button button-tertiary" onClick={onMore}>
          {t('disclosures.kt.more')}
        </button>
      )}
    </Section>
  );
}

function KnowledgeTransferCard({ transfer: k, open }: { transfer: KnowledgeTransfer; open: boolean }) {
  const { t, language } = useI18n();
  return (
    <details className="card-item kt-card" open={open}>
      <summary>
        <strong>{t('disclosures.kt.version', { version: k.version })}</strong> – {t('disclosures.kt.byline', { team: k.sourceTeam, date: formatIsoDate(language, k.writtenOn), name: k.createdBy.name })}
      </summary>
      <KnowledgeTransferAnswers answers={k.answers} />
    </details>
  );
}

type Answer = { text: string; category: string };

function KnowledgeTransferForm({ citizenId, previous, onCancel, onSaved }: { citizenId: string; previous?: KnowledgeTransfer; onCancel: () => void; onSaved: (version: number) => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [sourceTeam, setSourceTeam] = useState(previous?.sourceTeam ?? '');
  const [writtenOn, setWrittenOn] = useState(todayInCopenhagen());
  const [answers, setAnswers] = useState<Record<string, Answer>>(() =>
    Object.fromEntries(QUESTION_CODES.map((q) => {
      const before = previous?.answers.find((a) => a.question === q);
      return [q, { text: before?.text ?? '', category: before?.category ?? (q === 'support' ? 'support_needs' : 'work_considerations') }];
    })),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => headingRef.current?.focus(), []);
  const save = useMutation({
    mutationFn: () =>
      api.post<KnowledgeTransfer>(`/api/citizens/${encodeURIComponent(citizenId)}/knowledge-transfers`, {
        sourceTeam: sourceTeam.trim(),
        writtenOn,
        answers: QUESTION_CODES.filter((q) => answers[q]!.text.trim()).map((q) => ({ question: q, text: answers[q]!.text.trim(), category: answers[q]!.category })),
      }),
    onSuccess: async (k) => {
      await client.invalidateQueries({ queryKey: knowledgeTransfersKey(citizenId) });
      onSaved(k.version);
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (!sourceTeam.trim()) next.sourceTeam = t('disclosures.kt.errorTeam');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(writtenOn)) next.writtenOn = t('disclosures.kt.errorDate');
    if (!QUESTION_CODES.some((q) => answers[q]!.text.trim())) next.answers = t('disclosures.kt.errorAnswers');
    setErrors(next);
    if (Object.keys(next).length === 0) save.mutate();
  }
  const categories = REGION_CATEGORY_CODES.map((c) => ({ value: c, label: label(t, 'disclosures.category', c) }));
  return (
    <form className="card-item kt-form" onSubmit={submit} noValidate aria-labelledby="kt-form-heading">
      <h3 id="kt-form-heading" className="h4" tabIndex={-1} ref={headingRef}>
        {t('disclosures.kt.formTitle')}
      </h3>
      <p className="form-hint">{t('disclosures.kt.formHint')}</p>
      <div className="field-row">
        <TextField id="kt-source-team" label={t('disclosures.kt.sourceTeam')} value={sourceTeam} onChange={setSourceTeam} error={errors.sourceTeam} />
        <TextField id="kt-written-on" type="date" label={t('disclosures.kt.writtenOn')} value={writtenOn} onChange={setWrittenOn} error={errors.writtenOn} />
      </div>
      {errors.answers && (
        <p className="form-error-message" id="kt-answers-error">
          {errors.answers}
        </p>
      )}
      {QUESTION_CODES.map((q) => (
        <fieldset key={q} className="kt-question">
          <legend className="h5">{label(t, 'disclosures.question', q)}</legend>
          <TextArea id={`kt-${q}-text`} label={t('disclosures.kt.answer')} rows={3} value={answers[q]!.text} onChange={(text) => setAnswers((a) => ({ ...a, [q]: { ...a[q]!, text } }))} />
          <SelectField id={`kt-${q}-category`} label={t('disclosures.kt.category')} value={answers[q]!.category} options={categories} onChange={(category) => setAnswers((a) => ({ ...a, [q]: { ...a[q]!, category } }))} />
        </fieldset>
      ))}
      {save.isError && <QueryError error={save.error} />}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {t('disclosures.kt.save')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function DisclosureSection({ citizenId, transfers, onDone }: { citizenId: string; transfers: KnowledgeTransfer[]; onDone: (m: string) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const list = useDisclosures(citizenId);
  return (
    <Section
      id="disclosures-heading"
      title={t('disclosures.list.title')}
      actions={
        transfers.length > 0 ? (
          <button type="button" className="button button-primary" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
            {t('disclosures.disclose.button')}
          </button>
        ) : undefined
      }
    >
      {open && transfers.length > 0 && (
        <DiscloseForm
          citizenId={citizenId}
          transfers={transfers}
          onCancel={() => setOpen(false)}
          onDone={(recipient) => {
            setOpen(false);
            onDone(t('disclosures.disclose.done', { recipient }));
          }}
        />
      )}
      {list.isPending && <Loading />}
      {list.isError && <QueryError error={list.error} />}
      {list.data && list.data.items.length === 0 && <p>{t('disclosures.list.none')}</p>}
      {list.data && list.data.items.length > 0 && (
        <ul className="plain-list disclosure-list">
          {list.data.items.map((d) => (
            <li key={d.id}>
              <DisclosureCard citizenId={citizenId} disclosure={d} />
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

export function DisclosureCard({ citizenId, disclosure: d, showPatient = false }: { citizenId?: string; disclosure: Disclosure; showPatient?: boolean }) {
  const { t, language } = useI18n();
  const roles = d.recipientRoles.map((r) => label(t, 'disclosures.role', r)).join(', ');
  const answers = (d.snapshot as { answers?: { question: string; text: string }[] }).answers ?? [];
  return (
    <div className="card-item disclosure-card">
      <h3 className="h4">
        {showPatient ? `${d.citizenName} – ` : ''}
        {t('disclosures.list.to', { recipient: d.toOrganisation.name, roles })}
      </h3>
      <dl className="detail-list">
        <div>
          <dt>{t('disclosures.field.when')}</dt>
          <dd>{formatDateTime(language, d.disclosedAt)}</dd>
        </div>
        <div>
          <dt>{t('disclosures.field.decidedBy')}</dt>
          <dd>{d.decidedBy.name}</dd>
        </div>
        <div>
          <dt>{t('disclosures.field.channel')}</dt>
          <dd>{label(t, 'disclosures.channel', d.channel)}</dd>
        </div>
        <div>
          <dt>{t('disclosures.field.categories')}</dt>
          <dd>{d.categories.map((c) => label(t, 'disclosures.category', c)).join(', ')}</dd>
        </div>
        <div>
          <dt>{t('disclosures.field.basis')}</dt>
          <dd>{d.basis.kind === 'consent' ? t('disclosures.list.basisConsent') : t('disclosures.list.basisException', { ground: label(t, 'disclosures.ground', d.basis.exceptionGround ?? '') })}</dd>
        </div>
        {d.justification && (
          <div>
            <dt>{t('disclosures.exceptions.justification')}</dt>
            <dd>{d.justification}</dd>
          </div>
        )}
        {d.noticeRequired && (
          <div>
            <dt>{t('disclosures.exceptions.notice')}</dt>
            <dd>
              {d.status === 'open'
                ? t('disclosures.list.open')
                : d.patientToldOn
                  ? t('disclosures.notice.told', { date: formatIsoDate(language, d.patientToldOn) })
                  : t('disclosures.notice.notTold', { reason: d.notToldReason ?? '' })}
            </dd>
          </div>
        )}
      </dl>
      {answers.length > 0 && (
        <ul className="plain-list snapshot-list">
          {answers.map((a) => (
            <li key={a.question}>
              <strong>{label(t, 'disclosures.question', a.question)}</strong> {a.text}
            </li>
          ))}
        </ul>
      )}
      {citizenId && d.noticeRequired && d.status === 'open' && <NoticeForm citizenId={citizenId} disclosureId={d.id} />}
    </div>
  );
}

function NoticeForm({ citizenId, disclosureId }: { citizenId: string; disclosureId: string }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [toldOn, setToldOn] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const save = useMutation({
    mutationFn: () => api.post(`/api/disclosures/${encodeURIComponent(disclosureId)}/notice`, toldOn ? { patientToldOn: toldOn } : { notToldReason: reason.trim() }),
    onSuccess: () => client.invalidateQueries({ queryKey: disclosuresKey(citizenId) }),
  });
  return (
    <form
      className="notice-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const ok = (toldOn !== '') !== (reason.trim() !== '') && (toldOn === '' || /^\d{4}-\d{2}-\d{2}$/.test(toldOn)) && (reason === '' || reason.trim().length >= 5);
        setError(ok ? undefined : t('disclosures.notice.error'));
        if (ok) save.mutate();
      }}
    >
      <fieldset>
        <legend className="h5">{t('disclosures.notice.title')}</legend>
        {error && <p className="form-error-message">{error}</p>}
        <TextField id={`notice-${disclosureId}-date`} type="date" label={t('disclosures.notice.toldOn')} value={toldOn} onChange={setToldOn} />
        <TextArea id={`notice-${disclosureId}-reason`} rows={2} label={t('disclosures.notice.reason')} value={reason} onChange={setReason} />
      </fieldset>
      {save.isError && <QueryError error={save.error} />}
      <button type="submit" className="button button-secondary" disabled={save.isPending}>
        {t('disclosures.notice.save')}
      </button>
    </form>
  );
}

type Partner = { id: string; name: string; kind: string; role: string };

/** The municipalities in the user's programmes: the recipients a disclosure may go to. */
function useRecipients() {
  const user = useUser();
  const programmeId = user.roles.find((r) => r.programmeId && (r.role === 'liaison' || r.role === 'clinician'))?.programmeId ?? null;
  return useQuery({
    queryKey: ['programme', programmeId, 'recipients'],
    enabled: programmeId !== null,
    queryFn: async () => (await api.get<{ partners: Partner[] }>(`/api/programmes/${encodeURIComponent(programmeId!)}`)).partners.filter((p) => p.kind === 'municipality'),
    staleTime: 60_000,
  });
}

function DiscloseForm({ citizenId, transfers, onCancel, onDone }: { citizenId: string; transfers: KnowledgeTransfer[]; onCancel: () => void; onDone: (recipient: string) => void }) {
  const { t } = useI18n();
  const user = useUser();
  const client = useQueryClient();
  const clinician = user.roles.some((r) => r.role === 'clinician');
  const recipients = useRecipients();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const refusalRef = useRef<HTMLDivElement>(null);
  const [ktId, setKtId] = useState(transfers[0]!.id);
  const kt = transfers.find((k) => k.id === ktId) ?? transfers[0]!;
  const [questions, setQuestions] = useState<string[]>(kt.answers.map((a) => a.question));
  const [recipient, setRecipient] = useState('');
  const [roles, setRoles] = useState<string[]>(['caseworker']);
  const [channel, setChannel] = useState<string>('digital');
  const [requested, setRequested] = useState(false);
  const [useException, setUseException] = useState(false);
  const [ground, setGround] = useState<string>('required_by_law');
  const [justification, setJustification] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => headingRef.current?.focus(), []);
  const chosenRecipient = recipient || recipients.data?.[0]?.id || '';
  const save = useMutation({
    mutationFn: () =>
      api.post<Disclosure>(`/api/citizens/${encodeURIComponent(citizenId)}/disclosures`, {
        knowledgeTransferId: kt.id,
        questions: kt.answers.map((a) => a.question).filter((q) => questions.includes(q)),
        recipientOrganisationId: chosenRecipient,
        recipientRoles: RECIPIENT_ROLES.filter((r) => roles.includes(r)),
        channel,
        requested,
        ...(useException ? { exception: { ground, justification: justification.trim() } } : {}),
      }),
    onSuccess: async (d) => {
      await client.invalidateQueries({ queryKey: disclosuresKey(citizenId) });
      onDone(d.toOrganisation.name);
    },
    onError: (e) => {
      if (refusalOf(e)) requestAnimationFrame(() => refusalRef.current?.focus());
    },
  });
  const refusal = refusalOf(save.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (!kt.answers.some((a) => questions.includes(a.question))) next.answers = t('disclosures.disclose.errorAnswers');
    if (roles.length === 0) next.roles = t('disclosures.disclose.errorRoles');
    if (!chosenRecipient) next.recipient = t('disclosures.disclose.errorRecipient');
    if (useException && justification.trim().length < 10) next.justification = t('disclosures.disclose.errorJustification');
    setErrors(next);
    if (Object.keys(next).length === 0) save.mutate();
  }
  const toggle = (list: string[], value: string, on: boolean) => (on ? [...new Set([...list, value])] : list.filter((v) => v !== value));
  return (
    <form className="card-item disclose-form" onSubmit={submit} noValidate aria-labelledby="disclose-heading">
      <h3 id="disclose-heading" className="h4" tabIndex={-1} ref={headingRef}>
        {t('disclosures.disclose.title')}
      </h3>
      <p className="form-hint">{t('disclosures.disclose.intro')}</p>
      <SelectField
        id="disclose-version"
        label={t('disclosures.disclose.version')}
        value={kt.id}
        options={transfers.map((k) => ({ value: k.id, label: t('disclosures.kt.version', { version: k.version }) }))}
        onChange={(value) => {
          setKtId(value);
          setQuestions((transfers.find((k) => k.id === value) ?? kt).answers.map((a) => a.question));
        }}
      />
      <fieldset className={errors.answers ? 'form-group form-error' : 'form-group'}>
        <legend className="form-label">{t('disclosures.disclose.answers')}</legend>
        {errors.answers && <span className="form-error-message">{errors.answers}</span>}
        {kt.answers.map((a) => (
          <div className="form-group-checkbox" key={a.question}>
            <input id={`disclose-q-${a.question}`} type="checkbox" className="form-checkbox" checked={questions.includes(a.question)} onChange={(e) => setQuestions((l) => toggle(l, a.question, e.target.checked))} />
            <label htmlFor={`disclose-q-${a.question}`}>
              {label(t, 'disclosures.question', a.question)} <span className="muted">({label(t, 'disclosures.category', a.category)})</span>
            </label>
          </div>
        ))}
      </fieldset>
      {recipients.isError && <QueryError error={recipients.error} />}
      <SelectField
        id="disclose-recipient"
        label={t('disclosures.disclose.recipient')}
        value={chosenRecipient}
        error={errors.recipient}
        options={(recipients.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
        onChange={setRecipient}
      />
      <fieldset className={errors.roles ? 'form-group form-error' : 'form-group'}>
        <legend className="form-label">{t('disclosures.disclose.roles')}</legend>
        {errors.roles && <span className="form-error-message">{errors.roles}</span>}
        <div className="chip-list">
          {RECIPIENT_ROLES.map((r) => (
            <div className="form-group-checkbox" key={r}>
              <input id={`disclose-role-${r}`} type="checkbox" className="form-checkbox" checked={roles.includes(r)} onChange={(e) => setRoles((l) => toggle(l, r, e.target.checked))} />
              <label htmlFor={`disclose-role-${r}`}>{label(t, 'disclosures.role', r)}</label>
            </div>
          ))}
        </div>
      </fieldset>
      <SelectField id="disclose-channel" label={t('disclosures.disclose.channel')} value={channel} options={CHANNELS.map((c) => ({ value: c, label: label(t, 'disclosures.channel', c) }))} onChange={setChannel} />
      <div className="form-group-checkbox">
        <input id="disclose-requested" type="checkbox" className="form-checkbox" checked={requested} onChange={(e) => setRequested(e.target.checked)} />
        <label htmlFor="disclose-requested">{t('disclosures.disclose.requested')}</label>
      </div>
      {clinician && (
        <fieldset className="exception-fields">
          <legend className="h5">{t('disclosures.disclose.useException')}</legend>
          <p className="form-hint">{t('disclosures.disclose.exceptionHint')}</p>
          <div className="form-group-checkbox">
            <input id="disclose-exception" type="checkbox" className="form-checkbox" checked={useException} onChange={(e) => setUseException(e.target.checked)} />
            <label htmlFor="disclose-exception">{t('disclosures.disclose.useException')}</label>
          </div>
          {useException && (
            <>
              <SelectField id="disclose-ground" label={t('disclosures.disclose.ground')} value={ground} options={EXCEPTION_GROUNDS.map((g) => ({ value: g, label: label(t, 'disclosures.ground', g) }))} onChange={setGround} />
              <TextArea id="disclose-justification" rows={3} label={t('disclosures.disclose.justification')} hint={t('disclosures.disclose.justificationHint')} value={justification} error={errors.justification} onChange={setJustification} />
            </>
          )}
        </fieldset>
      )}
      {refusal && (
        <div ref={refusalRef} tabIndex={-1}>
          <ErrorAlert
            heading={t('disclosures.refused.title')}
            message={refusal.error === 'no_recipient_record' ? t('disclosures.refused.noRecord') : t('disclosures.refused.intro')}
          >
            {refusal.gaps.length > 0 && <GapList gaps={refusal.gaps} />}
          </ErrorAlert>
        </div>
      )}
      {save.isError && !refusal && <QueryError error={save.error} />}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {t('disclosures.disclose.submit')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The gaps in plain Danish: which consent, which information, to whom, and why it does not cover. */
function GapList({ gaps }: { gaps: Gap[] }) {
  const { t } = useI18n();
  return (
    <ul className="gap-list">
      {gaps.map((g) => (
        <li key={`${g.instrument}-${g.category}-${g.role}`}>
          {t('disclosures.refused.gap', {
            // The consent the reason is about (withdrawn, expired …), by the same short id the jobcentre's panel shows.
            instrument: g.consentId ? t('disclosures.refused.instrumentConsent', { instrument: label(t, 'disclosures.instrument', g.instrument), id: g.consentId.slice(0, 8) }) : label(t, 'disclosures.instrument', g.instrument),
            category: label(t, 'disclosures.category', g.category),
            role: label(t, 'disclosures.role', g.role),
            reason: label(t, 'disclosures.reason', g.reason),
          })}
        </li>
      ))}
    </ul>
  );
}

