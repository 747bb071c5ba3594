// "Min dag", the resource consultant's home: today's appointments and the rest of the week, my open tasks,
// overdue tasks in my citizens' plans, and the next step per citizen of my caseload (none planned first).
import { Link } from 'react-router';
import { useI18n, type Language } from '../../i18n/i18n.tsx';
import { formatDateTime, formatIsoDate } from '../../i18n/format.ts';
import { Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { Section } from '../citizens/Section.tsx';
import { useMyDay, type DayTask, type MyDay, type NextStep } from './calendarApi.ts';
import { EntryItem } from './Entries.tsx';
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
        <Section id="myday-tasks" title={t('myDay.myTasks')}>
          <TaskList tasks={data.myTasks.items} empty={t('myDay.noMyTasks')} today={data.today} />
          <More n={data.myTasks.more} />
        </Section>
        <Section id="myday-overdue" title={t('myDay.overdue')}>
          <TaskList tasks={data.overdueTasks.items} empty={t('myDay.noOverdue')} today={data.today} showOwner />
          <More n={data.overdueTasks.more} />
        </Section>
        <Section id="myday-next" title={t('myDay.nextSteps')}>
          {data.nextSteps.items.length === 0 ? (
            <p className="empty-state">{t('myDay.noCitizens')}</p>
          ) : (
            <ul className="plain-list myday-list no-max-width">
              {data.nextSteps.items.map((s) => (
                <li key={s.citizen.id}>
                  <Link to={`/citizens/${s.citizen.id}`}>{s.citizen.name}</Link>
                  <span className={s.kind ? 'myday-step' : 'myday-step myday-step-none'}>
                    <StepText step={s} language={language} />
                  </span>
                </li>
              ))}
            </ul>
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

function TaskList({ tasks, empty, today, showOwner = false }: { tasks: DayTask[]; empty: string; today: string; showOwner?: boolean }) {
  const { t, language } = useI18n();
  if (tasks.length === 0) return <p className="empty-state">{empty}</p>;
  return (
    <ul className="plain-list myday-list no-max-width">
      {tasks.map((task) => (
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
      ))}
    </ul>
  );
}
