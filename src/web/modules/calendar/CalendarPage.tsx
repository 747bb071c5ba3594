// "Kalender": the week (Monday–Sunday) of the caller's appointments, with previous/next week and "I dag";
// seven columns on a wide screen, a list of days on a narrow one. Below: the personal calendar feed.
import { useSearchParams } from 'react-router';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatIsoDate, todayInCopenhagen } from '../../i18n/format.ts';
import { Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { addDays, isIsoDate, isoWeek, mondayOf, useCalendar, type CalendarEntry } from './calendarApi.ts';
import { EntryItem } from './Entries.tsx';
import { FeedSection } from './FeedSection.tsx';
import './calendar.css';

export function CalendarPage() {
  const { t, language } = useI18n();
  const [params, setParams] = useSearchParams();
  const today = todayInCopenhagen();
  const asked = params.get('week');
  const monday = mondayOf(isIsoDate(asked) ? asked : today);
  const sunday = addDays(monday, 6);
  const calendar = useCalendar(monday, sunday);
  const go = (week: string) => setParams(week === mondayOf(today) ? {} : { week }, { replace: false });
  const title = t('calendar.title');
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const weekday = (iso: string) => new Intl.DateTimeFormat(language === 'da' ? 'da-DK' : 'en-GB', { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
  const byDay = new Map<string, CalendarEntry[]>();
  for (const e of calendar.data?.items ?? []) byDay.set(e.date, [...(byDay.get(e.date) ?? []), e]);

  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      <p className="page-intro">{t('calendar.intro')}</p>
      <div className="cal-toolbar">
        <h2 className="cal-week-title" id="cal-week-title" aria-live="polite">
          {t('calendar.weekOf', { week: isoWeek(monday), from: formatIsoDate(language, monday), to: formatIsoDate(language, sunday) })}
        </h2>
        <nav className="cal-week-nav" aria-label={t('calendar.weekNavigation')}>
          <button type="button" className="button button-secondary button-small" onClick={() => go(addDays(monday, -7))}>
            {t('calendar.previousWeek')}
          </button>
          <button type="button" className="button button-secondary button-small" onClick={() => go(mondayOf(today))} aria-pressed={monday === mondayOf(today)}>
            {t('calendar.today')}
          </button>
          <button type="button" className="button button-secondary button-small" onClick={() => go(addDays(monday, 7))}>
            {t('calendar.nextWeek')}
          </button>
        </nav>
      </div>
      {calendar.isPending && <Loading />}
      {calendar.isError && <QueryError error={calendar.error} />}
      {calendar.data && (
        <>
          {calendar.data.truncated && <p className="alert alert-warning">{t('calendar.truncated')}</p>}
          <ol className="cal-week no-max-width" aria-labelledby="cal-week-title">
            {days.map((day) => {
              const entries = byDay.get(day) ?? [];
              return (
                <li key={day} className={`cal-day${day === today ? ' cal-day-today' : ''}`} aria-current={day === today ? 'date' : undefined}>
                  <h3 className="cal-day-heading">
                    <span className="cal-day-name">{weekday(day)}</span> <span className="cal-day-date">{formatIsoDate(language, day)}</span>
                    {day === today && <span className="cal-today-mark"> · {t('calendar.today')}</span>}
                  </h3>
                  {entries.length === 0 ? (
                    <p className="cal-empty">{t('calendar.noEntries')}</p>
                  ) : (
                    <ul className="cal-entries no-max-width">
                      {entries.map((e) => (
                        <EntryItem key={`${e.kind}-${e.id}`} entry={e} />
                      ))}
                    </ul>
                  )}
                </li>
              );
            })}
          </ol>
        </>
      )}
      <FeedSection />
    </>
  );
}
