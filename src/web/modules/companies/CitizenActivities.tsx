// The citizen page's part of the company module: the buttons "Praktik" and "Opkvalificering", each opening one
// short form, and the panel with the citizen's internships (hours entered week by week, outcome) and upskilling.
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatIsoDate, formatNumber, todayInCopenhagen } from '../../i18n/format.ts';
import { ErrorAlert, errorMessageKey, Loading, QueryError } from '../../app/feedback.tsx';
import { SelectField, TextArea, TextField } from '../../app/fields.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import { Section } from '../citizens/Section.tsx';
import { citizenKey, isIsoDate, type CitizenDetail } from '../citizens/citizenApi.ts';
import { MIN_PLAN, OUTCOMES, parseHours, UPSKILLING_STATUSES, useInternships, useUpskilling, weeksOf, type Internship, type Upskilling } from './companyApi.ts';
import { InternshipForm, UpskillingForm } from './CompanyForms.tsx';

type Form = 'internship' | 'upskilling';

export function CitizenActivities({ citizen }: { citizen: CitizenDetail }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [form, setForm] = useState<Form | null>(null);
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);
  const done = async (message: MessageKey) => {
    setForm(null);
    // The page, its timeline and the activity lists are all under ['citizen', id]: the new event shows at once.
    await client.invalidateQueries({ queryKey: citizenKey(citizen.id) });
    void client.invalidateQueries({ queryKey: ['companies'] });
    setNotice(message);
  };
  const toggle = (f: Form) => {
    setNotice(null);
    setForm(form === f ? null : f);
  };
  return (
    <>
      <div className="action-bar" role="group" aria-label={t('activities.actions')}>
        <button type="button" className={form === 'internship' ? 'button button-primary' : 'button button-secondary'} aria-expanded={form === 'internship'} onClick={() => toggle('internship')}>
          {t('activities.internship')}
        </button>
        <button type="button" className={form === 'upskilling' ? 'button button-primary' : 'button button-secondary'} aria-expanded={form === 'upskilling'} onClick={() => toggle('upskilling')}>
          {t('activities.upskilling')}
        </button>
      </div>
      <div className="notice-slot" role="status">
        {notice && (
          <div className="alert alert-success" ref={noticeRef} tabIndex={-1}>
            <div className="alert-body">
              <p className="alert-text">{t(notice)}</p>
            </div>
          </div>
        )}
      </div>
      {form === 'internship' && <InternshipForm citizenId={citizen.id} onCancel={() => setForm(null)} onDone={() => void done('internship.done.created')} />}
      {form === 'upskilling' && <UpskillingForm citizenId={citizen.id} onCancel={() => setForm(null)} onDone={() => void done('upskilling.done.created')} />}
      <ActivitiesPanel citizen={citizen} />
    </>
  );
}

function ActivitiesPanel({ citizen }: { citizen: CitizenDetail }) {
  const { t, language } = useI18n();
  const internships = useInternships(citizen.id);
  const upskilling = useUpskilling(citizen.id);
  const items = internships.data?.pages.flatMap((p) => p.items) ?? [];
  const courses = upskilling.data?.pages.flatMap((p) => p.items) ?? [];
  const s = citizen.selfSupport;
  return (
    <Section id="activities-heading" title={t('activities.title')}>
      <dl className="facts">
        <div>
          <dt>{t('activities.hoursLast26')}</dt>
          <dd>{t('activities.hoursValue', { weeks: s.last26.weeksWithHours, hours: formatNumber(language, s.last26.hours) })}</dd>
        </div>
      </dl>
      <h3 className="h4" id="internships-heading">
        {t('activities.internships')}
      </h3>
      {internships.isPending && <Loading />}
      {internships.isError && <QueryError error={internships.error} />}
      {internships.isSuccess && items.length === 0 && <p>{t('activities.noInternships')}</p>}
      {items.map((i) => (
        <InternshipCard key={i.id} internship={i} citizenId={citizen.id} />
      ))}
      {internships.hasNextPage && (
        <button type="button" className="button button-secondary load-more" onClick={() => void internships.fetchNextPage()} disabled={internships.isFetchingNextPage}>
          {t('common.showMore')}
        </button>
      )}
      <h3 className="h4" id="upskilling-heading">
        {t('activities.upskillingList')}
      </h3>
      {upskilling.isPending && <Loading />}
      {upskilling.isError && <QueryError error={upskilling.error} />}
      {upskilling.isSuccess && courses.length === 0 && <p>{t('activities.noUpskilling')}</p>}
      {courses.length > 0 && (
        <ul className="plain-list">
          {courses.map((u) => (
            <li key={u.id} className="card-item">
              <strong>{u.title}</strong> – {u.provider} ({t(`upskilling.kind.${u.kind}`)}) · {formatIsoDate(language, u.fromDate)}
              {u.toDate ? `–${formatIsoDate(language, u.toDate)}` : ''} · {t(`upskilling.status.${u.status}`)} · {t('activity.minPlanShort', { answer: t(`activity.minPlan.${u.minPlan}`) })}
              {u.outcome && <span className="muted"> · {u.outcome}</span>}
              <UpskillingStatus upskilling={u} citizenId={citizen.id} />
            </li>
          ))}
        </ul>
      )}
      {upskilling.hasNextPage && (
        <button type="button" className="button button-secondary load-more" onClick={() => void upskilling.fetchNextPage()} disabled={upskilling.isFetchingNextPage}>
          {t('common.showMore')}
        </button>
      )}
    </Section>
  );
}

function InternshipCard({ internship: i, citizenId }: { internship: Internship; citizenId: string }) {
  const { t, language } = useI18n();
  const [editing, setEditing] = useState<'hours' | 'followUp' | 'outcome' | null>(null);
  // A form closes itself only: its save may finish (after the page's refetch) when another form is already open.
  const closeIf = (form: 'hours' | 'followUp' | 'outcome') => setEditing((open) => (open === form ? null : open));
  const headingId = `internship-${i.id}-heading`;
  return (
    <article className="card-item internship-card" aria-labelledby={headingId}>
      <h4 id={headingId} className="h5">
        <Link to={`/companies/${i.company.id}`}>{i.company.name}</Link>
      </h4>
      <p>
        {t(`internship.purpose.${i.purpose}`)}
        {i.purposeText ? ` (${i.purposeText})` : ''} · {formatIsoDate(language, i.fromDate)}–{formatIsoDate(language, i.toDate)} · {t('internship.plannedLine', { hours: formatNumber(language, i.plannedWeeklyHours) })} ·{' '}
        {t('activity.minPlanShort', { answer: t(`activity.minPlan.${i.minPlan}`) })}
        {i.outcome && (
          <>
            {' · '}
            <strong>{t(`internship.outcome.${i.outcome}`)}</strong>
            {i.outcomeReason ? ` (${i.outcomeReason})` : ''}
          </>
        )}
      </p>
      {i.weeks.length > 0 && (
        <TableScroll labelledBy={`${headingId}-weeks`}>
          <table className="table table--compact internship-weeks">
            <caption id={`${headingId}-weeks`}>{t('internship.weeksCaption', { company: i.company.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('internship.week')}</th>
                <th scope="col">{t('internship.hours')}</th>
              </tr>
            </thead>
            <tbody>
              {i.weeks.map((w) => (
                <tr key={w.weekStart}>
                  <td>{t('internship.weekOf', { date: formatIsoDate(language, w.weekStart) })}</td>
                  <td>{formatNumber(language, w.hours)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {i.followUps.length > 0 && (
        <ul className="plain-list follow-ups" aria-label={t('internship.followUps')}>
          {i.followUps.map((f) => (
            <li key={f.id}>
              {t('internship.followUpLine', { date: formatIsoDate(language, f.heldOn), who: f.createdBy.name })}: {f.note}
            </li>
          ))}
        </ul>
      )}
      <div className="button-row">
        <button type="button" className="button button-secondary button-small" aria-expanded={editing === 'hours'} onClick={() => setEditing(editing === 'hours' ? null : 'hours')}>
          {t('internship.enterHours')}
        </button>
        <button type="button" className="button button-secondary button-small" aria-expanded={editing === 'followUp'} onClick={() => setEditing(editing === 'followUp' ? null : 'followUp')}>
          {t('internship.addFollowUp')}
        </button>
        <button type="button" className="button button-secondary button-small" aria-expanded={editing === 'outcome'} onClick={() => setEditing(editing === 'outcome' ? null : 'outcome')}>
          {t('internship.recordOutcome')}
        </button>
      </div>
      {editing === 'hours' && <WeeksForm internship={i} citizenId={citizenId} onDone={() => closeIf('hours')} />}
      {editing === 'followUp' && <FollowUpForm internship={i} citizenId={citizenId} onDone={() => closeIf('followUp')} />}
      {editing === 'outcome' && <OutcomeForm internship={i} citizenId={citizenId} onDone={() => closeIf('outcome')} />}
    </article>
  );
}

/** One row per week of the internship up to this week; only changed weeks are sent. */
function WeeksForm({ internship: i, citizenId, onDone }: { internship: Internship; citizenId: string; onDone: () => void }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const weeks = weeksOf(i.fromDate, i.toDate, todayInCopenhagen());
  const recorded = new Map(i.weeks.map((w) => [w.weekStart, w.hours]));
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(weeks.map((w) => [w, recorded.has(w) ? formatNumber(language, recorded.get(w)!) : ''])));
  const [errors, setErrors] = useState<Record<string, MessageKey>>({});
  const [failed, setFailed] = useState<MessageKey | null>(null);
  const save = useMutation({
    mutationFn: (body: { weeks: { weekStart: string; hours: number }[] }) => api.put<Internship>(`/api/internships/${i.id}/weeks`, body),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: citizenKey(citizenId) });
      onDone();
    },
    onError: (e) => {
      const issue = e instanceof ApiError ? e.body?.issues?.[0] : undefined;
      setFailed(issue?.message === 'not_monday' ? 'internship.error.notMonday' : issue?.message === 'outside_period' ? 'internship.error.outsidePeriod' : errorMessageKey(e));
    },
  });
  if (weeks.length === 0) return <p className="form-hint">{t('internship.noWeeksYet')}</p>;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const found: Record<string, MessageKey> = {};
    const changed: { weekStart: string; hours: number }[] = [];
    for (const w of weeks) {
      const text = values[w]?.trim() ?? '';
      if (!text) continue;
      const hours = parseHours(text);
      if (hours === null || hours > 80) found[w] = 'internship.error.hours';
      else if (recorded.get(w) !== hours) changed.push({ weekStart: w, hours });
    }
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) return document.getElementById(`weeks-${i.id}-${first}`)?.focus();
    if (changed.length === 0) return onDone();
    save.mutate({ weeks: changed });
  };
  return (
    <form className="weeks-form" onSubmit={submit} noValidate aria-label={t('internship.weeksFormLabel', { company: i.company.name })}>
      <p className="form-hint">{t('internship.weeksHint')}</p>
      <div className="weeks-grid">
        {weeks.map((w) => (
          <TextField
            key={w}
            id={`weeks-${i.id}-${w}`}
            label={t('internship.weekOf', { date: formatIsoDate(language, w) })}
            inputMode="decimal"
            className="input-width-xs"
            value={values[w] ?? ''}
            error={errors[w] ? t(errors[w]) : undefined}
            onChange={(v) => setValues((old) => ({ ...old, [w]: v }))}
          />
        ))}
      </div>
      {failed && <ErrorAlert message={t(failed)} />}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {t('internship.saveHours')}
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function OutcomeForm({ internship: i, citizenId, onDone }: { internship: Internship; citizenId: string; onDone: () => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [outcome, setOutcome] = useState<string>(i.outcome ?? '');
  const [reason, setReason] = useState(i.outcomeReason ?? '');
  const [toDate, setToDate] = useState(i.toDate);
  const [minPlan, setMinPlan] = useState<string>(i.minPlan);
  const [error, setError] = useState<MessageKey | null>(null);
  const [dateError, setDateError] = useState<MessageKey | null>(null);
  const [failed, setFailed] = useState<MessageKey | null>(null);
  const save = useMutation({
    mutationFn: () =>
      api.patch<Internship>(`/api/internships/${i.id}`, { version: i.version, outcome: outcome || null, outcomeReason: reason.trim() || null, ...(toDate !== i.toDate ? { toDate } : {}), ...(minPlan !== i.minPlan ? { minPlan } : {}) }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: citizenKey(citizenId) });
      onDone();
    },
    onError: (e) => setFailed(e instanceof ApiError && e.status === 409 ? 'citizen.stale' : errorMessageKey(e)),
  });
  return (
    <form
      className="outcome-form"
      noValidate
      aria-label={t('internship.outcomeFormLabel', { company: i.company.name })}
      onSubmit={(e) => {
        e.preventDefault();
        if (!isIsoDate(toDate) || toDate < i.fromDate) {
          setDateError('internship.error.toBeforeFrom');
          document.getElementById(`outcome-${i.id}-toDate`)?.focus();
          return;
        }
        if (outcome === 'ended_early' && !reason.trim()) {
          setError('internship.error.reasonMissing');
          document.getElementById(`outcome-${i.id}-reason`)?.focus();
          return;
        }
        save.mutate();
      }}
    >
      <SelectField id={`outcome-${i.id}-outcome`} label={t('internship.outcome')} value={outcome} options={[{ value: '', label: t('internship.noOutcome') }, ...OUTCOMES.map((o) => ({ value: o, label: t(`internship.outcome.${o}`) }))]} onChange={(v) => { setOutcome(v); setError(null); }} />
      <TextField id={`outcome-${i.id}-reason`} label={outcome === 'ended_early' ? t('internship.reason') : t('internship.reasonOptional')} value={reason} error={error ? t(error) : undefined} onChange={(v) => { setReason(v); setError(null); }} />
      <TextField id={`outcome-${i.id}-toDate`} label={t('internship.toDate')} type="date" className="input-width-s" value={toDate} error={dateError ? t(dateError) : undefined} onChange={(v) => { setToDate(v); setDateError(null); }} />
      <SelectField id={`outcome-${i.id}-minPlan`} label={t('activity.minPlan')} value={minPlan} options={MIN_PLAN.map((m) => ({ value: m, label: t(`activity.minPlan.${m}`) }))} onChange={setMinPlan} />
      {failed && <ErrorAlert message={t(failed)} />}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {t('internship.saveOutcome')}
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function FollowUpForm({ internship: i, citizenId, onDone }: { internship: Internship; citizenId: string; onDone: () => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [heldOn, setHeldOn] = useState(todayInCopenhagen());
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ heldOn?: MessageKey; note?: MessageKey }>({});
  const [failed, setFailed] = useState<MessageKey | null>(null);
  const save = useMutation({
    mutationFn: () => api.post(`/api/internships/${i.id}/follow-ups`, { heldOn, note: note.trim() }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: citizenKey(citizenId) });
      onDone();
    },
    onError: (e) => setFailed(errorMessageKey(e)),
  });
  return (
    <form
      className="follow-up-form"
      noValidate
      aria-label={t('internship.followUpFormLabel', { company: i.company.name })}
      onSubmit={(e) => {
        e.preventDefault();
        const found = { ...(isIsoDate(heldOn) ? {} : { heldOn: 'company.error.date' as const }), ...(note.trim() ? {} : { note: 'internship.error.noteMissing' as const }) };
        setErrors(found);
        const first = Object.keys(found)[0];
        if (first) return document.getElementById(`follow-up-${i.id}-${first}`)?.focus();
        save.mutate();
      }}
    >
      <TextField id={`follow-up-${i.id}-heldOn`} label={t('company.meetingDate')} type="date" className="input-width-s" value={heldOn} error={errors.heldOn ? t(errors.heldOn) : undefined} onChange={setHeldOn} />
      <TextArea id={`follow-up-${i.id}-note`} label={t('internship.followUpNote')} rows={3} value={note} error={errors.note ? t(errors.note) : undefined} onChange={setNote} />
      {failed && <ErrorAlert message={t(failed)} />}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {t('internship.saveFollowUp')}
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The status of an upskilling, changed in place (sent with the version read). */
function UpskillingStatus({ upskilling: u, citizenId }: { upskilling: Upskilling; citizenId: string }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [status, setStatus] = useState<string>(u.status);
  const [minPlan, setMinPlan] = useState<string>(u.minPlan);
  const changed = status !== u.status || minPlan !== u.minPlan;
  const save = useMutation({
    mutationFn: () => api.patch<Upskilling>(`/api/upskilling/${u.id}`, { version: u.version, ...(status !== u.status ? { status } : {}), ...(minPlan !== u.minPlan ? { minPlan } : {}) }),
    onSuccess: () => client.invalidateQueries({ queryKey: citizenKey(citizenId) }),
  });
  return (
    <form
      className="inline-form"
      noValidate
      aria-label={t('upskilling.statusFormLabel', { title: u.title })}
      onSubmit={(e) => {
        e.preventDefault();
        if (changed) save.mutate();
      }}
    >
      <SelectField id={`upskilling-${u.id}-status`} label={t('upskilling.status')} value={status} options={UPSKILLING_STATUSES.map((s) => ({ value: s, label: t(`upskilling.status.${s}`) }))} onChange={setStatus} />
      <SelectField id={`upskilling-${u.id}-minPlan`} label={t('activity.minPlan')} value={minPlan} options={MIN_PLAN.map((m) => ({ value: m, label: t(`activity.minPlan.${m}`) }))} onChange={setMinPlan} />
      <button type="submit" className="button button-secondary button-small" disabled={save.isPending || !changed}>
        {t('upskilling.saveStatus')}
      </button>
      {save.isError && <ErrorAlert message={t(save.error instanceof ApiError && save.error.status === 409 ? 'citizen.stale' : errorMessageKey(save.error))} />}
    </form>
  );
}
