import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors';
import { collectionLinks, ZLinks, ZPageQuery } from '../../core/pagination';
import { errors } from '../../core/schemas';
import type { ListCursor } from './pricelists.repo';
import { downloadPriceList, listChanges, listFacets, listMarkets, listMonths, listPriceRows, priceFor } from './pricelists.service';
import { isCalendarDay, presentPromotion, runningPromotions } from './promotions.service';

const ZMarket = z.string().trim().min(1).max(10).meta({ description: 'Country code of the market, e.g. FR' });
const ZMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).meta({ description: 'YYYY-MM; default: the market’s current month' });
const ZFlag = z.enum(['ADD', 'CHG', 'DEL', 'UNC']);
const ZDay = z.string().refine(isCalendarDay, { message: 'expected a date YYYY-MM-DD' });
const ZDecimal = z.string().meta({ description: 'Decimal number as text (never a float)' });

const ZPriceRow = z
  .object({
    productId: z.string(),
    skuId: z.string(),
    productTitle: z.string(),
    skuTitle: z.string(),
    publisher: z.string(),
    termDuration: z.string(),
    billingPlan: z.string(),
    market: z.string(),
    currency: z.string(),
    unitPrice: ZDecimal,
    erpPrice: ZDecimal.nullable(),
    effectiveStartDate: z.string(),
    effectiveEndDate: z.string().nullable(),
    changeFlag: ZFlag,
    rowNo: z.number().int().meta({ description: 'Line of the row in the imported file' }),
    tierMin: z.number().int().nullable(),
    tierMax: z.number().int().nullable(),
    tags: z.array(z.string()),
    endOfSaleDate: z.string().nullable(),
    unitOfMeasure: z.string(),
    promotion: z
      .object({ id: z.uuid(), name: z.string(), percent: ZDecimal, unitPrice: ZDecimal.meta({ description: 'The list price after the promotion' }), endsOn: z.string() })
      .nullable()
      .meta({ description: 'The best promotion running on the list’s reference day, if any' }),
  })
  .meta({ id: 'PriceListRow' });

const ZListQuery = ZPageQuery.extend({
  market: ZMarket,
  month: ZMonth.optional(),
  q: z.string().trim().max(200).optional(),
  changeFlag: ZFlag.optional(),
  publisher: z.string().trim().max(200).optional(),
  termDuration: z.string().trim().max(20).optional(),
  billingPlan: z.string().trim().max(40).optional(),
  tag: z.string().trim().max(100).optional(),
}).strict();

/** Keyset cursor of the list: (product title, SKU title, file line). */
function encodeListCursor(c: ListCursor): string {
  return Buffer.from(JSON.stringify([c.productTitle, c.skuTitle, c.rowNo]), 'utf8').toString('base64url');
}
function decodeListCursor(token: string | undefined): ListCursor | undefined {
  if (token === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 3 && typeof v[0] === 'string' && typeof v[1] === 'string' && Number.isSafeInteger(v[2])) {
      return { productTitle: v[0], skuTitle: v[1], rowNo: v[2] as number };
    }
  } catch {
    /* fall through */
  }
  throw new AppError('INVALID_CONTINUATION_TOKEN');
}

const ZStep = z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) });
const ZPriceResult = z
  .object({
    market: z.string(),
    month: z.string(),
    date: z.string(),
    priced: z.boolean(),
    reason: z.string().optional().meta({ description: 'When not priced: INVALID_QUERY, NO_MATCHING_ROW, OFFER_REMOVED, DATE_OUTSIDE or QUANTITY_OUTSIDE_TIERS' }),
    currency: z.string().optional(),
    quantity: z.number().int().optional(),
    unitPrice: ZDecimal.optional(),
    listPrice: ZDecimal.optional(),
    erpPrice: ZDecimal.nullable().optional(),
    total: ZDecimal.optional(),
    row: z
      .object({
        versionId: z.uuid(), month: z.string(), rowNo: z.number().int(), productId: z.string(), skuId: z.string(), productTitle: z.string(), skuTitle: z.string(),
        tierMin: z.number().int().nullable(), tierMax: z.number().int().nullable(), effectiveStartDate: z.string(), effectiveEndDate: z.string().nullable(), changeFlag: z.string(),
      })
      .optional(),
    promotion: z.object({ id: z.string(), name: z.string(), percent: ZDecimal }).nullable().optional(),
    explanation: z.array(ZStep),
  })
  .meta({ id: 'PriceResolution' });

const ZPromotionView = z
  .object({
    id: z.uuid(), name: z.string(), percent: ZDecimal, markets: z.array(z.string()), productIds: z.array(z.string()), skuIds: z.array(z.string()), terms: z.array(z.string()),
    startsOn: z.string(), endsOn: z.string(), createdAt: z.string(), updatedAt: z.string(),
  })
  .meta({ id: 'Promotion' });

export { ZPromotionView };

export const priceListRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/pricelists', {
    config: { permission: 'pricing.read' },
    schema: {
      tags: ['pricing'],
      summary: 'One market’s monthly price list, searched and filtered, in product-title order (keyset paging)',
      description:
        '`q`: each word must appear in the product title, SKU title, product id or SKU id (case-insensitive). A row removed since last month appears flagged DEL. ' +
        'Unknown market: 400 UNKNOWN_MARKET; no visible list for the month: 404 UNKNOWN_MONTH (a preview month is visible from 30 days before it starts).',
      querystring: ZListQuery,
      response: { 200: z.object({ totalCount: z.number().int(), items: z.array(ZPriceRow), links: ZLinks }), ...errors(400, 401, 403, 404) },
    },
  }, async (req) => {
    const { size, continuationToken, ...f } = req.query;
    const page = await listPriceRows(req.ctx, { ...f, size, after: decodeListCursor(continuationToken) });
    return {
      totalCount: page.totalCount,
      items: page.items,
      links: collectionLinks('/v1/pricelists', { ...f, size, continuationToken }, page.next ? encodeListCursor(page.next) : undefined),
    };
  });

  app.get('/v1/pricelists/markets', {
    config: { permission: 'pricing.read' },
    schema: {
      tags: ['pricing'],
      summary: 'The markets that have a price list, with their currency',
      response: { 200: z.object({ items: z.array(z.object({ market: z.string(), currency: z.string().nullable() })) }), ...errors(401, 403) },
    },
  }, async (req) => ({ items: await listMarkets(req.ctx) }));

  app.get('/v1/pricelists/months', {
    config: { permission: 'pricing.read' },
    schema: {
      tags: ['pricing'],
      summary: 'A market’s price-list months, newest first: the preview (when visible), the current one and past ones',
      querystring: z.object({ market: ZMarket }).strict(),
      response: {
        200: z.object({
          market: z.string(),
          currency: z.string().nullable(),
          items: z.array(z.object({ month: z.string(), kind: z.enum(['current', 'preview', 'past']), effectiveFrom: z.string(), rowCount: z.number().int(), deletedCount: z.number().int(), publishedAt: z.string().nullable() })),
        }),
        ...errors(400, 401, 403),
      },
    },
  }, async (req) => listMonths(req.ctx, req.query.market));

  app.get('/v1/pricelists/changes', {
    config: { permission: 'pricing.read' },
    schema: {
      tags: ['pricing'],
      summary: 'What changed this month: the count of rows per change flag (the rows: GET /v1/pricelists?changeFlag=)',
      querystring: z.object({ market: ZMarket, month: ZMonth.optional() }).strict(),
      response: {
        200: z.object({
          market: z.string(), month: z.string(), kind: z.enum(['current', 'preview', 'past']), previousMonth: z.string().nullable(),
          counts: z.object({ ADD: z.number().int(), CHG: z.number().int(), DEL: z.number().int(), UNC: z.number().int() }),
        }),
        ...errors(400, 401, 403, 404),
      },
    },
  }, async (req) => listChanges(req.ctx, req.query.market, req.query.month));

  app.get('/v1/pricelists/facets', {
    config: { permission: 'pricing.read' },
    schema: {
      tags: ['pricing'],
      summary: 'The values the list’s filters offer: publishers, terms, billing plans and tags of one month',
      querystring: z.object({ market: ZMarket, month: ZMonth.optional() }).strict(),
      response: {
        200: z.object({ market: z.string(), month: z.string(), publishers: z.array(z.string()), termDurations: z.array(z.string()), billingPlans: z.array(z.string()), tags: z.array(z.string()) }),
        ...errors(400, 401, 403, 404),
      },
    },
  }, async (req) => listFacets(req.ctx, req.query.market, req.query.month));

  app.get('/v1/pricelists/download', {
    config: { permission: 'pricing.read' },
    schema: {
      tags: ['pricing'],
      summary: 'Download a month’s price list as imported: CSV (streamed) or XLSX (streamed)',
      description: `One header line (the new-commerce columns), then one line per imported row in file order. Rows flagged DEL (removed since last month) are not part of the file. Tags are joined with ";".`,
      produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      querystring: z.object({ market: ZMarket, month: ZMonth.optional(), format: z.enum(['csv', 'xlsx']).default('csv') }).strict(),
      response: { 200: z.string().meta({ description: 'The file' }), ...errors(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const file = await downloadPriceList(req.ctx, req.query.market, req.query.month, req.query.format);
    return reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${file.fileName}"`)
      .header('cache-control', 'no-store')
      // A stream is piped as is (the 200 schema documents it; it is not serialised).
      .send(file.body as unknown as string);
  });

  app.get('/v1/pricelists/price', {
    config: { permission: 'pricing.read' },
    schema: {
      tags: ['pricing'],
      summary: 'Resolve a price: which row of which list and which promotion give the price of a quantity on a date, with the explanation',
      description: 'Uses the list of the month containing `date` (default today). `currency` defaults to the market’s. Totals are rounded half-up to 2 decimals. No price is `priced: false` with a reason.',
      querystring: z
        .object({
          market: ZMarket,
          skuId: z.string().trim().min(1).max(64),
          productId: z.string().trim().min(1).max(64).optional(),
          termDuration: z.string().trim().min(1).max(20),
          billingPlan: z.string().trim().min(1).max(40),
          currency: z.string().trim().regex(/^[A-Za-z]{3}$/).optional(),
          date: ZDay.optional(),
          quantity: z.coerce.number().int().min(1).max(10_000_000).default(1),
        })
        .strict(),
      response: { 200: ZPriceResult, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => priceFor(req.ctx, req.query));

  app.get('/v1/promotions', {
    config: { permission: 'pricing.read' },
    schema: {
      tags: ['pricing'],
      summary: 'The promotions running today, for one market or all',
      querystring: z.object({ market: z.string().trim().regex(/^[A-Za-z]{2}$/).toUpperCase().optional() }).strict(),
      response: { 200: z.object({ items: z.array(ZPromotionView) }), ...errors(400, 401, 403) },
    },
  }, async (req) => ({ items: (await runningPromotions(req.ctx, req.query.market)).map(presentPromotion) }));
};
