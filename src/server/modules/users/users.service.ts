import { randomUUID } from 'node:crypto';
import { audit } from '../../core/audit';
import { inTransaction, requirePartnerActor, requireUser, type RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { formatWhen, t } from '../../core/i18n';
import { hashPassword, passwordProblems, verifyPassword } from '../../core/passwords';
import { generatePassword } from '../operators/operators.service';
import { checkAssignableRoles, holdsAll, permissionsOfRoles } from '../roles/roles.service';
import {
  countActiveGlobalAdmins, emailTaken, findUser, insertUser, lockPartner, replaceRoles,
} from './users.repo';

/** A temporary password is valid for 24 hours or until it is replaced (security-baseline R5). */
export const TEMP_PASSWORD_TTL_MS = 24 * 60 * 60 * 1000;

export type UserRow = NonNullable<Awaited<ReturnType<typeof findUser>>>;

export function presentUser(u: Pick<UserRow, 'id' | 'first_name' | 'last_name' | 'email' | 'status' | 'created_at' | 'last_sign_in_at' | 'roles' | 'mfa_state' | 'invited_at'>) {
  return {
    id: u.id,
    firstName: u.first_name,
    lastName: u.last_name,
    email: u.email,
    roles: u.roles,
    status: u.status,
    createdAt: u.created_at.toISOString(),
    lastSignInAt: u.last_sign_in_at ? u.last_sign_in_at.toISOString() : null,
    mfaState: u.mfa_state,
    invited: u.invited_at !== null,
  };
}

async function getTarget(ctx: RequestContext, userId: string): Promise<UserRow> {
  const p = requirePartnerActor(ctx);
  const u = await findUser(ctx.db, p.partnerId, userId);
  if (!u) throw new AppError('NOT_FOUND');
  return u;
}

/** An admin may only act on a user whose permissions they hold themselves. */
async function assertCanManage(ctx: RequestContext, target: UserRow): Promise<void> {
  const p = requirePartnerActor(ctx);
  const held = await permissionsOfRoles(ctx.db, target.roles);
  if (!holdsAll(p.permissions, held)) throw new AppError('ROLE_ESCALATION');
}

async function assertGlobalAdminRemains(ctx: RequestContext, partnerId: string): Promise<void> {
  if ((await countActiveGlobalAdmins(ctx.db, partnerId)) < 1) throw new AppError('LAST_GLOBAL_ADMIN');
}

async function endSessions(ctx: RequestContext, userId: string, exceptTokenHash?: string): Promise<void> {
  let q = ctx.db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptTokenHash) q = q.where('token_hash', '!=', exceptTokenHash);
  await q.execute();
}

async function temporaryPassword(ctx: RequestContext) {
  const password = generatePassword();
  return { password, hash: await hashPassword(ctx.deps.config.secrets.pepper, password), expiresAt: new Date(ctx.now.getTime() + TEMP_PASSWORD_TTL_MS) };
}

export async function createUser(ctx: RequestContext, input: { firstName: string; lastName: string; email: string; roles: string[] }) {
  const p = requirePartnerActor(ctx);
  const roles = await checkAssignableRoles(ctx, p.partnerId, input.roles, p.permissions);
  const temp = await temporaryPassword(ctx);
  const id = randomUUID();
  const user = await inTransaction(ctx, async (tx) => {
    if (await emailTaken(tx.db, input.email)) throw new AppError('EMAIL_ALREADY_REGISTERED', {}, [{ field: 'email', reason: 'taken', message: '' }]);
    // An admin vouches for the address; the user proves it by signing in with the temporary password.
    await insertUser(tx.db, { id, partnerId: p.partnerId, email: input.email, firstName: input.firstName, lastName: input.lastName, passwordHash: temp.hash, emailVerified: true, locale: null, now: tx.now });
    await tx.db.updateTable('users').set({ must_change_password: true, temp_password_expires_at: temp.expiresAt }).where('id', '=', id).execute();
    await replaceRoles(tx.db, p.partnerId, id, roles);
    await audit(tx, { partnerId: p.partnerId, action: 'user.created', targetType: 'user', targetId: id, changes: { email: { after: input.email }, firstName: { after: input.firstName }, lastName: { after: input.lastName }, roles: { after: roles.map((r) => r.id) } } });
    return (await findUser(tx.db, p.partnerId, id))!;
  });
  return { ...presentUser(user), temporaryPassword: temp.password };
}

export async function updateUser(
  ctx: RequestContext,
  userId: string,
  input: { firstName?: string | undefined; lastName?: string | undefined; roles?: string[] | undefined; status?: 'active' | 'inactive' | undefined },
  onSessionsChanged: (userId: string) => void,
) {
  const p = requirePartnerActor(ctx);
  const updated = await inTransaction(ctx, async (tx) => {
    await lockPartner(tx.db, p.partnerId);
    const before = await getTarget(tx, userId);
    await assertCanManage(tx, before);
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    const set: { first_name?: string; last_name?: string; status?: 'active' | 'inactive'; updated_at: Date } = { updated_at: tx.now };
    if (input.firstName !== undefined && input.firstName !== before.first_name) {
      set.first_name = input.firstName;
      changes.firstName = { before: before.first_name, after: input.firstName };
    }
    if (input.lastName !== undefined && input.lastName !== before.last_name) {
      set.last_name = input.lastName;
      changes.lastName = { before: before.last_name, after: input.lastName };
    }
    if (input.status !== undefined && input.status !== before.status) {
      set.status = input.status;
      changes.status = { before: before.status, after: input.status };
    }
    await tx.db.updateTable('users').set(set).where('partner_id', '=', p.partnerId).where('id', '=', userId).execute();
    if (input.roles !== undefined) {
      const roles = await checkAssignableRoles(tx, p.partnerId, input.roles, p.permissions);
      const next = roles.map((r) => r.id).sort();
      if (next.join() !== before.roles.join()) {
        await replaceRoles(tx.db, p.partnerId, userId, roles);
        changes.roles = { before: before.roles, after: next };
      }
    }
    if (changes.status?.after === 'inactive') await endSessions(tx, userId);
    if (changes.roles || changes.status) await assertGlobalAdminRemains(tx, p.partnerId);
    if (Object.keys(changes).length) {
      const action = changes.status ? (changes.status.after === 'inactive' ? 'user.deactivated' : 'user.reactivated') : changes.roles ? 'user.roles_changed' : 'user.updated';
      await audit(tx, { partnerId: p.partnerId, action, targetType: 'user', targetId: userId, changes });
    }
    return (await findUser(tx.db, p.partnerId, userId))!;
  });
  onSessionsChanged(userId);
  return presentUser(updated);
}

export async function deleteUser(ctx: RequestContext, userId: string, onSessionsChanged: (userId: string) => void): Promise<void> {
  const p = requirePartnerActor(ctx);
  await inTransaction(ctx, async (tx) => {
    await lockPartner(tx.db, p.partnerId);
    const target = await getTarget(tx, userId);
    await assertCanManage(tx, target);
    await tx.db.deleteFrom('users').where('partner_id', '=', p.partnerId).where('id', '=', userId).execute();
    await assertGlobalAdminRemains(tx, p.partnerId);
    await audit(tx, { partnerId: p.partnerId, action: 'user.deleted', targetType: 'user', targetId: userId, changes: { email: { before: target.email }, roles: { before: target.roles } } });
  });
  onSessionsChanged(userId);
}

/** Admin reset: a one-time temporary password, shown once, to be changed at next sign-in. */
export async function resetPassword(ctx: RequestContext, userId: string, onSessionsChanged: (userId: string) => void) {
  const p = requirePartnerActor(ctx);
  const temp = await temporaryPassword(ctx);
  await inTransaction(ctx, async (tx) => {
    const target = await getTarget(tx, userId);
    if (target.roles.includes('global-admin') && !p.roles.includes('global-admin')) throw new AppError('GLOBAL_ADMIN_RESET_FORBIDDEN');
    await assertCanManage(tx, target);
    await tx.db
      .updateTable('users')
      .set({ password_hash: temp.hash, must_change_password: true, temp_password_expires_at: temp.expiresAt, failed_sign_ins: 0, locked_until: null, updated_at: tx.now })
      .where('partner_id', '=', p.partnerId)
      .where('id', '=', userId)
      .execute();
    await endSessions(tx, userId);
    await audit(tx, { partnerId: p.partnerId, action: 'user.password_reset_by_admin', targetType: 'user', targetId: userId });
  });
  onSessionsChanged(userId);
  return { temporaryPassword: temp.password };
}

/** Change my own password: the current one is required; other sessions end. */
export async function changeOwnPassword(ctx: RequestContext, input: { currentPassword: string; newPassword: string }, onSessionsChanged: (userId: string) => void) {
  const p = requireUser(ctx);
  const { pepper } = ctx.deps.config.secrets;
  const me = await getTarget(ctx, p.userId);
  if (!(await verifyPassword(pepper, me.password_hash, input.currentPassword))) {
    await audit(ctx, { partnerId: p.partnerId, action: 'user.password_changed', targetType: 'user', targetId: p.userId, outcome: 'failure' });
    throw new AppError('INVALID_CREDENTIALS', {}, [{ field: 'currentPassword', reason: 'invalid', message: '' }]);
  }
  if (input.newPassword.normalize('NFKC') === input.currentPassword.normalize('NFKC')) {
    throw new AppError('PASSWORD_REUSED', {}, [{ field: 'newPassword', reason: 'reused', message: '' }]);
  }
  const company = await ctx.db.selectFrom('partners').select('company_name').where('id', '=', p.partnerId).executeTakeFirstOrThrow();
  const problems = passwordProblems(input.newPassword, [company.company_name, p.email.split('@')[0] ?? '']).map((d) => ({ ...d, field: 'newPassword' }));
  if (problems.length) throw new AppError('PASSWORD_POLICY', {}, problems);
  const hash = await hashPassword(pepper, input.newPassword);
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .updateTable('users')
      .set({ password_hash: hash, must_change_password: false, temp_password_expires_at: null, updated_at: tx.now })
      .where('partner_id', '=', p.partnerId)
      .where('id', '=', p.userId)
      .execute();
    await endSessions(tx, p.userId, p.session.tokenHash);
    await audit(tx, { partnerId: p.partnerId, action: 'user.password_changed', targetType: 'user', targetId: p.userId });
  });
  onSessionsChanged(p.userId);
  const locale = p.locale ?? ctx.locale;
  await ctx.deps.mailer
    .send({ to: p.email, subject: t(locale, 'mail.passwordChanged.subject'), text: t(locale, 'mail.passwordChanged.body', { when: formatWhen(locale, ctx.now) }) })
    .catch((err: unknown) => ctx.log.warn({ err }, 'password-changed notice not sent'));
}
