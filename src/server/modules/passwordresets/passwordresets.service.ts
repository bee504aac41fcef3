import { audit } from '../../core/audit';
import { inTransaction, type RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { t } from '../../core/i18n';
import { hashPassword, passwordProblems } from '../../core/passwords';
import { newToken, sha256 } from '../../core/tokens';
import { findUserForSignIn } from '../users/users.repo';

/** Reset links: 256-bit, stored as SHA-256, single use, 60 minutes (security-baseline R1). */
export const RESET_TTL_MS = 60 * 60 * 1000;

/**
 * Ask for a reset link. The answer never tells whether the account exists; the mail
 * says to ask an administrator when the company switched self-service reset off.
 */
export async function requestReset(ctx: RequestContext, input: { email: string }) {
  const user = await findUserForSignIn(ctx.db, input.email);
  if (!user || user.status !== 'active' || !user.email_verified_at) return { accepted: true as const };
  const row = await ctx.db
    .selectFrom('users as u')
    .innerJoin('partners as p', 'p.id', 'u.partner_id')
    .select(['u.locale', 'p.self_service_password_reset'])
    .where('u.id', '=', user.id)
    .executeTakeFirstOrThrow();
  const locale = row.locale ?? ctx.locale;
  if (!row.self_service_password_reset) {
    await ctx.deps.mailer.send({ to: user.email, subject: t(locale, 'mail.resetDisabled.subject'), text: t(locale, 'mail.resetDisabled.body') });
    return { accepted: true as const };
  }
  const token = newToken();
  await inTransaction(ctx, async (tx) => {
    // A new link voids the older ones.
    await tx.db.deleteFrom('password_resets').where('user_id', '=', user.id).execute();
    await tx.db
      .insertInto('password_resets')
      .values({ token_hash: sha256(token), user_id: user.id, expires_at: new Date(ctx.now.getTime() + RESET_TTL_MS), created_at: ctx.now })
      .execute();
    await audit(tx, { partnerId: user.partner_id, action: 'user.password_reset_requested', targetType: 'user', targetId: user.id, actor: { type: 'anonymous', id: null } });
  });
  // The link is built from configuration, never from the request's Host header.
  const url = `${ctx.deps.config.publicUrl}/reset-password?token=${token}`;
  await ctx.deps.mailer.send({ to: user.email, subject: t(locale, 'mail.reset.subject'), text: t(locale, 'mail.reset.body', { url, minutes: RESET_TTL_MS / 60000 }) });
  return { accepted: true as const };
}

/** Use a reset link: a new password, all sessions end, the lock and any temporary password are cleared. */
export async function confirmReset(ctx: RequestContext, input: { token: string; newPassword: string }, onSessionsChanged: (userId: string) => void) {
  const hash = sha256(input.token);
  const reset = await ctx.db
    .selectFrom('password_resets as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .innerJoin('partners as p', 'p.id', 'u.partner_id')
    .select(['r.user_id', 'r.expires_at', 'u.partner_id', 'u.email', 'p.company_name', 'p.self_service_password_reset'])
    .where('r.token_hash', '=', hash)
    .executeTakeFirst();
  if (!reset || reset.expires_at.getTime() <= ctx.now.getTime() || !reset.self_service_password_reset) throw new AppError('INVALID_RESET_TOKEN');
  const problems = passwordProblems(input.newPassword, [reset.company_name, reset.email.split('@')[0] ?? '']).map((d) => ({ ...d, field: 'newPassword' }));
  if (problems.length) throw new AppError('PASSWORD_POLICY', {}, problems);
  const passwordHash = await hashPassword(ctx.deps.config.secrets.pepper, input.newPassword);
  await inTransaction(ctx, async (tx) => {
    // Single use: whoever deletes the row first wins; a concurrent second use finds nothing.
    const used = await tx.db.deleteFrom('password_resets').where('token_hash', '=', hash).returning('user_id').executeTakeFirst();
    if (!used) throw new AppError('INVALID_RESET_TOKEN');
    await tx.db
      .updateTable('users')
      .set({ password_hash: passwordHash, must_change_password: false, temp_password_expires_at: null, failed_sign_ins: 0, locked_until: null, updated_at: tx.now })
      .where('id', '=', reset.user_id)
      .execute();
    await tx.db.deleteFrom('sessions').where('user_id', '=', reset.user_id).execute();
    await audit(tx, { partnerId: reset.partner_id, action: 'user.password_reset_completed', targetType: 'user', targetId: reset.user_id, actor: { type: 'anonymous', id: null } });
  });
  onSessionsChanged(reset.user_id);
}

export interface SecuritySettings {
  selfServicePasswordReset: boolean;
  mfaRequired: boolean;
}

export async function getSecuritySettings(ctx: RequestContext, partnerId: string): Promise<SecuritySettings> {
  const row = await ctx.db.selectFrom('partners').select(['self_service_password_reset', 'mfa_required']).where('id', '=', partnerId).executeTakeFirstOrThrow();
  return { selfServicePasswordReset: row.self_service_password_reset, mfaRequired: row.mfa_required };
}

/** Company security settings (Global admin): self-service password reset, and whether every user must use MFA. */
export async function setSecuritySettings(ctx: RequestContext, partnerId: string, input: Partial<SecuritySettings>): Promise<SecuritySettings> {
  return inTransaction(ctx, async (tx) => {
    const before = await getSecuritySettings(tx, partnerId);
    const after = { ...before, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) } as SecuritySettings;
    const changes: Record<string, { before: boolean; after: boolean }> = {};
    for (const k of ['selfServicePasswordReset', 'mfaRequired'] as const) if (before[k] !== after[k]) changes[k] = { before: before[k], after: after[k] };
    if (Object.keys(changes).length) {
      await tx.db
        .updateTable('partners')
        .set({ self_service_password_reset: after.selfServicePasswordReset, mfa_required: after.mfaRequired, updated_at: tx.now })
        .where('id', '=', partnerId)
        .execute();
      await audit(tx, { partnerId, action: 'partner.security_settings_changed', targetType: 'partner', targetId: partnerId, changes });
    }
    return after;
  });
}
