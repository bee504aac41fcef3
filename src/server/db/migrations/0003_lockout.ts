import { sql, type Kysely } from 'kysely';

/** Per-account lockout (security-baseline L1–L2): consecutive failures and a temporary lock. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users add column failed_sign_ins integer not null default 0`.execute(db);
  await sql`alter table users add column last_failed_sign_in_at timestamptz`.execute(db);
  await sql`alter table users add column locked_until timestamptz`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0003_lockout cannot be reverted');
}
