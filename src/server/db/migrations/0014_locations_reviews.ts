import type { Kysely } from 'kysely';

/** Placeholder: filled in by the capability that owns it. */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(): Promise<void> {
  throw new Error('0014_locations_reviews cannot be reverted');
}
