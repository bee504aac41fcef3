import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { collectionLinks, decodeCursor, encodeCursor, ZLinks, ZPageQuery } from '../../core/pagination';
import { errors } from '../../core/schemas';
import {
  browseOffers,
  catalogCategories,
  cursorFrom,
  cursorKeyOf,
  getPins,
  MAX_PINS,
  OFFER_ID_PATTERN,
  offerDetails,
  presentOfferListItem,
  setPins,
} from './catalog.service';

const ZSegment = z.enum(['commercial', 'education', 'government', 'nonprofit']);
const ZOfferId = z.string().max(130).regex(OFFER_ID_PATTERN);

const ZOfferListItem = z
  .object({
    id: z.string(),
    productId: z.string(),
    skuId: z.string(),
    productTitle: z.string(),
    skuTitle: z.string(),
    publisher: z.string(),
    segment: ZSegment,
    category: z.string(),
    endOfSale: z.boolean(),
    pinned: z.boolean(),
    /** 1..5 when pinned. */
    pinPosition: z.number().int().nullable(),
  })
  .meta({ id: 'CatalogOffer' });

const ZOfferDetails = ZOfferListItem.extend({
  description: z.string(),
  minLicenses: z.number().int().nullable(),
  maxLicenses: z.number().int().nullable(),
  assetOwnershipLimit: z.number().int().nullable(),
  assetOwnershipLimitType: z.string().nullable(),
  prerequisites: z.array(z.object({ id: z.string(), productTitle: z.string().nullable(), skuTitle: z.string().nullable() })),
  allowedCountries: z.array(z.string()),
  priceList: z.object({ market: z.string(), month: z.string() }).nullable(),
  terms: z.array(z.object({ termDuration: z.string(), billingPlan: z.string(), currencies: z.array(z.string()) })),
  updatedAt: z.string(),
}).meta({ id: 'CatalogOfferDetails' });

const ZPins = z
  .object({
    /** In display order (position 1 first). */
    offerIds: z.array(z.string()),
    /** The same value as the ETag header: send it as If-Match to refuse a stale overwrite (optional). */
    etag: z.string(),
    offers: z.array(z.object({ id: z.string(), productTitle: z.string(), skuTitle: z.string() })),
  })
  .meta({ id: 'CatalogPins' });

/** The If-Match of a pins PUT: undefined (or `*`) overwrites; W/ is accepted (the comparison is of the list). */
function ifMatchOf(h: string | string[] | undefined): string | undefined {
  if (typeof h !== 'string' || !h.trim() || h.trim() === '*') return undefined;
  return h.trim().replace(/^W\//, '');
}

export const catalogRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/catalog/offers', {
    config: { permission: 'pricing.read' },
    schema: {
      tags: ['catalog'],
      summary: 'Browse the catalog: offers by segment, category, publisher or search, in (segment, category, product title) order, with the company’s pins marked',
      querystring: ZPageQuery.extend({
        segment: ZSegment.optional(),
        category: z.string().max(200).optional(),
        publisher: z.string().max(200).optional(),
        q: z.string().trim().max(200).optional(),
      }).strict(),
      response: { 200: z.object({ totalCount: z.number().int(), items: z.array(ZOfferListItem), links: ZLinks }), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const { size, continuationToken, segment, category, publisher, q } = req.query;
    const after = cursorFrom(decodeCursor(continuationToken, OFFER_ID_PATTERN));
    const page = await browseOffers(req.ctx, { segment, category, publisher, q: q || undefined }, { size, after });
    const last = page.rows.at(-1);
    return {
      totalCount: page.totalCount,
      items: page.rows.map(presentOfferListItem),
      links: collectionLinks('/v1/catalog/offers', { segment, category, publisher, q, size, continuationToken }, page.hasMore && last ? encodeCursor(cursorKeyOf(last), last.id) : undefined),
    };
  });

  app.get('/v1/catalog/categories', {
    config: { permission: 'pricing.read' },
    schema: {
      tags: ['catalog'],
      summary: 'The catalog’s navigation: offers per category (of one segment, or all) and per segment',
      querystring: z.object({ segment: ZSegment.optional() }).strict(),
      response: {
        200: z.object({
          items: z.array(z.object({ segment: ZSegment, category: z.string(), count: z.number().int() })),
          segments: z.array(z.object({ segment: ZSegment, count: z.number().int() })),
        }),
        ...errors(400, 401, 403),
      },
    },
  }, async (req) => catalogCategories(req.ctx, req.query.segment));

  app.get('/v1/catalog/offers/:id', {
    config: { permission: 'pricing.read' },
    schema: {
      tags: ['catalog'],
      summary: 'One offer (`ProductId:SkuId`, the colon may be sent as %3A): licences, prerequisites, allowed countries, and the terms and billing plans of the company’s market this month',
      params: z.object({ id: ZOfferId }).strict(),
      response: { 200: ZOfferDetails, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => offerDetails(req.ctx, req.params.id));

  app.get('/v1/catalog/pins', {
    config: { permission: 'pricing.read' },
    schema: { tags: ['catalog'], summary: 'The company’s pinned offers, in display order (ETag header for If-Match)', response: { 200: ZPins, ...errors(401, 403) } },
  }, async (req, reply) => {
    const pins = await getPins(req.ctx);
    reply.header('etag', pins.etag);
    return pins;
  });

  app.put('/v1/catalog/pins', {
    config: { permission: 'catalog.manage' },
    schema: {
      tags: ['catalog'],
      summary: `Replace the company’s pins (at most ${MAX_PINS}, unique, existing offers) in display order; If-Match optional (412 when stale)`,
      // No max(5) here: a sixth pin is PIN_LIMIT, not a generic validation error. The bound only caps the body.
      body: z.object({ offerIds: z.array(z.string().max(130)).max(100) }).strict(),
      response: { 200: ZPins, ...errors(400, 401, 403, 412) },
    },
  }, async (req, reply) => {
    const pins = await setPins(req.ctx, req.body.offerIds, ifMatchOf(req.headers['if-match']));
    reply.header('etag', pins.etag);
    return pins;
  });
};
