import { sql, type Kysely } from 'kysely';

/**
 * Custom roles and "my sessions".
 *
 * Custom roles are rows of `roles` with the partner id set, category `custom` (a user
 * holds at most one of them, as for every category), a name unique per partner
 * (case-insensitive) and an optional description.
 *
 * Sessions are keyed by the SHA-256 of their token, which must never leave the server:
 * each gets a public, non-secret id so a user can list and end their sessions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table roles add column description text`.execute(db);
  await sql`create unique index roles_partner_name_uq on roles (partner_id, lower(name)) where partner_id is not null`.execute(db);

  await sql`alter table sessions add column id uuid not null default gen_random_uuid()`.execute(db);
  await sql`create unique index sessions_id_uq on sessions (id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0008_custom_roles_and_sessions cannot be reverted');
}
