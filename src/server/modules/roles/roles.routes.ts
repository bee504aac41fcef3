import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { collectionLinks, collectionSchema } from '../../core/pagination';
import { errors } from '../../core/schemas';
import type { SessionResolver } from '../auth/session-resolver';
import { createRole, deleteRole, getRole, listPresentedRoles, updateRole } from './roles.service';

export const ZRole = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    category: z.string(),
    builtIn: z.boolean(),
    assignable: z.boolean(),
    permissions: z.array(z.string()),
    userCount: z.number().int(),
  })
  .meta({ id: 'Role' });

const ZRoleParams = z.object({ id: z.string().min(1).max(64) }).strict();
const ZName = z.string().trim().min(1).max(80);
const ZDescription = z.string().trim().max(500).nullable();
const ZPermissions = z.array(z.string().min(1).max(64)).max(100);

export const roleRoutes: FastifyPluginAsyncZod<{ sessions: SessionResolver }> = async (app, opts) => {
  /** The holders of a changed role get its new permissions at once: drop their cached sessions. */
  const evictHolders = (partnerId: string, roleId: string) =>
    opts.sessions.evictWhere((p) => p.kind === 'user' && p.partnerId === partnerId && p.roles.includes(roleId));

  app.get('/v1/roles', {
    config: { permission: 'roles.read' },
    schema: { tags: ['roles'], summary: 'The built-in roles and my company’s custom roles, with their permissions', response: { 200: collectionSchema(ZRole), ...errors(401, 403) } },
  }, async (req) => {
    const items = await listPresentedRoles(req.ctx);
    return { totalCount: items.length, items, links: collectionLinks('/v1/roles', {}, undefined) };
  });

  app.post('/v1/roles', {
    config: { permission: 'roles.manage' },
    schema: {
      tags: ['roles'],
      summary: 'Build a custom role from permissions I hold myself',
      body: z.object({ name: ZName, description: ZDescription.optional(), permissions: ZPermissions }).strict(),
      response: { 201: ZRole, ...errors(400, 401, 403, 409) },
    },
  }, async (req, reply) => reply.code(201).send(await createRole(req.ctx, req.body)));

  app.get('/v1/roles/:id', {
    config: { permission: 'roles.read' },
    schema: { tags: ['roles'], summary: 'One role: built-in, or a custom role of my company', params: ZRoleParams, response: { 200: ZRole, ...errors(400, 401, 403, 404) } },
  }, async (req) => getRole(req.ctx, req.params.id));

  app.patch('/v1/roles/:id', {
    config: { permission: 'roles.manage' },
    schema: {
      tags: ['roles'],
      summary: 'Change a custom role: name, description or permissions (its holders are affected at once)',
      params: ZRoleParams,
      body: z.object({ name: ZName.optional(), description: ZDescription.optional(), permissions: ZPermissions.optional() }).strict(),
      response: { 200: ZRole, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => updateRole(req.ctx, req.params.id, req.body, evictHolders));

  app.delete('/v1/roles/:id', {
    config: { permission: 'roles.manage' },
    schema: { tags: ['roles'], summary: 'Delete a custom role that nobody holds', params: ZRoleParams, response: { 204: z.null(), ...errors(400, 401, 403, 404, 409) } },
  }, async (req, reply) => {
    await deleteRole(req.ctx, req.params.id);
    return reply.code(204).send(null);
  });
};
