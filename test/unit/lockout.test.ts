import { describe, expect, it } from 'vitest';
import { afterFailure, FAILURE_RESET_MS, isLocked, type LockState } from '../../src/server/modules/auth/lockout';

const start: LockState = { failed_sign_ins: 0, last_failed_sign_in_at: null, locked_until: null };

function fail(times: number, from = start, at = new Date('2026-11-24T09:00:00Z'), stepMs = 1000) {
  let s = from;
  let now = at;
  const locks: (number | null)[] = [];
  for (let i = 0; i < times; i++) {
    const next = afterFailure(s, now);
    locks.push(next.lockedNow && next.locked_until ? next.locked_until.getTime() - now.getTime() : null);
    s = next;
    now = new Date(now.getTime() + stepMs);
  }
  return { s, locks, now };
}

describe('account lockout', () => {
  it('nine failures lock nothing; the tenth locks for 60 s', () => {
    const { locks } = fail(10);
    expect(locks.slice(0, 9).every((l) => l === null)).toBe(true);
    expect(locks[9]).toBe(60_000);
  });

  it('each further failure doubles the lock, up to 15 minutes, never permanent', () => {
    const { locks } = fail(16);
    expect(locks.slice(9)).toEqual([60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
  });

  it('the count starts again after 12 hours without a failure', () => {
    const { s, now } = fail(9);
    const later = new Date(now.getTime() + FAILURE_RESET_MS + 1);
    const next = afterFailure(s, later);
    expect(next.failed_sign_ins).toBe(1);
    expect(next.lockedNow).toBe(false);
  });

  it('a lock ends by itself', () => {
    const { s, now } = fail(10);
    expect(isLocked(s, now)).toBe(true);
    expect(isLocked(s, new Date(now.getTime() + 60_000))).toBe(false);
  });
});
