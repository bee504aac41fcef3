import { sql, type Kysely } from 'kysely';

/**
 * Indexes for the partners' price-list pages (issue 6, GET /v1/pricelists…), one per query shape:
 * - the list in display order, keyset-paged: (version, product title, SKU title, line);
 * - the same within one change flag (the "what changed" view and the changeFlag filter);
 * - search: one full-text GIN index (the `simple` configuration: no stemming, no stop words,
 *   lower-cased) over the titles and ids; each word of `q` is a prefix (`word:*`). Measured
 *   against a trigram index on 1,000,000 rows: common title words ("business", "standard")
 *   make every trigram's posting list huge, a word's list is one (bench/pricelists.ts);
 * - price resolution and the calculator: the rows of one SKU in a version.
 * The download replays a version in line order on the primary key (version_id, row_no).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index price_rows_display_idx on price_rows (version_id, product_title, sku_title, row_no)`.execute(db);
  await sql`create index price_rows_flag_idx on price_rows (version_id, change_flag, product_title, sku_title, row_no)`.execute(db);
  await sql`
    create index price_rows_search_idx on price_rows
      using gin (to_tsvector('simple'::regconfig, product_title || ' ' || sku_title || ' ' || product_id || ' ' || sku_id))`.execute(db);
  await sql`create index price_rows_sku_idx on price_rows (version_id, sku_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0025_pricelist_search cannot be reverted');
}
