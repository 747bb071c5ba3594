// Min plan: the citizen's goal, steps and tasks; a tick on their own tasks and a comment on any task; the
// coordinator and the team by role with how to reach them. Mobile first (one column), plain Danish with "du".
import { useId, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PortalPlan } from '../../../contracts/portal.ts';
import { ErrorAlert, Loading, PageHeading, QueryError, StatusNote } from '../../app/feedback.tsx';
import { TextArea } from '../../app/fields.tsx';
import { formatDateTime, formatIsoDate } from '../../i18n/format.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { PORTAL_PLAN_KEY, planApi, usePortalPlan } from './planApi.ts';
import type { PortalSectionProps } from './sections.tsx';

type OnePlan = PortalPlan['plans'][number];
type Task = OnePlan['tasks'][number];

/** As MAX_TASK_COMMENT in src/contracts/portal-plan.ts (not imported: the contracts bring zod, whose eval probe breaks the CSP). */
const MAX_TASK_COMMENT = 1000;
const LIFE_AREAS = ['work', 'education', 'health', 'everyday_life', 'finances', 'network', 'housing'] as const;
const GOAL_STATUSES = ['active', 'achieved', 'changed', 'dropped'] as const;
const TEAM_ROLES = ['resource_consultant', 'caseworker', 'job_consultant', 'liaison', 'programme_manager'] as const;

/** A staff role as the citizen reads it; unknown or missing: "Medarbejder". */
export function useRoleLabel() {
  const { t } = useI18n();
  return (role: string | null) => {
    const known = TEAM_ROLES.find((r) => r === role);
    return known ? t(`role.${known}` as MessageKey) : t('portal.plan.noRole');
  };
}

export function PlanPage({ csrf }: PortalSectionProps) {
  const { t } = useI18n();
  const plan = usePortalPlan();
  const plans = plan.data?.plans ?? [];
  return (
    <div className="portal-box portal-plan">
      <PageHeading title={t('portal.plan.nav')}>{t('portal.plan.nav')}</PageHeading>
      <p>{t('portal.plan.intro')}</p>
      {plan.isPending && <Loading />}
      {plan.isError && <QueryError error={plan.error} />}
      {plan.data && plans.length === 0 && <p>{t('portal.plan.none')}</p>}
      {plans.map((p, i) => (
        <OnePlanView key={i} plan={p} index={i} csrf={csrf} many={plans.length > 1} />
      ))}
      {plans.length > 0 && (
        <p className="no-print portal-plan-print">
          <button type="button" className="button button-secondary" onClick={printPlan}>
            {t('portal.plan.print')}
          </button>
          <span className="form-hint">{t('portal.plan.printHint')}</span>
        </p>
      )}
    </div>
  );
}

/** The browser's print (or "save as PDF") of the plan, with the done tasks unfolded and without the buttons. */
function printPlan() {
  for (const folded of document.querySelectorAll<HTMLDetailsElement>('details.portal-done-tasks')) folded.open = true;
  window.print();
}

function OnePlanView({ plan, index, csrf, many }: { plan: OnePlan; index: number; csrf: string; many: boolean }) {
  const { t, language } = useI18n();
  const roleLabel = useRoleLabel();
  const h = many ? 'h3' : 'h2';
  const H = h;
  const id = (part: string) => `portal-plan-${index}-${part}`;
  const lifeArea = (area: string) => {
    const known = LIFE_AREAS.find((a) => a === area);
    return known ? t(`lifeArea.${known}`) : area;
  };
  const goalStatus = (status: string) => {
    const known = GOAL_STATUSES.find((s) => s === status);
    return known ? t(`goalStatus.${known}`) : status;
  };
  // Tasks done before this visit fold away under a summary (a long plan is long on a phone); a task the citizen
  // marks done now stays where it is, with its message, until the page is opened again.
  const [doneHere, setDoneHere] = useState<ReadonlySet<string>>(() => new Set());
  const markedHere = (taskId: string) => setDoneHere((s) => new Set(s).add(taskId));
  const current = plan.tasks.filter((task) => task.status !== 'done' || doneHere.has(task.id));
  const earlier = plan.tasks.filter((task) => task.status === 'done' && !doneHere.has(task.id));
  return (
    <article className="portal-plan-one" aria-labelledby={many ? id('from') : undefined}>
      {many && (
        <h2 id={id('from')} className="h3">
          {t('portal.plan.from', { organisation: plan.organisation })}
        </h2>
      )}
      {!plan.open && <StatusNote kind="info" message={t('portal.plan.closed')} />}

      <section className="portal-card" aria-labelledby={id('goal')}>
        <H id={id('goal')} className="h3">
          {t('portal.plan.goal')}
        </H>
        {plan.goal.kind || plan.goal.text ? (
          <>
            {plan.goal.kind && <p className="portal-card-value">{t(`portal.plan.goalKind.${plan.goal.kind}`)}</p>}
            {plan.goal.text && <p>{plan.goal.text}</p>}
            {plan.goal.targetDate && <p>{t('portal.plan.goalBy', { date: formatIsoDate(language, plan.goal.targetDate) })}</p>}
          </>
        ) : (
          <p>{t('portal.plan.goalNone')}</p>
        )}
      </section>

      <section aria-labelledby={id('goals')}>
        <H id={id('goals')} className="h3">
          {t('portal.plan.goals')}
        </H>
        {plan.goals.length === 0 ? (
          <p>{t('portal.plan.goalsNone')}</p>
        ) : (
          <ul className="portal-list">
            {plan.goals.map((g, i) => (
              <li key={i} className="portal-card">
                <p className="portal-item-title">{g.text}</p>
                <p className="portal-item-meta">
                  {lifeArea(g.lifeArea)} · {t('portal.plan.goalStatus', { status: goalStatus(g.status) })}
                  {g.targetDate ? ` · ${t('portal.plan.goalBy', { date: formatIsoDate(language, g.targetDate) })}` : ''}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby={id('tasks')}>
        <H id={id('tasks')} className="h3">
          {t('portal.plan.tasks')}
        </H>
        {plan.tasks.length === 0 ? (
          <p>{t('portal.plan.tasksNone')}</p>
        ) : (
          <>
            {current.length > 0 && (
              <ul className="portal-list">
                {current.map((task) => (
                  <TaskCard key={task.id} task={task} csrf={csrf} canChange={plan.open} onDone={markedHere} />
                ))}
              </ul>
            )}
            {earlier.length > 0 && (
              <details className="portal-done-tasks">
                <summary>{t('portal.plan.tasksDone', { count: earlier.length })}</summary>
                <ul className="portal-list">
                  {earlier.map((task) => (
                    <TaskCard key={task.id} task={task} csrf={csrf} canChange={plan.open} onDone={markedHere} />
                  ))}
                </ul>
              </details>
            )}
          </>
        )}
      </section>

      <section aria-labelledby={id('contacts')}>
        <H id={id('contacts')} className="h3">
          {t('portal.plan.contacts')}
        </H>
        {plan.coordinator && (
          <div className="portal-card">
            <p className="portal-item-meta">{t('portal.plan.coordinator')}</p>
            <Person name={plan.coordinator.name} role={roleLabel(plan.coordinator.role)} email={plan.coordinator.email} />
          </div>
        )}
        <p className="portal-subheading">{t('portal.plan.team')}</p>
        {plan.team.length === 0 ? (
          <p>{t('portal.plan.teamNone')}</p>
        ) : (
          <ul className="portal-list">
            {plan.team.map((m, i) => (
              <li key={i} className="portal-card">
                <Person name={m.name} role={roleLabel(m.role)} email={m.email} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}

function Person({ name, role, email }: { name: string; role: string; email: string | null }) {
  const { t } = useI18n();
  return (
    <>
      <p className="portal-item-title">
        {name} <span className="portal-item-meta">({role})</span>
      </p>
      <p>{email ? <a href={`mailto:${email}`}>{t('portal.plan.writeTo', { name })}</a> : t('portal.plan.noEmail', { name })}</p>
    </>
  );
}

function TaskCard({ task, csrf, canChange, onDone }: { task: Task; csrf: string; canChange: boolean; onDone: (id: string) => void }) {
  const { t, language } = useI18n();
  const client = useQueryClient();
  const [note, setNote] = useState<MessageKey | null>(null);
  const done = useMutation({
    mutationFn: () => planApi.markDone(csrf, task.id),
    onSuccess: async () => {
      onDone(task.id);
      setNote('portal.plan.marked');
      await client.invalidateQueries({ queryKey: PORTAL_PLAN_KEY });
    },
  });
  const owner =
    task.ownerKind === 'citizen'
      ? t('portal.plan.owner.citizen')
      : task.ownerKind === 'staff'
        ? task.ownerName
          ? t('portal.plan.owner.staff', { name: task.ownerName })
          : t('portal.plan.owner.staffNoName')
        : t('portal.plan.owner.outside', { name: task.ownerName ?? '' });
  const isDone = task.status === 'done';
  return (
    <li className={isDone ? 'portal-card portal-task portal-task-done' : 'portal-card portal-task'} data-task-id={task.id}>
      <p className="portal-item-title">{task.title}</p>
      <p className="portal-item-meta">
        {owner}
        {task.dueDate ? ` · ${t('portal.plan.due', { date: formatIsoDate(language, task.dueDate) })}` : ''}
      </p>
      <p className="portal-task-status">
        <strong>{isDone ? `✓ ${t('portal.plan.status.done')}` : t('portal.plan.status.open')}</strong>
        {isDone && task.doneByMe ? ` ${t('portal.plan.doneByMe')}` : ''}
      </p>
      {note && <StatusNote kind="success" message={t(note)} />}
      {done.isError && <ErrorAlert message={t('portal.plan.markFailed')} />}
      {task.ownerKind === 'citizen' && !isDone && canChange && (
        <button type="button" className="button button-primary" disabled={done.isPending} onClick={() => done.mutate()}>
          {done.isPending ? t('portal.plan.marking') : t('portal.plan.markDone')}
        </button>
      )}
      {task.comments.length > 0 && (
        <div className="portal-comments">
          <p className="portal-subheading">{t('portal.plan.comments')}</p>
          <ul className="portal-list">
            {task.comments.map((c) => (
              <li key={c.id} className="portal-comment">
                <p className="portal-item-meta">
                  {c.author === 'me' ? t('portal.plan.commentByMe') : c.authorName ? t('portal.plan.commentByStaff', { name: c.authorName }) : t('portal.plan.commentByStaffNoName')} ·{' '}
                  {formatDateTime(language, c.createdAt)}
                </p>
                <p className="portal-comment-text">{c.text}</p>
              </li>
            ))}
          </ul>
        </div>
      )}
      {canChange && <CommentForm task={task} csrf={csrf} />}
    </li>
  );
}

function CommentForm({ task, csrf }: { task: Task; csrf: string }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const base = useId();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<MessageKey | null>(null);
  const [sent, setSent] = useState(false);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const openButtonRef = useRef<HTMLButtonElement>(null);
  const send = useMutation({
    mutationFn: (value: string) => planApi.comment(csrf, task.id, value),
    onSuccess: async () => {
      setText('');
      setOpen(false);
      setSent(true);
      await client.invalidateQueries({ queryKey: PORTAL_PLAN_KEY });
      openButtonRef.current?.focus();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = text.trim();
    const issue: MessageKey | null = value.length === 0 ? 'portal.plan.commentMissing' : value.length > MAX_TASK_COMMENT ? 'portal.plan.commentTooLong' : null;
    setProblem(issue);
    if (issue) {
      textRef.current?.focus();
      return;
    }
    send.mutate(value);
  };
  const fieldId = `${base}-comment`;
  if (!open) {
    return (
      <>
        {sent && <StatusNote kind="success" message={t('portal.plan.commentSent')} />}
        <button
          ref={openButtonRef}
          type="button"
          className="button button-secondary portal-comment-open"
          onClick={() => {
            setOpen(true);
            setSent(false);
            setTimeout(() => textRef.current?.focus(), 0);
          }}
        >
          {t('portal.plan.writeComment')}
        </button>
      </>
    );
  }
  return (
    <form className="portal-comment-form" onSubmit={submit} noValidate>
      <TextArea
        id={fieldId}
        label={t('portal.plan.commentLabel', { title: task.title })}
        hint={t('portal.plan.commentHint', { max: MAX_TASK_COMMENT })}
        error={problem ? t(problem) : undefined}
        rows={4}
        maxLength={MAX_TASK_COMMENT}
        value={text}
        onChange={setText}
        inputRef={textRef}
      />
      {send.isError && <ErrorAlert message={t('portal.plan.commentFailed')} />}
      <div className="portal-actions">
        <button type="submit" className="button button-primary" disabled={send.isPending}>
          {send.isPending ? t('portal.plan.sending') : t('portal.plan.send')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            setOpen(false);
            setProblem(null);
          }}
        >
          {t('portal.plan.cancel')}
        </button>
      </div>
    </form>
  );
}
