// The citizen portal's "Forskning": the research-only questionnaires of the approved studies of my programme, answered
// voluntarily and without any effect on my case (my caseworker never sees the answers). The answer's receipt has no
// score; I may say no thanks (never asked again) or delete my answers while the study runs.
import { z } from 'zod';
import { Id, IsoDate } from './common.ts';
import { Answers } from './instruments.ts';
import { PortalQuestion } from './portal-questionnaires.ts';

const Texts = z.object({ da: z.string(), en: z.string() });

export const PortalResearchParams = z.object({ id: Id }).strict();

/** Where I stand with one questionnaire: not answered yet, answered, said no thanks, or my answers deleted. */
export const PortalResearchState = z.enum(['open', 'answered', 'declined', 'withdrawn']);
export type PortalResearchState = z.infer<typeof PortalResearchState>;

export const PortalResearchQuestionnaire = z.object({
  /** The questionnaire's id (the study's, the same for every citizen): answer, decline and delete by it. */
  id: Id,
  instrumentCode: z.string(),
  title: Texts,
  description: Texts.nullable(),
  state: PortalResearchState,
  /** When I answered or said no thanks (null while open). */
  answeredAt: z.string().nullable(),
  /** The questions while it is open (empty otherwise: an earlier answer is never shown back). */
  questions: z.array(PortalQuestion),
});
export type PortalResearchQuestionnaire = z.infer<typeof PortalResearchQuestionnaire>;

export const PortalResearchStudy = z.object({
  id: Id,
  title: z.string(),
  purpose: z.string(),
  partnerName: z.string(),
  endsOn: IsoDate,
  questionnaires: z.array(PortalResearchQuestionnaire),
});
export type PortalResearchStudy = z.infer<typeof PortalResearchStudy>;
export const PortalResearchList = z.object({ studies: z.array(PortalResearchStudy) });
export type PortalResearchList = z.infer<typeof PortalResearchList>;

export const PortalResearchAnswerRequest = z.object({ answers: Answers }).strict();
export type PortalResearchAnswerRequest = z.infer<typeof PortalResearchAnswerRequest>;

/** The result of answering, declining or deleting: the new state and when (never a score). */
export const PortalResearchReceipt = z.object({ id: Id, state: PortalResearchState, answeredAt: z.string().nullable() });
export type PortalResearchReceipt = z.infer<typeof PortalResearchReceipt>;
