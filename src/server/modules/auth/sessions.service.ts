import { audit } from '../../core/audit';
import { inTransaction, type RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { hashPassword, verifyPassword } from '../../core/passwords';
import { hmac, newToken, sha256 } from '../../core/tokens';
import type { IpFailureBucket } from './ip-failures';
import { findUserForSignIn } from '../users/users.repo';
import { MFA_PENDING_TTL_MS, secondFactorDue, type MfaPending } from '../mfa/mfa.service';
import { countPasswordFailure, isLocked, type LockState } from './lockout';
import { deleteSession, insertSession } from './sessions.repo';

let dummyHash: Promise<string> | undefined;
/** Unknown emails still pay for one argon2 verification, so timing does not tell them apart. */
export function dummyPasswordHash(pepper: Buffer): Promise<string> {
  dummyHash ??= hashPassword(pepper, 'partner-space-timing-equaliser-not-a-password');
  return dummyHash;
}

export interface IssuedSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function openSession(
  ctx: RequestContext,
  s: { kind: 'user'; userId: string; partnerId: string; mfaPending?: MfaPending } | { kind: 'operator'; operatorId: string },
): Promise<IssuedSession> {
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = await insertSession(ctx.db, {
    tokenHash: sha256(token),
    ...s,
    csrfToken,
    mfaPassed: false,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    now: ctx.now,
    // A session that still owes its second factor is short-lived until it presents it.
    ...('mfaPending' in s && s.mfaPending ? { ttlMs: MFA_PENDING_TTL_MS } : {}),
  });
  return { token, csrfToken, expiresAt };
}

/**
 * Email + password sign-in. A wrong password and an unknown email get the same answer.
 * An IP that failed too often (`ipFailures`, baseline L3) is refused before any check.
 */
export async function signIn(ctx: RequestContext, input: { email: string; password: string }, ipFailures?: IpFailureBucket) {
  const { pepper, tokenKey } = ctx.deps.config.secrets;
  const retryAfterS = ipFailures?.retryAfterS(ctx.ip, ctx.now) ?? 0;
  if (retryAfterS > 0) throw new AppError('RATE_LIMITED', { retryAfterS });
  const user = await findUserForSignIn(ctx.db, input.email);
  const ok = await verifyPassword(pepper, user?.password_hash ?? (await dummyPasswordHash(pepper)), input.password);
  const tempExpired = user?.must_change_password && user.temp_password_expires_at !== null && user.temp_password_expires_at.getTime() <= ctx.now.getTime();
  const locked = user !== undefined && isLocked(user, ctx.now);
  if (!user || !ok || user.status !== 'active' || tempExpired || locked) {
    ipFailures?.fail(ctx.ip, ctx.now);
    if (user) await recordFailure(ctx, user, locked, ok ? null : hmac(tokenKey, `signin:${user.id}:${input.password.normalize('NFKC')}`));
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (!user.email_verified_at) throw new AppError('EMAIL_NOT_VERIFIED');
  const partner = await ctx.db.selectFrom('partners').select('mfa_required').where('id', '=', user.partner_id).executeTakeFirstOrThrow();
  const mfaPending = secondFactorDue(user, partner.mfa_required);
  return inTransaction(ctx, async (tx) => {
    const session = await openSession(tx, { kind: 'user', userId: user.id, partnerId: user.partner_id, mfaPending });
    await tx.db.updateTable('users').set({ last_sign_in_at: ctx.now, failed_sign_ins: 0, last_failed_sign_in_at: null, locked_until: null, recent_failed_fingerprints: [] }).where('id', '=', user.id).execute();
    await audit(tx, { partnerId: user.partner_id, action: 'session.sign_in', targetType: 'user', targetId: user.id, actor: { type: 'user', id: user.id } });
    return {
      ...session,
      userId: user.id,
      mfaRequired: mfaPending !== null,
      mfaRegistrationRequired: mfaPending === 'register',
      passwordChangeRequired: user.must_change_password,
    };
  });
}

/**
 * Count a failed sign-in against the account, lock it when due, and audit both. The same
 * wrong password again (one of the last three) is audited but not counted (baseline L2):
 * a user retrying a stale saved password should not lock themselves out.
 */
async function recordFailure(
  ctx: RequestContext,
  user: { id: string; partner_id: string; recent_failed_fingerprints: string[] } & LockState,
  locked: boolean,
  fingerprint: string | null,
): Promise<void> {
  const actor = { type: 'anonymous' as const, id: null };
  const repeated = fingerprint !== null && user.recent_failed_fingerprints.includes(fingerprint);
  await inTransaction(ctx, async (tx) => {
    if (!locked && !repeated) {
      const recent = fingerprint ? [fingerprint, ...user.recent_failed_fingerprints].slice(0, 3) : user.recent_failed_fingerprints;
      await countPasswordFailure(tx, user, user.partner_id, { actor, extra: { recent_failed_fingerprints: recent } });
    }
    await audit(tx, { partnerId: user.partner_id, action: 'session.sign_in', targetType: 'user', targetId: user.id, outcome: 'failure', actor, ...(repeated ? { changes: { repeatedPassword: { after: true } } } : {}) });
  });
}

export async function signOut(ctx: RequestContext): Promise<void> {
  const p = ctx.principal;
  if (!p) return;
  await inTransaction(ctx, async (tx) => {
    await deleteSession(tx.db, p.session.tokenHash);
    await audit(tx, {
      partnerId: p.kind === 'operator' ? null : p.partnerId,
      action: 'session.sign_out',
      targetType: p.kind,
      targetId: p.kind === 'user' ? p.userId : p.kind === 'app' ? p.appId : p.operatorId,
    });
  });
}
