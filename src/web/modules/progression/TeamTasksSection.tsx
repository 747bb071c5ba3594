// "Opgaver fra målinger" on Min dag: the internal tasks of the citizens on whose team the user is (alerts
// first, then measurements due or overdue), each linking to the citizen's page where it is handled.
import { useState } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatIsoDate } from '../../i18n/format.ts';
import { useUser } from '../../app/session.tsx';
import { Section } from '../citizens/Section.tsx';
import type { StaffTask } from './progressionApi.ts';
import './progression.css';

/** The first rows, the rest behind "Vis alle" (as Min dag's other lists). */
const SHOWN = 8;

export function TeamTasksSection({ tasks }: { tasks: { items: StaffTask[]; more: number } }) {
  const user = useUser();
  // Only the roles that see measurements get tasks from them; for others the section would always be empty.
  if (!user.roles.some((g) => g.role === 'resource_consultant' || g.role === 'caseworker')) return null;
  return <TeamTasks tasks={tasks} />;
}

function TeamTasks({ tasks }: { tasks: { items: StaffTask[]; more: number } }) {
  const { t, language } = useI18n();
  const [all, setAll] = useState(false);
  const sorted = [...tasks.items].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'alert' ? -1 : 1));
  const shown = all ? sorted : sorted.slice(0, SHOWN);
  return (
    <Section id="myday-measurements" title={t('progression.teamTasks')}>
      {sorted.length === 0 ? (
        <p className="empty-state">{t('progression.noTeamTasks')}</p>
      ) : (
        <ul className="plain-list myday-list no-max-width" aria-label={t('progression.teamTasks')}>
          {shown.map((task) => (
            <li key={task.id} className={task.kind === 'alert' ? 'measurement-task measurement-task-alert' : 'measurement-task'}>
              <span className="measurement-task-kind">{task.kind === 'alert' ? t('progression.kind.alert') : t('progression.kind.due')}</span>
              <span className="measurement-task-text">{task.text[language]}</span>
              {' · '}
              <Link to={`/citizens/${task.citizen.id}`}>{task.citizen.name}</Link>
              {task.kind === 'measurement_due' && task.dueDate && (
                <span className={task.overdue ? 'myday-due myday-due-over' : 'myday-due'}>
                  {task.overdue ? t('progression.overdueSince', { date: formatIsoDate(language, task.windowEnd ?? task.dueDate) }) : t('progression.dueOn', { date: formatIsoDate(language, task.dueDate) })}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {sorted.length > SHOWN && (
        <button type="button" className="button button-tertiary button-small" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? t('progression.showFewer') : t('progression.showAll', { n: sorted.length })}
        </button>
      )}
      {tasks.more > 0 && <p className="list-count">{t('progression.moreTasks', { n: tasks.more })}</p>}
    </Section>
  );
}
