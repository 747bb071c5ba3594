// Timeline sentences for internship and upskilling events (the data holds what the sentence needs).
import type { Language, MessageKey, Vars } from '../../i18n/i18n.tsx';
import { formatIsoDate, formatNumber } from '../../i18n/format.ts';
import type { TimelineItem } from '../citizens/citizenApi.ts';

type T = (key: MessageKey, vars?: Vars) => string;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const OUTCOMES = ['hired', 'extended', 'ended_as_planned', 'ended_early'] as const;
const PURPOSES = ['gradual_return', 'trial_before_hiring', 'other'] as const;
const KINDS = ['course', 'certificate', 'education'] as const;
const STATUSES = ['planned', 'ongoing', 'completed', 'dropped'] as const;
const oneOf = <K extends string>(list: readonly K[], v: unknown): K | null => (list.includes(v as K) ? (v as K) : null);

/** The sentence for an internship or upskilling event, or null for other kinds. */
export function describeActivityEvent(t: T, language: Language, item: TimelineItem, actor: string): string | null {
  const d = item.data;
  const date = (v: unknown) => (str(v) ? formatIsoDate(language, str(v)) : '');
  const company = str(d.company);
  switch (item.kind) {
    case 'internship.created': {
      const purpose = oneOf(PURPOSES, d.purpose);
      return t('timeline.text.internshipCreated', { actor, company, from: date(d.fromDate), to: date(d.toDate), purpose: purpose ? t(`internship.purpose.${purpose}`) : '' });
    }
    case 'internship.hours':
      return t('timeline.text.internshipHours', { actor, company, week: date(d.weekStart), hours: typeof d.hours === 'number' ? formatNumber(language, d.hours) : '' });
    case 'internship.follow_up':
      return t('timeline.text.internshipFollowUp', { actor, company, date: date(d.heldOn) });
    case 'internship.ended': {
      const outcome = oneOf(OUTCOMES, d.outcome);
      return t('timeline.text.internshipEnded', { actor, company, outcome: outcome ? t(`internship.outcome.${outcome}`) : '' });
    }
    case 'upskilling.created': {
      const kind = oneOf(KINDS, d.upskillingKind);
      return t('timeline.text.upskillingCreated', { actor, title: str(d.title), provider: str(d.provider), kind: kind ? t(`upskilling.kind.${kind}`) : '' });
    }
    case 'upskilling.changed': {
      const status = oneOf(STATUSES, d.status);
      return t('timeline.text.upskillingChanged', { actor, title: str(d.title), status: status ? t(`upskilling.status.${status}`) : '' });
    }
    default:
      return null;
  }
}
