import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../../core/context';
import { collectionLinks, decodeCursor, encodeCursor, ZLinks, ZPageQuery } from '../../core/pagination';
import { errors, ZIdParams } from '../../core/schemas';
import { listNotifications, markRead, unreadCount } from './notifications.service';

const ZNotification = z
  .object({ id: z.uuid(), kind: z.string(), params: z.record(z.string(), z.string()), link: z.string().nullable(), createdAt: z.string(), read: z.boolean() })
  .meta({ id: 'Notification' });

export const notificationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/notifications', {
    config: { permission: 'account.read' },
    schema: {
      tags: ['notifications'],
      summary: 'The company’s notifications, newest first, each read or not by me, and how many I have not read',
      querystring: ZPageQuery.strict(),
      response: { 200: z.object({ items: z.array(ZNotification), unread: z.number().int(), links: ZLinks }), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const p = requireUser(req.ctx);
    const { size, continuationToken } = req.query;
    const page = await listNotifications(req.ctx, p.partnerId, p.userId, { size, after: decodeCursor(continuationToken) });
    const last = page.rows.at(-1);
    return {
      items: page.rows.map((n) => ({ id: n.id, kind: n.kind, params: n.params, link: n.link, createdAt: n.created_at.toISOString(), read: n.read })),
      unread: page.unread,
      links: collectionLinks('/v1/notifications', { size, continuationToken }, page.hasMore && last ? encodeCursor(last.created_at.toISOString(), last.id) : undefined),
    };
  });

  app.get('/v1/notifications/unreadcount', {
    config: { permission: 'account.read' },
    schema: { tags: ['notifications'], summary: 'How many notifications are unread (the bell’s badge)', response: { 200: z.object({ unread: z.number().int() }), ...errors(401, 403) } },
  }, async (req) => {
    const p = requireUser(req.ctx);
    return { unread: await unreadCount(req.ctx, p.partnerId, p.userId) };
  });

  app.post('/v1/notifications/:id/read', {
    config: { permission: 'account.read' },
    schema: { tags: ['notifications'], summary: 'Mark one notification read (for me)', params: ZIdParams, response: { 200: z.object({ unread: z.number().int() }), ...errors(401, 403, 404) } },
  }, async (req) => {
    const p = requireUser(req.ctx);
    return markRead(req.ctx, p.partnerId, p.userId, req.params.id);
  });

  app.post('/v1/notifications/read', {
    config: { permission: 'account.read' },
    schema: { tags: ['notifications'], summary: 'Mark every notification read (for me)', response: { 200: z.object({ unread: z.number().int() }), ...errors(401, 403) } },
  }, async (req) => {
    const p = requireUser(req.ctx);
    return markRead(req.ctx, p.partnerId, p.userId, 'all');
  });
};
