import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

/** RFC 6238 TOTP as every authenticator app expects it: SHA-1, 6 digits, 30 s. */
const PERIOD = 30;
const ISSUER = 'Partner Space';

function totp(secretBase32: string, label = 'user'): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secretBase32) });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export async function totpEnrolment(secretBase32: string, account: string) {
  const otpauthUrl = totp(secretBase32, account).toString();
  const qrDataUrl = await QRCode.toDataURL(otpauthUrl, { errorCorrectionLevel: 'M', margin: 1, width: 200 });
  return { secret: secretBase32, otpauthUrl, qrDataUrl };
}

/**
 * The time step a code belongs to (one step of clock drift either way), or null.
 * Callers refuse a step at or before the last one accepted, so a code works once.
 */
export function matchTotp(secretBase32: string, code: string, now: Date): number | null {
  const delta = totp(secretBase32).validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / PERIOD) + delta;
}

/** The current code (tests and the demo use it the way an authenticator app would). */
export function currentTotp(secretBase32: string, now: Date): string {
  return totp(secretBase32).generate({ timestamp: now.getTime() });
}
