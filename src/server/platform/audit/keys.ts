// The audit log's signing keys: AUDIT_KEY signs, retired keys and (while allowed) the legacy key
// derived from SESSION_SECRET only verify. Every signature is stored with the id of its key.
import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

export const LEGACY_KEY_ID = 'legacy';

export type SignedKind = 'head' | 'checkpoint' | 'purge' | 'anchor';

export interface AuditKeyRing {
  /** The key that signs; its id is stored beside every signature it makes. */
  current: { id: string; key: Buffer };
  /** Every key that verifies, by id (the current one included). */
  verifiers: Map<string, Buffer>;
}

/** The key that signed checkpoints and the head before AUDIT_KEY existed (derived from SESSION_SECRET). */
export function legacySigningKey(sessionSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', sessionSecret, 'bindeled', 'audit-checkpoint', 32));
}

function deriveKey(auditKey: string): { id: string; key: Buffer } {
  const key = Buffer.from(hkdfSync('sha256', auditKey, 'bindeled', 'audit-signing', 32));
  const idMaterial = Buffer.from(hkdfSync('sha256', auditKey, 'bindeled', 'audit-key-id', 32));
  return { id: `k-${createHash('sha256').update(idMaterial).digest('hex').slice(0, 16)}`, key };
}

export function auditKeyRing(opts: { auditKey: string; auditPreviousKeys?: string[]; auditLegacyVerify?: boolean; sessionSecret?: string }): AuditKeyRing {
  const current = deriveKey(opts.auditKey);
  const verifiers = new Map<string, Buffer>([[current.id, current.key]]);
  for (const previous of opts.auditPreviousKeys ?? []) {
    const k = deriveKey(previous);
    verifiers.set(k.id, k.key);
  }
  if ((opts.auditLegacyVerify ?? true) && opts.sessionSecret) verifiers.set(LEGACY_KEY_ID, legacySigningKey(opts.sessionSecret));
  return { current, verifiers };
}

function hmac(key: Buffer, parts: (string | number)[]): string {
  return createHmac('sha256', key).update(parts.join('|')).digest('hex');
}

/** The signed text: kind and key id first, so a signature of one kind never passes for another. */
export function signAudit(ring: AuditKeyRing, kind: SignedKind, parts: (string | number)[]): { keyId: string; signature: string } {
  return { keyId: ring.current.id, signature: hmac(ring.current.key, [kind, ring.current.id, ...parts]) };
}

/**
 * Checks a stored signature under the key its id names. Legacy signatures used the earlier formats:
 * a head over ('head', chain number, hash), a checkpoint over its fields alone; nothing else was signed.
 */
export function verifyAudit(ring: AuditKeyRing, kind: SignedKind, parts: (string | number)[], keyId: string, signature: string, legacyParts?: (string | number)[]): boolean {
  const key = ring.verifiers.get(keyId);
  if (!key) return false;
  let expected: string;
  if (keyId === LEGACY_KEY_ID) {
    if (!legacyParts) return false;
    expected = hmac(key, legacyParts);
  } else {
    expected = hmac(key, [kind, keyId, ...parts]);
  }
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  return a.length === b.length && timingSafeEqual(a, b);
}
