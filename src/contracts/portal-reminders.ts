// The citizen's reminders (issue 11, item 3; docs/decisions/0037): opt-in per kind, on the channel of the contact
// details on file. The messages themselves say only "Du har en aftale i morgen – se Min plan" and the like.
import { z } from 'zod';

export const ReminderChannel = z.enum(['email', 'sms']);
export type ReminderChannel = z.infer<typeof ReminderChannel>;

export const PortalReminderSettings = z.object({
  /** The channel chosen; null: no reminders were ever chosen. */
  channel: ReminderChannel.nullable(),
  appointment: z.boolean(),
  task: z.boolean(),
  questionnaire: z.boolean(),
  /** The contact details on file, partly hidden (e.g. "a•••@example.dk", "•••• 34 56"); null: none on file. */
  email: z.string().nullable(),
  phone: z.string().nullable(),
});
export type PortalReminderSettings = z.infer<typeof PortalReminderSettings>;

export const PortalReminderSettingsUpdate = z
  .object({
    channel: ReminderChannel,
    /** An appointment tomorrow. */
    appointment: z.boolean(),
    /** A task of mine due tomorrow. */
    task: z.boolean(),
    /** A questionnaire waiting. */
    questionnaire: z.boolean(),
  })
  .strict();
export type PortalReminderSettingsUpdate = z.infer<typeof PortalReminderSettingsUpdate>;
