// "Netværksmøde": the meeting walks the plan — who took part (outside people only with the citizen's consent,
// naming the topics), status per goal, new goals, tasks handed out to named participants with due dates, the
// minutes — and saving it updates the plan in the same transaction. The next meeting can be booked here too.
import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { todayInCopenhagen } from '../../i18n/format.ts';
import { roleLabel } from '../../i18n/labels.ts';
import { SelectField, TextArea, TextField } from '../../app/fields.tsx';
import { ErrorAlert, errorMessageKey, Loading, QueryError } from '../../app/feedback.tsx';
import { useUnsavedWarning } from '../../app/unsaved.tsx';
import { useUser } from '../../app/session.tsx';
import { FormButtons } from '../../app/fields.tsx';
import { isIsoDate, useProgrammeStaff } from '../citizens/citizenApi.ts';
import type { Warning } from '../../../contracts/common.ts';
import { WarningsConfirm } from '../citizens/Warnings.tsx';
import { CONSENT_TOPICS, copenhagenToIso, GOAL_STATUSES, isTime, LIFE_AREAS, MEETING_PLACES, usePlan, type PlanData } from './planApi.ts';

type Outside = { name: string; role: string; contact: string; consent: boolean; topics: string[] };
type NewGoal = { lifeArea: string; text: string; targetDate: string };
type NewTask = { title: string; owner: string; dueDate: string; goal: string };

export function MeetingForm({ citizenId, onDone, onCancel }: { citizenId: string; onDone: () => void; onCancel: () => void }) {
  const plan = usePlan(citizenId);
  if (plan.isPending) return <Loading />;
  if (plan.isError) return <QueryError error={plan.error} />;
  return <MeetingEditor plan={plan.data} citizenId={citizenId} onDone={onDone} onCancel={onCancel} />;
}

function MeetingEditor({ plan, citizenId, onDone, onCancel }: { plan: PlanData; citizenId: string; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const me = useUser();
  const staff = useProgrammeStaff(plan.programme?.id ?? '');
  const caseStaff = (staff.data?.items ?? []).filter((s) => s.roles.some((r) => ['resource_consultant', 'caseworker', 'job_consultant', 'liaison', 'programme_manager'].includes(r)));
  const [date, setDate] = useState(todayInCopenhagen());
  const [time, setTime] = useState('10:00');
  const [duration, setDuration] = useState('60');
  const [place, setPlace] = useState<string>('jobcentre');
  const [placeText, setPlaceText] = useState('');
  const [citizenPresent, setCitizenPresent] = useState(true);
  const [staffIds, setStaffIds] = useState<string[]>([me.id]);
  const [returning, setReturning] = useState<Record<string, { on: boolean; topics: string[] }>>({});
  const [outside, setOutside] = useState<Outside[]>([]);
  const [minutes, setMinutes] = useState('');
  const [goalStatus, setGoalStatus] = useState<Record<string, string>>({});
  const [newGoals, setNewGoals] = useState<NewGoal[]>([]);
  const [taskStatus, setTaskStatus] = useState<Record<string, string>>({});
  const [newTasks, setNewTasks] = useState<NewTask[]>([]);
  const [nextDate, setNextDate] = useState('');
  const [nextTime, setNextTime] = useState('10:00');
  const [submitted, setSubmitted] = useState(false);
  const [failed, setFailed] = useState<MessageKey | null>(null);
  const [serverIssues, setServerIssues] = useState<string[]>([]);
  const [dirty, setDirty] = useState(false);
  const [warnings, setWarnings] = useState<Warning[] | null>(null);
  const unsaved = useUnsavedWarning(dirty);
  const touch = <A,>(setter: (v: A) => void) => (v: A) => {
    setter(v);
    setDirty(true);
    setFailed(null);
  };

  const openTasks = plan.tasks.filter((x) => x.status === 'open');
  const errors: Record<string, MessageKey> = {};
  if (!isIsoDate(date)) errors['meeting-date'] = 'newCitizen.error.date';
  if (!isTime(time)) errors['meeting-time'] = 'conversation.error.time';
  if (!/^\d+$/.test(duration) || Number(duration) < 5 || Number(duration) > 600) errors['meeting-duration'] = 'conversation.error.duration';
  if (place === 'other' && !placeText.trim()) errors['meeting-placeText'] = 'conversation.error.placeText';
  outside.forEach((o, i) => {
    if (!o.name.trim()) errors[`meeting-outside-${i}-name`] = 'meeting.error.name';
    if (!o.role.trim()) errors[`meeting-outside-${i}-role`] = 'meeting.error.role';
    if (!o.consent || o.topics.length === 0) errors[`meeting-outside-${i}-consent`] = 'meeting.error.consent';
  });
  Object.entries(returning).forEach(([id, r]) => {
    if (r.on && r.topics.length === 0) errors[`meeting-returning-${id}-consent`] = 'meeting.error.consent';
  });
  newGoals.forEach((g, i) => {
    if (!g.text.trim()) errors[`meeting-goal-${i}-text`] = 'meeting.error.goalText';
    if (g.targetDate && !isIsoDate(g.targetDate)) errors[`meeting-goal-${i}-targetDate`] = 'newCitizen.error.date';
  });
  newTasks.forEach((x, i) => {
    if (!x.title.trim()) errors[`meeting-task-${i}-title`] = 'meeting.error.taskTitle';
    if (x.dueDate && !isIsoDate(x.dueDate)) errors[`meeting-task-${i}-dueDate`] = 'newCitizen.error.date';
  });
  if (nextDate && (!isIsoDate(nextDate) || !isTime(nextTime))) errors['meeting-nextDate'] = 'newCitizen.error.date';
  else if (nextDate && isIsoDate(date) && nextDate <= date) errors['meeting-nextDate'] = 'meeting.error.nextAfter';
  const err = (id: string) => (submitted && errors[id] ? t(errors[id]) : undefined);

  // Who may own a task: the citizen, staff taking part, outside people (returning and new).
  const ownerOptions = [
    { value: 'citizen', label: t('plan.owner.citizen') },
    ...caseStaff.filter((s) => staffIds.includes(s.id)).map((s) => ({ value: `staff:${s.id}`, label: s.name })),
    ...plan.participants.filter((p) => returning[p.id]?.on).map((p) => ({ value: `pid:${p.id}`, label: `${p.name} (${p.role})` })),
    ...outside.map((o, i) => ({ value: `new:${i}`, label: o.name.trim() ? `${o.name.trim()} (${o.role.trim()})` : t('meeting.outsideN', { n: i + 1 }) })),
  ];
  const goalOptions = [
    { value: '', label: t('meeting.noGoal') },
    ...plan.goals.filter((g) => g.status === 'active').map((g) => ({ value: `g:${g.id}`, label: g.text })),
    ...newGoals.map((g, i) => ({ value: `n:${i}`, label: g.text.trim() || t('meeting.newGoalN', { n: i + 1 }) })),
  ];

  function body(acknowledge = false) {
    const returningIds = plan.participants.filter((p) => returning[p.id]?.on);
    const goalChanges = plan.goals.filter((g) => goalStatus[g.id] && goalStatus[g.id] !== g.status).map((g) => ({ id: g.id, version: g.version, status: goalStatus[g.id] }));
    const taskChanges = openTasks.filter((x) => taskStatus[x.id] && taskStatus[x.id] !== x.status).map((x) => ({ id: x.id, version: x.version, status: taskStatus[x.id] }));
    const hasPlanChanges = goalChanges.length + taskChanges.length + newGoals.length + newTasks.length > 0;
    return {
      startsAt: copenhagenToIso(date, time),
      durationMinutes: Number(duration),
      place,
      placeText: place === 'other' ? placeText.trim() : null,
      status: 'held',
      participants: [
        ...(citizenPresent ? [{ kind: 'citizen' }] : []),
        ...staffIds.map((userId) => ({ kind: 'staff', userId })),
        ...returningIds.map((p) => ({ kind: 'outside', participantId: p.id, consent: { given: true, topics: returning[p.id]!.topics } })),
        ...outside.map((o) => ({ kind: 'outside', name: o.name.trim(), role: o.role.trim(), contact: o.contact.trim() || null, consent: { given: true, topics: o.topics } })),
      ],
      minutes: minutes.trim() || null,
      plan: hasPlanChanges
        ? {
            version: plan.version,
            goals: { add: newGoals.map((g) => ({ lifeArea: g.lifeArea, text: g.text.trim(), targetDate: g.targetDate || null })), change: goalChanges },
            tasks: {
              add: newTasks.map((x) => ({
                title: x.title.trim(),
                dueDate: x.dueDate || null,
                owner: x.owner === 'citizen' ? { kind: 'citizen' } : x.owner.startsWith('staff:') ? { kind: 'staff', userId: x.owner.slice(6) } : x.owner.startsWith('pid:') ? { kind: 'outside', participantId: x.owner.slice(4) } : { kind: 'outside', participantIndex: Number(x.owner.slice(4)) },
                ...(x.goal.startsWith('g:') ? { goalId: x.goal.slice(2) } : x.goal.startsWith('n:') ? { goalIndex: Number(x.goal.slice(2)) } : {}),
              })),
              change: taskChanges,
            },
          }
        : undefined,
      nextMeeting: nextDate ? { startsAt: copenhagenToIso(nextDate, nextTime), durationMinutes: Number(duration), place } : undefined,
      acknowledgeWarnings: acknowledge,
    };
  }

  const save = useMutation({
    mutationFn: (acknowledge: boolean) => api.post(`/api/citizens/${citizenId}/network-meetings`, body(acknowledge)),
    onSuccess: () => {
      unsaved.allowLeave();
      onDone();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.status === 409 && e.body?.error === 'warnings' && e.body.warnings) {
        setWarnings(e.body.warnings);
        requestAnimationFrame(() => document.getElementById('meeting-warnings-heading')?.focus());
        return;
      }
      if (e instanceof ApiError && e.status === 409) return setFailed('citizen.stale');
      if (e instanceof ApiError && e.status === 400 && e.body?.issues?.length) {
        setServerIssues(e.body.issues.map((i) => `${i.path}: ${i.message}`));
        return setFailed('meeting.error.server');
      }
      setFailed(errorMessageKey(e));
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    setServerIssues([]);
    setWarnings(null);
    const first = Object.keys(errors)[0];
    if (first) {
      document.getElementById(first)?.focus();
      return;
    }
    save.mutate(false);
  }

  const toggleTopic = (list: string[], topic: string, on: boolean) => (on ? [...list, topic] : list.filter((x) => x !== topic));

  return (
    <section className="editor meeting-editor" aria-labelledby="meeting-form-heading">
      <h2 id="meeting-form-heading" className="h3">
        {t('meeting.formTitle')}
      </h2>
      {!plan.enrolmentId ? (
        <p>{t('plan.noEnrolment')}</p>
      ) : (
        <form onSubmit={submit} noValidate>
          <div className="field-row">
            <TextField id="meeting-date" label={t('conversation.date')} type="date" className="input-width-s" value={date} error={err('meeting-date')} onChange={touch(setDate)} />
            <TextField id="meeting-time" label={t('conversation.time')} hint={t('conversation.timeHint')} className="input-width-xs" inputMode="numeric" value={time} error={err('meeting-time')} onChange={touch(setTime)} />
            <TextField id="meeting-duration" label={t('conversation.duration')} className="input-width-xs" inputMode="numeric" value={duration} error={err('meeting-duration')} onChange={touch(setDuration)} />
          </div>
          <SelectField id="meeting-place" label={t('meeting.place')} value={place} options={MEETING_PLACES.map((p) => ({ value: p, label: t(`meetingPlace.${p}`) }))} onChange={touch(setPlace)} />
          {place === 'other' && <TextField id="meeting-placeText" label={t('conversation.placeText')} value={placeText} error={err('meeting-placeText')} onChange={touch(setPlaceText)} />}

          <fieldset className="form-group">
            <legend className="h5">{t('meeting.participants')}</legend>
            <div className="form-group-checkbox">
              <input id="meeting-citizen" type="checkbox" className="form-checkbox" checked={citizenPresent} onChange={(e) => touch(setCitizenPresent)(e.target.checked)} />
              <label htmlFor="meeting-citizen">{t('meeting.citizenPresent')}</label>
            </div>
            {staff.isPending && <Loading />}
            {caseStaff.map((s) => (
              <div className="form-group-checkbox" key={s.id}>
                <input id={`meeting-staff-${s.id}`} type="checkbox" className="form-checkbox" checked={staffIds.includes(s.id)} onChange={(e) => touch(setStaffIds)(e.target.checked ? [...staffIds, s.id] : staffIds.filter((x) => x !== s.id))} />
                <label htmlFor={`meeting-staff-${s.id}`}>
                  {s.name} ({s.roles.map((r) => roleLabel(t, r)).join(', ')})
                </label>
              </div>
            ))}
            {plan.participants.map((p) => {
              const r = returning[p.id] ?? { on: false, topics: p.consentTopics };
              return (
                <div key={p.id} className="outside-participant">
                  <div className="form-group-checkbox">
                    <input id={`meeting-returning-${p.id}`} type="checkbox" className="form-checkbox" checked={r.on} onChange={(e) => touch(setReturning)({ ...returning, [p.id]: { ...r, on: e.target.checked } })} />
                    <label htmlFor={`meeting-returning-${p.id}`}>
                      {p.name} ({p.role}) – {t('meeting.returningConsent')}
                    </label>
                  </div>
                  {r.on && (
                    <TopicChoice
                      id={`meeting-returning-${p.id}-consent`}
                      topics={r.topics}
                      error={err(`meeting-returning-${p.id}-consent`)}
                      onChange={(topic, on) => touch(setReturning)({ ...returning, [p.id]: { ...r, topics: toggleTopic(r.topics, topic, on) } })}
                    />
                  )}
                </div>
              );
            })}
            {outside.map((o, i) => {
              const update = (patch: Partial<Outside>) => touch(setOutside)(outside.map((x, j) => (j === i ? { ...x, ...patch } : x)));
              return (
                <fieldset key={i} className="outside-participant card-item">
                  <legend>{t('meeting.outsideN', { n: i + 1 })}</legend>
                  <TextField id={`meeting-outside-${i}-name`} label={t('meeting.outsideName')} value={o.name} error={err(`meeting-outside-${i}-name`)} onChange={(v) => update({ name: v })} />
                  <TextField id={`meeting-outside-${i}-role`} label={t('meeting.outsideRole')} hint={t('meeting.outsideRoleHint')} value={o.role} error={err(`meeting-outside-${i}-role`)} onChange={(v) => update({ role: v })} />
                  <TextField id={`meeting-outside-${i}-contact`} label={t('meeting.outsideContact')} hint={t('meeting.outsideContactHint')} value={o.contact} onChange={(v) => update({ contact: v })} />
                  <div className={err(`meeting-outside-${i}-consent`) ? 'form-group form-error' : 'form-group'}>
                    {err(`meeting-outside-${i}-consent`) && (
                      <span className="form-error-message" id={`meeting-outside-${i}-consent-error`}>
                        {err(`meeting-outside-${i}-consent`)}
                      </span>
                    )}
                    <div className="form-group-checkbox">
                      <input id={`meeting-outside-${i}-consent`} type="checkbox" className="form-checkbox" checked={o.consent} aria-describedby={err(`meeting-outside-${i}-consent`) ? `meeting-outside-${i}-consent-error` : undefined} onChange={(e) => update({ consent: e.target.checked })} />
                      <label htmlFor={`meeting-outside-${i}-consent`}>{t('meeting.consent')}</label>
                    </div>
                    {o.consent && <TopicChoice id={`meeting-outside-${i}-topics`} topics={o.topics} onChange={(topic, on) => update({ topics: toggleTopic(o.topics, topic, on) })} />}
                  </div>
                  <button type="button" className="button button-tertiary button-small" onClick={() => touch(setOutside)(outside.filter((_, j) => j !== i))}>
                    {t('meeting.remove')}
                  </button>
                </fieldset>
              );
            })}
            <button type="button" className="button button-secondary button-small" onClick={() => touch(setOutside)([...outside, { name: '', role: '', contact: '', consent: false, topics: [] }])}>
              {t('meeting.addOutside')}
            </button>
          </fieldset>

          {plan.goals.some((g) => g.status === 'active') && (
            <fieldset className="form-group">
              <legend className="h5">{t('meeting.goalStatus')}</legend>
              {plan.goals
                .filter((g) => g.status === 'active')
                .map((g) => (
                  <SelectField key={g.id} id={`meeting-goalstatus-${g.id}`} label={`${t(`lifeArea.${g.lifeArea}`)}: ${g.text}`} value={goalStatus[g.id] ?? g.status} options={GOAL_STATUSES.map((s) => ({ value: s, label: t(`goalStatus.${s}`) }))} onChange={(v) => touch(setGoalStatus)({ ...goalStatus, [g.id]: v })} />
                ))}
            </fieldset>
          )}

          <fieldset className="form-group">
            <legend className="h5">{t('meeting.newGoals')}</legend>
            {newGoals.map((g, i) => {
              const update = (patch: Partial<NewGoal>) => touch(setNewGoals)(newGoals.map((x, j) => (j === i ? { ...x, ...patch } : x)));
              return (
                <div key={i} className="card-item new-goal">
                  <SelectField id={`meeting-goal-${i}-lifeArea`} label={t('meeting.lifeArea')} value={g.lifeArea} options={LIFE_AREAS.map((a) => ({ value: a, label: t(`lifeArea.${a}`) }))} onChange={(v) => update({ lifeArea: v })} />
                  <TextField id={`meeting-goal-${i}-text`} label={t('meeting.goalText')} value={g.text} error={err(`meeting-goal-${i}-text`)} onChange={(v) => update({ text: v })} />
                  <TextField id={`meeting-goal-${i}-targetDate`} label={t('meeting.targetDate')} type="date" className="input-width-s" value={g.targetDate} error={err(`meeting-goal-${i}-targetDate`)} onChange={(v) => update({ targetDate: v })} />
                </div>
              );
            })}
            <button type="button" className="button button-secondary button-small" onClick={() => touch(setNewGoals)([...newGoals, { lifeArea: 'work', text: '', targetDate: '' }])}>
              {t('meeting.addGoal')}
            </button>
          </fieldset>

          {openTasks.length > 0 && (
            <fieldset className="form-group">
              <legend className="h5">{t('meeting.openTasks')}</legend>
              {openTasks.map((x) => (
                <SelectField key={x.id} id={`meeting-taskstatus-${x.id}`} label={x.title} value={taskStatus[x.id] ?? x.status} options={(['open', 'done', 'cancelled'] as const).map((s) => ({ value: s, label: t(`taskStatus.${s}`) }))} onChange={(v) => touch(setTaskStatus)({ ...taskStatus, [x.id]: v })} />
              ))}
            </fieldset>
          )}

          <fieldset className="form-group">
            <legend className="h5">{t('meeting.newTasks')}</legend>
            {newTasks.map((x, i) => {
              const update = (patch: Partial<NewTask>) => touch(setNewTasks)(newTasks.map((y, j) => (j === i ? { ...y, ...patch } : y)));
              return (
                <div key={i} className="card-item new-task">
                  <TextField id={`meeting-task-${i}-title`} label={t('meeting.taskTitle')} value={x.title} error={err(`meeting-task-${i}-title`)} onChange={(v) => update({ title: v })} />
                  <SelectField id={`meeting-task-${i}-owner`} label={t('meeting.taskOwner')} value={x.owner} options={ownerOptions} onChange={(v) => update({ owner: v })} />
                  <TextField id={`meeting-task-${i}-dueDate`} label={t('meeting.dueDate')} type="date" className="input-width-s" value={x.dueDate} error={err(`meeting-task-${i}-dueDate`)} onChange={(v) => update({ dueDate: v })} />
                  <SelectField id={`meeting-task-${i}-goal`} label={t('meeting.taskGoal')} value={x.goal} options={goalOptions} onChange={(v) => update({ goal: v })} />
                </div>
              );
            })}
            <button type="button" className="button button-secondary button-small" onClick={() => touch(setNewTasks)([...newTasks, { title: '', owner: 'citizen', dueDate: '', goal: '' }])}>
              {t('meeting.addTask')}
            </button>
          </fieldset>

          <TextArea id="meeting-minutes" label={t('meeting.minutes')} hint={t('meeting.minutesHint')} rows={5} value={minutes} onChange={touch(setMinutes)} />

          <fieldset className="form-group">
            <legend className="h5">{t('meeting.next')}</legend>
            <div className="field-row">
              <TextField id="meeting-nextDate" label={t('meeting.nextDate')} type="date" className="input-width-s" value={nextDate} error={err('meeting-nextDate')} onChange={touch(setNextDate)} />
              <TextField id="meeting-nextTime" label={t('conversation.time')} className="input-width-xs" inputMode="numeric" value={nextTime} onChange={touch(setNextTime)} />
            </div>
          </fieldset>

          {warnings && (
            <WarningsConfirm
              id="meeting-warnings"
              warnings={warnings}
              heading={t('booking.warningsHeading')}
              question={t('booking.question')}
              confirmLabel={t('booking.anyway')}
              pending={save.isPending}
              onConfirm={() => save.mutate(true)}
              onFix={() => {
                setWarnings(null);
                document.getElementById('meeting-nextDate')?.focus();
              }}
            />
          )}
          {failed && (
            <ErrorAlert message={t(failed)}>
              {serverIssues.length > 0 && (
                <ul>
                  {serverIssues.map((s) => (
                    <li key={s}>{s}</li>
                  ))}
                </ul>
              )}
            </ErrorAlert>
          )}
          {unsaved.confirm ?? <FormButtons saveLabel={t('meeting.save')} disabled={save.isPending} onCancel={onCancel} />}
        </form>
      )}
    </section>
  );
}

function TopicChoice({ id, topics, error, onChange }: { id: string; topics: string[]; error?: string; onChange: (topic: string, on: boolean) => void }) {
  const { t } = useI18n();
  return (
    <fieldset className={error ? 'form-group form-error topic-choice' : 'form-group topic-choice'} id={id} tabIndex={-1}>
      <legend className="form-label">{t('meeting.topics')}</legend>
      {error && <span className="form-error-message">{error}</span>}
      {CONSENT_TOPICS.map((topic) => (
        <div className="form-group-checkbox" key={topic}>
          <input id={`${id}-${topic}`} type="checkbox" className="form-checkbox" checked={topics.includes(topic)} onChange={(e) => onChange(topic, e.target.checked)} />
          <label htmlFor={`${id}-${topic}`}>{t(`consentTopic.${topic}`)}</label>
        </div>
      ))}
    </fieldset>
  );
}
