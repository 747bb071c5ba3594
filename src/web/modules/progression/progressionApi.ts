// Types and queries of progression measurement for the citizen page, the answering screen and Min dag, and
// the small pure helpers the screens share: which items are shown (the same rule as the server's engine), the
// band a score falls in and the value a chart plots.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { AnswerScale, InstrumentDefinition, InstrumentItem } from '../../../contracts/instruments.ts';
import type { AssessmentDetail, AssessmentList, AssessmentResponse, InstrumentList, Instrument, StaffTaskList } from '../../../contracts/progression.ts';
import type { SessionUser } from '../../../contracts/auth.ts';
import { api, queryString } from '../../api/client.ts';
import type { CitizenDetail } from '../citizens/citizenApi.ts';
import { todayInCopenhagen } from '../../i18n/format.ts';

export type InstrumentSummary = z.infer<typeof InstrumentList>['items'][number];
export type InstrumentData = Instrument;
export type Definition = InstrumentDefinition;
export type Item = InstrumentItem;
export type Scale = AnswerScale;
export type Assessment = z.infer<typeof AssessmentList>['items'][number];
export type AssessmentPage = z.infer<typeof AssessmentList>;
export type AssessmentFull = z.infer<typeof AssessmentDetail>;
export type Submitted = z.infer<typeof AssessmentResponse>;
export type StaffTask = z.infer<typeof StaffTaskList>['items'][number];
export type Band = NonNullable<NonNullable<Definition['scoring']>['bands']>[number];
export type Answers = Record<string, number>;

/** Everything about a citizen's answers sits under the citizen's key, so one invalidation refreshes the page. */
export const measurementsKey = (citizenId: string) => ['citizen', citizenId, 'measurements'] as const;

export function useInstruments() {
  return useQuery({ queryKey: ['instruments'], queryFn: () => api.get<{ items: InstrumentSummary[] }>('/api/instruments'), staleTime: 60_000 });
}

export function useInstrument(code: string, enabled = true) {
  return useQuery({
    queryKey: ['instrument', code],
    queryFn: () => api.get<InstrumentData>(`/api/instruments/${encodeURIComponent(code)}`),
    staleTime: 60_000,
    enabled: enabled && !!code,
  });
}

/** The newest answers of one instrument for the chart (up to 100: more than eight years of three-monthly measurements). */
export function useChartAssessments(citizenId: string, instrumentCode: string) {
  return useQuery({
    queryKey: [...measurementsKey(citizenId), 'chart', instrumentCode],
    queryFn: () => api.get<AssessmentPage>(`/api/citizens/${encodeURIComponent(citizenId)}/assessments${queryString({ instrumentCode, limit: 100 })}`),
  });
}

/** All answers, newest first, a page at a time ("Vis flere"). */
export function useAssessmentPages(citizenId: string, instrumentCode: string | undefined, enabled = true) {
  return useInfiniteQuery({
    queryKey: [...measurementsKey(citizenId), 'list', instrumentCode ?? 'all'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      api.get<AssessmentPage>(`/api/citizens/${encodeURIComponent(citizenId)}/assessments${queryString({ instrumentCode, cursor: pageParam, limit: 10 })}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export function useAssessment(id: string | undefined) {
  return useQuery({ queryKey: ['assessment', id], queryFn: () => api.get<AssessmentFull>(`/api/assessments/${encodeURIComponent(id ?? '')}`), enabled: !!id });
}

export function useStaffTasks(citizenId: string, enabled = true) {
  return useQuery({
    queryKey: [...measurementsKey(citizenId), 'tasks'],
    queryFn: () => api.get<{ items: StaffTask[]; nextCursor: string | null }>(`/api/citizens/${encodeURIComponent(citizenId)}/staff-tasks${queryString({ limit: 50 })}`),
    enabled,
  });
}

/**
 * Whether the user may see this citizen's answers: a resource consultant or caseworker who is on a team of the
 * citizen today (the server's `citizen-team` scope). Asked before any request, so that a job consultant's visit
 * neither shows an error nor leaves a refused read in the audit log; a 404 still hides the panel.
 */
export function mayMeasure(user: SessionUser, citizen: CitizenDetail): boolean {
  const today = todayInCopenhagen();
  return citizen.enrolments.some((e) =>
    user.roles.some((g) => g.programmeId === e.programme.id && (g.role === 'resource_consultant' || g.role === 'caseworker')) &&
    e.team.some((m) => m.user.id === user.id && (m.role === 'resource_consultant' || m.role === 'caseworker') && m.validFrom <= today && (m.validTo === null || m.validTo >= today)),
  );
}

/** The definition inside an instrument response (the server writes it as stored; its schema is the upload's). */
export const definitionOf = (instrument: InstrumentData): Definition => instrument.definition as unknown as Definition;

type Condition = NonNullable<Item['showIf']>;
function holds(c: Condition, shown: ReadonlyMap<string, number>): boolean {
  if ('and' in c) return c.and.every((x) => holds(x, shown));
  if ('or' in c) return c.or.some((x) => holds(x, shown));
  const v = shown.get(c.item);
  if (v === undefined) return false;
  if (c.op === '=') return v === c.value;
  if (c.op === '<>') return v !== c.value;
  if (c.op === '>') return v > c.value;
  return v < c.value;
}

/**
 * The items shown for these answers, in order: the server's rule (a condition sees only the answers to items
 * shown before it; a condition on a hidden or unanswered item is false).
 */
export function visibleItems(def: Definition, answers: Answers): Item[] {
  const shown = new Map<string, number>();
  const out: Item[] = [];
  for (const item of def.items) {
    if (item.showIf && !holds(item.showIf, shown)) continue;
    out.push(item);
    const v = answers[item.code];
    if (v !== undefined) shown.set(item.code, v);
  }
  return out;
}

/** The answers without those to items that are hidden now (the server refuses answers to hidden items). */
export function onlyVisible(def: Definition, answers: Answers): Answers {
  const keep = new Set(visibleItems(def, answers).map((i) => i.code));
  return Object.fromEntries(Object.entries(answers).filter(([k]) => keep.has(k)));
}

export const bandsOf = (def: Definition | undefined): Band[] => [...(def?.scoring?.bands ?? [])].sort((a, b) => a.min - b.min);

/** Bands are on the raw or on the scaled score; a chart plots the one its bands are on. */
export function plotted(def: Definition | undefined, score: { raw: number; scaled: number | null } | null): number | null {
  if (!score) return null;
  const on = bandsOf(def)[0]?.on;
  if (on === 'raw') return score.raw;
  return score.scaled ?? score.raw;
}

/** The value a relevant change is measured on: scaled when the rule scales, raw otherwise (as the server). */
export const comparable = (score: { raw: number; scaled: number | null } | null) => (score ? (score.scaled ?? score.raw) : null);

/** The largest possible score shown: 100 on a scaled score, else the largest band's end or the sum of the items. */
export function scoreMax(def: Definition | undefined): number | null {
  if (!def?.scoring) return null;
  const on = bandsOf(def)[0]?.on;
  if (def.scoring.scale && on !== 'raw') return 100;
  const bands = bandsOf(def);
  if (bands.length) return Math.max(...bands.map((b) => b.max));
  return null;
}

/** Whether an item is best answered by buttons: a choice, or a whole number with at most 11 steps (0–10). */
export function stepsOf(scale: Scale): number[] | null {
  if (scale.kind === 'choice') return scale.options.map((o) => o.value);
  if (scale.integer && scale.max - scale.min <= 10) return Array.from({ length: scale.max - scale.min + 1 }, (_, i) => scale.min + i);
  return null;
}
