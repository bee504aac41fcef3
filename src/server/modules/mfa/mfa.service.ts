import { randomInt } from 'node:crypto';
import { audit } from '../../core/audit';
import { inTransaction, requireUser, type RequestContext } from '../../core/context';
import { decryptField, encryptField } from '../../core/crypto';
import { AppError } from '../../core/errors';
import { formatWhen, t } from '../../core/i18n';
import { hashPassword, verifyPassword } from '../../core/passwords';
import type { Db } from '../../db/database';
import { afterFailure } from '../auth/lockout';
import { ABSOLUTE_TIMEOUT_MS } from '../auth/sessions.repo';
import { matchTotp, newTotpSecret, totpEnrolment } from './totp';

export const RECOVERY_CODE_COUNT = 10;
/** Wrong codes one half-signed-in session may try before it ends. */
export const MFA_ATTEMPTS_PER_SESSION = 5;
/** Wrong codes per account in this window lock it for the window (security baseline M4). */
export const MFA_FAILURES_PER_WINDOW = 5;
export const MFA_FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** A session that still owes its second factor lives this long. */
export const MFA_PENDING_TTL_MS = 10 * 60 * 1000;
const PURPOSE = 'totp';

export type MfaState = 'disabled' | 'enabled' | 'enforced';
export type MfaPending = 'challenge' | 'register' | null;

/**
 * What sign-in owes after the password: the registered factor ('challenge'); a factor to
 * register first ('register': the user's state says so, or the company requires MFA); or nothing.
 */
export function secondFactorDue(user: { mfa_state: MfaState; totp_secret: string | null }, companyRequiresMfa: boolean): MfaPending {
  if (user.mfa_state === 'enforced' && user.totp_secret) return 'challenge';
  if (user.mfa_state === 'enabled' || companyRequiresMfa) return 'register';
  return null;
}

/**
 * Recovery codes (security baseline M5): 16 base32 characters (80 bits), shown as
 * xxxx-xxxx-xxxx-xxxx. Under 112 bits, so they are stored argon2id-hashed like passwords.
 */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
function recoveryCode(): string {
  let s = '';
  for (let i = 0; i < 16; i += 1) s += ALPHABET[randomInt(0, ALPHABET.length)];
  return s.match(/.{4}/g)!.join('-');
}
const normaliseRecovery = (code: string) => code.toLowerCase().replace(/[^a-z2-7]/g, '');

async function replaceRecoveryCodes(ctx: RequestContext, userId: string, codes: string[], hashes: string[]): Promise<string[]> {
  await ctx.db.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
  await ctx.db
    .insertInto('mfa_recovery_codes')
    .values(hashes.map((h) => ({ user_id: userId, code_hash: h, used_at: null })))
    .execute();
  return codes;
}

/** New codes and their hashes, computed before any transaction opens (argon2 takes a while). */
async function newRecoveryCodes(ctx: RequestContext): Promise<{ codes: string[]; hashes: string[] }> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, recoveryCode);
  const hashes = await Promise.all(codes.map((c) => hashPassword(ctx.deps.config.secrets.pepper, normaliseRecovery(c))));
  return { codes, hashes };
}

/** The unused recovery code this is, if any (each stored hash is tried: at most ten). */
async function matchRecoveryCode(ctx: RequestContext, userId: string, code: string): Promise<string | null> {
  const plain = normaliseRecovery(code);
  if (plain.length !== 16) return null;
  const rows = await ctx.db.selectFrom('mfa_recovery_codes').select('code_hash').where('user_id', '=', userId).where('used_at', 'is', null).execute();
  for (const r of rows) if (await verifyPassword(ctx.deps.config.secrets.pepper, r.code_hash, plain)) return r.code_hash;
  return null;
}

function mfaRow(db: Db, partnerId: string, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'locale', 'mfa_state', 'totp_secret', 'totp_pending_secret', 'totp_last_step', 'must_change_password', 'failed_sign_ins', 'last_failed_sign_in_at', 'locked_until'])
    .where('partner_id', '=', partnerId)
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
}

/** The session has presented its second factor: it may now do everything its roles allow. */
async function passSession(ctx: RequestContext, tokenHash: string) {
  const session = await ctx.db.selectFrom('sessions').select('created_at').where('token_hash', '=', tokenHash).executeTakeFirstOrThrow();
  await ctx.db
    .updateTable('sessions')
    .set({ mfa_passed: true, mfa_pending: null, mfa_attempts: 0, expires_at: new Date(session.created_at.getTime() + ABSOLUTE_TIMEOUT_MS) })
    .where('token_hash', '=', tokenHash)
    .execute();
}

/**
 * A wrong code: audited, counted against the session (it ends after 5) and against the
 * account's lockout, like a wrong password.
 */
async function wrongCode(ctx: RequestContext, action: string): Promise<never> {
  const p = requireUser(ctx);
  await inTransaction(ctx, async (tx) => {
    const row = await mfaRow(tx.db, p.partnerId, p.userId);
    const next = afterFailure(row, tx.now);
    await tx.db
      .updateTable('users')
      .set({ failed_sign_ins: next.failed_sign_ins, last_failed_sign_in_at: next.last_failed_sign_in_at, locked_until: next.locked_until })
      .where('id', '=', p.userId)
      .execute();
    const s = await tx.db
      .updateTable('sessions')
      .set((eb) => ({ mfa_attempts: eb('mfa_attempts', '+', 1) }))
      .where('token_hash', '=', p.session.tokenHash)
      .returning('mfa_attempts')
      .executeTakeFirst();
    await audit(tx, { partnerId: p.partnerId, action, targetType: 'user', targetId: p.userId, outcome: 'failure' });
    // Five wrong codes on the account within 15 minutes lock it for 15 minutes (M4).
    const recent = await tx.db
      .selectFrom('audit_records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('partner_id', '=', p.partnerId)
      .where('at', '>', new Date(tx.now.getTime() - MFA_FAILURE_WINDOW_MS))
      .where('target_id', '=', p.userId)
      .where('action', 'in', ['mfa.challenge', 'mfa.registered'])
      .where('outcome', '=', 'failure')
      .executeTakeFirstOrThrow();
    if (Number(recent.n) >= MFA_FAILURES_PER_WINDOW) {
      const until = new Date(tx.now.getTime() + MFA_FAILURE_WINDOW_MS);
      if (!next.locked_until || next.locked_until < until) {
        await tx.db.updateTable('users').set({ locked_until: until }).where('id', '=', p.userId).execute();
        next.locked_until = until;
        next.lockedNow = true;
      }
    }
    if (next.lockedNow) {
      await audit(tx, { partnerId: p.partnerId, action: 'user.locked_out', targetType: 'user', targetId: p.userId, changes: { lockedUntil: { after: next.locked_until?.toISOString() } } });
    }
    if (!s || s.mfa_attempts >= MFA_ATTEMPTS_PER_SESSION || next.lockedNow) {
      await tx.db.deleteFrom('sessions').where('token_hash', '=', p.session.tokenHash).execute();
      await audit(tx, { partnerId: p.partnerId, action: 'session.ended_after_mfa_failures', targetType: 'user', targetId: p.userId });
    }
  });
  throw new AppError('MFA_CODE_INVALID', {}, [{ field: 'code', reason: 'invalid', message: '' }]);
}

/** Start registering an authenticator app: a new secret, kept pending until a code proves it. */
export async function startTotpRegistration(ctx: RequestContext) {
  const p = requireUser(ctx);
  const row = await mfaRow(ctx.db, p.partnerId, p.userId);
  // Replacing a registered factor needs a session that presented it.
  if (row.totp_secret && !ctx.principal?.session.mfaPassed) throw new AppError('MFA_STATE_CONFLICT');
  const secret = newTotpSecret();
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .updateTable('users')
      .set({ totp_pending_secret: encryptField(ctx.deps.config.secrets.fieldKey, PURPOSE, secret), updated_at: tx.now })
      .where('partner_id', '=', p.partnerId)
      .where('id', '=', p.userId)
      .execute();
    await audit(tx, { partnerId: p.partnerId, action: 'mfa.registration_started', targetType: 'user', targetId: p.userId });
  });
  return totpEnrolment(secret, p.email);
}

/** Finish registration with a code from the app: the factor is enforced, this session passes MFA, recovery codes are shown once. */
export async function verifyTotpRegistration(ctx: RequestContext, code: string) {
  const p = requireUser(ctx);
  const { fieldKey } = ctx.deps.config.secrets;
  const row = await mfaRow(ctx.db, p.partnerId, p.userId);
  if (!row.totp_pending_secret) throw new AppError('MFA_STATE_CONFLICT');
  const secret = decryptField(fieldKey, PURPOSE, row.totp_pending_secret);
  const step = /^\d{6}$/.test(code) ? matchTotp(secret, code, ctx.now) : null;
  if (step === null) return wrongCode(ctx, 'mfa.registered');
  const fresh = await newRecoveryCodes(ctx);
  const recoveryCodes = await inTransaction(ctx, async (tx) => {
    await tx.db
      .updateTable('users')
      .set({ totp_secret: row.totp_pending_secret, totp_pending_secret: null, totp_last_step: step, mfa_state: 'enforced', failed_sign_ins: 0, locked_until: null, updated_at: tx.now })
      .where('partner_id', '=', p.partnerId)
      .where('id', '=', p.userId)
      .execute();
    const codes = await replaceRecoveryCodes(tx, p.userId, fresh.codes, fresh.hashes);
    await passSession(tx, p.session.tokenHash);
    await audit(tx, { partnerId: p.partnerId, action: 'mfa.registered', targetType: 'user', targetId: p.userId, changes: { mfaState: { before: row.mfa_state, after: 'enforced' } } });
    return codes;
  });
  return { recoveryCodes, passwordChangeRequired: row.must_change_password };
}

/** Present the second factor after the password: a current TOTP code (once) or an unused recovery code. */
export async function completeChallenge(ctx: RequestContext, code: string) {
  const p = requireUser(ctx);
  if (p.session.mfaPending !== 'challenge') throw new AppError('MFA_STATE_CONFLICT');
  const { fieldKey } = ctx.deps.config.secrets;
  const row = await mfaRow(ctx.db, p.partnerId, p.userId);
  if (!row.totp_secret) throw new AppError('MFA_STATE_CONFLICT');
  const trimmed = code.trim();
  let method: 'totp' | 'recovery_code';
  let step: number | null = null;
  if (/^\d{6}$/.test(trimmed)) {
    method = 'totp';
    step = matchTotp(decryptField(fieldKey, PURPOSE, row.totp_secret), trimmed, ctx.now);
    if (step === null || (row.totp_last_step !== null && step <= row.totp_last_step)) return wrongCode(ctx, 'mfa.challenge');
  } else {
    method = 'recovery_code';
    const hash = await matchRecoveryCode(ctx, p.userId, trimmed);
    // Marked used only if still unused: two concurrent uses of one code cannot both pass.
    const used = hash
      ? await ctx.db.updateTable('mfa_recovery_codes').set({ used_at: ctx.now }).where('user_id', '=', p.userId).where('code_hash', '=', hash).where('used_at', 'is', null).returning('code_hash').executeTakeFirst()
      : undefined;
    if (!used) return wrongCode(ctx, 'mfa.challenge');
  }
  const left = await inTransaction(ctx, async (tx) => {
    await tx.db
      .updateTable('users')
      .set({ ...(step !== null ? { totp_last_step: step } : {}), failed_sign_ins: 0, last_failed_sign_in_at: null })
      .where('id', '=', p.userId)
      .execute();
    await passSession(tx, p.session.tokenHash);
    await audit(tx, { partnerId: p.partnerId, action: 'mfa.challenge', targetType: 'user', targetId: p.userId, changes: { method: { after: method } } });
    const r = await tx.db.selectFrom('mfa_recovery_codes').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', p.userId).where('used_at', 'is', null).executeTakeFirstOrThrow();
    return Number(r.n);
  });
  return { passwordChangeRequired: row.must_change_password, recoveryCodesLeft: left };
}

/** New recovery codes (the old ones stop working); needs a session that passed MFA. */
export async function regenerateRecoveryCodes(ctx: RequestContext) {
  const p = requireUser(ctx);
  const row = await mfaRow(ctx.db, p.partnerId, p.userId);
  if (!row.totp_secret || !p.session.mfaPassed) throw new AppError('MFA_STATE_CONFLICT');
  const fresh = await newRecoveryCodes(ctx);
  return inTransaction(ctx, async (tx) => {
    const recoveryCodes = await replaceRecoveryCodes(tx, p.userId, fresh.codes, fresh.hashes);
    await audit(tx, { partnerId: p.partnerId, action: 'mfa.recovery_codes_regenerated', targetType: 'user', targetId: p.userId });
    return { recoveryCodes };
  });
}

/** My MFA status, for My profile. */
export async function myMfaStatus(ctx: RequestContext) {
  const p = requireUser(ctx);
  const [row, partner, left] = await Promise.all([
    mfaRow(ctx.db, p.partnerId, p.userId),
    ctx.db.selectFrom('partners').select('mfa_required').where('id', '=', p.partnerId).executeTakeFirstOrThrow(),
    ctx.db.selectFrom('mfa_recovery_codes').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', p.userId).where('used_at', 'is', null).executeTakeFirstOrThrow(),
  ]);
  return {
    state: row.mfa_state,
    registered: row.totp_secret !== null,
    companyRequired: partner.mfa_required,
    sessionPassed: p.session.mfaPassed,
    recoveryCodesLeft: Number(left.n),
  };
}

/**
 * A Global admin resets a user's MFA: the factor and recovery codes are deleted, their
 * sessions end, and they register again at next sign-in when MFA is required.
 */
export async function resetUserMfa(ctx: RequestContext, userId: string, onSessionsChanged: (userId: string) => void) {
  const p = requireUser(ctx);
  const target = await ctx.db.selectFrom('users').select(['id', 'email', 'locale', 'mfa_state']).where('partner_id', '=', p.partnerId).where('id', '=', userId).executeTakeFirst();
  if (!target) throw new AppError('NOT_FOUND');
  await inTransaction(ctx, async (tx) => {
    const next: MfaState = target.mfa_state === 'disabled' ? 'disabled' : 'enabled';
    await tx.db
      .updateTable('users')
      .set({ totp_secret: null, totp_pending_secret: null, totp_last_step: null, mfa_state: next, updated_at: tx.now })
      .where('partner_id', '=', p.partnerId)
      .where('id', '=', userId)
      .execute();
    await tx.db.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
    await tx.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await audit(tx, { partnerId: p.partnerId, action: 'user.mfa_reset', targetType: 'user', targetId: userId, changes: { mfaState: { before: target.mfa_state, after: next } } });
  });
  onSessionsChanged(userId);
  const locale = target.locale ?? ctx.locale;
  await ctx.deps.mailer
    .send({ to: target.email, subject: t(locale, 'mail.mfaReset.subject'), text: t(locale, 'mail.mfaReset.body', { when: formatWhen(locale, ctx.now) }) })
    .catch((err: unknown) => ctx.log.warn({ err }, 'MFA reset notice not sent'));
}

/** A Global admin requires a user to register MFA at next sign-in ('enabled'), or stops requiring it ('disabled', only while no factor is registered). */
export async function setUserMfaState(ctx: RequestContext, userId: string, state: 'disabled' | 'enabled') {
  const p = requireUser(ctx);
  const target = await ctx.db.selectFrom('users').select(['id', 'mfa_state']).where('partner_id', '=', p.partnerId).where('id', '=', userId).executeTakeFirst();
  if (!target) throw new AppError('NOT_FOUND');
  if (target.mfa_state === 'enforced') throw new AppError('MFA_STATE_CONFLICT');
  if (target.mfa_state !== state) {
    await inTransaction(ctx, async (tx) => {
      await tx.db.updateTable('users').set({ mfa_state: state, updated_at: tx.now }).where('partner_id', '=', p.partnerId).where('id', '=', userId).execute();
      await audit(tx, { partnerId: p.partnerId, action: 'user.mfa_state_changed', targetType: 'user', targetId: userId, changes: { mfaState: { before: target.mfa_state, after: state } } });
    });
  }
  return { state };
}
