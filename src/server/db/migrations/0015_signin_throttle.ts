import { sql, type Kysely } from 'kysely';

/**
 * Same-password retries do not count towards the lockout (security baseline L2): the keyed
 * fingerprints of the last three wrong passwords of an account are kept, and a failure
 * with one of them again is audited but not counted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users add column recent_failed_fingerprints text[] not null default '{}'`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0015_signin_throttle cannot be reverted');
}
