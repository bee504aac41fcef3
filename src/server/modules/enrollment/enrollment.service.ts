import { randomUUID } from 'node:crypto';
import { audit } from '../../core/audit';
import { inTransaction, type RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { t, type Locale } from '../../core/i18n';
import { hashPassword, passwordProblems } from '../../core/passwords';
import { currencyOf } from '../../core/schemas';
import { hmac, sixDigitCode } from '../../core/tokens';
import { companyExists, insertPartner } from '../partners/partners.repo';
import { roleCategory } from '../roles/roles.repo';
import { assignRole, emailKey, emailTaken, findUserForSignIn, insertUser } from '../users/users.repo';
import type { EnrollRequest } from './enrollment.schemas';

export const CODE_TTL_MS = 30 * 60 * 1000;
export const CODE_MAX_ATTEMPTS = 5;

const GOVERNMENT = /(^|\.)(gov|gouv|gob|mil|gv|govt|government)(\.[a-z]{2,3})*$/i;
/**
 * Role addresses (reference §1.1: containing "info", "admin", "email@", "marketing@"):
 * a word of the local part that is info/admin (or starts with them, e.g. infos,
 * administration), or a local part that is exactly email or marketing. Words are split on
 * . _ - +, so a personal name that merely contains the letters (padmini) is accepted.
 */
function isRoleAddress(local: string): boolean {
  if (/^(email|marketing)$/.test(local)) return true;
  return local.split(/[._+-]/).some((w) => /^(info|admin)/.test(w) || /admin$/.test(w));
}

/** Reference §1.1: work addresses only; no personal mailboxes, role addresses or government domains. */
export function checkWorkEmail(email: string, refusedDomains: readonly string[]): void {
  const [local = '', domain = ''] = emailKey(email).split('@');
  if (refusedDomains.includes(domain) || GOVERNMENT.test(domain)) {
    throw new AppError('EMAIL_DOMAIN_REFUSED', { domain }, [{ field: 'email', reason: 'domain_refused', message: '' }]);
  }
  if (isRoleAddress(local)) {
    throw new AppError('EMAIL_ROLE_ADDRESS_REFUSED', { local }, [{ field: 'email', reason: 'role_address', message: '' }]);
  }
}

async function issueCode(ctx: RequestContext, userId: string): Promise<{ code: string; expiresAt: Date }> {
  const code = sixDigitCode();
  const expiresAt = new Date(ctx.now.getTime() + CODE_TTL_MS);
  const code_hash = hmac(ctx.deps.config.secrets.tokenKey, `${userId}:${code}`);
  await ctx.db
    .insertInto('email_verifications')
    .values({ user_id: userId, code_hash, expires_at: expiresAt, attempts: 0, created_at: ctx.now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ code_hash, expires_at: expiresAt, attempts: 0, created_at: ctx.now }))
    .execute();
  return { code, expiresAt };
}

async function sendCode(ctx: RequestContext, to: string, code: string, locale: Locale): Promise<void> {
  await ctx.deps.mailer.send({
    to,
    subject: t(locale, 'mail.verification.subject', { code }),
    text: t(locale, 'mail.verification.body', { code, minutes: CODE_TTL_MS / 60000, url: `${ctx.deps.config.publicUrl}/enroll/verify` }),
  });
}

/**
 * Enrol a company: the partner account (pending verification), its first Global
 * admin, and an email verification code, in one transaction. The mail is sent after
 * the commit; if it fails, the code can be sent again.
 */
export async function enroll(ctx: RequestContext, input: EnrollRequest) {
  const { config } = ctx.deps;
  checkWorkEmail(input.email, config.refusedEmailDomains);
  const problems = passwordProblems(input.password, [input.companyName, input.email.split('@')[0] ?? '', 'partner space']);
  if (problems.length) throw new AppError('PASSWORD_POLICY', {}, problems);
  const country = input.address.country;
  const currency = currencyOf(country);
  if (!currency) throw new AppError('VALIDATION_FAILED', {}, [{ field: 'address.country', reason: 'invalid_value', message: '' }]);

  const locale: Locale = input.locale ?? ctx.locale;
  const passwordHash = await hashPassword(config.secrets.pepper, input.password);
  const partnerId = randomUUID();
  const userId = randomUUID();

  const { code, expiresAt } = await inTransaction(ctx, async (tx) => {
    if (await emailTaken(tx.db, input.email)) throw new AppError('EMAIL_ALREADY_REGISTERED', {}, [{ field: 'email', reason: 'taken', message: '' }]);
    if (await companyExists(tx.db, country, input.companyName)) {
      throw new AppError('COMPANY_ALREADY_ENROLLED', {}, [{ field: 'companyName', reason: 'taken', message: '' }]);
    }
    await insertPartner(tx.db, {
      id: partnerId,
      companyName: input.companyName,
      country,
      currency,
      address: input.address,
      primaryContact: input.primaryContact,
      phone: input.phone ?? input.primaryContact.phoneNumber ?? null,
      website: input.website ?? null,
      status: 'pending_verification',
      now: ctx.now,
    });
    await insertUser(tx.db, {
      id: userId,
      partnerId,
      email: input.email,
      firstName: input.primaryContact.firstName,
      lastName: input.primaryContact.lastName,
      passwordHash,
      emailVerified: false,
      // Only a language the user chose is a preference; the request's language (or the
      // English default) must not become one, or Accept-Language would never apply again.
      locale: input.locale ?? null,
      now: ctx.now,
    });
    await assignRole(tx.db, { partnerId, userId, roleId: 'global-admin', category: roleCategory('global-admin') });
    const issued = await issueCode(tx, userId);
    const actor = { type: 'anonymous' as const, id: null };
    await audit(tx, { partnerId, action: 'partner.enrolled', targetType: 'partner', targetId: partnerId, actor, changes: { companyName: { after: input.companyName }, country: { after: country }, status: { after: 'pending_verification' } } });
    await audit(tx, { partnerId, action: 'user.created', targetType: 'user', targetId: userId, actor, changes: { email: { after: input.email }, roles: { after: ['global-admin'] } } });
    return issued;
  });

  await sendCode(ctx, input.email, code, locale);
  return {
    partner: { id: partnerId, companyName: input.companyName, country, currency, status: 'pending_verification' },
    user: { id: userId, email: input.email },
    verification: { sentTo: input.email, expiresAt: expiresAt.toISOString() },
  };
}

/** Check the emailed code. A wrong, expired or exhausted code changes nothing but the attempt count. */
export async function verifyEmail(ctx: RequestContext, input: { email: string; code: string }) {
  const user = await findUserForSignIn(ctx.db, input.email);
  if (!user) throw new AppError('INVALID_VERIFICATION_CODE');
  if (user.email_verified_at) throw new AppError('ALREADY_VERIFIED');
  const row = await ctx.db.selectFrom('email_verifications').selectAll().where('user_id', '=', user.id).executeTakeFirst();
  if (!row || row.attempts >= CODE_MAX_ATTEMPTS) throw new AppError('INVALID_VERIFICATION_CODE');
  if (row.expires_at.getTime() <= ctx.now.getTime()) throw new AppError('VERIFICATION_CODE_EXPIRED');
  if (hmac(ctx.deps.config.secrets.tokenKey, `${user.id}:${input.code}`) !== row.code_hash) {
    await ctx.db.updateTable('email_verifications').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('user_id', '=', user.id).execute();
    throw new AppError('INVALID_VERIFICATION_CODE');
  }
  return inTransaction(ctx, async (tx) => {
    await tx.db.updateTable('users').set({ email_verified_at: ctx.now, updated_at: ctx.now }).where('id', '=', user.id).execute();
    await tx.db.deleteFrom('email_verifications').where('user_id', '=', user.id).execute();
    await audit(tx, { partnerId: user.partner_id, action: 'user.email_verified', targetType: 'user', targetId: user.id, actor: { type: 'anonymous', id: null } });
    const partner = await tx.db.selectFrom('partners').select('status').where('id', '=', user.partner_id).executeTakeFirstOrThrow();
    return { verified: true as const, partnerStatus: partner.status };
  });
}

/** Send a fresh code. The answer is the same whether or not the address is enrolled. */
export async function resendCode(ctx: RequestContext, input: { email: string }) {
  const user = await findUserForSignIn(ctx.db, input.email);
  if (user && !user.email_verified_at) {
    const row = await ctx.db.selectFrom('users').select('locale').where('id', '=', user.id).executeTakeFirstOrThrow();
    const { code } = await issueCode(ctx, user.id);
    await sendCode(ctx, user.email, code, row.locale ?? ctx.locale);
  }
  return { accepted: true as const };
}
