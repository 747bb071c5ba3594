// Putting psychiatry's liaison on the team of an enrolment that is already open, and ending that place.
import { z } from 'zod';
import { DateInput, Id, UserRef } from './common.ts';

export const AddLiaisonRequest = z
  .object({
    liaisonId: Id,
    /** The first day on the team; today when left out. */
    validFrom: DateInput.optional(),
  })
  .strict();

export const EndLiaisonRequest = z
  .object({
    /** The last day on the team. */
    validTo: DateInput,
  })
  .strict();

export const LiaisonMembership = z.object({
  enrolmentId: Id,
  liaison: UserRef,
  validFrom: z.string(),
  validTo: z.string().nullable(),
});
