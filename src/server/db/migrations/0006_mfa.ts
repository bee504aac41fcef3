import { sql, type Kysely } from 'kysely';

/**
 * Multi-factor authentication: a TOTP factor per user (its secret encrypted), ten
 * one-time recovery codes (stored as keyed hashes), the per-user state, and the
 * session's pending second factor.
 *
 * mfa_state: 'disabled' (no factor, not asked), 'enabled' (must register at next
 * sign-in), 'enforced' (a factor is registered and asked at every sign-in).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users add column mfa_state text not null default 'disabled' check (mfa_state in ('disabled', 'enabled', 'enforced'))`.execute(db);
  await sql`alter table users add column totp_secret text`.execute(db);
  await sql`alter table users add column totp_pending_secret text`.execute(db);
  await sql`alter table users add column totp_last_step bigint`.execute(db);
  await sql`
    create table mfa_recovery_codes (
      user_id uuid not null references users (id) on delete cascade,
      code_hash text not null,
      used_at timestamptz,
      primary key (user_id, code_hash)
    )`.execute(db);
  // null: nothing pending; 'challenge': a registered factor must be presented; 'register': a factor must be registered.
  await sql`alter table sessions add column mfa_pending text check (mfa_pending in ('challenge', 'register'))`.execute(db);
  await sql`alter table sessions add column mfa_attempts int not null default 0`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0006_mfa cannot be reverted');
}
