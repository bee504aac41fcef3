import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { USER_COOKIE } from '../../core/http';
import { collectionLinks, collectionSchema } from '../../core/pagination';
import { errors, ZIdParams } from '../../core/schemas';
import type { SessionResolver } from '../auth/session-resolver';
import { endMyOtherSessions, endMySession, listMySessions } from './my-sessions.service';

const ZMySession = z
  .object({
    id: z.uuid(),
    current: z.boolean(),
    createdAt: z.string(),
    lastSeenAt: z.string(),
    expiresAt: z.string(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    browser: z.string().nullable(),
    os: z.string().nullable(),
  })
  .meta({ id: 'MySession' });

/** My profile → Sessions: list my live sessions and end any of them. */
export const mySessionRoutes: FastifyPluginAsyncZod<{ sessions: SessionResolver; cookieSecure: boolean }> = async (app, opts) => {
  app.get('/v1/me/sessions', {
    config: { permission: 'account.read' },
    schema: { tags: ['me'], summary: 'My live sessions, the most recently used first; `current` is this one', response: { 200: collectionSchema(ZMySession), ...errors(401, 403) } },
  }, async (req) => {
    const items = await listMySessions(req.ctx);
    return { totalCount: items.length, items, links: collectionLinks('/v1/me/sessions', {}, undefined) };
  });

  app.delete('/v1/me/sessions/:id', {
    config: { permission: 'me.update' },
    schema: { tags: ['me'], summary: 'End one of my sessions (ending the current one signs me out)', params: ZIdParams, response: { 204: z.null(), ...errors(400, 401, 403, 404) } },
  }, async (req, reply) => {
    const ended = await endMySession(req.ctx, req.params.id);
    opts.sessions.evict(ended.tokenHash);
    if (ended.current) reply.clearCookie(USER_COOKIE, { path: '/', httpOnly: true, secure: opts.cookieSecure, sameSite: 'lax' });
    return reply.code(204).send(null);
  });

  app.delete('/v1/me/sessions', {
    config: { permission: 'me.update' },
    schema: { tags: ['me'], summary: 'End all my other sessions; this one stays', response: { 204: z.null(), ...errors(401, 403) } },
  }, async (req, reply) => {
    for (const tokenHash of await endMyOtherSessions(req.ctx)) opts.sessions.evict(tokenHash);
    return reply.code(204).send(null);
  });
};
