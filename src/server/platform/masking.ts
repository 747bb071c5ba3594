// CPR numbers hidden in free text (search boxes, filters) before the text is stored in the audit log.

/** What people put between the digits of a CPR number: spaces, dots, slashes and every kind of dash. */
const SEPARATORS = '\\s./\\-\\u2010-\\u2015\\u2212';
const DIGIT_RUN = new RegExp(`[0-9](?:[${SEPARATORS}]*[0-9]){5,}`, 'g');
const ONLY_DIGITS_AND_SEPARATORS = new RegExp(`^[0-9${SEPARATORS}]+$`);

/**
 * Masks every run of six or more digits, whatever stands between them (`010190 - 1234`, `010190–1234`,
 * `010190/1234`, `01.01.90 1234`), as DDMMYY-xxxx: free text bound for the audit log never holds a CPR number.
 */
export function maskCprLike(text: string): string {
  return text.replace(DIGIT_RUN, (run) => `${run.replace(/[^0-9]/g, '').slice(0, 6)}-xxxx`);
}

/** A search text of digits and separators only, as its digits (a CPR number or a birth date typed any way); else unchanged. */
export function compactDigits(q: string): string {
  return ONLY_DIGITS_AND_SEPARATORS.test(q) ? q.replace(/[^0-9]/g, '') : q;
}
