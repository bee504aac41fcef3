import { sql, type Kysely } from 'kysely';

/**
 * Locations (the global account's location accounts, reference §1.1) and who has read
 * which in-app notification.
 *
 * - `locations`: one row per location account of a partner, with its own generated id, legal
 *   address and contact (the enrolment's Address and Contact shapes) and an integer
 *   `version` for ETag/If-Match. `user_roles.location_id` (a location-scoped role
 *   assignment) now references it, within the same partner; a location still named by an
 *   assignment cannot be deleted (the service answers 409 LOCATION_IN_USE first).
 * - `notification_reads`: read state per user, so one admin reading the bell does not clear
 *   it for the others.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table locations (
      id uuid primary key,
      partner_id uuid not null references partners (id) on delete cascade,
      name text not null,
      address jsonb not null,
      contact jsonb not null,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (partner_id, id)
    )`.execute(db);
  await sql`create index locations_partner_idx on locations (partner_id, created_at, id)`.execute(db);
  // No code has written a location_id so far (assignments are company-wide), so the constraint holds.
  await sql`
    alter table user_roles
      add constraint user_roles_location_fk foreign key (partner_id, location_id) references locations (partner_id, id)`.execute(db);
  await sql`create index user_roles_location_idx on user_roles (partner_id, location_id) where location_id is not null`.execute(db);

  await sql`
    create table notification_reads (
      notification_id uuid not null references notifications (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      read_at timestamptz not null,
      primary key (notification_id, user_id)
    )`.execute(db);
  await sql`create index notification_reads_user_idx on notification_reads (user_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0014_locations_reviews cannot be reverted');
}
