// The ordered list of migrations; a new file is added here with the next number.
import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.ts';
import * as m0002 from './0002-citizens.ts';
import * as m0003 from './0003-national-code-lists.ts';
import * as m0004 from './0004-audit-tamper-evidence.ts';
import * as m0005 from './0005-accounts.ts';
import * as m0006 from './0006-notes-keyset.ts';
import * as m0007 from './0007-audit-guards.ts';
import * as m0008 from './0008-reference-version.ts';
import * as m0009 from './0009-activities.ts';
import * as m0010 from './0010-course-min-plan-reminders.ts';
import * as m0011 from './0011-progression.ts';
import * as m0012 from './0012-cohort-aggregates.ts';
import * as m0013 from './0013-cross-organisation.ts';
import * as m0017 from './0017-transitions.ts';
import * as m0018 from './0018-consultations.ts';
import * as m0019 from './0019-company-disclosures.ts';
import * as m0021 from './0021-citizen-portal.ts';
import * as m0022 from './0022-portal-mitid.ts';
import * as m0023 from './0023-portal-consent-withdrawal.ts';
import * as m0024 from './0024-portal-plan-appointments.ts';
import * as m0025 from './0025-citizen-access-log.ts';
import * as m0028 from './0028-studies.ts';
import * as m0029 from './0029-portal-questionnaires.ts';
import * as m0030 from './0030-access-requests.ts';
import * as m0031 from './0031-portal-remarks-confirmations.ts';
import * as m0032 from './0032-portal-reminders.ts';
import * as m0033 from './0033-steering-dashboard.ts';
import * as m0034 from './0034-study-exports.ts';
import * as m0035 from './0035-study-questionnaires.ts';
import * as m0036 from './0036-access-request-follow-ups.ts';
import * as m0037 from './0037-dashboard-activity-days.ts';
import * as m0038 from './0038-register-linkage-study-end.ts';
import * as m0039 from './0039-dashboard-enrolment-days.ts';

export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-citizens': m0002,
  '0003-national-code-lists': m0003,
  '0004-audit-tamper-evidence': m0004,
  '0005-accounts': m0005,
  '0006-notes-keyset': m0006,
  '0007-audit-guards': m0007,
  '0008-reference-version': m0008,
  '0009-activities': m0009,
  '0010-course-min-plan-reminders': m0010,
  '0011-progression': m0011,
  '0012-cohort-aggregates': m0012,
  '0013-cross-organisation': m0013,
  '0017-transitions': m0017,
  '0018-consultations': m0018,
  '0019-company-disclosures': m0019,
  '0021-citizen-portal': m0021,
  '0022-portal-mitid': m0022,
  '0023-portal-consent-withdrawal': m0023,
  '0024-portal-plan-appointments': m0024,
  '0025-citizen-access-log': m0025,
  '0028-studies': m0028,
  '0029-portal-questionnaires': m0029,
  '0030-access-requests': m0030,
  '0031-portal-remarks-confirmations': m0031,
  '0032-portal-reminders': m0032,
  '0033-steering-dashboard': m0033,
  '0034-study-exports': m0034,
  '0035-study-questionnaires': m0035,
  '0036-access-request-follow-ups': m0036,
  '0037-dashboard-activity-days': m0037,
  '0038-register-linkage-study-end': m0038,
  '0039-dashboard-enrolment-days': m0039,
};
