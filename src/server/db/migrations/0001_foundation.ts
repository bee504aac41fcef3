import { sql, type Kysely } from 'kysely';

/**
 * Foundation schema: partners (tenants), their users and role assignments, roles as
 * data, operators, server-side sessions, email verification and the audit trail.
 * PostgreSQL 15 subset only, so it runs unchanged on PGlite and on a server.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);

  await sql`
    create table partners (
      id uuid primary key,
      company_name text not null,
      company_name_key text not null,
      country char(2) not null,
      currency char(3) not null,
      address jsonb not null,
      primary_contact jsonb not null,
      phone text,
      website text,
      status text not null check (status in ('pending_verification', 'authorized', 'rejected')),
      mfa_required boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  // One enrolment per legal name and country.
  await sql`create unique index partners_company_key_uq on partners (country, company_name_key)`.execute(db);
  // Operator list: keyset paging by name, and substring search on the name.
  await sql`create index partners_name_id_idx on partners (company_name_key, id)`.execute(db);
  await sql`create index partners_name_trgm_idx on partners using gin (company_name_key gin_trgm_ops)`.execute(db);

  await sql`
    create table users (
      id uuid primary key,
      partner_id uuid not null references partners (id) on delete cascade,
      email text not null,
      email_key text not null,
      first_name text not null,
      last_name text not null,
      password_hash text not null,
      status text not null default 'active' check (status in ('active', 'inactive')),
      email_verified_at timestamptz,
      locale text check (locale in ('fr', 'en')),
      must_change_password boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index users_email_key_uq on users (email_key)`.execute(db);
  await sql`create index users_partner_idx on users (partner_id, last_name, first_name, id)`.execute(db);

  await sql`
    create table roles (
      id text primary key,
      partner_id uuid references partners (id) on delete cascade,
      category text not null,
      built_in boolean not null,
      name text,
      permissions text[] not null,
      updated_at timestamptz not null default now(),
      check (built_in = (partner_id is null))
    )`.execute(db);

  await sql`
    create table user_roles (
      partner_id uuid not null references partners (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      role_id text not null references roles (id),
      category text not null,
      location_id uuid,
      created_at timestamptz not null default now(),
      primary key (partner_id, user_id, role_id)
    )`.execute(db);
  // At most one role per category for a user (Partner Center rule, reference §1.5).
  await sql`create unique index user_roles_one_per_category_uq on user_roles (partner_id, user_id, category)`.execute(db);
  await sql`create index user_roles_role_idx on user_roles (partner_id, role_id, user_id)`.execute(db);

  await sql`
    create table email_verifications (
      user_id uuid primary key references users (id) on delete cascade,
      code_hash text not null,
      expires_at timestamptz not null,
      attempts integer not null default 0,
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table operators (
      id uuid primary key,
      email text not null,
      email_key text not null unique,
      display_name text not null,
      password_hash text not null,
      locale text check (locale in ('fr', 'en')),
      created_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table sessions (
      token_hash text primary key,
      principal_kind text not null check (principal_kind in ('user', 'operator')),
      user_id uuid references users (id) on delete cascade,
      partner_id uuid references partners (id) on delete cascade,
      operator_id uuid references operators (id) on delete cascade,
      csrf_token text not null,
      mfa_passed boolean not null default false,
      ip text,
      user_agent text,
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      expires_at timestamptz not null,
      check ((principal_kind = 'user') = (user_id is not null and partner_id is not null)),
      check ((principal_kind = 'operator') = (operator_id is not null))
    )`.execute(db);
  await sql`create index sessions_user_idx on sessions (user_id)`.execute(db);
  await sql`create index sessions_expires_idx on sessions (expires_at)`.execute(db);

  await sql`
    create table audit_records (
      id bigint generated always as identity primary key,
      partner_id uuid,
      at timestamptz not null default now(),
      actor_type text not null,
      actor_id uuid,
      action text not null,
      target_type text,
      target_id text,
      outcome text not null check (outcome in ('success', 'failure')),
      changes jsonb,
      ip text,
      user_agent text,
      request_id text
    )`.execute(db);
  await sql`create index audit_records_partner_at_idx on audit_records (partner_id, at desc, id desc)`.execute(db);

  await sql`create table meta (key text primary key, value text not null)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('The foundation migration cannot be reverted');
}
