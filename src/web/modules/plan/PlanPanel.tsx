// The plan beside the citizen page's header: the overall goal, the goals per life area with status, the tasks
// with owner and due date, the offers and whether they are registered in Min Plan, the coordinator and the
// next follow-up; its history (who, when, in which meeting) on request, and the printable plan.
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { ErrorAlert, errorMessageKey } from '../../app/feedback.tsx';
import { citizenKey } from '../citizens/citizenApi.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { formatDateTime, formatIsoDate, todayInCopenhagen } from '../../i18n/format.ts';
import { Loading, QueryError } from '../../app/feedback.tsx';
import { usePlan, usePlanHistory, type PlanData, type PlanTask } from './planApi.ts';

export function PlanPanel({ citizenId }: { citizenId: string }) {
  const { t } = useI18n();
  const plan = usePlan(citizenId);
  return (
    <section className="plan-panel" aria-labelledby="plan-heading">
      <div className="section-head">
        <h2 id="plan-heading" className="h3">
          {t('plan.title')}
        </h2>
        {plan.data?.planId && (
          <Link className="button button-tertiary button-small" to={`/citizens/${citizenId}/plan/print`}>
            {t('plan.print')}
          </Link>
        )}
      </div>
      {plan.isPending && <Loading />}
      {plan.isError && <QueryError error={plan.error} />}
      {plan.data && <PlanBody plan={plan.data} citizenId={citizenId} />}
    </section>
  );
}

export function ownerText(t: (key: MessageKey, vars?: Record<string, string | number>) => string, task: PlanTask): string {
  if (task.owner.kind === 'citizen') return t('plan.owner.citizen');
  if (task.owner.kind === 'staff') return task.owner.user?.name ?? t('plan.owner.staff');
  return task.owner.participant ? `${task.owner.participant.name} (${task.owner.participant.role})` : t('plan.owner.outside');
}

function PlanBody({ plan, citizenId }: { plan: PlanData; citizenId: string }) {
  const { t, language } = useI18n();
  const [showHistory, setShowHistory] = useState(false);
  const today = todayInCopenhagen();
  const client = useQueryClient();
  const markDone = useMutation({
    mutationFn: (task: PlanTask) => api.patch(`/api/citizens/${citizenId}/plan`, { enrolmentId: plan.enrolmentId, version: plan.version, tasks: { change: [{ id: task.id, version: task.version, status: 'done' }] } }),
    onSuccess: () => client.invalidateQueries({ queryKey: citizenKey(citizenId) }),
  });
  if (!plan.enrolmentId) return <p className="empty-state">{t('plan.noEnrolment')}</p>;
  if (!plan.planId) return <p className="empty-state">{t('plan.empty')}</p>;
  const openTasks = plan.tasks.filter((x) => x.status === 'open');
  const closedTasks = plan.tasks.filter((x) => x.status !== 'open');
  return (
    <>
      <dl className="detail-list plan-facts">
        <div>
          <dt>{t('plan.overallGoal')}</dt>
          <dd>
            {plan.goal.text ? (
              <>
                {plan.goal.kind && <span className="plan-goal-kind">{t(`plan.goalKind.${plan.goal.kind}`)}: </span>}
                {plan.goal.text}
                {plan.goal.targetDate && <> ({t('plan.by', { date: formatIsoDate(language, plan.goal.targetDate) })})</>}
              </>
            ) : (
              <span className="muted">{t('citizen.notGiven')}</span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('plan.coordinator')}</dt>
          <dd>{plan.coordinator?.name ?? <span className="muted">{t('citizen.notGiven')}</span>}</dd>
        </div>
        <div>
          <dt>{t('plan.nextFollowUp')}</dt>
          <dd>{plan.nextFollowUp ? formatIsoDate(language, plan.nextFollowUp) : <span className="muted">{t('citizen.notGiven')}</span>}</dd>
        </div>
      </dl>

      <h3 className="h5">{t('plan.goals')}</h3>
      {plan.goals.length === 0 ? (
        <p className="muted">{t('plan.noGoals')}</p>
      ) : (
        <ul className="plain-list plan-goals">
          {plan.goals.map((g) => (
            <li key={g.id} className={`plan-goal plan-goal-${g.status}`}>
              <span className="plan-area">{t(`lifeArea.${g.lifeArea}`)}</span> {g.text}{' '}
              <span className={`tag-status tag-goal-${g.status}`}>{t(`goalStatus.${g.status}`)}</span>
              {g.targetDate && <span className="plan-date"> · {t('plan.by', { date: formatIsoDate(language, g.targetDate) })}</span>}
            </li>
          ))}
        </ul>
      )}

      <h3 className="h5">{t('plan.tasks')}</h3>
      {openTasks.length === 0 ? (
        <p className="muted">{t('plan.noOpenTasks')}</p>
      ) : (
        <ul className="plain-list plan-tasks">
          {openTasks.map((x) => (
            <li key={x.id} className={x.dueDate && x.dueDate < today ? 'plan-task plan-task-overdue' : 'plan-task'}>
              <span className="plan-task-title">{x.minPlanOffer ? t('plan.minPlanTask', { title: x.title }) : x.title}</span>
              <span className="plan-task-meta">
                {' '}
                – {ownerText(t, x)}
                {x.dueDate && <> · {t('plan.due', { date: formatIsoDate(language, x.dueDate) })}</>}
                {x.dueDate && x.dueDate < today && <strong className="plan-overdue"> · {t('plan.overdue')}</strong>}
              </span>{' '}
              {plan.enrolmentStatus !== 'ended' && !x.minPlanOffer && (
                <button type="button" className="button button-tertiary button-small" aria-label={t('plan.markDone', { title: x.title })} disabled={markDone.isPending} onClick={() => markDone.mutate(x)}>
                  {t('plan.markDoneShort')}
                </button>
              )}
              <TaskComments task={x} />
            </li>
          ))}
        </ul>
      )}
      {markDone.isError && <ErrorAlert message={t(errorMessageKey(markDone.error))} />}
      {closedTasks.length > 0 && (
        <details className="plan-closed">
          <summary>{t('plan.closedTasks', { count: closedTasks.length })}</summary>
          <ul className="plain-list">
            {closedTasks.map((x) => (
              <li key={x.id}>
                {x.minPlanOffer ? t('plan.minPlanTask', { title: x.title }) : x.title} – {t(`taskStatus.${x.status}`)}
                {x.completedByCitizen && ` (${t('plan.doneByCitizen')})`}
                <TaskComments task={x} />
              </li>
            ))}
          </ul>
        </details>
      )}

      {plan.meetings.some((m) => m.status === 'planned') && (
        <>
          <h3 className="h5">{t('plan.nextMeetings')}</h3>
          <ul className="plain-list plan-meetings">
            {plan.meetings
              .filter((m) => m.status === 'planned')
              .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
              .map((m) => (
                <li key={m.id}>
                  {t('plan.meetingAt', { time: formatDateTime(language, m.startsAt), place: t(`meetingPlace.${m.place}`) })}
                </li>
              ))}
          </ul>
        </>
      )}

      {plan.offers.length > 0 && (
        <>
          <h3 className="h5">{t('plan.offers')}</h3>
          <ul className="plain-list plan-offers">
            {plan.offers.map((o) => (
              <li key={`${o.kind}-${o.id}`}>
                {t(`offerKind.${o.kind}`)}: {o.title} – {t('plan.minPlan')}: <strong>{t(`minPlan.${o.minPlan}`)}</strong>
              </li>
            ))}
          </ul>
        </>
      )}

      <p className="plan-revision muted">
        {t('plan.revisionLine', { revision: plan.revision, time: plan.updatedAt ? formatDateTime(language, plan.updatedAt) : '–' })}{' '}
        <button type="button" className="button button-tertiary button-small" aria-expanded={showHistory} onClick={() => setShowHistory(!showHistory)}>
          {showHistory ? t('plan.hideHistory') : t('plan.showHistory')}
        </button>
      </p>
      {showHistory && <PlanHistoryList citizenId={citizenId} />}
    </>
  );
}

function PlanHistoryList({ citizenId }: { citizenId: string }) {
  const { t, language } = useI18n();
  const history = usePlanHistory(citizenId, true);
  const items = history.data?.pages.flatMap((p) => p.items) ?? [];
  if (history.isPending) return <Loading />;
  if (history.isError) return <QueryError error={history.error} />;
  return (
    <>
      <ol className="plain-list plan-history" aria-label={t('plan.historyTitle')}>
        {items.map((r) => {
          const s = r.summary as Record<string, unknown>;
          const n = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : 0);
          const parts: string[] = [];
          if (n('goalsAdded')) parts.push(t('plan.history.goalsAdded', { count: n('goalsAdded') }));
          if (n('goalsChanged')) parts.push(t('plan.history.goalsChanged', { count: n('goalsChanged') }));
          if (n('tasksAdded')) parts.push(t('plan.history.tasksAdded', { count: n('tasksAdded') }));
          if (n('tasksChanged')) parts.push(t('plan.history.tasksChanged', { count: n('tasksChanged') }));
          if (n('participantsAdded')) parts.push(t('plan.history.participantsAdded', { count: n('participantsAdded') }));
          if (s.overallGoal) parts.push(t('plan.history.overallGoal'));
          if (s.coordinator) parts.push(t('plan.history.coordinator'));
          if (s.nextFollowUp !== undefined) parts.push(t('plan.history.followUp'));
          if (s.minPlanReminder === 'opened') parts.push(t('plan.history.minPlanOpened'));
          if (s.minPlanReminder === 'registered' || s.minPlanReminder === 'not_relevant') parts.push(t('plan.history.minPlanClosed'));
          if (s.minPlanReminder === 'offer_ended') parts.push(t('courses.planHistory.minPlanEnded'));
          return (
            <li key={r.revision}>
              <strong>{t('plan.history.revision', { revision: r.revision })}</strong> · {formatDateTime(language, r.changedAt)} · {r.changedBy.name}
              {r.meeting && <> · {t('plan.history.inMeeting', { date: formatDateTime(language, r.meeting.startsAt) })}</>}
              {parts.length > 0 && <div className="muted">{parts.join(', ')}</div>}
            </li>
          );
        })}
      </ol>
      {history.hasNextPage && (
        <button type="button" className="button button-secondary load-more" onClick={() => void history.fetchNextPage()} disabled={history.isFetchingNextPage}>
          {t('common.showMore')}
        </button>
      )}
    </>
  );
}

/** The comments on a task: the citizen's from Min plan, or staff's. */
function TaskComments({ task }: { task: PlanTask }) {
  const { t, language } = useI18n();
  if (task.comments.length === 0) return null;
  return (
    <ul className="plain-list plan-task-comments" aria-label={t('plan.taskComments', { title: task.title })}>
      {task.comments.map((c) => (
        <li key={c.id}>
          <span className="muted">
            {c.author === 'citizen' ? t('plan.commentByCitizen') : t('plan.commentByStaff', { name: c.authorName ?? '' })} · {formatDateTime(language, c.createdAt)}:
          </span>{' '}
          {c.text}
        </li>
      ))}
    </ul>
  );
}
