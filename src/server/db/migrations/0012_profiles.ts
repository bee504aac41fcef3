import { sql, type Kysely } from 'kysely';

/**
 * The company profile (issue 4, reference §1.1): the legal business profile stays on
 * `partners` (with its verification state and ETag version), and the other profiles
 * (billing, organization, support, security contact) are one JSON document each in
 * `partner_profiles`, each with its own version.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table partners add column legal_version integer not null default 1`.execute(db);
  await sql`alter table partners add column company_approver jsonb`.execute(db);
  await sql`alter table partners add column rejection_reason text`.execute(db);
  /** The legal fields changed since the last verification (all of them for a new enrolment). */
  await sql`alter table partners add column pending_fields text[] not null default '{}'`.execute(db);
  await sql`alter table partners add column verification_comment text`.execute(db);
  /** When the profile (last) entered the verification queue: the queue's keyset order. */
  await sql`alter table partners add column submitted_at timestamptz not null default now()`.execute(db);
  await sql`update partners set submitted_at = created_at`.execute(db);
  await sql`update partners set pending_fields = '{companyName,address,primaryContact}' where status <> 'authorized'`.execute(db);
  // The operator's queue: where status = $1 [and (submitted_at, id) > ($2, $3)] order by submitted_at, id.
  await sql`create index partners_verification_queue_idx on partners (status, submitted_at, id)`.execute(db);

  await sql`
    create table partner_profiles (
      partner_id uuid not null references partners (id) on delete cascade,
      kind text not null check (kind in ('billing', 'organization', 'support', 'securitycontact')),
      data jsonb not null,
      version integer not null,
      updated_at timestamptz not null,
      updated_by uuid,
      primary key (partner_id, kind)
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0012_profiles cannot be reverted');
}
