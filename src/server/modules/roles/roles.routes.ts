import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../../core/context';
import { collectionLinks, collectionSchema } from '../../core/pagination';
import { errors } from '../../core/schemas';
import { listRoles, presentRole } from './roles.service';

export const ZRole = z
  .object({ id: z.string(), name: z.string(), category: z.string(), builtIn: z.boolean(), assignable: z.boolean(), permissions: z.array(z.string()) })
  .meta({ id: 'Role' });

export const roleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/roles', {
    config: { permission: 'roles.read' },
    schema: { tags: ['roles'], summary: 'The roles that can be assigned, with their permissions', response: { 200: collectionSchema(ZRole), ...errors(401, 403) } },
  }, async (req) => {
    const p = requireUser(req.ctx);
    const items = (await listRoles(req.ctx.db, p.partnerId)).map((r) => presentRole(req.ctx, r));
    return { totalCount: items.length, items, links: collectionLinks('/v1/roles', {}, undefined) };
  });
};
