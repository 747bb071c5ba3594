// The "Ny borger" form's values, its checks while typing, and the server's field issues as form errors.
import type { MessageKey } from '../../i18n/i18n.tsx';
import { isIsoDate } from './citizenApi.ts';

export type NewCitizenValues = {
  cpr: string;
  firstName: string;
  lastName: string;
  phone: string;
  email: string;
  address: string;
  preferredContact: string;
  programmeId: string;
  startDate: string;
  benefitCode: string;
  visitationCode: string;
  referralSource: string;
  referralDate: string;
  referralReason: string;
  consultantIds: string[];
  caseworkerId: string;
  jobConsultantId: string;
};

export type NewCitizenField = Exclude<keyof NewCitizenValues, 'consultantIds'> | 'consultantIds';
export type NewCitizenErrors = Partial<Record<NewCitizenField, MessageKey>>;

/** DDMMYY-SSSS or 10 digits; whether the date exists is the server's call (replacement numbers add 60 to the day). */
export const CPR_FORMAT = /^\d{6}-?\d{4}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateNewCitizen(v: NewCitizenValues): NewCitizenErrors {
  const errors: NewCitizenErrors = {};
  const cpr = v.cpr.trim();
  if (!cpr) errors.cpr = 'newCitizen.error.cprMissing';
  else if (!CPR_FORMAT.test(cpr)) errors.cpr = 'newCitizen.error.cprFormat';
  if (!v.firstName.trim()) errors.firstName = 'newCitizen.error.firstNameMissing';
  if (!v.lastName.trim()) errors.lastName = 'newCitizen.error.lastNameMissing';
  if (v.email.trim() && !EMAIL.test(v.email.trim())) errors.email = 'newCitizen.error.email';
  if (!v.programmeId) errors.programmeId = 'newCitizen.error.programmeMissing';
  if (!v.startDate) errors.startDate = 'newCitizen.error.startDateMissing';
  else if (!isIsoDate(v.startDate)) errors.startDate = 'newCitizen.error.date';
  if (!v.benefitCode) errors.benefitCode = 'newCitizen.error.benefitMissing';
  if (v.referralDate && !isIsoDate(v.referralDate)) errors.referralDate = 'newCitizen.error.date';
  if (v.referralReason.length > 2000) errors.referralReason = 'newCitizen.error.tooLong';
  if (v.address.length > 300) errors.address = 'newCitizen.error.tooLong';
  return errors;
}

const ISSUE_TEXT: Record<string, MessageKey> = {
  cpr_date: 'newCitizen.error.cprDate',
  cpr_format: 'newCitizen.error.cprFormat',
  cpr_future: 'newCitizen.error.cprFuture',
  duplicate: 'newCitizen.error.duplicate',
  unknown_code: 'newCitizen.error.unknownCode',
  code_not_valid_on_date: 'newCitizen.error.codeNotValid',
  not_resource_consultant_in_programme: 'newCitizen.error.notInProgramme',
  not_caseworker_in_programme: 'newCitizen.error.notInProgramme',
  not_job_consultant_in_programme: 'newCitizen.error.notInProgramme',
  already_enrolled: 'newCitizen.error.alreadyEnrolled',
};

const FIELD_OF_PATH: Record<string, NewCitizenField> = {
  cpr: 'cpr',
  firstName: 'firstName',
  lastName: 'lastName',
  phone: 'phone',
  email: 'email',
  address: 'address',
  preferredContact: 'preferredContact',
  'enrolment.referralDate': 'referralDate',
  'enrolment.referralReason': 'referralReason',
  'enrolment.programmeId': 'programmeId',
  programmeId: 'programmeId',
  'enrolment.startDate': 'startDate',
  'enrolment.benefitCode': 'benefitCode',
  'enrolment.visitationCode': 'visitationCode',
  'enrolment.referralSource': 'referralSource',
  'enrolment.caseworkerId': 'caseworkerId',
  'enrolment.jobConsultantId': 'jobConsultantId',
};

export function errorsFromServer(issues: { path: string; message: string }[]): NewCitizenErrors {
  const errors: NewCitizenErrors = {};
  for (const issue of issues) {
    const path = issue.path.replace(/^body\./, '');
    const field = path.startsWith('enrolment.consultantIds') ? 'consultantIds' : FIELD_OF_PATH[path];
    if (field) errors[field] = ISSUE_TEXT[issue.message] ?? 'newCitizen.error.invalid';
  }
  return errors;
}

export const FIELD_ORDER: NewCitizenField[] = [
  'cpr',
  'firstName',
  'lastName',
  'phone',
  'email',
  'programmeId',
  'startDate',
  'benefitCode',
  'visitationCode',
  'referralSource',
  'address',
  'preferredContact',
  'referralDate',
  'referralReason',
  'consultantIds',
  'caseworkerId',
  'jobConsultantId',
];

/** The fields in the collapsed "Flere oplysninger" section: it opens when one of them needs attention. */
export const MORE_FIELDS: NewCitizenField[] = ['address', 'preferredContact', 'referralDate', 'referralReason'];

export const fieldId = (field: NewCitizenField) => `new-citizen-${field}`;
