import { sql } from 'kysely';
import type { Db } from '../../db/database';

/**
 * SQL of the partners' price-list pages. Price lists are operator data, the same for every
 * partner (no tenant column): access is the route's `pricing.read` permission. Every query
 * names one ready version; the indexes are those of migration 0025.
 */

/** The ready versions of a market, newest month first. */
export function readyVersions(db: Db, market: string) {
  return db
    .selectFrom('price_list_versions')
    .select(['id', 'market', 'month', 'row_count', 'deleted_count', 'completed_at', 'previous_version_id'])
    .where('market', '=', market)
    .where('status', '=', 'ready')
    .orderBy('month', 'desc')
    .execute();
}

export type VersionRow = Awaited<ReturnType<typeof readyVersions>>[number];

/** Markets with at least one ready list, and their newest month. */
export function marketsWithLists(db: Db) {
  return db
    .selectFrom('price_list_versions')
    .select(['market', (eb) => eb.fn.max('month').as('latest'), (eb) => eb.fn.min('month').as('earliest')])
    .where('status', '=', 'ready')
    .groupBy('market')
    .orderBy('market')
    .execute();
}

export interface ListFilter {
  changeFlag?: 'ADD' | 'CHG' | 'DEL' | 'UNC' | undefined;
  publisher?: string | undefined;
  termDuration?: string | undefined;
  billingPlan?: string | undefined;
  tag?: string | undefined;
  /** Each word must start a word of the titles or ids (case-insensitive); [] with `q` given: nothing matches. */
  words?: string[] | undefined;
}

/** The document price_rows_search_idx indexes: the same expression, or the index is not used. */
const SEARCH_DOC = sql`to_tsvector('simple'::regconfig, r.product_title || ' ' || r.sku_title || ' ' || r.product_id || ' ' || r.sku_id)`;

/** `visio:* & business:*`: every word as a prefix. Words hold only letters and digits (searchWords). */
export const prefixQuery = (words: string[]) => words.map((w) => `${w}:*`).join(' & ');

export interface ListCursor {
  productTitle: string;
  skuTitle: string;
  rowNo: number;
}

const listColumns = [
  'r.row_no', 'r.product_id', 'r.sku_id', 'r.product_title', 'r.sku_title', 'r.publisher', 'r.term_duration', 'r.billing_plan', 'r.market',
  'r.currency', 'r.unit_price', 'r.erp_price', 'r.tier_min', 'r.tier_max', 'r.effective_start_date', 'r.effective_end_date', 'r.end_of_sale_date',
  'r.tags', 'r.change_flag', 'r.unit_of_measure', 'r.sku_description', 'r.imported',
] as const;


function filtered(db: Db, versionId: string, f: ListFilter) {
  let q = db.selectFrom('price_rows as r').where('r.version_id', '=', versionId);
  if (f.changeFlag) q = q.where('r.change_flag', '=', f.changeFlag);
  if (f.publisher) q = q.where('r.publisher', '=', f.publisher);
  if (f.termDuration) q = q.where('r.term_duration', '=', f.termDuration);
  if (f.billingPlan) q = q.where('r.billing_plan', '=', f.billingPlan);
  if (f.tag) q = q.where(sql<boolean>`r.tags @> array[${f.tag}]::text[]`);
  if (f.words !== undefined) {
    const words = f.words;
    q = words.length ? q.where(sql<boolean>`${SEARCH_DOC} @@ to_tsquery('simple'::regconfig, ${prefixQuery(words)})`) : q.where(sql<boolean>`false`);
  }
  return q;
}

/** One page in display order (product title, SKU title, file line), keyset after `after`. */
export function listPage(db: Db, versionId: string, f: ListFilter, size: number, after: ListCursor | undefined) {
  let q = filtered(db, versionId, f).select(listColumns);
  if (after) q = q.where(sql<boolean>`(r.product_title, r.sku_title, r.row_no) > (${after.productTitle}, ${after.skuTitle}, ${after.rowNo})`);
  return q.orderBy('r.product_title').orderBy('r.sku_title').orderBy('r.row_no').limit(size + 1).execute();
}

export type ListRow = Awaited<ReturnType<typeof listPage>>[number];

export async function countRows(db: Db, versionId: string, f: ListFilter): Promise<number> {
  const r = await filtered(db, versionId, f).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function flagCounts(db: Db, versionId: string): Promise<Record<'ADD' | 'CHG' | 'DEL' | 'UNC', number>> {
  const rows = await db
    .selectFrom('price_rows')
    .select(['change_flag', (eb) => eb.fn.countAll<string>().as('n')])
    .where('version_id', '=', versionId)
    .groupBy('change_flag')
    .execute();
  const out = { ADD: 0, CHG: 0, DEL: 0, UNC: 0 };
  for (const r of rows) out[r.change_flag] = Number(r.n);
  return out;
}

/** The distinct values the filters offer (publishers, terms, plans, tags) of one version. */
export async function facetValues(db: Db, versionId: string) {
  const [publishers, terms, plans, tags] = await Promise.all([
    db.selectFrom('price_rows').select('publisher as v').distinct().where('version_id', '=', versionId).orderBy('v').limit(200).execute(),
    db.selectFrom('price_rows').select('term_duration as v').distinct().where('version_id', '=', versionId).orderBy('v').limit(50).execute(),
    db.selectFrom('price_rows').select('billing_plan as v').distinct().where('version_id', '=', versionId).orderBy('v').limit(50).execute(),
    sql<{ v: string }>`select distinct t as v from price_rows, unnest(tags) as t where version_id = ${versionId} order by v limit 200`.execute(db),
  ]);
  return { publishers: publishers.map((r) => r.v), termDurations: terms.map((r) => r.v), billingPlans: plans.map((r) => r.v), tags: tags.rows.map((r) => r.v) };
}

/** The imported rows of a version after line `afterRowNo`, in file order (primary key). */
export function downloadBatch(db: Db, versionId: string, afterRowNo: number, size: number) {
  return db
    .selectFrom('price_rows')
    .select([
      'row_no', 'product_title', 'product_id', 'sku_id', 'sku_title', 'publisher', 'sku_description', 'unit_of_measure', 'term_duration', 'billing_plan',
      'market', 'currency', 'unit_price', 'tier_min', 'tier_max', 'effective_start_date', 'effective_end_date', 'end_of_sale_date', 'tags', 'erp_price', 'change_flag',
    ])
    .where('version_id', '=', versionId)
    .where('row_no', '>', afterRowNo)
    .where('imported', '=', true)
    .orderBy('row_no')
    .limit(size)
    .execute();
}

export type DownloadRow = Awaited<ReturnType<typeof downloadBatch>>[number];

/** The rows of one SKU in a version: the candidates of price resolution. */
export function skuRows(db: Db, versionId: string, skuId: string) {
  return db
    .selectFrom('price_rows')
    .select([
      'row_no', 'product_id', 'sku_id', 'product_title', 'sku_title', 'market', 'currency', 'term_duration', 'billing_plan', 'unit_price', 'erp_price',
      'tier_min', 'tier_max', 'effective_start_date', 'effective_end_date', 'change_flag',
    ])
    .where('version_id', '=', versionId)
    .where('sku_id', '=', skuId)
    .orderBy('row_no')
    .limit(1000)
    .execute();
}
