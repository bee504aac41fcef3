import type { Kysely } from 'kysely';

// Placeholder: written by the directory work (issue 5).
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(): Promise<void> {
  throw new Error('0018_directory cannot be reverted');
}
