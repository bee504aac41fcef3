import { sql, type Kysely } from 'kysely';

/**
 * API apps (Partner Center's "App management", reference §1.7): a partner registers apps
 * that call the API with their own client id, secrets and roles.
 *
 * Secrets are 256-bit random values stored only as their SHA-256, with a short hint; an
 * app exchanges one for a short-lived bearer token, which is a row of `sessions` with
 * `principal_kind = 'app'`. Revoking the secret, disabling or deleting the app deletes its
 * tokens (cascade, or explicitly for disable).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table api_apps (
      id uuid primary key,
      partner_id uuid not null references partners (id) on delete cascade,
      name text not null,
      client_id text not null,
      status text not null default 'active' check (status in ('active', 'disabled')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index api_apps_client_id_uq on api_apps (client_id)`.execute(db);
  await sql`create index api_apps_partner_idx on api_apps (partner_id, lower(name), id)`.execute(db);

  await sql`
    create table api_app_roles (
      partner_id uuid not null references partners (id) on delete cascade,
      app_id uuid not null references api_apps (id) on delete cascade,
      -- A deleted custom role is simply taken away from the apps that held it.
      role_id text not null references roles (id) on delete cascade,
      category text not null,
      created_at timestamptz not null default now(),
      primary key (partner_id, app_id, role_id)
    )`.execute(db);
  // At most one role per category, as for users.
  await sql`create unique index api_app_roles_one_per_category_uq on api_app_roles (partner_id, app_id, category)`.execute(db);
  await sql`create index api_app_roles_role_idx on api_app_roles (partner_id, role_id, app_id)`.execute(db);

  await sql`
    create table api_app_secrets (
      id uuid primary key,
      partner_id uuid not null references partners (id) on delete cascade,
      app_id uuid not null references api_apps (id) on delete cascade,
      secret_hash text not null,
      hint text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create unique index api_app_secrets_hash_uq on api_app_secrets (secret_hash)`.execute(db);
  await sql`create index api_app_secrets_app_idx on api_app_secrets (app_id, created_at)`.execute(db);

  // App tokens live in `sessions`: a third principal kind, tied to the app and the secret it came from.
  await sql`alter table sessions add column app_id uuid references api_apps (id) on delete cascade`.execute(db);
  await sql`alter table sessions add column app_secret_id uuid references api_app_secrets (id) on delete cascade`.execute(db);
  await sql`alter table sessions drop constraint sessions_principal_kind_check`.execute(db);
  await sql`alter table sessions add constraint sessions_principal_kind_check check (principal_kind in ('user', 'operator', 'app'))`.execute(db);
  await sql`alter table sessions add constraint sessions_app_check check ((principal_kind = 'app') = (app_id is not null and app_secret_id is not null and partner_id is not null))`.execute(db);
  await sql`create index sessions_app_idx on sessions (app_id) where app_id is not null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0007_api_apps cannot be reverted');
}
