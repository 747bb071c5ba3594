// The citizen's timeline: every event as a readable sentence, newest first, filterable by kind, "Vis flere".
import { useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useI18n, type Language, type MessageKey, type Vars } from '../../i18n/i18n.tsx';
import { formatDateTime, formatIsoDate, formatNumber } from '../../i18n/format.ts';
import { benefitLabel, roleLabel } from '../../i18n/labels.ts';
import { Loading, QueryError } from '../../app/feedback.tsx';
import type { CitizenDetail, TimelineItem } from './citizenApi.ts';
import { Section } from './Section.tsx';
import { describeActivityEvent } from '../companies/activityTimeline.ts';
import { CONVERSATION_PLACES } from '../plan/planApi.ts';

const KINDS = ['citizen', 'enrolment', 'team', 'status', 'note', 'plan', 'meeting', 'conversation', 'course', 'internship', 'upskilling'] as const;
type Kind = (typeof KINDS)[number];
type T = (key: MessageKey, vars?: Vars) => string;
const PAGE_SIZE = 20;

export function Timeline({ citizen }: { citizen: CitizenDetail }) {
  const { t, language } = useI18n();
  const [kinds, setKinds] = useState<Kind[]>([...KINDS]);
  const all = kinds.length === KINDS.length;
  const params = (cursor?: string) => {
    const search = new URLSearchParams();
    if (!all) for (const k of kinds) search.append('kind', k);
    if (cursor) search.set('cursor', cursor);
    search.set('limit', String(PAGE_SIZE));
    return `?${search.toString()}`;
  };
  const timeline = useInfiniteQuery({
    queryKey: ['citizen', citizen.id, 'timeline', [...kinds].sort().join(',')],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => api.get<{ items: TimelineItem[]; names: Record<string, string>; nextCursor: string | null }>(`/api/citizens/${citizen.id}/timeline${params(pageParam)}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: kinds.length > 0,
  });
  const items = timeline.data?.pages.flatMap((p) => p.items) ?? [];
  // Each page names the people and programmes its events refer to; together they cover every loaded event.
  const names: Record<string, string> = Object.assign({}, ...(timeline.data?.pages.map((p) => p.names ?? {}) ?? []));

  return (
    <Section id="timeline-heading" title={t('timeline.title')}>
      <fieldset className="timeline-filter">
        <legend className="form-label">{t('timeline.filter')}</legend>
        <ul className="plain-list chip-list">
          {KINDS.map((k) => (
            <li key={k} className="form-group-checkbox">
              <input
                id={`timeline-kind-${k}`}
                type="checkbox"
                className="form-checkbox"
                checked={kinds.includes(k)}
                onChange={(e) => setKinds(e.target.checked ? [...kinds, k] : kinds.filter((x) => x !== k))}
              />
              <label htmlFor={`timeline-kind-${k}`}>{t(`timeline.kind.${k}`)}</label>
            </li>
          ))}
        </ul>
      </fieldset>
      {kinds.length === 0 && <p>{t('timeline.noKinds')}</p>}
      {kinds.length > 0 && timeline.isPending && <Loading />}
      {timeline.isError && <QueryError error={timeline.error} />}
      {timeline.isSuccess && items.length === 0 && <p className="empty-state">{t('timeline.none')}</p>}
      {items.length > 0 && (
        <ol className="event-list" aria-busy={timeline.isFetching}>
          {items.map((item) => (
            <li key={item.id} className={`event event-${item.kind.split('.')[0]}`}>
              <span className="event-time">{formatDateTime(language, item.occurredAt)}</span>
              <span className="event-kind">{t(`timeline.kind.${kindOf(item.kind)}`)}</span>
              <span className="event-text">{describe(t, language, item, citizen, names)}</span>
            </li>
          ))}
        </ol>
      )}
      {timeline.hasNextPage && (
        <button type="button" className="button button-secondary load-more" onClick={() => void timeline.fetchNextPage()} disabled={timeline.isFetchingNextPage}>
          {timeline.isFetchingNextPage ? t('common.loading') : t('common.showMore')}
        </button>
      )}
    </Section>
  );
}

function kindOf(kind: string): Kind {
  const head = kind.split('.')[0] as Kind;
  return KINDS.includes(head) ? head : 'citizen';
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const statusWord = (t: T, s: unknown) => (s === 'referred' || s === 'active' || s === 'paused' || s === 'ended' ? t(`enrolmentStatus.${s}`) : String(s ?? ''));

function describe(t: T, language: Language, item: TimelineItem, citizen: CitizenDetail, names: Record<string, string>): string {
  const actor = item.actor?.name ?? t('timeline.system');
  const d = item.data;
  const date = (v: unknown) => (str(v) ? formatIsoDate(language, str(v)!) : '');
  const known = (id: unknown) => (typeof id === 'string' ? names[id] : undefined);
  const nameOf = (id: unknown) =>
    known(id) ?? citizen.enrolments.flatMap((e) => e.team).find((m) => m.user.id === id)?.user.name ?? t('timeline.someone');
  const programmeOf = (id: unknown) => known(id) ?? citizen.enrolments.find((e) => e.programme.id === id)?.programme.name ?? t('timeline.aProgramme');
  switch (item.kind) {
    case 'citizen.created':
      return t('timeline.text.citizenCreated', { actor });
    case 'citizen.updated':
      return t('timeline.text.citizenUpdated', { actor });
    case 'enrolment.created': {
      const acknowledged = Array.isArray(d.acknowledgedWarnings) && d.acknowledgedWarnings.length > 0;
      return (
        t('timeline.text.enrolmentCreated', { actor, programme: programmeOf(d.programmeId), date: date(d.startDate), status: statusWord(t, d.status) }) +
        (acknowledged ? ` ${t('timeline.text.warningsAcknowledged')}` : '')
      );
    }
    case 'enrolment.status_changed':
      return d.to === 'ended' && str(d.endDate)
        ? t('timeline.text.enrolmentEnded', { actor, date: date(d.endDate) })
        : t('timeline.text.statusChanged', { actor, from: statusWord(t, d.from), to: statusWord(t, d.to) });
    case 'enrolment.updated':
      return t('timeline.text.enrolmentUpdated', { actor });
    case 'team.changed': {
      if (d.handover === 'permanent' || d.handover === 'substitute') {
        const vars = { actor, from: nameOf(d.from), to: nameOf(d.to), date: date(d.validFrom), until: date(d.validTo) };
        if (d.handover === 'permanent') return t('timeline.text.handoverPermanent', vars);
        return t(str(d.validTo) ? 'timeline.text.handoverSubstitute' : 'timeline.text.handoverSubstituteOpen', vars);
      }
      const added = Array.isArray(d.added) ? (d.added as { userId?: string; role?: string }[]) : [];
      const who = added.map((m) => `${nameOf(m.userId)} (${roleLabel(t, m.role ?? '')})`).join(', ');
      return t('timeline.text.teamChanged', { actor, who: who || '–' });
    }
    case 'status.added': {
      const hours = typeof d.weeklyHours === 'number' ? t('timeline.text.hours', { hours: formatNumber(language, d.weeklyHours) }) : '';
      const activity = str(d.activity) && ['ordinary_job', 'wage_subsidy', 'fleksjob', 'internship', 'education'].includes(str(d.activity)!) ? ` – ${t(`activity.${d.activity as 'ordinary_job'}`)}` : '';
      return t('timeline.text.statusAdded', { actor, benefit: benefitLabel(t, str(d.benefitCode) ?? ''), date: date(d.fromDate) }) + activity + hours;
    }
    case 'note.created': {
      const kind = d.noteKind === 'external_assessment' ? t('noteKind.external_assessment') : t('noteKind.journal');
      return t('timeline.text.noteCreated', { actor, kind }) + (d.sensitivity === 'sensitive' ? ` (${t('note.sensitiveTag').toLocaleLowerCase(language)})` : '');
    }
    case 'note.corrected':
      return t('timeline.text.noteCorrected', { actor, reason: str(d.reason) ?? '' });
    case 'note.remark_added':
      return t('timeline.text.remarkAdded', { actor });
    case 'plan.changed': {
      const revision = typeof d.revision === 'number' ? d.revision : 0;
      return d.inMeeting ? t('timeline.text.planChangedInMeeting', { revision }) : t('timeline.text.planChanged', { actor, revision });
    }
    case 'portal.task_done':
      return t('timeline.text.portalTaskDone');
    case 'portal.task_comment':
      return t('timeline.text.portalTaskComment');
    case 'meeting.held':
    case 'meeting.planned':
      return t(item.kind === 'meeting.held' ? 'timeline.text.meetingHeld' : 'timeline.text.meetingPlanned', { actor, time: str(d.startsAt) ? formatDateTime(language, str(d.startsAt)!) : '' });
    case 'conversation.held':
    case 'conversation.planned':
    case 'conversation.no_show':
    case 'conversation.cancelled': {
      const place = CONVERSATION_PLACES.find((x) => x === d.place);
      const vars = { actor, time: str(d.startsAt) ? formatDateTime(language, str(d.startsAt)!) : '', place: place ? t(`conversationPlace.${place}`) : '' };
      const key = ({ 'conversation.held': 'timeline.text.conversationHeld', 'conversation.planned': 'timeline.text.conversationPlanned', 'conversation.no_show': 'timeline.text.conversationNoShow', 'conversation.cancelled': 'timeline.text.conversationCancelled' } as const)[item.kind];
      return t(key, vars);
    }
    case 'course.joined':
      return t('courses.timeline.joined', { actor, title: str(d.courseTitle) ?? '' });
    case 'course.left':
      return t('courses.timeline.left', { actor, title: str(d.courseTitle) ?? '' });
    case 'course.attendance': {
      const status = d.status === 'attended' || d.status === 'excused' || d.status === 'absent' ? t(`courses.attendanceStatus.${d.status}`) : '';
      return t('courses.timeline.attendance', { title: str(d.courseTitle) ?? '', number: typeof d.sessionNumber === 'number' ? d.sessionNumber : '', date: date(d.sessionDate), status });
    }
    default:
      return describeActivityEvent(t, language, item, actor) ?? t('timeline.text.other', { actor });
  }
}
