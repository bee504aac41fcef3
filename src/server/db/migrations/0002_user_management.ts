import { sql, type Kysely } from 'kysely';

/**
 * User management: one-time temporary passwords that expire, last sign-in, and the
 * keys the users list sorts and pages on (name or email, within the partner).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users add column temp_password_expires_at timestamptz`.execute(db);
  await sql`alter table users add column last_sign_in_at timestamptz`.execute(db);
  await sql`alter table users add column sort_name text generated always as (lower(last_name || ' ' || first_name)) stored`.execute(db);
  await sql`drop index users_partner_idx`.execute(db);
  await sql`create index users_partner_name_idx on users (partner_id, sort_name, id)`.execute(db);
  await sql`create index users_partner_email_idx on users (partner_id, email_key, id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0002_user_management cannot be reverted');
}
