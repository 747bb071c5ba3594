// The portal's sections for a citizen logged in at the level "substantial" (MitID): each is one page of its own,
// reached from the portal's menu at /portal/<path>. A session at the level "low" (a one-time code) sees none of
// them: only the limited view. Each section is one entry here, its page in a file of its own.
import type { ComponentType } from 'react';
import type { MessageKey } from '../../i18n/i18n.tsx';
import { AppointmentsPage } from './AppointmentsPage.tsx';
import { PlanPage } from './PlanPage.tsx';
import { ConsentsPage } from './ConsentsPage.tsx';
import { AccessLogPage } from './AccessLogPage.tsx';
import { InsightPage } from './InsightPage.tsx';
import { QuestionnairesPage } from './QuestionnairesPage.tsx';
import { RemarksPage } from './RemarksPage.tsx';
import { RemindersPage } from './RemindersPage.tsx';
import { ResearchPage } from './ResearchPage.tsx';

export interface PortalSectionProps {
  /** The portal session's CSRF token, for the section's changes. */
  csrf: string;
}

export interface PortalSection {
  /** The path under /portal/, without slashes (e.g. "plan"). */
  path: string;
  /** The menu's label (and the page's first heading). */
  labelKey: MessageKey;
  Component: ComponentType<PortalSectionProps>;
}

export const PORTAL_SECTIONS: PortalSection[] = [
  { path: 'plan', labelKey: 'portal.plan.nav', Component: PlanPage },
  { path: 'aftaler', labelKey: 'portal.appointments.nav', Component: AppointmentsPage },
  { path: 'samtykker', labelKey: 'portal.consents.nav', Component: ConsentsPage },
  { path: 'log', labelKey: 'portal.log.title', Component: AccessLogPage },
  { path: 'indsigt', labelKey: 'portal.insight.nav', Component: InsightPage },
  { path: 'spoergeskemaer', labelKey: 'portal.questionnaires.nav', Component: QuestionnairesPage },
  { path: 'bemaerkninger', labelKey: 'portal.remarks.nav', Component: RemarksPage },
  { path: 'paamindelser', labelKey: 'portal.reminders.nav', Component: RemindersPage },
  { path: 'forskning', labelKey: 'portal.research.nav', Component: ResearchPage },
];
