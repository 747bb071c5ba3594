// The code lists of knowledge transfers and disclosures, as plain constants: the UI imports them without pulling in zod.

/** Seed 003's four questions, in the order they are asked. */
export const QUESTION_CODES = ['offers', 'support', 'expectations', 'companies'] as const;
/** The categories the region may pass on (the same codes as the consents' categories). */
export const REGION_CATEGORY_CODES = ['treatment_summary', 'work_considerations', 'support_needs', 'work_medication', 'crisis_plan', 'treatment_attendance', 'progression_measurements'] as const;
/** The municipality's case staff who may receive health information. */
export const RECIPIENT_ROLES = ['resource_consultant', 'caseworker', 'job_consultant', 'programme_manager'] as const;
export const CHANNELS = ['digital', 'oral', 'meeting'] as const;
/** Sundhedsloven §43 stk. 2 nr. 1–3. */
export const EXCEPTION_GROUNDS = ['required_by_law', 'vital_interest', 'supervision'] as const;
