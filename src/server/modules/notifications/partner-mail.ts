import type { Db } from '../../db/database';
import type { RequestContext } from '../../core/context';
import { t, type Locale } from '../../core/i18n';

/**
 * Who hears about a review outcome by mail: the partner's active Global admins who have
 * joined (not still invited), each in their own language; with none, the primary contact
 * of the company (in the request's language).
 */
export async function partnerRecipients(db: Db, partnerId: string): Promise<{ email: string; locale: Locale | null }[]> {
  const admins = await db
    .selectFrom('users as u')
    .innerJoin('user_roles as ur', (j) => j.onRef('ur.user_id', '=', 'u.id').onRef('ur.partner_id', '=', 'u.partner_id'))
    .select(['u.email', 'u.locale'])
    .where('u.partner_id', '=', partnerId)
    .where('ur.role_id', '=', 'global-admin')
    .where('u.status', '=', 'active')
    .where('u.invited_at', 'is', null)
    .execute();
  if (admins.length) return admins.map((a) => ({ email: a.email, locale: (a.locale as Locale | null) ?? null }));
  const p = await db.selectFrom('partners').select('primary_contact').where('id', '=', partnerId).executeTakeFirst();
  const email = (p?.primary_contact as { email?: string } | undefined)?.email;
  return email ? [{ email, locale: null }] : [];
}

/**
 * Mail `mail.<key>.subject|body` to the partner, with `{url}` the page (`link`) that deals
 * with it; a mail failure never undoes the review (it is logged).
 */
export async function mailPartner(ctx: RequestContext, partnerId: string, key: string, params: Record<string, string>, link: string) {
  const to = await partnerRecipients(ctx.deps.db, partnerId);
  const url = `${ctx.deps.config.publicUrl}${link}`;
  for (const r of to) {
    const locale = r.locale ?? ctx.locale;
    try {
      await ctx.deps.mailer.send({ to: r.email, subject: t(locale, `mail.${key}.subject`, { ...params, url }), text: t(locale, `mail.${key}.body`, { ...params, url }) });
    } catch (err) {
      ctx.log.warn({ err, partnerId, key }, 'review outcome mail not sent');
    }
  }
}
