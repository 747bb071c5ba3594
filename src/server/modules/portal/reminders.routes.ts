// HTTP routes of the citizen's reminder settings (docs/decisions/0037): read and change, at level "substantial".
import { ErrorBody } from '../../../contracts/common.ts';
import { PortalReminderSettings, PortalReminderSettingsUpdate } from '../../../contracts/portal-reminders.ts';
import type { AppDeps, TypedApp } from '../../platform/http.ts';
import { requirePortalSession } from './portal.session.ts';
import * as service from './reminders.ts';

const PORTAL_SESSION = [{ portalSession: [] }];
const PORTAL_SESSION_CSRF = [{ portalSession: [], csrf: [] }];

export function reminderRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    '/api/portal/reminders',
    {
      schema: {
        tags: ['portal'],
        summary: 'My reminder settings: the channel, the kinds switched on, and my contact details on file (partly hidden)',
        security: PORTAL_SESSION,
        response: { 200: PortalReminderSettings, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => service.reminderSettings(deps.db, requirePortalSession(request)),
  );

  app.put(
    '/api/portal/reminders',
    {
      schema: {
        tags: ['portal'],
        summary: 'Choose reminders: e-mail or SMS to my contact on file, and which kinds (an appointment tomorrow, a task due tomorrow, a questionnaire waiting)',
        description: 'A kind switched on with a channel that has no usable contact on file → 409 `no_contact_on_file`. The messages say only e.g. "Du har en aftale i morgen – se Min plan".',
        body: PortalReminderSettingsUpdate,
        security: PORTAL_SESSION_CSRF,
        response: { 200: PortalReminderSettings, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => service.updateReminderSettings(deps.db, requirePortalSession(request), request.body),
  );
}
