// "Målinger" on the citizen page, for the team's resource consultant and caseworker only: the latest score per
// instrument with its band and a button to fill the instrument in with the citizen, the team's internal tasks
// from the measurements (alerts with the programme's procedure for acute concern, measurements due), and the
// scores over time as a chart with a table beside it. None of this is in the plan the citizen sees or prints.
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime, formatIsoDate } from '../../i18n/format.ts';
import { ErrorAlert, errorMessageKey, Loading, QueryError } from '../../app/feedback.tsx';
import { useUser } from '../../app/session.tsx';
import { Section } from '../citizens/Section.tsx';
import type { CitizenDetail } from '../citizens/citizenApi.ts';
import { ProgressChart } from './ProgressChart.tsx';
import { BandTag, ScoreText } from './ScoreParts.tsx';
import { definitionOf, mayMeasure, measurementsKey, useChartAssessments, useInstrument, useInstruments, useStaffTasks, type InstrumentSummary, type StaffTask } from './progressionApi.ts';
import './progression.css';

export function MeasurementsPanel({ citizen }: { citizen: CitizenDetail }) {
  const user = useUser();
  if (!mayMeasure(user, citizen)) return null;
  return <Measurements citizenId={citizen.id} />;
}

function Measurements({ citizenId }: { citizenId: string }) {
  const { t } = useI18n();
  const instruments = useInstruments();
  const tasks = useStaffTasks(citizenId);
  // The server's answer decides in the end: without access the panel is simply not there.
  if (tasks.error instanceof ApiError && tasks.error.status === 404) return null;
  const active = (instruments.data?.items ?? []).filter((i) => i.status === 'active').sort((a, b) => rank(a.code) - rank(b.code) || a.code.localeCompare(b.code));
  return (
    <Section id="measurements-heading" title={t('progression.title')}>
      <p className="measurements-internal">
        <span className="badge badge-small measurements-badge">{t('progression.internal')}</span> {t('progression.internalText')}
      </p>
      {tasks.isError && <QueryError error={tasks.error} />}
      {tasks.data && tasks.data.items.length > 0 && <TaskList citizenId={citizenId} tasks={tasks.data.items} />}
      {instruments.isPending && <Loading />}
      {instruments.isError && <QueryError error={instruments.error} />}
      <ul className="plain-list measurement-cards no-max-width">
        {active.map((i) => (
          <InstrumentCard key={i.code} citizenId={citizenId} instrument={i} />
        ))}
      </ul>
      {active.map((i) => (
        <ProgressChart key={i.code} citizenId={citizenId} instrumentCode={i.code} />
      ))}
    </Section>
  );
}

/** The shipped instruments first, in the order staff meet them; an organisation's own after them. */
const SHIPPED = ['who5', 'was', 'jobprogression'];
const rank = (code: string) => (SHIPPED.includes(code) ? SHIPPED.indexOf(code) : SHIPPED.length);

function InstrumentCard({ citizenId, instrument }: { citizenId: string; instrument: InstrumentSummary }) {
  const { t, language } = useI18n();
  const answers = useChartAssessments(citizenId, instrument.code);
  const full = useInstrument(instrument.code);
  const def = full.data ? definitionOf(full.data) : undefined;
  const latest = answers.data?.items.find((a) => a.status === 'submitted');
  const draft = answers.data?.items.find((a) => a.status === 'draft');
  const headingId = `measure-${instrument.code}`;
  return (
    <li className="measurement-card" aria-labelledby={headingId}>
      <h3 id={headingId} className="h5">
        {instrument.title[language]}
      </h3>
      {answers.isPending ? (
        <Loading />
      ) : answers.isError ? (
        <QueryError error={answers.error} />
      ) : latest ? (
        <p className="measurement-latest">
          <ScoreText score={latest.score} def={def} /> <BandTag def={def} band={latest.score?.band ?? null} />
          <span className="measurement-date">{t('progression.latestOn', { date: formatDateTime(language, latest.answeredAt) })}</span>
        </p>
      ) : (
        <p className="muted">{t('progression.noneYet')}</p>
      )}
      {draft && <p className="measurement-draft">{t('progression.draftWaiting', { date: formatDateTime(language, draft.answeredAt) })}</p>}
      <Link className="button button-secondary measurement-start" to={`/citizens/${citizenId}/measurements/${instrument.code}/new`} aria-label={`${draft ? t('progression.continueDraft') : t('progression.fillIn')}: ${instrument.title[language]}`}>
        {draft ? t('progression.continueDraft') : t('progression.fillIn')}
      </Link>
    </li>
  );
}

function TaskList({ citizenId, tasks }: { citizenId: string; tasks: StaffTask[] }) {
  const { t } = useI18n();
  const sorted = [...tasks].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'alert' ? -1 : 1));
  return (
    <div className="measurement-tasks" role="group" aria-labelledby="measurement-tasks-heading">
      <h3 id="measurement-tasks-heading" className="h5">
        {t('progression.tasksTitle')}
      </h3>
      <ul className="plain-list no-max-width">
        {sorted.map((task) => (
          <TaskItem key={task.id} citizenId={citizenId} task={task} />
        ))}
      </ul>
    </div>
  );
}

/** One internal task: its neutral text, for an alert the programme's procedure beside it, and "Markér som klaret". */
function TaskItem({ citizenId, task }: { citizenId: string; task: StaffTask }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const close = useMutation({
    mutationFn: () => api.patch(`/api/staff-tasks/${task.id}`, { status: 'done', version: task.version }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: measurementsKey(citizenId) });
      void client.invalidateQueries({ queryKey: ['my-day'] });
    },
  });
  const procedure = task.acuteProcedure?.[language]?.trim();
  return (
    <li className={task.kind === 'alert' ? 'measurement-task measurement-task-alert' : 'measurement-task'}>
      <div className="measurement-task-main">
        <span className="measurement-task-kind">{task.kind === 'alert' ? t('progression.kind.alert') : t('progression.kind.due')}</span>
        <span className="measurement-task-text">{task.text[language]}</span>
        {task.kind === 'measurement_due' && task.dueDate && (
          <span className={task.overdue ? 'measurement-due measurement-overdue' : 'measurement-due'}>
            {' · '}
            {task.overdue ? t('progression.overdueSince', { date: formatIsoDate(language, task.windowEnd ?? task.dueDate) }) : t('progression.dueOn', { date: formatIsoDate(language, task.dueDate) })}
          </span>
        )}
      </div>
      {task.kind === 'alert' && (
        <div className="acute-procedure">
          <strong>{t('progression.acuteProcedure')}</strong> {procedure ? <span className="pre-line">{procedure}</span> : <span className="muted">{t('progression.noAcuteProcedure')}</span>}
        </div>
      )}
      {confirming ? (
          <span className="button-row measurement-task-confirm">
            <button type="button" className="button button-primary button-small" disabled={close.isPending} onClick={() => close.mutate()}>
              {t('progression.confirmDone')}
            </button>
            <button type="button" className="button button-tertiary button-small" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </span>
        ) : (
          <button type="button" className="button button-tertiary button-small" aria-label={t('progression.markDoneFor', { text: task.text[language] })} onClick={() => setConfirming(true)}>
            {t('progression.markDone')}
          </button>
        )}
      {close.isError && <ErrorAlert message={t(errorMessageKey(close.error))} />}
    </li>
  );
}
