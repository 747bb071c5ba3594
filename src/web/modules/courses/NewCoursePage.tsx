// "Nyt gruppeforløb": the course, its leaders and its schedule; the generated sessions and the skipped public
// holidays are shown before anything is saved.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ProgrammeStaff } from '../../../contracts/programmes.ts';
import type { CourseTopic, SchedulePreview } from '../../../contracts/courses.ts';
import { api, ApiError } from '../../api/client.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatDateTime, formatIsoDate, todayInCopenhagen } from '../../i18n/format.ts';
import { SelectField, TextArea, TextField } from '../../app/fields.tsx';
import { ErrorAlert, errorMessageKey, PageHeading } from '../../app/feedback.tsx';
import { useUser } from '../../app/session.tsx';
import { programmeCoursesKey } from './courseApi.ts';
import './courses.css';

const TOPICS: CourseTopic[] = ['physical_health', 'mental_health', 'tools_and_mindsets', 'other'];
const MIN_PLAN = ['yes', 'no', 'not_relevant'] as const;

type Form = {
  title: string;
  description: string;
  topics: CourseTopic[];
  capacity: string;
  location: string;
  leaderIds: string[];
  firstDate: string;
  time: string;
  sessions: string;
  intervalWeeks: string;
  durationMinutes: string;
  minPlan: (typeof MIN_PLAN)[number];
};

const int = (s: string) => (/^[0-9]{1,4}$/.test(s.trim()) ? Number(s.trim()) : NaN);

export function NewCoursePage() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const user = useUser();
  const navigate = useNavigate();
  const client = useQueryClient();
  const staff = useQuery({ queryKey: ['programme', id, 'staff'], queryFn: () => api.get<ProgrammeStaff>(`/api/programmes/${encodeURIComponent(id)}/staff`) });
  const [v, setV] = useState<Form>({
    title: '',
    description: '',
    topics: [],
    capacity: '12',
    location: '',
    leaderIds: [user.id],
    firstDate: todayInCopenhagen(),
    time: '10:00',
    sessions: '8',
    intervalWeeks: '1',
    durationMinutes: '90',
    minPlan: 'no',
  });
  const [submitted, setSubmitted] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const set = (patch: Partial<Form>) => {
    setV((old) => ({ ...old, ...patch }));
    setFailed(null);
  };

  const errors: Partial<Record<keyof Form, MessageKey>> = {};
  if (!v.title.trim()) errors.title = 'courses.error.title';
  const capacity = int(v.capacity);
  if (!(capacity >= 1 && capacity <= 200)) errors.capacity = 'courses.error.capacity';
  if (v.leaderIds.length === 0) errors.leaderIds = 'courses.error.leaders';
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v.firstDate)) errors.firstDate = 'courses.error.date';
  if (!/^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(v.time)) errors.time = 'courses.error.time';
  const sessions = int(v.sessions);
  if (!(sessions >= 1 && sessions <= 52)) errors.sessions = 'courses.error.sessions';
  const duration = int(v.durationMinutes);
  if (!(duration >= 15 && duration <= 480)) errors.durationMinutes = 'courses.error.duration';
  const scheduleValid = !errors.firstDate && !errors.time && !errors.sessions && !errors.durationMinutes;
  const schedule = { firstDate: v.firstDate, time: v.time, sessions, intervalWeeks: Number(v.intervalWeeks), durationMinutes: duration };
  const err = (k: keyof Form) => (submitted && errors[k] ? t(errors[k]) : undefined);

  const preview = useQuery({
    queryKey: ['course-preview', id, JSON.stringify(schedule)],
    queryFn: () => api.post<SchedulePreview>(`/api/programmes/${encodeURIComponent(id)}/group-courses/preview`, schedule),
    enabled: scheduleValid,
  });

  const save = useMutation({
    mutationFn: () =>
      api.post<{ id: string }>(`/api/programmes/${encodeURIComponent(id)}/group-courses`, {
        title: v.title.trim(),
        description: v.description.trim() || null,
        topics: v.topics,
        capacity,
        location: v.location.trim() || null,
        leaderIds: v.leaderIds,
        schedule,
        minPlan: v.minPlan,
      }),
    onSuccess: async (created) => {
      await client.invalidateQueries({ queryKey: programmeCoursesKey(id) });
      await navigate(`/group-courses/${created.id}`);
    },
    onError: (e) => setFailed(e instanceof ApiError && e.status === 400 && e.body?.message ? e.body.message : t(errorMessageKey(e))),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    const first = (Object.keys(errors) as (keyof Form)[])[0];
    if (first) return document.getElementById(`course-${first}`)?.focus();
    save.mutate();
  };

  const leaders = (staff.data?.items ?? []).filter((s) => s.roles.some((r) => r !== 'steering_group' && r !== 'researcher'));
  return (
    <>
      <p className="breadcrumb-link">
        <Link to={`/programmes/${id}/group-courses`}>{t('courses.title')}</Link>
      </p>
      <PageHeading title={t('courses.new')}>{t('courses.new')}</PageHeading>
      <form onSubmit={submit} noValidate className="narrow-form">
        <TextField id="course-title" label={t('courses.field.title')} value={v.title} error={err('title')} onChange={(title) => set({ title })} />
        <TextArea id="course-description" label={t('courses.field.description')} value={v.description} rows={3} onChange={(description) => set({ description })} />
        <fieldset className="form-group">
          <legend className="form-label">{t('courses.field.topics')}</legend>
          {TOPICS.map((k) => (
            <div className="form-group-checkbox" key={k}>
              <input
                id={`course-topic-${k}`}
                type="checkbox"
                className="form-checkbox"
                checked={v.topics.includes(k)}
                onChange={(e) => set({ topics: e.target.checked ? [...v.topics, k] : v.topics.filter((x) => x !== k) })}
              />
              <label htmlFor={`course-topic-${k}`}>{t(`courses.topic.${k}`)}</label>
            </div>
          ))}
        </fieldset>
        <TextField id="course-capacity" label={t('courses.field.capacity')} hint={t('courses.field.capacityHint')} inputMode="numeric" className="input-width-xs" value={v.capacity} error={err('capacity')} onChange={(capacity) => set({ capacity })} />
        <TextField id="course-location" label={t('courses.field.location')} value={v.location} onChange={(location) => set({ location })} />
        <fieldset className={submitted && errors.leaderIds ? 'form-group form-error' : 'form-group'} aria-describedby="course-leaderIds-hint">
          <legend className="form-label">{t('courses.field.leaders')}</legend>
          <span className="form-hint" id="course-leaderIds-hint">{t('courses.field.leadersHint')}</span>
          {submitted && errors.leaderIds && <span className="form-error-message">{t(errors.leaderIds)}</span>}
          {leaders.map((s, i) => (
            <div className="form-group-checkbox" key={s.id}>
              <input
                id={i === 0 ? 'course-leaderIds' : `course-leader-${s.id}`}
                type="checkbox"
                className="form-checkbox"
                checked={v.leaderIds.includes(s.id)}
                onChange={(e) => set({ leaderIds: e.target.checked ? [...v.leaderIds, s.id] : v.leaderIds.filter((x) => x !== s.id) })}
              />
              <label htmlFor={i === 0 ? 'course-leaderIds' : `course-leader-${s.id}`}>{t('courses.leaderOption', { name: s.name, organisation: s.organisation })}</label>
            </div>
          ))}
        </fieldset>

        <fieldset className="form-group">
          <legend className="form-label">{t('courses.field.schedule')}</legend>
          <TextField id="course-firstDate" label={t('courses.field.firstDate')} type="date" className="input-width-s" value={v.firstDate} error={err('firstDate')} onChange={(firstDate) => set({ firstDate })} />
          <div className={submitted && errors.time ? 'form-group form-error' : 'form-group'}>
            <label className="form-label" htmlFor="course-time">{t('courses.field.time')}</label>
            {submitted && errors.time && <span className="form-error-message" id="course-time-error">{t(errors.time)}</span>}
            <input
              id="course-time"
              type="time"
              className="form-input input-width-xs"
              value={v.time}
              aria-invalid={submitted && errors.time ? true : undefined}
              aria-describedby={submitted && errors.time ? 'course-time-error' : undefined}
              onChange={(e) => set({ time: e.target.value })}
            />
          </div>
          <TextField id="course-sessions" label={t('courses.field.sessions')} inputMode="numeric" className="input-width-xs" value={v.sessions} error={err('sessions')} onChange={(s) => set({ sessions: s })} />
          <SelectField
            id="course-intervalWeeks"
            label={t('courses.field.interval')}
            value={v.intervalWeeks}
            options={[1, 2, 3, 4].map((n) => ({ value: String(n), label: t(n === 1 ? 'courses.interval.weekly' : 'courses.interval.weeks', { count: n }) }))}
            onChange={(intervalWeeks) => set({ intervalWeeks })}
          />
          <TextField id="course-durationMinutes" label={t('courses.field.duration')} hint={t('courses.field.durationHint')} inputMode="numeric" className="input-width-xs" value={v.durationMinutes} error={err('durationMinutes')} onChange={(durationMinutes) => set({ durationMinutes })} />
        </fieldset>

        <section className="session-preview" aria-labelledby="preview-heading" aria-live="polite">
          <h2 id="preview-heading">{t('courses.preview.title')}</h2>
          {!scheduleValid && <p>{t('courses.preview.incomplete')}</p>}
          {preview.isError && <ErrorAlert message={t(errorMessageKey(preview.error))} />}
          {preview.data && (
            <>
              <ol className="plain-list" aria-label={t('courses.preview.sessions')}>
                {preview.data.sessions.map((s) => (
                  <li key={s.number}>{t('courses.preview.session', { number: s.number, when: formatDateTime(language, s.startsAt), minutes: s.durationMinutes })}</li>
                ))}
              </ol>
              {preview.data.skipped.length > 0 ? (
                <>
                  <h3>{t('courses.preview.skipped')}</h3>
                  <ul className="plain-list">
                    {preview.data.skipped.map((s) => (
                      <li key={s.date} className="skipped">{t('courses.preview.skippedDate', { date: formatIsoDate(language, s.date), holiday: s.holiday[language] })}</li>
                    ))}
                  </ul>
                </>
              ) : (
                <p>{t('courses.preview.noneSkipped')}</p>
              )}
            </>
          )}
        </section>

        <fieldset className="form-group">
          <legend className="form-label">{t('courses.field.minPlan')}</legend>
          <p className="form-hint">{t('courses.field.minPlanHint')}</p>
          {MIN_PLAN.map((k) => (
            <div className="form-group-radio" key={k}>
              <input id={`course-minPlan-${k}`} type="radio" name="course-minPlan" className="form-radio" checked={v.minPlan === k} onChange={() => set({ minPlan: k })} />
              <label htmlFor={`course-minPlan-${k}`}>{t(`courses.minPlan.${k}`)}</label>
            </div>
          ))}
        </fieldset>
        {failed && <ErrorAlert message={failed} />}
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {t('courses.create')}
          </button>
          <Link to={`/programmes/${id}/group-courses`} className="button button-secondary">
            {t('common.cancel')}
          </Link>
        </div>
      </form>
    </>
  );
}
