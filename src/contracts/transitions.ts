// Contracts of the transition from psychiatric treatment into the municipal effort: one checklist per
// patient on the region's record, with dates.
import { z } from 'zod';
import { Cursor, DateInput, Id, Limit, OptionalText, Text, UserRef, Version } from './common.ts';

export const ChecklistItemCode = z.enum(['contact_made', 'consents_obtained', 'knowledge_transfer_written', 'knowledge_transfer_disclosed', 'first_meeting_booked', 'psychiatry_contact']);

export const ChecklistItem = z.object({
  code: ChecklistItemCode,
  done: z.boolean(),
  /** The date the step was taken (recorded, or read from the record it is about). */
  on: z.string().nullable(),
  /** `recorded` on the checklist itself, `derived` from the consents, knowledge transfers and disclosures. */
  source: z.enum(['recorded', 'derived']),
});

export const Transition = z.object({
  id: Id,
  citizenId: Id,
  citizenName: z.string(),
  programmeId: Id,
  status: z.enum(['open', 'completed', 'cancelled']),
  openedOn: z.string(),
  closedOn: z.string().nullable(),
  psychiatryContactName: z.string().nullable(),
  note: z.string().nullable(),
  items: z.array(ChecklistItem),
  /** How many of the six steps are done. */
  done: z.number().int(),
  updatedBy: UserRef,
  updatedAt: z.string(),
  version: z.number().int(),
});

export const CitizenTransition = z.object({ transition: Transition.nullable() });

export const OpenTransitionRequest = z
  .object({
    programmeId: Id,
    openedOn: DateInput.optional(),
    note: OptionalText(2000),
  })
  .strict();

export const UpdateTransitionRequest = z
  .object({
    version: Version,
    contactMadeOn: DateInput.nullable().optional(),
    firstMeetingBookedOn: DateInput.nullable().optional(),
    /** The named contact in psychiatry and the date they were named; null clears both. */
    psychiatryContact: z.object({ name: Text(200), on: DateInput }).strict().nullable().optional(),
    note: OptionalText(2000),
    /** Completing needs every step done; cancelling (the patient did not move on) does not. */
    status: z.enum(['completed', 'cancelled']).optional(),
  })
  .strict();

export const TransitionListQuery = z.object({ after: Cursor.optional(), limit: Limit(25, 100) }).strict();
export const TransitionList = z.object({ items: z.array(Transition), nextCursor: z.string().nullable() });
