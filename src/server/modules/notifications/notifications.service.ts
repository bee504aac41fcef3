import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';

/**
 * In-app notifications (the bell in the top bar): company-wide messages such as "your tax
 * exemption was approved". `kind` names a message (`notification.<kind>` in the web app's
 * messages, in fr and en) and `params` fills it; `link` is the page that deals with it.
 * Write them in the same transaction as the change they announce.
 */
export async function notify(ctx: RequestContext, n: { partnerId: string; kind: string; params?: Record<string, string>; link?: string | null }) {
  const id = randomUUID();
  await ctx.db
    .insertInto('notifications')
    .values({ id, partner_id: n.partnerId, kind: n.kind, params: JSON.stringify(n.params ?? {}), link: n.link ?? null, created_at: ctx.now })
    .execute();
  return id;
}

type After = { key: string; id: string } | undefined;

/**
 * Read state is per user (table `notification_reads`): a notification is for the whole
 * company, but one admin opening the bell does not clear it for the others. Marking read
 * is not audited: it changes nothing of the company's, only what the bell shows that user.
 */
export async function listNotifications(ctx: RequestContext, partnerId: string, userId: string, q: { size: number; after?: After }) {
  let page = ctx.db
    .selectFrom('notifications as n')
    .select(['n.id', 'n.kind', 'n.params', 'n.link', 'n.created_at'])
    .select((eb) => eb.exists(eb.selectFrom('notification_reads as r').select('r.user_id').whereRef('r.notification_id', '=', 'n.id').where('r.user_id', '=', userId)).as('read'))
    .where('n.partner_id', '=', partnerId);
  if (q.after) {
    const at = new Date(q.after.key);
    const id = q.after.id;
    page = page.where((eb) => eb.or([eb('n.created_at', '<', at), eb.and([eb('n.created_at', '=', at), eb('n.id', '<', id)])]));
  }
  const [rows, unread] = await Promise.all([
    page.orderBy('n.created_at', 'desc').orderBy('n.id', 'desc').limit(q.size + 1).execute(),
    unreadCount(ctx, partnerId, userId),
  ]);
  return { rows: rows.slice(0, q.size).map((r) => ({ ...r, read: Boolean(r.read) })), hasMore: rows.length > q.size, unread };
}

export async function unreadCount(ctx: RequestContext, partnerId: string, userId: string): Promise<number> {
  const r = await ctx.db
    .selectFrom('notifications as n')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('n.partner_id', '=', partnerId)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('notification_reads as r').select('r.user_id').whereRef('r.notification_id', '=', 'n.id').where('r.user_id', '=', userId))))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Mark one notification (404 when it is not the company's) or all of them read for this user. */
export async function markRead(ctx: RequestContext, partnerId: string, userId: string, id: string | 'all') {
  if (id !== 'all') {
    const exists = await ctx.db.selectFrom('notifications').select('id').where('partner_id', '=', partnerId).where('id', '=', id).executeTakeFirst();
    if (!exists) throw new AppError('NOT_FOUND');
  }
  let unread = ctx.db
    .selectFrom('notifications as n')
    .select((eb) => ['n.id', eb.val(userId).as('user_id'), eb.val(ctx.now).as('read_at')])
    .where('n.partner_id', '=', partnerId);
  if (id !== 'all') unread = unread.where('n.id', '=', id);
  await ctx.db
    .insertInto('notification_reads')
    .columns(['notification_id', 'user_id', 'read_at'])
    .expression(unread)
    .onConflict((oc) => oc.columns(['notification_id', 'user_id']).doNothing())
    .execute();
  return { unread: await unreadCount(ctx, partnerId, userId) };
}
