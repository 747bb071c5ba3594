// The portal's part in consents staff prepared with the citizen (confirmed with MitID, level "substantial") and the
// withdrawal request a citizen sends after a one-time-code login (level "low"). Decision record 0036.
import { z } from 'zod';
import { Id, OptionalText } from './common.ts';

const Localised = z.object({ da: z.string(), en: z.string() });

export const PortalPreparation = z.object({
  id: Id,
  /** The organisation that prepared it with me (never the staff member). */
  organisation: z.string(),
  preparedAt: z.string(),
  items: z.array(
    z.object({
      instrument: z.string(),
      categories: z.array(z.string()),
      source: z.string(),
      recipient: z.string(),
      recipientRoles: z.array(z.string()),
      purpose: z.string(),
      validFrom: z.string(),
      validTo: z.string(),
      title: Localised,
      text: Localised,
      consequence: Localised,
    }),
  ),
});
export const PortalPreparationList = z.object({ items: z.array(PortalPreparation) });
export type PortalPreparationList = z.infer<typeof PortalPreparationList>;

export const PortalConfirmation = z.object({ preparationId: Id, consentIds: z.array(Id), confirmedOn: z.string() });
export type PortalConfirmation = z.infer<typeof PortalConfirmation>;

/** "I want to withdraw my consent(s)": no consent is named (a code login must not reveal which exist); free text may say which. */
export const PortalWithdrawalRequest = z.object({ message: OptionalText(1000) }).strict();
export const PortalWithdrawalRequestReceipt = z.object({ sentAt: z.string() });

/** Staff's view of a withdrawal request on a record. */
export const WithdrawalRequest = z.object({
  id: Id,
  message: z.string().nullable(),
  sentAt: z.string(),
  state: z.enum(['open', 'withdrawn', 'contacted']),
  handledAt: z.string().nullable(),
  handledBy: z.object({ id: Id, name: z.string() }).nullable(),
  withdrawnConsentIds: z.array(Id),
});
export type WithdrawalRequest = z.infer<typeof WithdrawalRequest>;
export const WithdrawalRequestList = z.object({ items: z.array(WithdrawalRequest) });
export type WithdrawalRequestList = z.infer<typeof WithdrawalRequestList>;

/**
 * Staff handle a request: `withdraw` withdraws the named consents (or, with none named, every standing consent
 * the organisation is party to) through the consents module's withdrawal; `contacted` closes it after talking with
 * the citizen (who may then withdraw one consent on the consent panel).
 */
export const HandleWithdrawalRequest = z
  .object({
    outcome: z.enum(['withdraw', 'contacted']),
    consentIds: z.array(Id).max(20).optional(),
    note: OptionalText(1000),
  })
  .strict();
