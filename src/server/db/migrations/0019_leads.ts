import type { Kysely } from 'kysely';

// Placeholder: written by the leads work (issue 5).
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(): Promise<void> {
  throw new Error('0019_leads cannot be reverted');
}
