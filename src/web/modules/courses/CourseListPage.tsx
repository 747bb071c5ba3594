// A programme's group courses, newest first, with participants and attendance rate; "Nyt gruppeforløb" for those who may create one.
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { ProgrammeDetail } from '../../../contracts/programmes.ts';
import { api } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { formatDateTime, formatPercent } from '../../i18n/format.ts';
import { Loading, PageHeading, QueryError } from '../../app/feedback.tsx';
import { TableScroll } from '../../app/TableScroll.tsx';
import { percent, useProgrammeCourses } from './courseApi.ts';
import './courses.css';

/** Resource consultants and programme managers of the owning organisation create courses (the server decides). */
export const mayCreateCourse = (p: ProgrammeDetail) => p.myRoles.some((r) => r === 'resource_consultant' || r === 'programme_manager');

/** The programme page's entry to its group courses. */
export function ProgrammeCoursesLink({ programmeId }: { programmeId: string }) {
  const { t } = useI18n();
  return (
    <section className="page-section" aria-labelledby="group-courses-heading">
      <h2 id="group-courses-heading">{t('courses.title')}</h2>
      <p>
        <Link to={`/programmes/${programmeId}/group-courses`}>{t('courses.seeAll')}</Link>
      </p>
    </section>
  );
}

export function CourseListPage() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const programme = useQuery({ queryKey: ['programme', id], queryFn: () => api.get<ProgrammeDetail>(`/api/programmes/${encodeURIComponent(id)}`) });
  const courses = useProgrammeCourses(id);
  const items = courses.data?.pages.flatMap((p) => p.items) ?? [];
  const date = (iso: string | null) => (iso ? (formatDateTime(language, iso).split(' ')[0] ?? '–') : '–');
  return (
    <>
      <p className="breadcrumb-link">
        <Link to={`/programmes/${id}`}>{programme.data?.name ?? t('courses.backToProgramme')}</Link>
      </p>
      <div className="title-row">
        <PageHeading title={t('courses.title')}>{t('courses.title')}</PageHeading>
        {programme.data && mayCreateCourse(programme.data) && (
          <Link className="button button-primary title-action" to={`/programmes/${id}/group-courses/new`}>
            {t('courses.new')}
          </Link>
        )}
      </div>
      <p className="page-intro">{t('courses.intro')}</p>
      {courses.isPending && <Loading />}
      {courses.isError && <QueryError error={courses.error} />}
      {courses.data && items.length === 0 && <p className="empty-state">{t('courses.none')}</p>}
      {items.length > 0 && (
        <TableScroll labelledBy="course-list-caption">
          <table className="table table--compact table-stack">
            <caption id="course-list-caption" className="sr-only">{t('courses.listCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('courses.course')}</th>
                <th scope="col">{t('courses.period')}</th>
                <th scope="col">{t('courses.leaders')}</th>
                <th scope="col" className="numeric">{t('courses.participants')}</th>
                <th scope="col" className="numeric">{t('courses.rate')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => {
                const rate = percent(c.attendanceRate);
                return (
                  <tr key={c.id}>
                    <th scope="row">
                      <Link to={`/group-courses/${c.id}`}>{c.title}</Link>
                    </th>
                    <td data-label={t('courses.period')}>{t('courses.periodValue', { from: date(c.firstSessionAt), to: date(c.lastSessionAt), count: c.sessionCount })}</td>
                    <td data-label={t('courses.leaders')}>{c.leaders.map((l) => l.name).join(', ')}</td>
                    <td data-label={t('courses.participants')} className="numeric">{t('courses.ofCapacity', { count: c.participantCount, capacity: c.capacity })}</td>
                    <td data-label={t('courses.rate')} className="numeric">{rate === null ? '–' : formatPercent(language, rate)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
      {courses.hasNextPage && (
        <button type="button" className="button button-secondary load-more" onClick={() => void courses.fetchNextPage()} disabled={courses.isFetchingNextPage}>
          {courses.isFetchingNextPage ? t('common.loading') : t('common.showMore')}
        </button>
      )}
    </>
  );
}
