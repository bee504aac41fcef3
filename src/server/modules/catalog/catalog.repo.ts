import { sql } from 'kysely';
import type { Db } from '../../db/database';

/**
 * Offers are global (the operator's offer matrix, one per `ProductId:SkuId`); pins are the
 * partner's. Every query that touches pins takes the partner id (the tenant).
 */

export type Segment = 'commercial' | 'education' | 'government' | 'nonprofit';

export interface OfferFilter {
  segment?: Segment | undefined;
  category?: string | undefined;
  publisher?: string | undefined;
  q?: string | undefined;
}

/** The keyset of the browse order: (segment, category, product title, id), the order of `offers_segment_idx`. */
export interface OfferCursor {
  segment: string;
  category: string;
  productTitle: string;
  id: string;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function filtered(db: Db, f: OfferFilter) {
  let q = db.selectFrom('offers as o');
  if (f.segment) q = q.where('o.segment', '=', f.segment);
  if (f.category !== undefined) q = q.where('o.category', '=', f.category);
  if (f.publisher) q = q.where('o.publisher', '=', f.publisher);
  // Every word of the search, anywhere in the titles or id: the expression of offers_search_idx (trigram GIN, 0026).
  for (const word of (f.q ?? '').split(/\s+/).filter(Boolean).slice(0, 8)) {
    q = q.where(sql<boolean>`(o.product_title || ' ' || o.sku_title || ' ' || o.id) ilike ${`%${escapeLike(word)}%`}`);
  }
  return q;
}

/** One page of offers in browse order, with the partner's pin position when pinned. */
export async function listOffers(db: Db, partnerId: string, f: OfferFilter, page: { size: number; after?: OfferCursor | undefined }) {
  let q = filtered(db, f)
    .leftJoin('catalog_pins as p', (j) => j.onRef('p.offer_id', '=', 'o.id').on('p.partner_id', '=', partnerId))
    .select(['o.id', 'o.product_id', 'o.sku_id', 'o.product_title', 'o.sku_title', 'o.publisher', 'o.segment', 'o.category', 'o.end_of_sale', 'p.position']);
  if (page.after) {
    const a = page.after;
    q = q.where(sql<boolean>`(o.segment, o.category, o.product_title, o.id) > (${a.segment}, ${a.category}, ${a.productTitle}, ${a.id})`);
  }
  const [rows, total] = await Promise.all([
    q.orderBy('o.segment').orderBy('o.category').orderBy('o.product_title').orderBy('o.id').limit(page.size + 1).execute(),
    filtered(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.slice(0, page.size), hasMore: rows.length > page.size, totalCount: Number(total.n) };
}

export type OfferListRow = Awaited<ReturnType<typeof listOffers>>['rows'][number];

/** Offers per segment and category (the catalog's navigation). */
export async function categoryCounts(db: Db, segment: Segment | undefined) {
  let q = db.selectFrom('offers').select(['segment', 'category', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['segment', 'category']);
  if (segment) q = q.where('segment', '=', segment);
  const rows = await q.orderBy('segment').orderBy('category').execute();
  return rows.map((r) => ({ segment: r.segment, category: r.category, count: Number(r.n) }));
}

export async function segmentCounts(db: Db) {
  const rows = await db.selectFrom('offers').select(['segment', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('segment').execute();
  return rows.map((r) => ({ segment: r.segment, count: Number(r.n) }));
}

export function findOffer(db: Db, id: string) {
  return db.selectFrom('offers').selectAll().where('id', '=', id).executeTakeFirst();
}

export type OfferRow = NonNullable<Awaited<ReturnType<typeof findOffer>>>;

/** Titles of the given offers (prerequisites); unknown ids are simply absent. */
export async function offerTitles(db: Db, ids: string[]) {
  if (ids.length === 0) return new Map<string, { productTitle: string; skuTitle: string }>();
  const rows = await db.selectFrom('offers').select(['id', 'product_title', 'sku_title']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, { productTitle: r.product_title, skuTitle: r.sku_title }]));
}

/** Which of `ids` exist. */
export async function existingOfferIds(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('offers').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** The company's market: its country (fixed at enrolment). */
export async function partnerMarket(db: Db, partnerId: string): Promise<string> {
  const p = await db.selectFrom('partners').select('country').where('id', '=', partnerId).executeTakeFirstOrThrow();
  return p.country;
}

/**
 * The terms and billing plans of an offer in a market's ready price list of `month`
 * (rows deleted since last month excluded), with their currencies. Uses price_rows_key_idx.
 */
export async function offerTerms(db: Db, market: string, month: string, productId: string, skuId: string) {
  const version = await db
    .selectFrom('price_list_versions')
    .select(['id', 'month'])
    .where('market', '=', market)
    .where('month', '=', month)
    .where('status', '=', 'ready')
    .executeTakeFirst();
  if (!version) return null;
  // A market's list may price an offer in several currencies: one line per term and plan, with its currencies.
  const rows = await db
    .selectFrom('price_rows')
    .select(['term_duration', 'billing_plan', sql<string[]>`array_agg(distinct currency::text order by currency::text)`.as('currencies')])
    .where('version_id', '=', version.id)
    .where('product_id', '=', productId)
    .where('sku_id', '=', skuId)
    .where('change_flag', '<>', 'DEL')
    .groupBy(['term_duration', 'billing_plan'])
    .orderBy('term_duration')
    .orderBy('billing_plan')
    .execute();
  return { month: version.month, rows };
}

/** The company's pins, in display order (position 1 first). */
export async function pinsOf(db: Db, partnerId: string): Promise<string[]> {
  const rows = await db.selectFrom('catalog_pins').select('offer_id').where('partner_id', '=', partnerId).orderBy('position').execute();
  return rows.map((r) => r.offer_id);
}

/** Serialise pin changes of one company: lock its partner row for the transaction. */
export async function lockPins(db: Db, partnerId: string): Promise<void> {
  await db.selectFrom('partners').select('id').where('id', '=', partnerId).forUpdate().execute();
}

export async function replacePins(db: Db, partnerId: string, offerIds: string[]): Promise<void> {
  await db.deleteFrom('catalog_pins').where('partner_id', '=', partnerId).execute();
  if (offerIds.length === 0) return;
  await db
    .insertInto('catalog_pins')
    .values(offerIds.map((offerId, i) => ({ partner_id: partnerId, position: i + 1, offer_id: offerId })))
    .execute();
}
