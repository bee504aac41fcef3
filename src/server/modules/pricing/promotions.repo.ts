import { sql } from 'kysely';
import type { Db } from '../../db/database';
import type { PromotionTerms } from './resolve';

/** Promotions are operator data, the same for every partner (no tenant column). */
const columns = ['id', 'name', 'percent', 'markets', 'product_ids', 'sku_ids', 'terms', 'starts_on', 'ends_on', 'version', 'created_by', 'created_at', 'updated_at'] as const;

export function findPromotion(db: Db, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('promotions').select(columns).where('id', '=', id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export type PromotionRow = NonNullable<Awaited<ReturnType<typeof findPromotion>>>;

/** Operator list, newest start first (keyset on starts_on desc, id). */
export async function listPromotions(db: Db, q: { size: number; after?: { key: string; id: string } | undefined; market?: string | undefined }) {
  let page = db.selectFrom('promotions').select(columns);
  let total = db.selectFrom('promotions').select((eb) => eb.fn.countAll<string>().as('n'));
  if (q.market) {
    const m = q.market;
    page = page.where(sql<boolean>`(cardinality(markets) = 0 or ${m} = any(markets))`);
    total = total.where(sql<boolean>`(cardinality(markets) = 0 or ${m} = any(markets))`);
  }
  if (q.after) page = page.where(sql<boolean>`(starts_on < ${q.after.key}::date or (starts_on = ${q.after.key}::date and id > ${q.after.id}::uuid))`);
  const [rows, n] = await Promise.all([page.orderBy('starts_on', 'desc').orderBy('id').limit(q.size + 1).execute(), total.executeTakeFirstOrThrow()]);
  return { rows: rows.slice(0, q.size), hasMore: rows.length > q.size, totalCount: Number(n.n) };
}

/** Promotions running on `day` ('YYYY-MM-DD') for a market (or all markets). */
export function activePromotions(db: Db, day: string, market?: string) {
  let q = db.selectFrom('promotions').select(columns).where('starts_on', '<=', day).where('ends_on', '>=', day);
  if (market) q = q.where(sql<boolean>`(cardinality(markets) = 0 or ${market} = any(markets))`);
  return q.orderBy('percent', 'desc').orderBy('starts_on').orderBy('id').limit(500).execute();
}

export async function insertPromotion(db: Db, p: PromotionTerms & { id: string; createdBy: string; now: Date }) {
  await db
    .insertInto('promotions')
    .values({
      id: p.id, name: p.name, percent: p.percent, markets: p.markets, product_ids: p.productIds, sku_ids: p.skuIds, terms: p.terms,
      starts_on: p.startsOn, ends_on: p.endsOn, version: 1, created_by: p.createdBy, created_at: p.now, updated_at: p.now,
    })
    .execute();
}

export async function updatePromotionRow(db: Db, id: string, p: PromotionTerms & { version: number; now: Date }) {
  await db
    .updateTable('promotions')
    .set({
      name: p.name, percent: p.percent, markets: p.markets, product_ids: p.productIds, sku_ids: p.skuIds, terms: p.terms,
      starts_on: p.startsOn, ends_on: p.endsOn, version: p.version, updated_at: p.now,
    })
    .where('id', '=', id)
    .execute();
}

export async function deletePromotionRow(db: Db, id: string) {
  await db.deleteFrom('promotions').where('id', '=', id).execute();
}
