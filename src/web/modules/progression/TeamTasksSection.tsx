// "Opgaver fra målinger" on Min dag: the internal tasks of the citizens on whose team the user is (alerts
// first, then measurements due or overdue), each linking to the citizen's page where it is handled.
import { Link } from 'react-router';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatIsoDate } from '../../i18n/format.ts';
import { Section } from '../citizens/Section.tsx';
import type { StaffTask } from './progressionApi.ts';
import './progression.css';

export function TeamTasksSection({ tasks }: { tasks: { items: StaffTask[]; more: number } }) {
  const { t, language } = useI18n();
  const sorted = [...tasks.items].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'alert' ? -1 : 1));
  return (
    <Section id="myday-measurements" title={t('progression.teamTasks')}>
      {sorted.length === 0 ? (
        <p className="empty-state">{t('progression.noTeamTasks')}</p>
      ) : (
        <ul className="plain-list myday-list no-max-width" aria-label={t('progression.teamTasks')}>
          {sorted.map((task) => (
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
      {tasks.more > 0 && <p className="list-count">{t('progression.moreTasks', { n: tasks.more })}</p>}
    </Section>
  );
}
