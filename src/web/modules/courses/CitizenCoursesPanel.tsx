// The citizen page's group courses: the citizen's own attendance per session and rate, never other participants.
import { Link } from 'react-router';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime, formatPercent } from '../../i18n/format.ts';
import { QueryError } from '../../app/feedback.tsx';
import { Section } from '../citizens/Section.tsx';
import { percent, useCitizenCourses } from './courseApi.ts';

export function CitizenCoursesPanel({ citizenId }: { citizenId: string }) {
  const { t, language } = useI18n();
  const courses = useCitizenCourses(citizenId);
  if (courses.isPending || (courses.data && courses.data.items.length === 0)) return null;
  return (
    <Section id="citizen-courses-heading" title={t('courses.title')}>
      {courses.isError && <QueryError error={courses.error} />}
      <ul className="card-list">
        {courses.data?.items.map((c) => {
          const rate = percent(c.rate);
          return (
            <li key={c.id} className="card-item">
              <p>
                <Link to={`/group-courses/${c.id}`}>{c.title}</Link>
                {c.leftAt && <> ({t('courses.leftOn', { date: formatDateTime(language, c.leftAt).split(' ')[0] ?? '' })})</>}
              </p>
              <p>{t('courses.ownRate', { attended: c.attended, recorded: c.recorded, rate: rate === null ? '–' : formatPercent(language, rate) })}</p>
              <ol className="plain-list">
                {c.sessions
                  .filter((s) => s.held || s.attendance)
                  .map((s) => (
                    <li key={s.id}>
                      {t('courses.ownSession', {
                        number: s.number,
                        when: formatDateTime(language, s.startsAt),
                        status: s.attendance ? t(`courses.attendanceStatus.${s.attendance}`) : t('courses.notRecorded'),
                      })}
                    </li>
                  ))}
              </ol>
            </li>
          );
        })}
      </ul>
    </Section>
  );
}
