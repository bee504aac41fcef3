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
    .values({ id, partner_id: n.partnerId, kind: n.kind, params: JSON.stringify(n.params ?? {}), link: n.link ?? null, created_at: ctx.now, read_at: null })
    .execute();
  return id;
}

export async function listNotifications(ctx: RequestContext, partnerId: string, q: { size: number; after?: { key: string; id: string } | undefined }) {
  let page = ctx.db.selectFrom('notifications').select(['id', 'kind', 'params', 'link', 'created_at', 'read_at']).where('partner_id', '=', partnerId);
  if (q.after) {
    const at = new Date(q.after.key);
    page = page.where((eb) => eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', q.after!.id)])]));
  }
  const [rows, unread] = await Promise.all([
    page.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.size + 1).execute(),
    unreadCount(ctx, partnerId),
  ]);
  return { rows: rows.slice(0, q.size), hasMore: rows.length > q.size, unread };
}

export async function unreadCount(ctx: RequestContext, partnerId: string): Promise<number> {
  const r = await ctx.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('partner_id', '=', partnerId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function markRead(ctx: RequestContext, partnerId: string, id: string | 'all') {
  let q = ctx.db.updateTable('notifications').set({ read_at: ctx.now }).where('partner_id', '=', partnerId).where('read_at', 'is', null);
  if (id !== 'all') {
    const exists = await ctx.db.selectFrom('notifications').select('id').where('partner_id', '=', partnerId).where('id', '=', id).executeTakeFirst();
    if (!exists) throw new AppError('NOT_FOUND');
    q = q.where('id', '=', id);
  }
  await q.execute();
  return { unread: await unreadCount(ctx, partnerId) };
}
