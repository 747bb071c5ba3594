// "Min dag", the resource consultant's home: today's appointments and the rest of the week, my open tasks,
// overdue tasks in my citizens' plans, and the next step per citizen of my caseload (none planned first).
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useI18n, type Language } from '../../i18n/i18n.tsx';
import { formatDateTime, formatIsoDate } from '../../i18n/format.ts';
import { Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { Section } from '../citizens/Section.tsx';
import { useMyDay, type DayTask, type MyDay, type NextStep } from './calendarApi.ts';
import { EntryItem } from './Entries.tsx';
import { TeamTasksSection } from '../progression/TeamTasksSection.tsx';
import './calendar.css';

export function MyDayPage() {
  const { t, language } = useI18n();
  const day = useMyDay();
  const title = t('myDay.title');
  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      {day.isPending && <Loading />}
      {day.isError && <QueryError error={day.error} />}
      {day.data && <MyDayView data={day.data} language={language} />}
    </>
  );
}

/** The first rows of a list, the rest behind "Vis alle". */
const SHOWN = 8;
function Shortened<T>({ items, render, label }: { items: T[]; render: (item: T) => ReactNode; label: string }) {
  const { t } = useI18n();
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, SHOWN);
  return (
    <>
      <ul className="plain-list myday-list no-max-width" aria-label={label}>
        {shown.map(render)}
      </ul>
      {items.length > SHOWN && (
        <button type="button" className="button button-tertiary button-small" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? t('myDay.showFewer') : t('myDay.showAll', { n: items.length })}
        </button>
      )}
    </>
  );
}

function More({ n }: { n: number }) {
  const { t } = useI18n();
  return n > 0 ? <p className="list-count">{t('myDay.more', { n })}</p> : null;
}

function MyDayView({ data, language }: { data: MyDay; language: Language }) {
  const { t } = useI18n();
  const long = new Intl.DateTimeFormat(language === 'da' ? 'da-DK' : 'en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${data.today}T00:00:00Z`));
  const weekday = long.charAt(0).toUpperCase() + long.slice(1);
  const rest = data.weekItems.filter((e) => e.date > data.today);
  return (
    <>
      <p className="page-intro myday-date">{weekday}</p>
      <div className="myday-grid">
        <Section id="myday-today" title={t('myDay.today')} actions={<Link to="/calendar">{t('myDay.openCalendar')}</Link>}>
          {data.todayItems.length === 0 ? (
            <p className="empty-state">{t('myDay.noToday')}</p>
          ) : (
            <ul className="cal-entries no-max-width">
              {data.todayItems.map((e) => (
                <EntryItem key={`${e.kind}-${e.id}`} entry={e} />
              ))}
            </ul>
          )}
        </Section>
        <Section id="myday-week" title={t('myDay.week')}>
          {rest.length === 0 ? (
            <p className="empty-state">{t('myDay.noWeek')}</p>
          ) : (
            <ul className="cal-entries no-max-width">
              {rest.map((e) => (
                <li key={`${e.kind}-${e.id}`} className="myday-week-item">
                  <span className="cal-entry-day">{formatIsoDate(language, e.date)}</span>
                  <ul className="cal-entries no-max-width">
                    <EntryItem entry={e} />
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </Section>
        <TeamTasksSection tasks={data.teamTasks} />
        <Section id="myday-tasks" title={t('myDay.myTasks')}>
          <TaskList tasks={data.myTasks.items} empty={t('myDay.noMyTasks')} today={data.today} label={t('myDay.myTasks')} />
          <More n={data.myTasks.more} />
        </Section>
        <Section id="myday-overdue" title={t('myDay.overdue')}>
          <TaskList tasks={data.overdueTasks.items} empty={t('myDay.noOverdue')} today={data.today} label={t('myDay.overdue')} showOwner />
          <More n={data.overdueTasks.more} />
        </Section>
        <Section id="myday-next" title={t('myDay.nextSteps')}>
          {data.nextSteps.items.length === 0 ? (
            <p className="empty-state">{t('myDay.noCitizens')}</p>
          ) : (
            <Shortened
              items={data.nextSteps.items}
              label={t('myDay.nextSteps')}
              render={(s) => (
                <li key={s.citizen.id}>
                  <Link to={`/citizens/${s.citizen.id}`}>{s.citizen.name}</Link>
                  <span className={s.kind ? 'myday-step' : 'myday-step myday-step-none'}>
                    <StepText step={s} language={language} />
                  </span>
                </li>
              )}
            />
          )}
          <More n={data.nextSteps.more} />
        </Section>
      </div>
    </>
  );
}

function StepText({ step, language }: { step: NextStep; language: Language }) {
  const { t } = useI18n();
  if (!step.kind || !step.date) return <>{t('myDay.noNextStep')}</>;
  const when = step.startsAt ? formatDateTime(language, step.startsAt) : formatIsoDate(language, step.date);
  return <>{t(`myDay.step.${step.kind}`, { when, title: step.title ?? '' })}</>;
}

function TaskList({ tasks, empty, today, label, showOwner = false }: { tasks: DayTask[]; empty: string; today: string; label: string; showOwner?: boolean }) {
  const { t, language } = useI18n();
  if (tasks.length === 0) return <p className="empty-state">{empty}</p>;
  return (
    <Shortened
      items={tasks}
      label={label}
      render={(task) => (
        <li key={task.id}>
          <span className="myday-task-title">{task.title ?? t('myDay.hiddenTask')}</span>
          {task.citizen && (
            <>
              {' · '}
              <Link to={`/citizens/${task.citizen.id}`}>{task.citizen.name}</Link>
            </>
          )}
          <span className={task.dueDate && task.dueDate < today ? 'myday-due myday-due-over' : 'myday-due'}>
            {task.dueDate ? t(task.dueDate < today ? 'myDay.overdueSince' : 'myDay.due', { date: formatIsoDate(language, task.dueDate) }) : t('myDay.noDue')}
            {showOwner && (task.ownerName ?? (task.ownerKind !== 'staff' ? t(`myDay.owner.${task.ownerKind}`) : null)) && <> · {task.ownerName ?? t(`myDay.owner.${task.ownerKind as 'citizen' | 'outside'}`)}</>}
          </span>
        </li>
      )}
    />
  );
}
