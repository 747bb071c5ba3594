// The citizen portal's "Spørgeskemaer": the questionnaires due for me (answerable at either level of assurance),
// my answer (a receipt only: never a score), and — at level "substantial" — my progression per instrument and the
// list of my earlier answers, a page at a time.
import { z } from 'zod';
import { Cursor, Id, Int, Limit } from './common.ts';
import { Answers } from './instruments.ts';

/** Text in Danish and English as the server answers it. */
const Texts = z.object({ da: z.string(), en: z.string() });

export const PortalQuestionnaireParams = z.object({ id: Id }).strict();

/** One question as the citizen sees it: a choice among options, or a whole number between two ends. */
export const PortalQuestion = z.object({
  code: z.string(),
  text: Texts,
  required: z.boolean(),
  kind: z.enum(['choice', 'number']),
  /** The options of a choice (empty for a number). */
  options: z.array(z.object({ value: z.number(), label: Texts })),
  /** The ends of a number (null for a choice), with their labels where the instrument has them. */
  min: z.number().nullable(),
  max: z.number().nullable(),
  minLabel: Texts.nullable(),
  maxLabel: Texts.nullable(),
});
export type PortalQuestion = z.infer<typeof PortalQuestion>;

/** A questionnaire due for me: the id to answer it by, the instrument version to answer, and its questions. */
export const PortalQuestionnaire = z.object({
  id: Id,
  instrumentCode: z.string(),
  instrumentVersion: z.number().int(),
  title: Texts,
  description: Texts.nullable(),
  /** The day the measurement is due (its window opened before). */
  dueDate: z.string(),
  questions: z.array(PortalQuestion),
});
export type PortalQuestionnaire = z.infer<typeof PortalQuestionnaire>;
export const PortalQuestionnaireList = z.object({ items: z.array(PortalQuestionnaire) });
export type PortalQuestionnaireList = z.infer<typeof PortalQuestionnaireList>;

export const PortalAnswerRequest = z.object({ instrumentVersion: Int(1, 100_000), answers: Answers }).strict();
export type PortalAnswerRequest = z.infer<typeof PortalAnswerRequest>;

/** The receipt of an answer: that it was received, and when; never its score. */
export const PortalAnswerReceipt = z.object({ received: z.literal(true), answeredAt: z.string() });
export type PortalAnswerReceipt = z.infer<typeof PortalAnswerReceipt>;

/** How the latest answer compares with the one before, by the instrument's own relevant change. */
export const PortalTrend = z.enum(['up', 'down', 'same']);
export type PortalTrend = z.infer<typeof PortalTrend>;

export const PortalProgressionInstrument = z.object({
  instrumentCode: z.string(),
  title: Texts,
  /** The highest value the chart's axis shows (100 for a scaled score), or null when the instrument has none. */
  max: z.number().nullable(),
  /** My latest answers, oldest first (at most 12), each the score the instrument compares (scaled where it scales). */
  points: z.array(z.object({ answeredAt: z.string(), value: z.number() })),
  /** null with a single answer. */
  trend: PortalTrend.nullable(),
});
export type PortalProgressionInstrument = z.infer<typeof PortalProgressionInstrument>;
export const PortalProgression = z.object({ instruments: z.array(PortalProgressionInstrument) });
export type PortalProgression = z.infer<typeof PortalProgression>;

export const PortalAnswerHistoryQuery = z.object({ cursor: Cursor.optional(), limit: Limit(10, 50) }).strict();
export type PortalAnswerHistoryQuery = z.infer<typeof PortalAnswerHistoryQuery>;
export const PortalAnswerHistory = z.object({
  items: z.array(
    z.object({
      id: Id,
      instrumentCode: z.string(),
      title: Texts,
      answeredAt: z.string(),
      value: z.number().nullable(),
      /** Whether I answered it myself here (else it was answered with a member of staff). */
      byMe: z.boolean(),
    }),
  ),
  nextCursor: z.string().nullable(),
});
export type PortalAnswerHistory = z.infer<typeof PortalAnswerHistory>;
