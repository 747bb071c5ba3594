// "Borgernes log" for the organisation's dpo (issue 11): the citizens' questions "who made this look-up?" about an
// entry of their portal log, each with the entry as the organisation's own log holds it and a form for the decision
// (the answer the citizen sees: e.g. the look-up's purpose and unit); and the deferred notices of entries
// (sundhedsloven §43 stk. 4, databeskyttelsesloven §22), with a form to defer one by its entry number, a last day and
// the legal ground, and a button to lift one.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { DeferralItem, LookupQuestionItem } from '../../../contracts/portal-log.ts';
import { api, ApiError } from '../../api/client.ts';
import { FailureRegion, Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { SelectField, TextArea, TextField } from '../../app/fields.tsx';
import { formatDateTime, formatIsoDate } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { auditActionLabel, auditPurposeLabel, resourceTypeLabel, roleLabel } from '../../i18n/labels.ts';
import { Link } from 'react-router';
import './citizenLog.css';

const QUESTIONS_KEY = ['citizen-log', 'questions'] as const;
const DEFERRALS_KEY = ['citizen-log', 'deferrals'] as const;

export function CitizenLogPage() {
  const { t } = useI18n();
  return (
    <>
      <PageHeading title={t('citizenLog.title')}>{t('citizenLog.title')}</PageHeading>
      <p className="lead-text">{t('citizenLog.intro')}</p>
      <Questions />
      <Deferrals />
    </>
  );
}

function Questions() {
  const { t } = useI18n();
  return (
    <CardList<'open' | 'all', LookupQuestionItem>
      name="questions"
      title={t('citizenLog.questions.title')}
      intro={t('citizenLog.questions.intro')}
      queryKey={QUESTIONS_KEY}
      path="/api/lookup-questions"
      showLabel={t('citizenLog.questions.show')}
      states={[
        { value: 'open', label: t('citizenLog.questions.open') },
        { value: 'all', label: t('citizenLog.questions.all') },
      ]}
      none={t('citizenLog.questions.none')}
      card={(q) => <QuestionCard question={q} />}
    />
  );
}

/**
 * A section of cards, 20 at a time with "Vis flere", filtered by a state chosen in a select field (the first state
 * is the default); `before` goes between the intro and the filter.
 */
function CardList<S extends string, T extends { id: string }>(props: {
  name: string;
  title: string;
  intro: string;
  queryKey: readonly string[];
  path: string;
  showLabel: string;
  states: [{ value: S; label: string }, ...{ value: S; label: string }[]];
  none: string;
  card: (item: T) => ReactNode;
  before?: ReactNode;
}) {
  const { t } = useI18n();
  const { name, states, path } = props;
  const [state, setState] = useState<S>(states[0].value);
  const list = useInfiniteQuery({
    queryKey: [...props.queryKey, state],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      api.get<{ items: T[]; nextCursor: string | null }>(`${path}?state=${state}&limit=20${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`),
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby={`${name}-heading`} className="citizen-log-section">
      <h2 id={`${name}-heading`}>{props.title}</h2>
      <p>{props.intro}</p>
      {props.before}
      <SelectField
        id={`${name}-state`}
        label={props.showLabel}
        value={state}
        onChange={(v) => setState(states.find((s) => s.value === v)?.value ?? states[0].value)}
        options={states}
      />
      {list.isPending && <Loading />}
      {list.isError && <QueryError error={list.error} />}
      {list.data && items.length === 0 && <p>{props.none}</p>}
      {items.length > 0 && (
        <ul className="plain-list citizen-log-list">
          {items.map((item) => (
            <li key={item.id}>{props.card(item)}</li>
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <button type="button" className="button button-secondary" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {t('citizenLog.more')}
        </button>
      )}
    </section>
  );
}

function QuestionCard({ question: q }: { question: LookupQuestionItem }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState<string | undefined>();
  const headingId = `question-${q.id}`;
  const save = useMutation({
    mutationFn: (text: string) => api.post(`/api/lookup-questions/${q.id}/answer`, { answer: text }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: QUESTIONS_KEY });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (answer.trim() === '') {
      setError(t('citizenLog.questions.answerRequired'));
      return;
    }
    setError(undefined);
    save.mutate(answer.trim());
  };
  const failure = save.error ? (save.error instanceof ApiError && save.error.status === 409 ? t('citizenLog.questions.answeredAlready') : t('citizenLog.failed')) : null;
  return (
    <article className="card citizen-log-card" aria-labelledby={headingId}>
      <h3 id={headingId} className="h4">
        {t('citizenLog.questions.asked', { when: formatDateTime(language, q.askedAt), entry: q.entrySeq })}
      </h3>
      <dl className="citizen-log-facts">
        <dt>{t('citizenLog.questions.citizen')}</dt>
        <dd>
          <Link to={`/citizens/${q.citizenId}`}>{t('citizenLog.questions.openCitizen')}</Link>
        </dd>
        {q.message && (
          <>
            <dt>{t('citizenLog.questions.message')}</dt>
            <dd>{q.message}</dd>
          </>
        )}
        <dt>{t('citizenLog.questions.entry')}</dt>
        <dd>
          {q.entry
            ? t('citizenLog.questions.entryText', {
                when: formatDateTime(language, q.entry.occurredAt),
                who: q.entry.actorUsername ?? '–',
                roles: q.entry.actorRoles.map((r) => roleLabel(t, r)).join(', ') || '–',
                action: auditActionLabel(t, q.entry.action),
                resource: resourceTypeLabel(t, q.entry.resourceType).toLocaleLowerCase(language),
                purpose: auditPurposeLabel(t, q.entry.purpose),
              })
            : t('citizenLog.questions.entryPurged')}
        </dd>
        {q.answer && (
          <>
            <dt>{t('citizenLog.questions.answer')}</dt>
            <dd>
              {q.answer} ({q.answeredAt ? formatDateTime(language, q.answeredAt) : ''})
            </dd>
          </>
        )}
      </dl>
      {!q.answer && (
        <form onSubmit={submit} noValidate>
          <TextArea id={`answer-${q.id}`} label={t('citizenLog.questions.answerLabel')} hint={t('citizenLog.questions.answerHint')} error={error} value={answer} onChange={setAnswer} rows={3} />
          <FailureRegion heading={t('citizenLog.questions.notSaved')} message={failure} />
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {t('citizenLog.questions.send')}
          </button>
        </form>
      )}
    </article>
  );
}

function Deferrals() {
  const { t } = useI18n();
  return (
    <CardList<'active' | 'all', DeferralItem>
      name="deferrals"
      title={t('citizenLog.deferrals.title')}
      intro={t('citizenLog.deferrals.intro')}
      before={<DeferForm />}
      queryKey={DEFERRALS_KEY}
      path="/api/audit-notice-deferrals"
      showLabel={t('citizenLog.deferrals.show')}
      states={[
        { value: 'active', label: t('citizenLog.deferrals.active') },
        { value: 'all', label: t('citizenLog.deferrals.all') },
      ]}
      none={t('citizenLog.deferrals.none')}
      card={(d) => <DeferralCard deferral={d} />}
    />
  );
}

function DeferralCard({ deferral: d }: { deferral: DeferralItem }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const lift = useMutation({
    mutationFn: () => api.post(`/api/audit-notice-deferrals/${d.id}/lift`),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: DEFERRALS_KEY });
    },
  });
  const headingId = `deferral-${d.id}`;
  return (
    <article className="card citizen-log-card" aria-labelledby={headingId}>
      <h3 id={headingId} className="h4">
        {t('citizenLog.deferrals.entry', { entry: d.auditSeq })}
      </h3>
      <dl className="citizen-log-facts">
        <dt>{t('citizenLog.deferrals.ground')}</dt>
        <dd>{t(d.ground === 'sdl_43_4' ? 'citizenLog.deferrals.ground.sdl_43_4' : 'citizenLog.deferrals.ground.dbl_22')}</dd>
        <dt>{t('citizenLog.deferrals.reason')}</dt>
        <dd>{d.reason}</dd>
        <dt>{t('citizenLog.deferrals.until')}</dt>
        <dd>{d.until ? formatIsoDate(language, d.until) : t('citizenLog.deferrals.untilLifted')}</dd>
        <dt>{t('citizenLog.deferrals.state')}</dt>
        <dd>{d.liftedAt ? t('citizenLog.deferrals.lifted', { when: formatDateTime(language, d.liftedAt) }) : d.active ? t('citizenLog.deferrals.isActive') : t('citizenLog.deferrals.expired')}</dd>
      </dl>
      <FailureRegion heading={t('citizenLog.deferrals.notLifted')} message={lift.error ? t('citizenLog.failed') : null} />
      {d.active && (
        <button type="button" className="button button-secondary" disabled={lift.isPending} onClick={() => lift.mutate()} aria-describedby={headingId}>
          {t('citizenLog.deferrals.lift')}
        </button>
      )}
    </article>
  );
}

function DeferForm() {
  const { t } = useI18n();
  const client = useQueryClient();
  const [entry, setEntry] = useState('');
  const [ground, setGround] = useState<'sdl_43_4' | 'dbl_22'>('sdl_43_4');
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<number | null>(null);
  const defer = useMutation({
    mutationFn: () => api.post(`/api/audit/${entry.trim()}/notice-deferral`, { ground, reason: reason.trim(), until }),
    onSuccess: async () => {
      setDone(Number(entry.trim()));
      setEntry('');
      setReason('');
      setUntil('');
      await client.invalidateQueries({ queryKey: DEFERRALS_KEY });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!/^[1-9][0-9]{0,14}$/.test(entry.trim())) found.entry = t('citizenLog.deferrals.entryInvalid');
    if (reason.trim() === '') found.reason = t('citizenLog.deferrals.reasonRequired');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(until)) found.until = t('citizenLog.deferrals.untilRequired');
    setErrors(found);
    setDone(null);
    if (Object.keys(found).length === 0) defer.mutate();
  };
  const failure = defer.error
    ? defer.error instanceof ApiError && defer.error.status === 404
      ? t('citizenLog.deferrals.unknownEntry')
      : defer.error instanceof ApiError && defer.error.status === 409
        ? t('citizenLog.deferrals.deferredAlready')
        : t('citizenLog.failed')
    : null;
  return (
    <form onSubmit={submit} noValidate className="citizen-log-form" aria-labelledby="defer-heading">
      <h3 id="defer-heading" className="h4">
        {t('citizenLog.deferrals.formTitle')}
      </h3>
      <TextField id="defer-entry" label={t('citizenLog.deferrals.entryLabel')} hint={t('citizenLog.deferrals.entryHint')} inputMode="numeric" value={entry} onChange={setEntry} error={errors.entry} />
      <SelectField
        id="defer-ground"
        label={t('citizenLog.deferrals.ground')}
        value={ground}
        onChange={(v) => setGround(v === 'dbl_22' ? 'dbl_22' : 'sdl_43_4')}
        options={[
          { value: 'sdl_43_4', label: t('citizenLog.deferrals.ground.sdl_43_4') },
          { value: 'dbl_22', label: t('citizenLog.deferrals.ground.dbl_22') },
        ]}
      />
      <TextArea id="defer-reason" label={t('citizenLog.deferrals.reason')} value={reason} onChange={setReason} error={errors.reason} rows={3} />
      <TextField id="defer-until" type="date" label={t('citizenLog.deferrals.until')} hint={t('citizenLog.deferrals.untilHint')} value={until} onChange={setUntil} error={errors.until} />
      <FailureRegion heading={t('citizenLog.deferrals.notDeferred')} message={failure} />
      <div role="status">{done !== null && <p>{t('citizenLog.deferrals.deferred', { entry: done })}</p>}</div>
      <button type="submit" className="button button-primary" disabled={defer.isPending}>
        {t('citizenLog.deferrals.defer')}
      </button>
    </form>
  );
}
