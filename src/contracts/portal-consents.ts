// The citizen portal's "Mine samtykker": the citizen's own consents on the records open to the portal (both
// organisations), what each covers, from whom to whom, until when, its state and the form's consequence text;
// and the citizen's own withdrawal with its receipt. Staff names are never shown: organisations and units only.
import { z } from 'zod';
import { ConsentInstrument, ConsentState, GivenHow } from './consents.ts';
import { Cursor, Id, IsoDate, Limit } from './common.ts';

const Localised = z.object({ da: z.string(), en: z.string() });
const Party = z.object({ name: z.string(), unit: z.string().nullable() });

export const PortalConsent = z.object({
  id: Id,
  instrument: ConsentInstrument,
  state: ConsentState,
  /** Category codes (the consents module's fixed list); the UI labels them. */
  categories: z.array(z.string()),
  /** The form's title, text and consequence text the citizen was shown (the version in force when it was given). */
  title: Localised,
  text: Localised,
  consequence: Localised,
  /** From whom. */
  source: Party,
  /** To whom: an organisation (with the recipient's roles), or a company; exactly one of them is set. */
  recipient: Party.nullable(),
  recipientCompany: z.object({ name: z.string() }).nullable(),
  /** Role codes of the people at the recipient who may receive or read the information. */
  recipientRoles: z.array(z.string()),
  purpose: z.string(),
  caseReference: z.string().nullable(),
  givenOn: IsoDate,
  validFrom: IsoDate,
  validTo: IsoDate,
  givenHow: GivenHow,
  /** The organisation that recorded the consent (whose record of you it is on). */
  recordedBy: z.string(),
  /** Whether the citizen can withdraw it now (not withdrawn, not replaced, not expired). */
  canWithdraw: z.boolean(),
  withdrawal: z
    .object({
      withdrawnOn: IsoDate,
      at: z.string(),
      how: GivenHow,
      /** The receipt's id when the citizen withdrew it in the portal; null when staff recorded the withdrawal. */
      receiptId: Id.nullable(),
    })
    .nullable(),
});
export type PortalConsent = z.infer<typeof PortalConsent>;

export const PortalConsentList = z.object({ items: z.array(PortalConsent), nextCursor: z.string().nullable() });
export type PortalConsentList = z.infer<typeof PortalConsentList>;
export const PortalConsentQuery = z.object({ cursor: Cursor.optional(), limit: Limit(20, 50) }).strict();

/** The receipt of a withdrawal: what was withdrawn, when, and the receipt's id. */
export const PortalWithdrawalReceipt = z.object({
  receiptId: Id,
  consentId: Id,
  instrument: ConsentInstrument,
  title: Localised,
  categories: z.array(z.string()),
  source: z.string(),
  recipient: z.string(),
  withdrawnOn: IsoDate,
  /** ISO 8601 instant. */
  withdrawnAt: z.string(),
  /** From now on: the consequence text of the consent's form. */
  consequence: Localised,
});
export type PortalWithdrawalReceipt = z.infer<typeof PortalWithdrawalReceipt>;
