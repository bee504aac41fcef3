import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption of sensitive fields at rest (TOTP secrets, and later banking and tax ids):
 * AES-256-GCM with a random 96-bit IV and the field's purpose bound as associated data,
 * so a value copied into another column does not decrypt. The key is derived from
 * FIELD_KEY with HKDF per purpose. Stored form: `v1.<base64url(iv | tag | ciphertext)>`.
 */
const VERSION = 'v1';

function keyFor(fieldKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', fieldKey, Buffer.alloc(0), `partner-space:${purpose}`, 32));
}

export function encryptField(fieldKey: Buffer, purpose: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(fieldKey, purpose), iv);
  cipher.setAAD(Buffer.from(purpose));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

export function decryptField(fieldKey: Buffer, purpose: string, stored: string): string {
  const [version, payload] = stored.split('.');
  if (version !== VERSION || !payload) throw new Error('unknown encrypted field format');
  const raw = Buffer.from(payload, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', keyFor(fieldKey, purpose), raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(purpose));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
