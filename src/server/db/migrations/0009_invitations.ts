import { sql, type Kysely } from 'kysely';

/**
 * Invitations by email: an invited user exists (active) without a usable password until
 * they accept the single-use link (token stored as SHA-256, valid 7 days) and choose one.
 * `users.invited_at` marks a pending invitation; it is cleared on acceptance.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users add column invited_at timestamptz`.execute(db);
  await sql`
    create table invitations (
      token_hash text primary key,
      partner_id uuid not null references partners (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      expires_at timestamptz not null,
      created_at timestamptz not null
    )`.execute(db);
  await sql`create index invitations_user_idx on invitations (user_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0009_invitations cannot be reverted');
}
