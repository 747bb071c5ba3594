// The steering dashboard ("Overblik", issue 12 point 1): a programme's figures for a period, for its programme
// manager (exact) and its steering group (small cells suppressed: `{ "suppressed": true }`, "< 5" on screen).
// Every figure carries what it counts; the whole carries the date it was computed.
import { z } from 'zod';
import { DateInput, Id, Int, IsoDate } from './common.ts';
import { Cell } from './progression.ts';

/** The longest period the dashboard counts over: ten years of months. */
export const MAX_DASHBOARD_MONTHS = 120;

export const DashboardQuery = z.object({ from: DateInput.optional(), to: DateInput.optional() }).strict();
export type DashboardQuery = z.infer<typeof DashboardQuery>;

const Bilingual = z.object({ da: z.string(), en: z.string() });

export const DASHBOARD_ACTIVITY_KINDS = ['walk_and_talk', 'conversation', 'group_attendance', 'network_meeting', 'internship', 'upskilling'] as const;
export const DashboardActivityKind = z.enum(DASHBOARD_ACTIVITY_KINDS);

export const DASHBOARD_OUTCOMES = ['job', 'education', 'internship', 'other', 'not_ended'] as const;
export const DashboardOutcome = z.enum(DASHBOARD_OUTCOMES);

/** A share 0–1, hidden (`suppressed`) or not computable (null: nobody to count). */
const Share = Cell.nullable();

export const DashboardBudgetLine = z.object({
  id: Id,
  year: z.number().int(),
  purpose: z.string(),
  funder: z.string().nullable(),
  amountOere: z.number().int(),
  spentOere: z.number().int().nullable(),
  spentRecordedAt: z.string().nullable(),
});

export const Dashboard = z.object({
  programmeId: Id,
  /** `exact` for the programme manager of the owning organisation; `suppressed` for the steering group. */
  audience: z.enum(['exact', 'suppressed']),
  /** ISO 8601: when the figures were counted. */
  computedAt: z.string(),
  /** The asked period (the programme's unless asked for another), counted up to `countedUntil` (today at the latest). */
  period: z.object({ from: IsoDate, to: IsoDate, countedUntil: IsoDate }),
  /** Citizens with an active enrolment at each month's end against the programme's capacity, and starts per month. */
  enrolment: z.object({
    capacity: z.number().int(),
    months: z.array(z.object({ month: z.string(), active: Cell, started: Cell })),
    /** Citizens who started in the period (the starts' total). */
    started: Cell,
  }),
  /** Citizens who started in the period by benefit (target group), against the programme's plan. */
  targetGroups: z.object({
    rows: z.array(z.object({ benefitCode: z.string(), label: Bilingual, planned: z.number().int().nullable(), actual: Cell })),
    plannedTotal: z.number().int(),
    actualTotal: Cell,
  }),
  /** How the period's participants stand: ended into job, education, internship, otherwise, or not ended; against the targets. */
  outcomes: z.object({
    participants: Cell,
    rows: z.array(z.object({ outcome: DashboardOutcome, count: Cell, share: Share, targetPercent: z.number().nullable() })),
    /** The newest evaluation the programme records, as a reference line (figures as reported). */
    evaluation: z
      .object({ label: z.string(), reportedOn: IsoDate, citizens: z.number().int(), jobPercent: z.number().nullable(), educationPercent: z.number().nullable(), internshipPercent: z.number().nullable() })
      .nullable(),
  }),
  /** Activities by kind and month: held conversations (walk and talk apart), group attendance, held network meetings, internships and upskilling started. */
  activities: z.object({
    kinds: z.array(DashboardActivityKind),
    months: z.array(z.object({ month: z.string(), counts: z.array(Cell), total: Cell })),
    totals: z.array(Cell),
    total: Cell,
    /** When the refresh job last counted the days before today (later records of those days come with its next run); null: every day counted now. */
    countedAt: z.string().nullable(),
  }),
  /** Of the citizens who started in the period and are 26 (52) weeks past their start: self-supporting on that day. */
  selfSupport: z.array(z.object({ weeks: z.number().int(), eligible: Cell, selfSupporting: Cell, share: Share })),
  /** Inquiries to the liaison in the period: asked, answered, and the median time to the first answer in hours. */
  inquiries: z.object({ asked: Cell, answered: Cell, medianHoursToAnswer: Cell.nullable() }),
  /** The programme's phases, with the one today falls in. */
  phases: z.array(z.object({ name: Bilingual, responsible: z.string().nullable(), startsOn: IsoDate, endsOn: IsoDate, current: z.boolean() })),
  /** Budget by line and year against the spending the programme manager records (øre). */
  budget: z.array(DashboardBudgetLine),
});
export type Dashboard = z.infer<typeof Dashboard>;

export const BudgetLineParams = z.object({ id: Id, lineId: Id }).strict();
/** The spending recorded against a budget line (øre), or null to clear it. */
export const RecordSpendingRequest = z.object({ spentOere: Int(0, 100_000_000_000).nullable() }).strict();
export type RecordSpendingRequest = z.infer<typeof RecordSpendingRequest>;
