import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { requirePartnerActor } from '../../core/context';
import { AppError } from '../../core/errors';
import { collectionLinks, collectionSchema, decodeCursor, encodeCursor, ZPageQuery } from '../../core/pagination';
import { errors } from '../../core/schemas';

/** Partner Center's windows (reference §1.17): 30 days by default, at most 90 days back. */
export const DEFAULT_WINDOW_DAYS = 30;
export const MAX_DAYS_BACK = 90;
const DAY = 24 * 60 * 60 * 1000;

const ZAuditRecord = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.object({ type: z.string(), id: z.string().nullable(), email: z.string().nullable() }),
    action: z.string(),
    target: z.object({ type: z.string().nullable(), id: z.string().nullable() }),
    outcome: z.enum(['success', 'failure']),
    changes: z.record(z.string(), z.object({ before: z.unknown().optional(), after: z.unknown().optional() })).nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditRecord' });

const ZQuery = ZPageQuery.extend({
  startDate: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  endDate: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  userId: z.uuid().optional(),
  action: z.string().max(100).optional(),
  resourceType: z.string().max(50).optional(),
}).strict();

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/auditrecords', {
    config: { permission: 'audit.read' },
    schema: {
      tags: ['audit'],
      summary: 'The activity log of my company, newest first',
      description: `Window: \`startDate\` defaults to ${DEFAULT_WINDOW_DAYS} days before \`endDate\` (default now); a start more than ${MAX_DAYS_BACK} days back answers 400 INVALID_DATE_RANGE. Filters: userId (the actor), action, resourceType.`,
      querystring: ZQuery,
      response: { 200: collectionSchema(ZAuditRecord), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const p = requirePartnerActor(req.ctx);
    const now = req.ctx.now;
    const q = req.query;
    const end = q.endDate ? new Date(q.endDate) : now;
    const start = q.startDate ? new Date(q.startDate) : new Date(end.getTime() - DEFAULT_WINDOW_DAYS * DAY);
    if (start.getTime() < now.getTime() - MAX_DAYS_BACK * DAY || end.getTime() < start.getTime()) {
      throw new AppError('INVALID_DATE_RANGE', { maxDays: MAX_DAYS_BACK }, [{ field: 'startDate', reason: 'invalid_value', message: '' }]);
    }
    let base = req.ctx.db
      .selectFrom('audit_records as a')
      .where('a.partner_id', '=', p.partnerId)
      .where('a.at', '>=', start)
      .where('a.at', '<=', end);
    if (q.userId) base = base.where('a.actor_id', '=', q.userId);
    if (q.action) base = base.where('a.action', '=', q.action);
    if (q.resourceType) base = base.where('a.target_type', '=', q.resourceType);
    const after = decodeCursor(q.continuationToken, /^[0-9]{1,19}$/);
    let page = base
      .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'a.actor_id').on('u.partner_id', '=', p.partnerId))
      .select(['a.id', 'a.at', 'a.actor_type', 'a.actor_id', 'u.email as actor_email', 'a.action', 'a.target_type', 'a.target_id', 'a.outcome', 'a.changes', 'a.ip', 'a.user_agent', 'a.request_id', sql<string>`a.at::text`.as('at_key')]);
    // The cursor keeps PostgreSQL's own text of the timestamp (microseconds), so no row is skipped.
    if (after) page = page.where(sql<boolean>`(a.at, a.id) < (${after.key}::timestamptz, ${after.id}::bigint)`);
    const [rows, count] = await Promise.all([
      page.orderBy('a.at', 'desc').orderBy('a.id', 'desc').limit(q.size + 1).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    const items = rows.slice(0, q.size);
    const last = items.at(-1);
    return {
      totalCount: Number(count.n),
      items: items.map((r) => ({
        id: String(r.id),
        at: r.at.toISOString(),
        actor: { type: r.actor_type, id: r.actor_id, email: r.actor_email },
        action: r.action,
        target: { type: r.target_type, id: r.target_id },
        outcome: r.outcome,
        changes: (r.changes as Record<string, { before?: unknown; after?: unknown }> | null) ?? null,
        ip: r.ip,
        userAgent: r.user_agent,
        requestId: r.request_id,
      })),
      links: collectionLinks(
        '/v1/auditrecords',
        { size: q.size, startDate: q.startDate, endDate: q.endDate, userId: q.userId, action: q.action, resourceType: q.resourceType, continuationToken: q.continuationToken },
        rows.length > q.size && last ? encodeCursor(last.at_key, String(last.id)) : undefined,
      ),
    };
  });
};
