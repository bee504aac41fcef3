import { sql, type Kysely } from 'kysely';

/**
 * Catalog search (issue 6, GET /v1/catalog/offers?q=): one trigram index over the offer's
 * titles and id, so `ILIKE '%word%'` for each word of `q` is an index scan on both engines
 * (pg_trgm, stack-notes §1) instead of a scan of the whole offer matrix. The browse order
 * itself is served by offers_segment_idx (0020).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index offers_search_idx on offers using gin ((product_title || ' ' || sku_title || ' ' || id) gin_trgm_ops)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0026_catalog_search cannot be reverted');
}
