// Keeps CPR numbers unreadable at rest: AES-256-GCM encryption and a keyed hash for exact lookup and uniqueness.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

export interface CprVault {
  encrypt(digits: string): string;
  decrypt(stored: string): string;
  lookupHash(digits: string): string;
}

export function cprVault(rootKey: string): CprVault {
  const encKey = Buffer.from(hkdfSync('sha256', rootKey, 'bindeled', 'cpr-encryption', 32));
  const hashKey = Buffer.from(hkdfSync('sha256', rootKey, 'bindeled', 'cpr-lookup', 32));
  return {
    encrypt(digits) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(digits, 'utf8'), cipher.final()]);
      return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
    },
    decrypt(stored) {
      const [version, iv, tag, body] = stored.split('.');
      if (version !== 'v1' || !iv || !tag || !body) throw new Error('unknown CPR encryption format');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
    lookupHash(digits) {
      return createHmac('sha256', hashKey).update(digits).digest('hex');
    },
  };
}
