import { hash, verify } from '@node-rs/argon2';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ErrorDetail } from './errors';

/**
 * Passwords (security-baseline §1.1): NFKC-normalised, 15 to 128 code points, no
 * composition rules, checked against a 50,000-entry common-password list and the
 * context (company name, email). Stored as argon2id (m=19456 KiB, t=2, p=1) over an
 * HMAC-SHA-256 of the password keyed with the server pepper.
 */
export const PASSWORD_MIN = 15;
export const PASSWORD_MAX = 128;

const ARGON2 = { algorithm: 2 /* Algorithm.Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

const require = createRequire(import.meta.url);
let common: { test(pw: string): boolean } | undefined;
function commonList() {
  common ??= require('fxa-common-password-list') as { test(pw: string): boolean };
  return common;
}

function prehash(pepper: Buffer, password: string): string {
  return createHmac('sha256', pepper).update(password.normalize('NFKC'), 'utf8').digest('base64');
}

export function hashPassword(pepper: Buffer, password: string): Promise<string> {
  return hash(prehash(pepper, password), ARGON2);
}

export async function verifyPassword(pepper: Buffer, stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, prehash(pepper, password));
  } catch {
    return false;
  }
}

/** Returns the reasons a password is refused; an empty list means it is acceptable. */
export function passwordProblems(password: string, context: string[] = []): ErrorDetail[] {
  const normalised = password.normalize('NFKC');
  const length = [...normalised].length;
  const problems: ErrorDetail[] = [];
  const field = 'password';
  if (length < PASSWORD_MIN) problems.push({ field, reason: 'too_short', message: '', params: { min: PASSWORD_MIN } });
  if (length > PASSWORD_MAX) problems.push({ field, reason: 'too_long', message: '', params: { max: PASSWORD_MAX } });
  const lower = normalised.toLowerCase();
  if (problems.length === 0 && commonList().test(lower)) problems.push({ field, reason: 'common', message: '' });
  const words = context
    .flatMap((c) => c.toLowerCase().split(/[^\p{L}\p{N}]+/u))
    .filter((w) => [...w].length >= 4);
  if (words.some((w) => lower.includes(w))) problems.push({ field, reason: 'contextual', message: '' });
  return problems;
}
