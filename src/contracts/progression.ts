// Contracts of progression measurement: instruments (list, one, upload, import, approval, export), the
// programme's measurement schedule, answers with their scores and alerts, corrections, internal staff tasks,
// and the programme's cohort view.
import { z } from 'zod';
import { Cursor, DateInput, Id, Int, Limit, OptionalText, Text, UserRef, Version } from './common.ts';
import { Answers, DataCategory, Score } from './instruments.ts';

/** Text in Danish and English as the server answers it (responses are not bounded like requests). */
export const Texts = z.object({ da: z.string(), en: z.string() });
export const FiredAlert = z.object({ code: z.string(), task: Texts });

export const InstrumentCode = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'an instrument code: lower-case letters, digits and _');
export const InstrumentStatus = z.enum(['inactive', 'active', 'retired']);
export const InstrumentSource = z.enum(['builtin', 'json', 'redcap']);
export const Occasion = z.enum(['baseline', 'follow_up', 'exit', 'extra']);
export const AnsweredWith = z.enum(['with_citizen', 'staff_only', 'citizen_portal']);

export const InstrumentSummary = z.object({
  code: z.string(),
  version: z.number().int(),
  status: InstrumentStatus,
  source: InstrumentSource,
  title: Texts,
  /** Whether the instrument is scored (an imported one is not until a scoring rule is added). */
  scored: z.boolean(),
  healthData: z.boolean(),
  dataCategories: z.array(z.string()),
  licence: z.string(),
  ownedByOrganisation: z.boolean(),
  approvedAt: z.string().nullable(),
  approvalNote: z.string().nullable(),
});
export const InstrumentList = z.object({ items: z.array(InstrumentSummary) });

/**
 * In responses the definition is written as stored (its schema is the request body of POST /api/instruments,
 * `InstrumentDefinition`): its answer scales, conditions and alert rules are unions the fast serializer would
 * have to validate.
 */
const StoredDefinition = z.record(z.string(), z.unknown()).meta({ description: 'The instrument definition, as in the body of POST /api/instruments' });
export const Instrument = InstrumentSummary.extend({
  definition: StoredDefinition,
  /** The items in order: code, text (da/en), respondent, required, answer scale, reverse, showIf. */
  items: z.array(z.record(z.string(), z.unknown())),
});
export type Instrument = z.infer<typeof Instrument>;

export const InstrumentParams = z.object({ code: InstrumentCode }).strict();
export const InstrumentQuery = z.object({ version: z.coerce.number().int().min(1).max(100_000).optional() }).strict();
export const InstrumentVersionParams = z.object({ code: InstrumentCode, version: z.coerce.number().int().min(1).max(100_000) }).strict();
export const ExportQuery = z.object({ format: z.enum(['json', 'redcap']).default('json'), version: z.coerce.number().int().min(1).max(100_000).optional(), lang: z.enum(['da', 'en']).default('da') }).strict();

/** What an import declares about itself (the CSV cannot): the licence and the categories of data it collects. */
export const ImportQuery = z
  .object({
    licence: Text(300),
    dataCategories: z
      .string()
      .max(200)
      .transform((s) => s.split(',').map((c) => c.trim()).filter(Boolean))
      .pipe(z.array(DataCategory).min(1).max(6)),
    healthData: z.enum(['true', 'false']).transform((v) => v === 'true'),
  })
  .strict();
export const CreatedInstrument = z.object({ code: z.string(), version: z.number().int(), status: InstrumentStatus });
export const ImportResponse = z.object({ instruments: z.array(CreatedInstrument) });
export const ApproveRequest = z.object({ dpoConsulted: z.literal(true), note: Text(1000) }).strict();

export const ScheduleEntry = z
  .object({
    instrumentCode: InstrumentCode,
    atEnrolment: z.boolean(),
    everyMonths: Int(1, 24).nullable(),
    windowDays: Int(0, 60),
    atExit: z.boolean(),
  })
  .strict();
/** The procedure for acute concern as the programme manager wrote it (empty until then). */
export const AcuteProcedure = z.object({ da: z.string(), en: z.string() });
export const ScheduleItem = z.object({ instrumentCode: z.string(), atEnrolment: z.boolean(), everyMonths: z.number().int().nullable(), windowDays: z.number().int(), atExit: z.boolean(), title: Texts });
export const Schedule = z.object({ items: z.array(ScheduleItem), acuteProcedure: AcuteProcedure });
export const UpdateScheduleRequest = z.object({ items: z.array(ScheduleEntry).max(20) }).strict();
export const UpdateAcuteProcedureRequest = z.object({ da: Text(4000, 0), en: Text(4000, 0) }).strict();

export const CreateAssessmentRequest = z
  .object({
    instrumentCode: InstrumentCode,
    answers: Answers,
    draft: z.boolean().optional(),
    occasion: Occasion.optional(),
    answeredWith: AnsweredWith.exclude(['citizen_portal']).optional(),
    enrolmentId: Id.optional(),
  })
  .strict();

export const AssessmentResponse = z.object({
  id: Id,
  status: z.enum(['draft', 'submitted']),
  instrumentCode: z.string(),
  instrumentVersion: z.number().int(),
  occasion: Occasion,
  answeredAt: z.string(),
  score: Score.nullable(),
  alerts: z.array(FiredAlert),
  /** Compared with the previous submitted measurement of the same instrument: the change and whether it is relevant. */
  change: z.object({ from: z.number(), to: z.number(), relevant: z.boolean() }).nullable(),
  version: z.number().int(),
});

export const AssessmentListQuery = z.object({ instrumentCode: InstrumentCode.optional(), cursor: Cursor.optional(), limit: Limit(20) }).strict();
export const AssessmentListItem = z.object({
  id: Id,
  instrumentCode: z.string(),
  instrumentVersion: z.number().int(),
  title: Texts,
  status: z.enum(['draft', 'submitted']),
  occasion: Occasion,
  answeredAt: z.string(),
  answeredWith: AnsweredWith,
  score: Score.nullable(),
  alerts: z.array(z.string()),
  corrected: z.boolean(),
  /** The staff member who entered the answer; null when the citizen answered in the portal (answeredWith `citizen_portal`). */
  createdBy: UserRef.nullable(),
  version: z.number().int(),
});
export const AssessmentList = z.object({ items: z.array(AssessmentListItem), nextCursor: z.string().nullable() });

export const AssessmentDetail = AssessmentListItem.extend({
  answers: z.record(z.string(), z.number()),
  instrument: Instrument,
  corrections: z.array(z.object({ reason: z.string(), correctedAt: z.string(), correctedBy: UserRef, previousAnswers: z.record(z.string(), z.number()), previousScore: Score.nullable() })),
});

export const UpdateAssessmentRequest = z
  .object({
    answers: Answers,
    version: Version,
    /** Submits a draft (false) or keeps it a draft (true); a submitted answer stays submitted. */
    draft: z.boolean().optional(),
    /** Required when a submitted answer is corrected: why (kept in its history). */
    reason: OptionalText(1000),
  })
  .strict();

export const StaffTask = z.object({
  id: Id,
  kind: z.enum(['alert', 'measurement_due']),
  rule: z.string(),
  instrumentCode: z.string(),
  text: Texts,
  citizen: z.object({ id: Id, name: z.string() }),
  dueDate: z.string().nullable(),
  windowEnd: z.string().nullable(),
  overdue: z.boolean(),
  status: z.enum(['open', 'done', 'cancelled']),
  createdAt: z.string(),
  /** The programme's procedure for acute concern, shown beside an alert. */
  acuteProcedure: AcuteProcedure.nullable(),
  version: z.number().int(),
});
export const StaffTaskList = z.object({ items: z.array(StaffTask), nextCursor: z.string().nullable() });
export const StaffTaskListQuery = z.object({ status: z.enum(['open', 'closed']).default('open'), cursor: Cursor.optional(), limit: Limit(50) }).strict();
export const CloseStaffTaskRequest = z.object({ status: z.enum(['done', 'cancelled']), note: OptionalText(1000), version: Version }).strict();

export const DueListQuery = z.object({ consultantId: Id.optional(), until: DateInput.optional(), cursor: Cursor.optional(), limit: Limit(50) }).strict();

/** A figure the audience may see, or a suppressed cell ("< 5" on screen). */
export const Cell = z.union([z.number(), z.object({ suppressed: z.literal(true) })]);

export const ProgressionQuery = z.object({ instrumentCode: InstrumentCode.default('who5') }).strict();
export const Progression = z.object({
  programmeId: Id,
  instrumentCode: z.string(),
  title: Texts,
  /** `exact` for the programme manager of the owning organisation; `suppressed` for the steering group and researchers. */
  audience: z.enum(['exact', 'suppressed']),
  computedAt: z.string(),
  bands: z.array(z.object({ code: z.string(), label: Texts, min: z.number(), max: z.number() })),
  relevantChange: z.number().nullable(),
  citizensMeasured: Cell,
  pairs: Cell,
  /** Means and the confidence interval are null where there is nothing to compute (fewer than two pairs). */
  change: z.object({ n: Cell, meanBaseline: Cell.nullable(), meanLatest: Cell.nullable(), meanChange: Cell.nullable(), ciLow: Cell.nullable(), ciHigh: Cell.nullable(), improved: Cell, unchanged: Cell, worsened: Cell }),
  /** Rows: baseline and latest; columns: the bands in order; totals per row. */
  bandDistribution: z.object({ baseline: z.array(Cell), latest: z.array(Cell), baselineTotal: Cell, latestTotal: Cell }),
  byTargetGroup: z.array(z.object({ code: z.string(), label: Texts, n: Cell, meanChange: Cell.nullable(), latestMean: Cell.nullable() })),
  /** Whether the caller may read the figures per consultant (programme manager only: figures per employee), by their own paginated request. */
  consultantFigures: z.boolean(),
});
export const ProgressionConsultantsQuery = z.object({ instrumentCode: InstrumentCode.default('who5'), cursor: Cursor.optional(), limit: Limit(50) }).strict();
export const ProgressionConsultants = z.object({
  computedAt: z.string(),
  items: z.array(z.object({ consultant: UserRef, n: z.number().int(), meanChange: z.number().nullable(), due: z.number().int(), overdue: z.number().int() })),
  nextCursor: z.string().nullable(),
});
