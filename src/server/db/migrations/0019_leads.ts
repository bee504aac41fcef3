import { sql, type Kysely } from 'kysely';

/**
 * Leads (issue 5, reference §1.14): what a customer sends through "Contact this partner" on a
 * published business profile, worked on in the partner's Referrals inbox.
 *
 * - `business_profile_id` has no foreign key on purpose: a lead stays (with the profile's
 *   country in `profile_country`) when its profile is deleted.
 * - `status` moves new → accepted | declined, accepted → won | lost; a lead still `new`
 *   14 days after it arrived (`expires_at`) becomes `expired` (the expiry job).
 * - `deal_value` is numeric (read as a decimal string), with its ISO 4217 `currency`.
 * - `search_text` is the lower-cased customer name, company and email, for the inbox search
 *   (trigram index: `like '%…%'` stays indexed).
 * - `lead_team`: who works on the lead (a Referrals user sees only those leads);
 *   `lead_notes`: the notes thread, with the author's name kept as written.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table leads (
      id uuid primary key,
      partner_id uuid not null references partners (id) on delete cascade,
      business_profile_id uuid,
      profile_country char(2),
      customer_name text not null,
      customer_company text not null,
      customer_email text not null,
      customer_phone text not null,
      customer_country char(2) not null,
      company_size text not null,
      need text not null,
      consent boolean not null,
      status text not null default 'new' check (status in ('new', 'accepted', 'declined', 'won', 'lost', 'expired')),
      reason text,
      deal_value numeric(16, 2),
      currency char(3),
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      expires_at timestamptz not null,
      search_text text generated always as (lower(customer_name || ' ' || customer_company || ' ' || customer_email)) stored,
      unique (partner_id, id),
      check ((status = 'won') = (deal_value is not null and currency is not null))
    )`.execute(db);
  // The inbox: newest first per partner, with or without a status filter (keyset on created_at, id).
  await sql`create index leads_inbox_idx on leads (partner_id, created_at desc, id desc)`.execute(db);
  await sql`create index leads_status_idx on leads (partner_id, status, created_at desc, id desc)`.execute(db);
  await sql`create index leads_search_trgm_idx on leads using gin (search_text gin_trgm_ops)`.execute(db);
  // The expiry job reads only the leads still waiting for an answer.
  await sql`create index leads_expiry_idx on leads (expires_at) where status = 'new'`.execute(db);

  await sql`
    create table lead_team (
      partner_id uuid not null,
      lead_id uuid not null,
      user_id uuid not null references users (id) on delete cascade,
      added_at timestamptz not null,
      primary key (lead_id, user_id),
      foreign key (partner_id, lead_id) references leads (partner_id, id) on delete cascade
    )`.execute(db);
  // "The leads whose team I am on" (a Referrals user's inbox, assignedTo=me).
  await sql`create index lead_team_user_idx on lead_team (partner_id, user_id, lead_id)`.execute(db);

  await sql`
    create table lead_notes (
      id uuid primary key,
      partner_id uuid not null,
      lead_id uuid not null,
      author_id uuid references users (id) on delete set null,
      author_name text not null,
      text text not null,
      created_at timestamptz not null,
      foreign key (partner_id, lead_id) references leads (partner_id, id) on delete cascade
    )`.execute(db);
  await sql`create index lead_notes_lead_idx on lead_notes (lead_id, created_at, id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0019_leads cannot be reverted');
}
