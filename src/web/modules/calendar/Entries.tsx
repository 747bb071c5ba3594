// One calendar entry as a list item: time, what, who (a link to the citizen where the caller has access,
// otherwise "Aftale"), where (a category only) and a status when it is not simply planned.
import { Link } from 'react-router';
import { useI18n, type Language } from '../../i18n/i18n.tsx';
import type { CalendarEntry } from './calendarApi.ts';

const time = (language: Language, iso: string) =>
  new Intl.DateTimeFormat(language === 'da' ? 'da-DK' : 'en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Copenhagen' }).format(new Date(iso));

export function EntryTime({ entry }: { entry: CalendarEntry }) {
  const { t, language } = useI18n();
  if (!entry.startsAt) return <>{t('calendar.allDay')}</>;
  return (
    <>
      <time dateTime={entry.startsAt}>{time(language, entry.startsAt)}</time>
      {entry.endsAt && (
        <>
          –<time dateTime={entry.endsAt}>{time(language, entry.endsAt)}</time>
        </>
      )}
    </>
  );
}

export function EntryItem({ entry }: { entry: CalendarEntry }) {
  const { t } = useI18n();
  const cancelled = entry.status === 'cancelled';
  return (
    <li className={`cal-entry cal-entry-${entry.kind}${cancelled ? ' cal-entry-cancelled' : ''}`}>
      <span className="cal-entry-time">
        <EntryTime entry={entry} />
      </span>
      <span className="cal-entry-what">
        {t(`calendar.kind.${entry.kind}`)}
        {entry.courseTitle ? `: ${entry.courseTitle}` : ''}
      </span>
      <span className="cal-entry-who">
        {entry.citizen ? <Link to={`/citizens/${entry.citizen.id}`}>{entry.citizen.name}</Link> : entry.kind === 'group_session' ? null : t('calendar.appointment')}
      </span>
      {(entry.place || entry.status !== 'planned') && (
        <span className="cal-entry-meta">
          {entry.place && t(`calendar.place.${entry.place}`)}
          {entry.status !== 'planned' && <span className="status-tag cal-status">{t(`calendar.status.${entry.status}`)}</span>}
        </span>
      )}
    </li>
  );
}
