// Group course data for the UI: queries and their keys.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { CitizenCourse, CourseDetail, CourseSummary } from '../../../contracts/courses.ts';
import { api, queryString } from '../../api/client.ts';

export type { CitizenCourse, CourseDetail, CourseSummary };

export const courseKey = (id: string) => ['group-course', id] as const;
export const programmeCoursesKey = (programmeId: string) => ['programme', programmeId, 'group-courses'] as const;

export function useCourse(id: string) {
  return useQuery({ queryKey: courseKey(id), queryFn: () => api.get<CourseDetail>(`/api/group-courses/${encodeURIComponent(id)}`) });
}

export function useProgrammeCourses(programmeId: string) {
  return useInfiniteQuery({
    queryKey: programmeCoursesKey(programmeId),
    queryFn: ({ pageParam }) =>
      api.get<{ items: CourseSummary[]; nextCursor: string | null }>(`/api/programmes/${encodeURIComponent(programmeId)}/group-courses${queryString({ cursor: pageParam, limit: 20 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useCitizenCourses(citizenId: string) {
  return useQuery({
    queryKey: ['citizen', citizenId, 'group-courses'],
    queryFn: () => api.get<{ items: CitizenCourse[] }>(`/api/citizens/${encodeURIComponent(citizenId)}/group-courses`),
  });
}

/** A rate 0–1 as a whole percentage for display, or null. */
export const percent = (rate: number | null | undefined) => (rate === null || rate === undefined ? null : Math.round(rate * 100));
