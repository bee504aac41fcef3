import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { etagOf, ifMatchVersion, setEtag } from '../../core/etag';
import { collectionLinks, decodeCursor, encodeCursor, ZLinks, ZPageQuery } from '../../core/pagination';
import { errors, ZAddress, ZContact, ZIdParams } from '../../core/schemas';
import { createLocation, deleteLocation, getLocation, listLocationsPage, presentLocation, updateLocation } from './locations.service';

const ZLocation = z
  .object({
    id: z.uuid(),
    name: z.string(),
    address: ZAddress,
    contact: ZContact,
    /** The same value as the ETag header of `GET /v1/locations/{id}`: send it as If-Match. */
    etag: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Location' });

const ZLocationInput = z.object({ name: z.string().trim().min(1).max(100), address: ZAddress, contact: ZContact }).strict();

const ZGlobalAccount = z.object({ id: z.uuid(), companyName: z.string(), address: ZAddress }).meta({ id: 'GlobalAccount' });

const present = (l: Parameters<typeof presentLocation>[0]) => ({ ...presentLocation(l), etag: etagOf(l.version) });

export const locationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/locations', {
    config: { permission: 'legal.read' },
    schema: {
      tags: ['locations'],
      summary: 'The global account and its location accounts, oldest first',
      querystring: ZPageQuery.strict(),
      response: { 200: z.object({ totalCount: z.number().int(), globalAccount: ZGlobalAccount, items: z.array(ZLocation), links: ZLinks }), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const { size, continuationToken } = req.query;
    const page = await listLocationsPage(req.ctx, { size, after: decodeCursor(continuationToken) });
    const last = page.rows.at(-1);
    return {
      totalCount: page.totalCount,
      globalAccount: page.global,
      items: page.rows.map(present),
      links: collectionLinks('/v1/locations', { size, continuationToken }, page.hasMore && last ? encodeCursor(last.created_at.toISOString(), last.id) : undefined),
    };
  });

  app.post('/v1/locations', {
    config: { permission: 'locations.manage' },
    schema: {
      tags: ['locations'],
      summary: 'Add a location account, with its legal address and contact; its id is generated',
      body: ZLocationInput,
      response: { 201: ZLocation, ...errors(400, 401, 403) },
    },
  }, async (req, reply) => {
    const l = await createLocation(req.ctx, req.body);
    setEtag(reply, l.version);
    return reply.code(201).header('location', `/v1/locations/${l.id}`).send(present(l));
  });

  app.get('/v1/locations/:id', {
    config: { permission: 'legal.read' },
    schema: { tags: ['locations'], summary: 'One location account (ETag header for If-Match)', params: ZIdParams, response: { 200: ZLocation, ...errors(400, 401, 403, 404) } },
  }, async (req, reply) => {
    const l = await getLocation(req.ctx, req.params.id);
    setEtag(reply, l.version);
    return present(l);
  });

  app.put('/v1/locations/:id', {
    config: { permission: 'locations.manage' },
    schema: {
      tags: ['locations'],
      summary: 'Replace a location’s name, legal address and contact (needs If-Match)',
      params: ZIdParams,
      body: ZLocationInput,
      response: { 200: ZLocation, ...errors(400, 401, 403, 404, 412, 428) },
    },
  }, async (req, reply) => {
    const l = await updateLocation(req.ctx, req.params.id, ifMatchVersion(req), req.body);
    setEtag(reply, l.version);
    return present(l);
  });

  app.delete('/v1/locations/:id', {
    config: { permission: 'locations.manage' },
    schema: {
      tags: ['locations'],
      summary: 'Delete a location account, permanently (needs If-Match; refused while role assignments name it)',
      params: ZIdParams,
      response: { 204: z.null(), ...errors(400, 401, 403, 404, 409, 412, 428) },
    },
  }, async (req, reply) => {
    await deleteLocation(req.ctx, req.params.id, ifMatchVersion(req));
    return reply.code(204).send(null);
  });
};
