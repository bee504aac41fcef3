import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePartnerActor } from '../../core/context';
import { collectionLinks, collectionSchema, decodeCursor, encodeCursor, ZPageQuery } from '../../core/pagination';
import { errors, ZEmail, ZIdParams } from '../../core/schemas';
import type { SessionResolver } from '../auth/session-resolver';
import { AppError } from '../../core/errors';
import { inviteUser } from '../invitations/invitations.service';
import { findUser, listUsers } from './users.repo';
import { changeOwnPassword, createUser, deleteUser, presentUser, resetPassword, updateUser } from './users.service';

const name = z.string().trim().min(1).max(50);
const ZRoleIds = z.array(z.string().min(1).max(64)).max(10);

const ZUser = z
  .object({
    id: z.uuid(),
    firstName: z.string(),
    lastName: z.string(),
    email: z.string(),
    roles: z.array(z.string()),
    status: z.enum(['active', 'inactive']),
    createdAt: z.string(),
    lastSignInAt: z.string().nullable(),
    /** disabled: not asked; enabled: registers an app at next sign-in; enforced: an app is registered. */
    mfaState: z.enum(['disabled', 'enabled', 'enforced']),
    /** Invited (or imported) and has not accepted the invitation yet: no password of their own. */
    invited: z.boolean(),
  })
  .meta({ id: 'User' });

const ZUserList = collectionSchema(ZUser).extend({ globalAdminCount: z.number().int() });

const ZListQuery = ZPageQuery.extend({
  search: z.string().trim().max(200).optional(),
  role: z.string().max(64).optional(),
  sort: z.enum(['name', 'email']).default('name'),
}).strict();

export const userRoutes: FastifyPluginAsyncZod<{ sessions: SessionResolver }> = async (app, opts) => {
  /** A user's cached sessions are dropped when their roles, status or password change. */
  const evictUser = (userId: string) => opts.sessions.evictUser(userId);

  app.get('/v1/users', {
    config: { permission: 'users.read' },
    schema: { tags: ['users'], summary: 'Users of my company: search, filter by role, sort, keyset paging', querystring: ZListQuery, response: { 200: ZUserList, ...errors(400, 401, 403) } },
  }, async (req) => {
    const p = requirePartnerActor(req.ctx);
    const { size, search, role, sort, continuationToken } = req.query;
    const page = await listUsers(req.ctx.db, p.partnerId, { size, search, role, sort, after: decodeCursor(continuationToken) });
    const { globalAdminCount } = page;
    const last = page.rows.at(-1);
    return {
      totalCount: page.totalCount,
      items: page.rows.map(presentUser),
      links: collectionLinks('/v1/users', { size, search, role, sort, continuationToken }, page.hasMore && last ? encodeCursor(last.sort_key, last.id) : undefined),
      globalAdminCount,
    };
  });

  app.post('/v1/users', {
    config: { permission: 'users.manage' },
    schema: {
      tags: ['users'],
      summary: 'Add a user; the answer carries a temporary password, this once only (or, with `invite: true`, none: an invitation link is emailed)',
      body: z.object({ firstName: name, lastName: name, email: ZEmail, roles: ZRoleIds, invite: z.boolean().optional() }).strict(),
      response: { 201: ZUser.extend({ temporaryPassword: z.string().optional() }), ...errors(400, 401, 403, 409) },
    },
  }, async (req, reply) => {
    const { invite, ...input } = req.body;
    return reply.code(201).send(await (invite ? inviteUser(req.ctx, input) : createUser(req.ctx, input)));
  });

  app.get('/v1/users/:id', {
    config: { permission: 'users.read' },
    schema: { tags: ['users'], summary: 'One user of my company', params: ZIdParams, response: { 200: ZUser, ...errors(401, 403, 404) } },
  }, async (req) => {
    const p = requirePartnerActor(req.ctx);
    const u = await findUser(req.ctx.db, p.partnerId, req.params.id);
    if (!u) throw new AppError('NOT_FOUND');
    return presentUser(u);
  });

  app.patch('/v1/users/:id', {
    config: { permission: 'users.manage' },
    schema: {
      tags: ['users'],
      summary: 'Change a user: name, roles, or status (deactivate ends their sessions)',
      params: ZIdParams,
      body: z.object({ firstName: name.optional(), lastName: name.optional(), roles: ZRoleIds.optional(), status: z.enum(['active', 'inactive']).optional() }).strict(),
      response: { 200: ZUser, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => updateUser(req.ctx, req.params.id, req.body, evictUser));

  app.delete('/v1/users/:id', {
    config: { permission: 'users.manage' },
    schema: { tags: ['users'], summary: 'Delete a user', params: ZIdParams, response: { 204: z.null(), ...errors(401, 403, 404, 409) } },
  }, async (req, reply) => {
    await deleteUser(req.ctx, req.params.id, evictUser);
    return reply.code(204).send(null);
  });

  app.post('/v1/users/:id/resetpassword', {
    config: { permission: 'users.manage' },
    schema: {
      tags: ['users'],
      summary: 'Reset a user’s password: a temporary password, shown once, to change at next sign-in',
      params: ZIdParams,
      response: { 200: z.object({ temporaryPassword: z.string() }), ...errors(401, 403, 404) },
    },
  }, async (req) => resetPassword(req.ctx, req.params.id, evictUser));

  app.post('/v1/me/password', {
    config: { permission: 'me.update', duringPasswordChange: true },
    schema: {
      tags: ['me'],
      summary: 'Change my password (the current one is required); my other sessions end',
      body: z.object({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().min(1).max(1024) }).strict(),
      response: { 204: z.null(), ...errors(400, 401, 403) },
    },
  }, async (req, reply) => {
    await changeOwnPassword(req.ctx, req.body, evictUser);
    return reply.code(204).send(null);
  });
};
