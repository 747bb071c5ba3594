// Pseudonyms and date shifts of research exports. Each study has its own key, derived with HKDF-SHA256 from the
// RESEARCH_KEY secret and the study id: it is never stored, so the database alone cannot link a pseudonym to a
// citizen, and two studies' pseudonyms of one citizen cannot be linked without the secret. A pseudonym is
// "R" + 16 base32 letters/digits (80 bits of HMAC-SHA256): stable within a study, never purely numeric. The
// per-citizen date offset (shifted precision) comes from the same key, so it exists only while the export runs.
// An export asks for the same citizen's pseudonym once per row (an activity file has a hundred rows a citizen): the
// job's key remembers each citizen's values while it runs, up to a bound (docs/decisions/0046).
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

/**
 * How many citizens' pseudonyms (and offsets) one export keeps (about 150 bytes each: 250,000 ≈ 40 MB). An HMAC
 * costs some 10 µs and a lookup well under 1; a study with more citizens starts the memo over when it is full,
 * which costs time, never a different value.
 */
export const MEMO_CITIZENS = 250_000;

/** The study key of one export job: the same values as `studyKey`, each citizen's computed once (bounded memo). */
export function memoStudyKey(key: StudyKey, bound = MEMO_CITIZENS): StudyKey {
  const memo = <T>(compute: (citizenId: string) => T) => {
    const known = new Map<string, T>();
    return (citizenId: string): T => {
      let value = known.get(citizenId);
      if (value === undefined) {
        if (known.size >= bound) known.clear();
        value = compute(citizenId);
        known.set(citizenId, value);
      }
      return value;
    };
  };
  return { pseudonym: memo((c) => key.pseudonym(c)), shiftDays: memo((c) => key.shiftDays(c)) };
}
