// One group course: facts and sessions for everyone who may see it; for its leaders also the participants with
// their rates, the participant picker and attendance for the whole group on one screen.
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CitizenSummary } from '../../../contracts/citizens.ts';
import type { AttendanceStatus } from '../../../contracts/courses.ts';
import { api, ApiError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime, formatPercent } from '../../i18n/format.ts';
import { TextField } from '../../app/fields.tsx';
import { ErrorAlert, errorMessageKey, Loading, PageHeading, QueryError, SuccessNotice } from '../../app/feedback.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import { Section } from '../citizens/Section.tsx';
import { courseKey, percent, useCourse, type CourseDetail } from './courseApi.ts';

type Participant = NonNullable<CourseDetail['participants']>[number];
import './courses.css';

const STATUSES: AttendanceStatus[] = ['attended', 'excused', 'absent'];
const MIN_PLAN = ['no', 'yes', 'not_relevant'] as const;
type MinPlanStatus = (typeof MIN_PLAN)[number];

function Rate({ rate }: { rate: number | null | undefined }) {
  const { language } = useI18n();
  const p = percent(rate);
  return <>{p === null ? '–' : formatPercent(language, p)}</>;
}

export function CoursePage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const course = useCourse(id);
  if (course.isPending) return <Loading />;
  if (course.isError)
    return (
      <>
        <PageHeading title={t('courses.unavailable')}>{t('courses.unavailable')}</PageHeading>
        <QueryError error={course.error} />
      </>
    );
  return <CourseView course={course.data} />;
}

function CourseView({ course: c }: { course: CourseDetail }) {
  const { t, language } = useI18n();
  const current = (c.participants ?? []).filter((p) => p.leftAt === null);
  const [editing, setEditing] = useState<string | null>(null);
  const editingSession = c.sessions.find((s) => s.id === editing);
  return (
    <>
      <p className="breadcrumb-link">
        <Link to={`/programmes/${c.programmeId}/group-courses`}>{t('courses.title')}</Link>
      </p>
      <PageHeading title={c.title}>{c.title}</PageHeading>
      {c.description && <p className="page-intro">{c.description}</p>}
      <dl className="facts">
        <div>
          <dt>{t('courses.leaders')}</dt>
          <dd>{c.leaders.map((l) => l.name).join(', ')}</dd>
        </div>
        <div>
          <dt>{t('courses.participants')}</dt>
          <dd>{t('courses.ofCapacity', { count: c.participantCount, capacity: c.capacity })}</dd>
        </div>
        <div>
          <dt>{t('courses.rate')}</dt>
          <dd>
            <Rate rate={c.attendanceRate} />
          </dd>
        </div>
        {c.location && (
          <div>
            <dt>{t('courses.location')}</dt>
            <dd>{c.location}</dd>
          </div>
        )}
        {c.topics.length > 0 && (
          <div>
            <dt>{t('courses.field.topics')}</dt>
            <dd>{c.topics.map((k) => t(`courses.topic.${k}`)).join(', ')}</dd>
          </div>
        )}
      </dl>
      {!c.isLeader && <p className="form-hint">{t('courses.countOnly')}</p>}

      <Section id="sessions-heading" title={t('courses.sessions')}>
        <TableScroll labelledBy="sessions-heading">
          <table className="table table--compact table-stack">
            <thead>
              <tr>
                <th scope="col">{t('courses.session')}</th>
                <th scope="col">{t('courses.when')}</th>
                <th scope="col">{t('courses.duration')}</th>
                <th scope="col">{t('courses.status')}</th>
                {c.isLeader && <th scope="col" className="numeric">{t('courses.rate')}</th>}
                {c.canManage && (
                  <th scope="col">
                    <span className="sr-only">{t('courses.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {c.sessions.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.number}</th>
                  <td data-label={t('courses.when')}>{formatDateTime(language, s.startsAt)}</td>
                  <td data-label={t('courses.duration')}>{t('courses.minutes', { count: s.durationMinutes })}</td>
                  <td data-label={t('courses.status')}>{t(s.status === 'cancelled' ? 'courses.sessionStatus.cancelled' : s.held ? 'courses.sessionStatus.held' : 'courses.sessionStatus.planned')}</td>
                  {c.isLeader && (
                    <td data-label={t('courses.rate')} className="numeric">
                      <Rate rate={s.rate} />
                    </td>
                  )}
                  {c.canManage && (
                    <td>
                      <button type="button" className="button button-tertiary button-small" aria-expanded={editing === s.id} onClick={() => setEditing(editing === s.id ? null : s.id)}>
                        {t('courses.editSession', { number: s.number })}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        {editingSession && <SessionEditor key={editingSession.id} courseId={c.id} session={editingSession} onClose={() => setEditing(null)} />}
      </Section>

      {c.isLeader && (
        <>
          <ParticipantsSection course={c} />
          {current.length < c.capacity && <ParticipantPicker course={c} />}
          {current.length > 0 && <AttendanceSection course={c} />}
        </>
      )}
    </>
  );
}

const copenhagenTime = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Copenhagen' });

/** Moves one session (date, time, duration) or cancels it; a session with attendance stays where it is (the server says so). */
function SessionEditor({ courseId, session, onClose }: { courseId: string; session: CourseDetail['sessions'][number]; onClose: () => void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [date, setDate] = useState(session.date);
  const [time, setTime] = useState(copenhagenTime.format(new Date(session.startsAt)));
  const [duration, setDuration] = useState(String(session.durationMinutes));
  const [failed, setFailed] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.patch(`/api/group-courses/${courseId}/sessions/${session.id}`, { version: session.version, ...body }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: courseKey(courseId) });
      onClose();
    },
    onError: (e) => setFailed(e instanceof ApiError && e.body?.message ? e.body.message : t(errorMessageKey(e))),
  });
  const minutes = Number(duration);
  const valid = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(date) && /^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(time) && Number.isInteger(minutes) && minutes >= 15 && minutes <= 480;
  const id = `session-${session.id}`;
  return (
    <form
      className="note-correction"
      noValidate
      aria-label={t('courses.editSessionTitle', { number: session.number })}
      onSubmit={(e) => {
        e.preventDefault();
        setFailed(null);
        if (valid) change.mutate({ date, time, durationMinutes: minutes });
        else setFailed(t('courses.error.session'));
      }}
    >
      <TextField id={`${id}-date`} label={t('courses.field.date')} type="date" className="input-width-s" value={date} onChange={setDate} />
      <div className="form-group">
        <label className="form-label" htmlFor={`${id}-time`}>{t('courses.field.time')}</label>
        <input id={`${id}-time`} type="time" className="form-input input-width-xs" value={time} onChange={(e) => setTime(e.target.value)} />
      </div>
      <TextField id={`${id}-duration`} label={t('courses.field.duration')} inputMode="numeric" className="input-width-xs" value={duration} onChange={setDuration} />
      {failed && <ErrorAlert message={failed} />}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={change.isPending}>
          {t('courses.saveSession')}
        </button>
        <button type="button" className="button button-secondary" disabled={change.isPending} onClick={() => change.mutate({ status: session.status === 'cancelled' ? 'planned' : 'cancelled' })}>
          {t(session.status === 'cancelled' ? 'courses.restoreSession' : 'courses.cancelSession')}
        </button>
        <button type="button" className="button button-tertiary" onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function ParticipantsSection({ course: c }: { course: CourseDetail }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const [minPlanSaved, setMinPlanSaved] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: (citizenId: string) => api.delete(`/api/group-courses/${c.id}/participants/${citizenId}`),
    onSuccess: () => client.invalidateQueries({ queryKey: courseKey(c.id) }),
  });
  // Each place is registered in the citizen's own Min Plan; the server opens or closes the reminder in their plan.
  const mark = useMutation({
    mutationFn: (m: { participant: Participant; minPlan: MinPlanStatus }) =>
      api.patch(`/api/group-courses/${c.id}/participants/${m.participant.citizenId}`, { version: m.participant.version, minPlan: m.minPlan }),
    onSuccess: async (_res, m) => {
      setMinPlanSaved(t('courses.minPlanSaved', { name: `${m.participant.firstName} ${m.participant.lastName}`, answer: t(`courses.minPlan.${m.minPlan}`) }));
      await client.invalidateQueries({ queryKey: courseKey(c.id) });
    },
    onError: async (e) => {
      setFailed(e instanceof ApiError && e.body?.message ? e.body.message : t(errorMessageKey(e)));
      await client.invalidateQueries({ queryKey: courseKey(c.id) });
    },
  });
  const participants = c.participants ?? [];
  return (
    <Section id="participants-heading" title={t('courses.participantList')}>
      <p className="form-hint">{t('courses.participantListHint')}</p>
      <p className="form-hint">{t('courses.minPlanHint')}</p>
      {failed && <ErrorAlert message={failed} />}
      {minPlanSaved && <SuccessNotice message={minPlanSaved} />}
      {participants.length === 0 ? (
        <p className="empty-state">{t('courses.noParticipants')}</p>
      ) : (
        <TableScroll labelledBy="participants-heading">
          <table className="table table--compact table-stack">
            <thead>
              <tr>
                <th scope="col">{t('courses.name')}</th>
                <th scope="col" className="numeric">{t('courses.attendedCount')}</th>
                <th scope="col" className="numeric">{t('courses.excusedCount')}</th>
                <th scope="col" className="numeric">{t('courses.absentCount')}</th>
                <th scope="col" className="numeric">{t('courses.rate')}</th>
                <th scope="col">{t('courses.field.minPlan')}</th>
                <th scope="col">
                  <span className="sr-only">{t('courses.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {participants.map((p) => (
                <tr key={p.citizenId}>
                  <th scope="row">
                    <Link to={`/citizens/${p.citizenId}`}>{`${p.firstName} ${p.lastName}`}</Link>
                    {p.leftAt && <> ({t('courses.leftOn', { date: formatDateTime(language, p.leftAt).split(' ')[0] ?? '' })})</>}
                  </th>
                  <td data-label={t('courses.attendedCount')} className="numeric">{p.attended}</td>
                  <td data-label={t('courses.excusedCount')} className="numeric">{p.excused}</td>
                  <td data-label={t('courses.absentCount')} className="numeric">{p.absent}</td>
                  <td data-label={t('courses.rate')} className="numeric">
                    <Rate rate={p.rate} />
                  </td>
                  <td data-label={t('courses.field.minPlan')}>
                    {p.leftAt ? (
                      t(`courses.minPlan.${p.minPlan}`)
                    ) : (
                      <select
                        id={`minplan-${p.citizenId}`}
                        className="form-select"
                        aria-label={t('courses.minPlanFor', { name: `${p.firstName} ${p.lastName}` })}
                        value={p.minPlan}
                        disabled={mark.isPending}
                        onChange={(e) => {
                          setFailed(null);
                          setMinPlanSaved(null);
                          mark.mutate({ participant: p, minPlan: e.target.value as MinPlanStatus });
                        }}
                      >
                        {MIN_PLAN.map((m) => (
                          <option key={m} value={m}>
                            {t(`courses.minPlan.${m}`)}
                          </option>
                        ))}
                      </select>
                    )}
                  </td>
                  <td>
                    {!p.leftAt && (
                      <button type="button" className="button button-tertiary button-small" disabled={remove.isPending} onClick={() => remove.mutate(p.citizenId)}>
                        {t('courses.remove', { name: `${p.firstName} ${p.lastName}` })}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </Section>
  );
}

function ParticipantPicker({ course: c }: { course: CourseDetail }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const inCourse = new Set((c.participants ?? []).filter((p) => !p.leftAt).map((p) => p.citizenId));
  const search = useQuery({
    queryKey: ['course-candidates', c.programmeId, q.trim()],
    queryFn: () => api.post<{ items: CitizenSummary[] }>('/api/citizens/search', { q: q.trim() || undefined, programmeId: c.programmeId, status: 'active', limit: 30 }),
  });
  const add = useMutation({
    mutationFn: () => api.post<{ added: number }>(`/api/group-courses/${c.id}/participants`, { citizenIds: chosen }),
    onSuccess: async (res) => {
      setChosen([]);
      setMessage(t('courses.added', { count: res.added }));
      await client.invalidateQueries({ queryKey: courseKey(c.id) });
    },
    onError: (e) => setFailed(e instanceof ApiError && (e.status === 409 || e.status === 400) && e.body?.message ? e.body.message : t(errorMessageKey(e))),
  });
  const candidates = (search.data?.items ?? []).filter((s) => !inCourse.has(s.id));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMessage(null);
    setFailed(null);
    if (chosen.length) add.mutate();
  };
  return (
    <Section id="picker-heading" title={t('courses.addParticipants')}>
      <form onSubmit={submit} noValidate>
        <TextField id="picker-q" type="search" label={t('courses.searchCitizens')} hint={t('courses.searchCitizensHint')} value={q} onChange={setQ} />
        <fieldset className="form-group picker-results">
          <legend className="form-label">{t('courses.candidates')}</legend>
          {search.isPending && <Loading />}
          {search.data && candidates.length === 0 && <p>{t('courses.noCandidates')}</p>}
          {candidates.map((s) => (
            <div className="form-group-checkbox" key={s.id}>
              <input
                id={`pick-${s.id}`}
                type="checkbox"
                className="form-checkbox"
                checked={chosen.includes(s.id)}
                onChange={(e) => setChosen(e.target.checked ? [...chosen, s.id] : chosen.filter((x) => x !== s.id))}
              />
              <label htmlFor={`pick-${s.id}`}>{`${s.firstName} ${s.lastName}`}</label>
            </div>
          ))}
        </fieldset>
        {failed && <ErrorAlert message={failed} />}
        {message && <SuccessNotice message={message} />}
        <button type="submit" className="button button-primary" disabled={add.isPending || chosen.length === 0}>
          {t('courses.addChosen', { count: chosen.length })}
        </button>
      </form>
    </Section>
  );
}

function AttendanceSection({ course: c }: { course: CourseDetail }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const held = c.sessions.filter((s) => s.held);
  const [sessionId, setSessionId] = useState(held[held.length - 1]?.id ?? '');
  const current = (c.participants ?? []).filter((p) => !p.leftAt);
  const recorded = (sid: string) => Object.fromEntries((c.attendance ?? []).filter((a) => a.sessionId === sid).map((a) => [a.citizenId, a.status]));
  const [marks, setMarks] = useState<Record<string, AttendanceStatus>>(() => recorded(sessionId));
  const [saved, setSaved] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  // Another session chosen: show what is recorded for it.
  const chooseSession = (id: string) => {
    setSessionId(id);
    setMarks(recorded(id));
    setSaved(false);
  };
  const save = useMutation({
    mutationFn: () =>
      api.put(`/api/group-courses/${c.id}/sessions/${sessionId}/attendance`, {
        entries: current.filter((p) => marks[p.citizenId]).map((p) => ({ citizenId: p.citizenId, status: marks[p.citizenId] })),
      }),
    onSuccess: async () => {
      setSaved(true);
      await client.invalidateQueries({ queryKey: courseKey(c.id) });
    },
    onError: (e) => setFailed(e instanceof ApiError && e.body?.message ? e.body.message : t(errorMessageKey(e))),
  });
  if (held.length === 0) {
    return (
      <Section id="attendance-heading" title={t('courses.attendance')}>
        <p>{t('courses.noHeldSessions')}</p>
      </Section>
    );
  }
  const session = held.find((s) => s.id === sessionId);
  const missing = current.filter((p) => !marks[p.citizenId]).length;
  return (
    <Section id="attendance-heading" title={t('courses.attendance')}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setFailed(null);
          setSaved(false);
          if (current.some((p) => marks[p.citizenId])) save.mutate();
        }}
      >
        <div className="form-group">
          <label className="form-label" htmlFor="attendance-session">{t('courses.chooseSession')}</label>
          <select id="attendance-session" className="form-select" value={sessionId} onChange={(e) => chooseSession(e.target.value)}>
            {held.map((s) => (
              <option key={s.id} value={s.id}>
                {t('courses.sessionOption', { number: s.number, when: formatDateTime(language, s.startsAt) })}
              </option>
            ))}
          </select>
        </div>
        <p className="form-hint">{t('courses.attendanceHint')}</p>
        <div className="attendance-grid" role="group" aria-label={session ? t('courses.attendanceFor', { number: session.number }) : undefined}>
          {current.map((p) => (
            <fieldset key={p.citizenId} className="attendance-row">
              <legend>{`${p.firstName} ${p.lastName}`}</legend>
              <div className="attendance-choices">
                {STATUSES.map((s) => (
                  <div className="form-group-radio" key={s}>
                    <input
                      id={`att-${p.citizenId}-${s}`}
                      type="radio"
                      name={`att-${p.citizenId}`}
                      className="form-radio"
                      checked={marks[p.citizenId] === s}
                      onChange={() => {
                        setMarks({ ...marks, [p.citizenId]: s });
                        setSaved(false);
                      }}
                    />
                    <label htmlFor={`att-${p.citizenId}-${s}`}>{t(`courses.attendanceStatus.${s}`)}</label>
                  </div>
                ))}
              </div>
            </fieldset>
          ))}
        </div>
        {missing > 0 && <p className="form-hint">{t('courses.notMarked', { count: missing })}</p>}
        {failed && <ErrorAlert message={failed} />}
        {saved && <SuccessNotice message={t('courses.attendanceSaved')} />}
        <button type="submit" className="button button-primary" disabled={save.isPending || missing === current.length}>
          {t('courses.saveAttendance')}
        </button>
      </form>
    </Section>
  );
}
