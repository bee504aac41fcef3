import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { etagOf, ifMatchVersion, setEtag } from '../../core/etag';
import { collectionLinks, decodeCursor, encodeCursor, ZLinks, ZPageQuery } from '../../core/pagination';
import { errors, ZIdParams } from '../../core/schemas';
import type { PromotionRow } from './promotions.repo';
import { createPromotion, deletePromotion, getPromotion, listPromotionsPage, presentPromotion, updatePromotion } from './promotions.service';

const ZPromotion = z
  .object({
    id: z.uuid(),
    name: z.string(),
    percent: z.string(),
    markets: z.array(z.string()),
    productIds: z.array(z.string()),
    skuIds: z.array(z.string()),
    terms: z.array(z.string()),
    startsOn: z.string(),
    endsOn: z.string(),
    /** The same value as the ETag header: send it as If-Match. */
    etag: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'OperatorPromotion' });

/** Empty arrays mean "all". Range and date order are checked by the service (named fields). */
const ZPromotionInput = z
  .object({
    name: z.string().trim().min(1).max(120),
    percent: z.union([z.string().max(10), z.number()]).meta({ description: 'Percent off the list price, 0 < percent ≤ 100, at most 2 decimals' }),
    markets: z.array(z.string().trim().regex(/^[A-Za-z]{2}$/)).max(300).default([]),
    productIds: z.array(z.string().trim().min(1).max(64)).max(1000).default([]),
    skuIds: z.array(z.string().trim().min(1).max(64)).max(1000).default([]),
    terms: z.array(z.string().trim().regex(/^P\d{1,2}[YMD]$/i)).max(20).default([]),
    startsOn: z.string().max(10).meta({ description: 'YYYY-MM-DD, inclusive' }),
    endsOn: z.string().max(10).meta({ description: 'YYYY-MM-DD, inclusive, not before startsOn' }),
  })
  .strict();

const present = (p: PromotionRow) => ({ ...presentPromotion(p), etag: etagOf(p.version) });

/** The operator's promotions (operator.catalog). */
export const promotionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/operator/promotions', {
    config: { permission: 'operator.catalog' },
    schema: {
      tags: ['operator'],
      summary: 'Promotions, latest start first',
      querystring: ZPageQuery.extend({ market: z.string().trim().regex(/^[A-Za-z]{2}$/).toUpperCase().optional() }).strict(),
      response: { 200: z.object({ totalCount: z.number().int(), items: z.array(ZPromotion), links: ZLinks }), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const { size, continuationToken, market } = req.query;
    const page = await listPromotionsPage(req.ctx, { size, market, after: decodeCursor(continuationToken) });
    const last = page.rows.at(-1);
    return {
      totalCount: page.totalCount,
      items: page.rows.map(present),
      links: collectionLinks('/v1/operator/promotions', { size, market, continuationToken }, page.hasMore && last ? encodeCursor(last.starts_on, last.id) : undefined),
    };
  });

  app.post('/v1/operator/promotions', {
    config: { permission: 'operator.catalog' },
    schema: { tags: ['operator'], summary: 'Define a promotion (audited)', body: ZPromotionInput, response: { 201: ZPromotion, ...errors(400, 401, 403) } },
  }, async (req, reply) => {
    const p = await createPromotion(req.ctx, req.body);
    setEtag(reply, p.version);
    return reply.code(201).header('location', `/v1/operator/promotions/${p.id}`).send(present(p));
  });

  app.get('/v1/operator/promotions/:id', {
    config: { permission: 'operator.catalog' },
    schema: { tags: ['operator'], summary: 'One promotion (ETag header for If-Match)', params: ZIdParams, response: { 200: ZPromotion, ...errors(400, 401, 403, 404) } },
  }, async (req, reply) => {
    const p = await getPromotion(req.ctx, req.params.id);
    setEtag(reply, p.version);
    return present(p);
  });

  app.put('/v1/operator/promotions/:id', {
    config: { permission: 'operator.catalog' },
    schema: {
      tags: ['operator'],
      summary: 'Replace a promotion (needs If-Match; audited)',
      params: ZIdParams,
      body: ZPromotionInput,
      response: { 200: ZPromotion, ...errors(400, 401, 403, 404, 412, 428) },
    },
  }, async (req, reply) => {
    const p = await updatePromotion(req.ctx, req.params.id, ifMatchVersion(req), req.body);
    setEtag(reply, p.version);
    return present(p);
  });

  app.delete('/v1/operator/promotions/:id', {
    config: { permission: 'operator.catalog' },
    schema: {
      tags: ['operator'],
      summary: 'Delete a promotion (needs If-Match; audited)',
      params: ZIdParams,
      response: { 204: z.null(), ...errors(400, 401, 403, 404, 412, 428) },
    },
  }, async (req, reply) => {
    await deletePromotion(req.ctx, req.params.id, ifMatchVersion(req));
    return reply.code(204).send(null);
  });
};
