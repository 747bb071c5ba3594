// Pseudonyms and date shifts of research exports. Each study has its own key, derived with HKDF-SHA256 from the
// RESEARCH_KEY secret and the study id: it is never stored, so the database alone cannot link a pseudonym to a
// citizen, and two studies' pseudonyms of one citizen cannot be linked without the secret. A pseudonym is
// "R" + 16 base32 letters/digits (80 bits of HMAC-SHA256): stable within a study, never purely numeric. The
// per-citizen date offset (shifted precision) comes from the same key, so it exists only while the export runs.
import { createHmac, hkdfSync } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Uint8Array, chars: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
    if (out.length >= chars) break;
  }
  return out;
}

export interface StudyKey {
  /** The pseudonym of a citizen (by Bindeled's internal citizen id) in this study. */
  pseudonym(citizenId: string): string;
  /** The citizen's date offset in days for shifted dates: ±1 to ±182 days, never 0. */
  shiftDays(citizenId: string): number;
}

/** The study's key (HKDF-SHA256 of the research key, salted with the study id); held in memory only. */
export function studyKey(researchKey: string, studyId: string): StudyKey {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(researchKey, 'utf8'), Buffer.from(studyId, 'utf8'), Buffer.from('bindeled research export v1', 'utf8'), 32));
  const mac = (label: string, id: string) => createHmac('sha256', key).update(`${label}\u0000${id}`).digest();
  return {
    pseudonym: (citizenId) => `R${base32(mac('pseudonym', citizenId), 16)}`,
    shiftDays: (citizenId) => {
      const n = mac('shift', citizenId).readUInt32BE(0);
      const magnitude = (n % 182) + 1;
      return n & 0x80000000 ? -magnitude : magnitude;
    },
  };
}
