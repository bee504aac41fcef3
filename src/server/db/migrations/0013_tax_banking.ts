import { sql, type Kysely } from 'kysely';

/**
 * Tax and payout (reference §1.1 Tax, "Payout, banking and tax profiles"): a tax profile per
 * country, tax exemptions reviewed by the operator, company-level bank profiles whose account
 * fields are encrypted field by field (security-baseline D1–D2: only ciphertext and a masked
 * hint are stored), the assignment of a bank profile and a tax profile to each programme and
 * location, and the re-authentication time of a session (bank edits need a fresh one).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table sessions add column reauth_at timestamptz`.execute(db);

  await sql`
    create table tax_profiles (
      id uuid primary key,
      partner_id uuid not null references partners (id) on delete cascade,
      country text not null check (country ~ '^[A-Z]{2}$'),
      registration_number_enc text,
      registration_number_hint text,
      tax_exempt boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      updated_by uuid,
      unique (partner_id, country)
    )`.execute(db);

  await sql`
    create table tax_exemptions (
      id uuid primary key,
      partner_id uuid not null references partners (id) on delete cascade,
      country text not null check (country ~ '^[A-Z]{2}$'),
      certificate_number text not null,
      comment text not null default '',
      status text not null check (status in ('submitted', 'approved', 'rejected')),
      reason text,
      submitted_at timestamptz not null,
      reviewed_at timestamptz,
      reviewed_by uuid,
      created_by uuid,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index tax_exemptions_partner_idx on tax_exemptions (partner_id, submitted_at desc, id desc)`.execute(db);
  // The operator's queue: by status, oldest first (keyset on submitted_at, id).
  await sql`create index tax_exemptions_review_idx on tax_exemptions (status, submitted_at, id)`.execute(db);

  await sql`
    create table bank_profiles (
      id uuid primary key,
      partner_id uuid not null references partners (id) on delete cascade,
      name text not null,
      bank_country text not null check (bank_country ~ '^[A-Z]{2}$'),
      payment_method text not null check (payment_method in ('sepa', 'wire')),
      account_holder_name text not null,
      iban_enc text,
      bic_enc text,
      account_number_enc text,
      routing_number_enc text,
      sort_code_enc text,
      bank_name text,
      account_hint text not null,
      status text not null check (status in ('pending_validation', 'approved', 'action_required')),
      reason text,
      version integer not null default 1,
      submitted_at timestamptz not null,
      reviewed_at timestamptz,
      reviewed_by uuid,
      created_by uuid,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index bank_profiles_partner_idx on bank_profiles (partner_id, lower(name), id)`.execute(db);
  await sql`create index bank_profiles_review_idx on bank_profiles (status, submitted_at, id)`.execute(db);

  await sql`
    create table payout_assignments (
      partner_id uuid not null references partners (id) on delete cascade,
      scope_type text not null check (scope_type in ('programme', 'location')),
      scope_id text not null,
      bank_profile_id uuid references bank_profiles (id) on delete set null,
      tax_profile_id uuid references tax_profiles (id) on delete set null,
      updated_at timestamptz not null,
      updated_by uuid,
      primary key (partner_id, scope_type, scope_id)
    )`.execute(db);
  await sql`create index payout_assignments_bank_idx on payout_assignments (bank_profile_id) where bank_profile_id is not null`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0013_tax_banking cannot be reverted');
}
