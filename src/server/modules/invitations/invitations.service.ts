import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { audit } from '../../core/audit';
import { inTransaction, requirePartnerActor, type RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { t } from '../../core/i18n';
import { hashPassword, passwordProblems } from '../../core/passwords';
import { newToken, sha256 } from '../../core/tokens';
import type { Db } from '../../db/database';
import { checkAssignableRoles, holdsAll, permissionsOfRoles } from '../roles/roles.service';
import { emailTaken, findUser, insertUser, replaceRoles } from '../users/users.repo';
import { presentUser } from '../users/users.service';

/** Invitation links: 256-bit, stored as SHA-256, single use, valid 7 days. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

let unusable: Promise<string> | undefined;
/**
 * The password hash of an invited user: a real argon2id hash (so a sign-in attempt takes
 * the usual time and reveals nothing) of a random secret nobody keeps, so no password
 * matches it. Computed once per process: imports do not pay argon2 per row.
 */
export function unusablePasswordHash(pepper: Buffer): Promise<string> {
  unusable ??= hashPassword(pepper, randomBytes(32).toString('base64url'));
  return unusable;
}

export interface IssuedInvitation {
  userId: string;
  email: string;
  firstName: string;
  token: string;
}

/** Store one new invitation per user (the caller voids older ones); returns the clear tokens to mail. */
export async function insertInvitations(db: Db, partnerId: string, users: { id: string; email: string; firstName: string }[], now: Date): Promise<IssuedInvitation[]> {
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  const issued = users.map((u) => ({ userId: u.id, email: u.email, firstName: u.firstName, token: newToken() }));
  // One statement, rows as arrays (unnest): an import of 10,000 users stores 10,000 invitations.
  await sql`
    insert into invitations (token_hash, partner_id, user_id, expires_at, created_at)
    select token_hash, ${partnerId}::uuid, user_id, ${expiresAt}::timestamptz, ${now}::timestamptz
    from unnest(${issued.map((x) => sha256(x.token))}::text[], ${issued.map((x) => x.userId)}::uuid[]) as t(token_hash, user_id)`.execute(db);
  return issued;
}

/** Who invites, as the mail names them: the signed-in user, or the API app. */
function inviterName(ctx: RequestContext): string {
  const p = requirePartnerActor(ctx);
  return p.kind === 'user' ? `${p.firstName} ${p.lastName}` : p.name;
}

/**
 * Mail the invitations (after the commit), in the inviter's language, a few at a time.
 * A mail that cannot be sent is logged; an administrator can send the invitation again.
 */
export async function mailInvitations(ctx: RequestContext, partnerId: string, invitations: IssuedInvitation[], concurrency = 8): Promise<void> {
  if (!invitations.length) return;
  const company = await ctx.db.selectFrom('partners').select('company_name').where('id', '=', partnerId).executeTakeFirstOrThrow();
  const inviter = inviterName(ctx);
  const locale = ctx.locale;
  const days = INVITATION_TTL_MS / 86_400_000;
  let next = 0;
  const worker = async () => {
    while (next < invitations.length) {
      const inv = invitations[next++]!;
      // The link is built from configuration, never from the request's Host header.
      const url = `${ctx.deps.config.publicUrl}/invitation?token=${inv.token}`;
      await ctx.deps.mailer
        .send({
          to: inv.email,
          subject: t(locale, 'mail.invitation.subject', { inviter, company: company.company_name }),
          text: t(locale, 'mail.invitation.body', { name: inv.firstName, inviter, company: company.company_name, url, days, email: inv.email }),
        })
        .catch((err: unknown) => ctx.log.warn({ err, userId: inv.userId }, 'invitation not sent'));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, invitations.length) }, worker));
}

/** Add a user who chooses their own password through an emailed link (no temporary password). */
export async function inviteUser(ctx: RequestContext, input: { firstName: string; lastName: string; email: string; roles: string[] }) {
  const p = requirePartnerActor(ctx);
  const roles = await checkAssignableRoles(ctx, p.partnerId, input.roles, p.permissions);
  const passwordHash = await unusablePasswordHash(ctx.deps.config.secrets.pepper);
  const id = randomUUID();
  const { user, issued } = await inTransaction(ctx, async (tx) => {
    if (await emailTaken(tx.db, input.email)) throw new AppError('EMAIL_ALREADY_REGISTERED', {}, [{ field: 'email', reason: 'taken', message: '' }]);
    // The address is verified when the user accepts the invitation sent to it.
    await insertUser(tx.db, { id, partnerId: p.partnerId, email: input.email, firstName: input.firstName, lastName: input.lastName, passwordHash, emailVerified: false, locale: null, now: tx.now });
    await tx.db.updateTable('users').set({ invited_at: tx.now }).where('id', '=', id).execute();
    await replaceRoles(tx.db, p.partnerId, id, roles);
    const issued = await insertInvitations(tx.db, p.partnerId, [{ id, email: input.email.trim(), firstName: input.firstName }], tx.now);
    await audit(tx, {
      partnerId: p.partnerId, action: 'user.created', targetType: 'user', targetId: id,
      changes: { email: { after: input.email }, firstName: { after: input.firstName }, lastName: { after: input.lastName }, roles: { after: roles.map((r) => r.id) }, invited: { after: true } },
    });
    return { user: (await findUser(tx.db, p.partnerId, id))!, issued };
  });
  await mailInvitations(ctx, p.partnerId, issued);
  return presentUser(user);
}

/** Send a pending invitation again: a new link; the previous one stops working. */
export async function resendInvitation(ctx: RequestContext, userId: string): Promise<void> {
  const p = requirePartnerActor(ctx);
  const issued = await inTransaction(ctx, async (tx) => {
    const target = await tx.db
      .selectFrom('users as u')
      .select(['u.id', 'u.email', 'u.first_name', 'u.invited_at', 'u.status'])
      .select((eb) => eb.selectFrom('user_roles as ur').select((e) => e.fn.agg<string[]>('array_agg', ['ur.role_id']).as('r')).whereRef('ur.user_id', '=', 'u.id').as('roles'))
      .where('u.partner_id', '=', p.partnerId)
      .where('u.id', '=', userId)
      .executeTakeFirst();
    if (!target) throw new AppError('NOT_FOUND');
    if (!target.invited_at || target.status !== 'active') throw new AppError('USER_NOT_INVITED');
    // Anti-escalation: only someone holding every permission of the invited user may re-invite them
    // (the default user's aside, which an API app never holds: the same rule as for every other change).
    const held = await permissionsOfRoles(tx.db, target.roles ?? []);
    if (!holdsAll(p.permissions, held)) throw new AppError('ROLE_ESCALATION');
    await tx.db.deleteFrom('invitations').where('user_id', '=', userId).execute();
    const issued = await insertInvitations(tx.db, p.partnerId, [{ id: target.id, email: target.email, firstName: target.first_name }], tx.now);
    await audit(tx, { partnerId: p.partnerId, action: 'user.invitation_resent', targetType: 'user', targetId: userId });
    return issued;
  });
  await mailInvitations(ctx, p.partnerId, issued);
}

/** Accept an invitation: choose a password (the usual policy); the email is verified; the link is used up. */
export async function acceptInvitation(ctx: RequestContext, input: { token: string; password: string }, onSessionsChanged: (userId: string) => void) {
  const hash = sha256(input.token);
  const inv = await ctx.db
    .selectFrom('invitations as i')
    .innerJoin('users as u', 'u.id', 'i.user_id')
    .innerJoin('partners as p', 'p.id', 'u.partner_id')
    .select(['i.user_id', 'i.expires_at', 'u.partner_id', 'u.email', 'u.status', 'u.invited_at', 'p.company_name'])
    .where('i.token_hash', '=', hash)
    .executeTakeFirst();
  if (!inv || inv.expires_at.getTime() <= ctx.now.getTime() || inv.status !== 'active' || !inv.invited_at) throw new AppError('INVITATION_INVALID');
  const problems = passwordProblems(input.password, [inv.company_name, inv.email.split('@')[0] ?? '']);
  if (problems.length) throw new AppError('PASSWORD_POLICY', {}, problems);
  const passwordHash = await hashPassword(ctx.deps.config.secrets.pepper, input.password);
  await inTransaction(ctx, async (tx) => {
    // Single use: whoever deletes the row first wins; a concurrent second use finds nothing.
    const used = await tx.db.deleteFrom('invitations').where('token_hash', '=', hash).returning('user_id').executeTakeFirst();
    if (!used) throw new AppError('INVITATION_INVALID');
    await tx.db.deleteFrom('invitations').where('user_id', '=', inv.user_id).execute();
    await tx.db
      .updateTable('users')
      .set({ password_hash: passwordHash, invited_at: null, email_verified_at: tx.now, must_change_password: false, temp_password_expires_at: null, failed_sign_ins: 0, locked_until: null, updated_at: tx.now })
      .where('id', '=', inv.user_id)
      .execute();
    await tx.db.deleteFrom('sessions').where('user_id', '=', inv.user_id).execute();
    await audit(tx, { partnerId: inv.partner_id, action: 'user.invitation_accepted', targetType: 'user', targetId: inv.user_id, actor: { type: 'anonymous', id: null } });
  });
  onSessionsChanged(inv.user_id);
  return { email: inv.email };
}
