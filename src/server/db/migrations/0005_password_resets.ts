import { sql, type Kysely } from 'kysely';

/** Self-service password reset: single-use tokens (stored as SHA-256) and the company switch. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table password_resets (
      token_hash text primary key,
      user_id uuid not null references users (id) on delete cascade,
      expires_at timestamptz not null,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index password_resets_user_idx on password_resets (user_id)`.execute(db);
  await sql`alter table partners add column self_service_password_reset boolean not null default true`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0005_password_resets cannot be reverted');
}
