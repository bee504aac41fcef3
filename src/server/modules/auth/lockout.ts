import type { Updateable } from 'kysely';
import { audit, type AuditEntry } from '../../core/audit';
import type { RequestContext } from '../../core/context';
import type { UsersTable } from '../../db/schema';

/**
 * Per-account lockout (security-baseline L1–L2, after Entra and Keycloak): after 10
 * consecutive failures the account is locked for 60 s, doubling with each further
 * failure up to 15 minutes; never permanently. The count resets on a successful sign-in
 * or after 12 hours without a failure. A locked account gets the same answer as a wrong
 * password.
 */
export const LOCK_THRESHOLD = 10;
export const FIRST_LOCK_MS = 60_000;
export const MAX_LOCK_MS = 15 * 60_000;
export const FAILURE_RESET_MS = 12 * 60 * 60_000;

export interface LockState {
  failed_sign_ins: number;
  last_failed_sign_in_at: Date | null;
  locked_until: Date | null;
}

export function isLocked(s: LockState, now: Date): boolean {
  return s.locked_until !== null && s.locked_until.getTime() > now.getTime();
}

/** The state after one more failure at `now`. */
export function afterFailure(s: LockState, now: Date): LockState & { lockedNow: boolean } {
  const stale = s.last_failed_sign_in_at === null || now.getTime() - s.last_failed_sign_in_at.getTime() > FAILURE_RESET_MS;
  const failed = (stale ? 0 : s.failed_sign_ins) + 1;
  if (failed < LOCK_THRESHOLD) return { failed_sign_ins: failed, last_failed_sign_in_at: now, locked_until: s.locked_until, lockedNow: false };
  const lockMs = Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (failed - LOCK_THRESHOLD));
  return { failed_sign_ins: failed, last_failed_sign_in_at: now, locked_until: new Date(now.getTime() + lockMs), lockedNow: true };
}

/**
 * Count one failed password (sign-in or re-authentication) against the account, through
 * the caller's transaction: the counters move, and a lock that starts now is audited.
 * `extra` is written in the same UPDATE (e.g. the recent wrong-password fingerprints).
 */
export async function countPasswordFailure(
  tx: RequestContext,
  user: { id: string } & LockState,
  partnerId: string,
  opts: { actor?: AuditEntry['actor']; extra?: Updateable<UsersTable> } = {},
) {
  const next = afterFailure(user, tx.now);
  await tx.db
    .updateTable('users')
    .set({ ...opts.extra, failed_sign_ins: next.failed_sign_ins, last_failed_sign_in_at: next.last_failed_sign_in_at, locked_until: next.locked_until })
    .where('id', '=', user.id)
    .execute();
  if (next.lockedNow) {
    await audit(tx, { partnerId, action: 'user.locked_out', targetType: 'user', targetId: user.id, ...(opts.actor ? { actor: opts.actor } : {}), changes: { lockedUntil: { after: next.locked_until?.toISOString() } } });
  }
  return next;
}
