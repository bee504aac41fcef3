import { sql, type Kysely } from 'kysely';

/**
 * Business profiles take their product tags from the operator's catalog once one is imported
 * (issue 5): saving a profile checks its products against `offers.product_title`, and the
 * editor lists the distinct titles. This index serves both (the catalog's own index leads
 * with segment and category).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index offers_product_title_idx on offers (product_title)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0021_business_profile_products cannot be reverted');
}
