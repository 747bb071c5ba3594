// The plan the citizen can take home, in plain Danish (or English by the switch): the goals, the tasks and
// who does them, the team and the outside people the citizen accepted — never minutes, notes, scores, alerts
// or information from psychiatry. Marked "Fortroligt" with the date and the plan's version; printed with the
// browser's print (the print stylesheet hides the application around it).
import { Link, useParams } from 'react-router';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatIsoDate, todayInCopenhagen } from '../../i18n/format.ts';
import { roleLabel } from '../../i18n/labels.ts';
import { Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { currentEnrolment, useCitizen } from '../citizens/citizenApi.ts';
import { usePlan } from './planApi.ts';
import { ownerText } from './PlanPanel.tsx';

export function PlanPrintPage() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const citizen = useCitizen(id);
  const plan = usePlan(id);
  if (citizen.isPending || plan.isPending) return <Loading />;
  if (citizen.isError) return <QueryError error={citizen.error} />;
  if (plan.isError) return <QueryError error={plan.error} />;
  const c = citizen.data;
  const p = plan.data;
  const name = `${c.firstName} ${c.lastName}`;
  const enrolment = currentEnrolment(c);
  const team = enrolment?.team ?? [];
  const active = p.goals.filter((g) => g.status === 'active' || g.status === 'achieved');
  const tasks = p.tasks.filter((x) => x.status === 'open' && !x.minPlanOffer);
  // Staff who own a task but are not on the team are named too, so the citizen knows who does what.
  const teamIds = new Set(team.map((m) => m.user.id));
  const otherStaff = [...new Map(tasks.flatMap((x) => (x.owner.user && !teamIds.has(x.owner.user.id) ? [[x.owner.user.id, x.owner.user.name] as const] : []))).entries()];
  return (
    <article className="plan-print">
      <div className="print-tools no-print">
        <Link to={`/citizens/${id}`} className="button button-secondary">
          {t('plan.printBack')}
        </Link>
        <button type="button" className="button button-primary" onClick={() => window.print()}>
          {t('plan.printNow')}
        </button>
      </div>
      <p className="print-confidential">
        <strong>{t('plan.printConfidential')}</strong> · {t('plan.printDate', { date: formatIsoDate(language, todayInCopenhagen()) })} · {t('plan.printVersion', { revision: p.revision })}
      </p>
      <PageHeading title={t('plan.printTitle', { name })}>{t('plan.printTitle', { name })}</PageHeading>
      {p.programme && <p>{t('plan.printProgramme', { programme: p.programme.name })}</p>}

      <h2 className="h3">{t('plan.printGoal')}</h2>
      <p>{p.goal.text ? `${p.goal.text}${p.goal.targetDate ? ` (${t('plan.by', { date: formatIsoDate(language, p.goal.targetDate) })})` : ''}` : t('plan.printNoGoal')}</p>

      <h2 className="h3">{t('plan.printGoals')}</h2>
      {active.length === 0 ? (
        <p>{t('plan.noGoals')}</p>
      ) : (
        <ul>
          {active.map((g) => (
            <li key={g.id}>
              <strong>{t(`lifeArea.${g.lifeArea}`)}:</strong> {g.text}
              {g.targetDate && <> – {t('plan.by', { date: formatIsoDate(language, g.targetDate) })}</>}
              {g.status === 'achieved' && <> ({t('goalStatus.achieved').toLocaleLowerCase(language)})</>}
            </li>
          ))}
        </ul>
      )}

      <h2 className="h3">{t('plan.printTasks')}</h2>
      {tasks.length === 0 ? (
        <p>{t('plan.noOpenTasks')}</p>
      ) : (
        <table className="table table--compact print-table">
          <thead>
            <tr>
              <th scope="col">{t('plan.printTask')}</th>
              <th scope="col">{t('plan.printWho')}</th>
              <th scope="col">{t('plan.printWhen')}</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((x) => (
              <tr key={x.id}>
                <td>{x.title}</td>
                <td>{x.owner.kind === 'citizen' ? t('plan.printYou') : ownerText(t, x)}</td>
                <td>{x.dueDate ? formatIsoDate(language, x.dueDate) : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 className="h3">{t('plan.printPeople')}</h2>
      <ul>
        {team.map((m) => (
          <li key={m.id}>
            {m.user.name} – {roleLabel(t, m.role)}
          </li>
        ))}
        {otherStaff.map(([staffId, staffName]) => (
          <li key={staffId}>{staffName}</li>
        ))}
        {p.participants.map((x) => (
          <li key={x.id}>
            {x.name} – {x.role}
          </li>
        ))}
      </ul>
      {p.coordinator && <p>{t('plan.printCoordinator', { name: p.coordinator.name })}</p>}
      {p.nextFollowUp && <p>{t('plan.printFollowUp', { date: formatIsoDate(language, p.nextFollowUp) })}</p>}
    </article>
  );
}
