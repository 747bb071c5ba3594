// The citizen portal's contracts: the code login, the portal session, the low-assurance summary, and the staff
// side (invitation and the portal status on the citizen page).
import { z } from 'zod';
import { DateInput, Id, Text } from './common.ts';

/** Level of assurance of a portal session: a one-time code proves control of a contact only ("low"). */
export const Assurance = z.enum(['low', 'substantial']);
export type Assurance = z.infer<typeof Assurance>;

/** An e-mail address or a mobile number, as the citizen types it. */
export const ContactInput = Text(200, 3);

export const CodeRequest = z.object({ contact: ContactInput }).strict();
export type CodeRequest = z.infer<typeof CodeRequest>;

/** Always the same, whether the contact is known or not. */
export const CodeRequested = z.object({
  /** How long a code is valid, in minutes. */
  validMinutes: z.number().int(),
});
export type CodeRequested = z.infer<typeof CodeRequested>;

export const PortalLoginRequest = z
  .object({
    contact: ContactInput,
    code: z.string().trim().regex(/^[0-9]{6}$/, 'six digits'),
    /** Asked for only when several people share the contact (the answer `birth_date_required` says so). */
    birthDate: DateInput.optional(),
  })
  .strict();
export type PortalLoginRequest = z.infer<typeof PortalLoginRequest>;

export const PortalLoginResponse = z.object({ csrfToken: z.string(), assurance: Assurance });
export type PortalLoginResponse = z.infer<typeof PortalLoginResponse>;

/** After logout: where to send the browser to end the MitID broker's session too (null after a one-time code login). */
export const PortalLogoutResponse = z.object({ brokerLogoutUrl: z.string().nullable() });
export type PortalLogoutResponse = z.infer<typeof PortalLogoutResponse>;

/** The logged-in citizen as the portal shows them: the first name only. */
export const PortalCitizen = z.object({ accountId: Id, firstName: z.string() });
export type PortalCitizen = z.infer<typeof PortalCitizen>;

export const PortalSessionResponse = z.object({
  citizen: PortalCitizen.nullable(),
  assurance: Assurance.nullable(),
  csrfToken: z.string().optional(),
  demo: z.boolean(),
  /** Whether the "Log ind med MitID" login is open (a broker is configured, or the demo's test identity provider runs). */
  mitid: z.boolean(),
});
export type PortalSessionResponse = z.infer<typeof PortalSessionResponse>;

/** What a low-assurance session may see: the time of the next appointment, and whether a questionnaire waits. */
export const PortalSummary = z.object({
  /** ISO 8601 with offset; null when nothing is planned. */
  nextAppointmentAt: z.string().nullable(),
  questionnaireWaiting: z.boolean(),
});
export type PortalSummary = z.infer<typeof PortalSummary>;

export const PortalState = z.enum(['not_invited', 'invited', 'logged_in']);
export type PortalState = z.infer<typeof PortalState>;

/** The staff side: the portal status of one organisation's record of the person. */
export const PortalStatus = z.object({
  state: PortalState,
  invitedAt: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  /** Which usable contact details the record holds (the invitation and the code login use them). */
  contact: z.object({ email: z.boolean(), phone: z.boolean() }),
});
export type PortalStatus = z.infer<typeof PortalStatus>;

export const InvitationResponse = PortalStatus.extend({ channel: z.enum(['email', 'sms']) });
export type InvitationResponse = z.infer<typeof InvitationResponse>;

/** A member of the team as the citizen sees them: role, name and how to reach them. */
export const PortalTeamMember = z.object({
  /** resource_consultant, caseworker, job_consultant or liaison. */
  role: z.string(),
  name: z.string(),
  email: z.string().nullable(),
});

/** The plan as the citizen sees it (needs the "substantial" level of assurance). */
export const PortalPlan = z.object({
  plans: z.array(
    z.object({
      organisation: z.string(),
      /** False when the enrolment has ended: the plan is then only shown. */
      open: z.boolean(),
      goal: z.object({ kind: z.enum(['job', 'education']).nullable(), text: z.string().nullable(), targetDate: z.string().nullable() }),
      goals: z.array(z.object({ lifeArea: z.string(), text: z.string(), status: z.string(), targetDate: z.string().nullable() })),
      tasks: z.array(
        z.object({
          id: Id,
          title: z.string(),
          ownerKind: z.enum(['citizen', 'staff', 'outside']),
          /** A staff owner's name, or an outside owner's role; null when the citizen owns the task. */
          ownerName: z.string().nullable(),
          dueDate: z.string().nullable(),
          status: z.string(),
          /** The citizen marked it done in the portal. */
          doneByMe: z.boolean(),
          comments: z.array(
            z.object({ id: Id, author: z.enum(['me', 'staff']), authorName: z.string().nullable(), text: z.string(), createdAt: z.string() }),
          ),
        }),
      ),
      coordinator: z.object({ name: z.string(), role: z.string().nullable(), email: z.string().nullable() }).nullable(),
      team: z.array(PortalTeamMember),
    }),
  ),
});
export type PortalPlan = z.infer<typeof PortalPlan>;

/** Why a MitID login did not give a session; the callback sends the browser to /portal?login=<reason>. */
export const MitIdFailure = z.enum(['not_invited', 'assurance_too_low', 'cancelled', 'expired', 'failed', 'unavailable']);
export type MitIdFailure = z.infer<typeof MitIdFailure>;

/** The broker's answer as the browser brings it back (the authorization response; unknown parameters are ignored). */
export const MitIdCallbackQuery = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(500).optional(),
  iss: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
});
export type MitIdCallbackQuery = z.infer<typeof MitIdCallbackQuery>;
