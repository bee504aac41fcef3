import { sql, type Kysely } from 'kysely';

/**
 * Business (marketing) profiles, reference §1.8 and issue 5: one profile per country or
 * region where the partner does business.
 *
 * - `description` is `{fr, en, …}` (at most 2,500 characters each, checked by the service).
 * - `locations` is an array of at most 5 Address objects (same shape as the enrolment's).
 * - `lead_contact` is `{name, email, phone}`: the person who acts on leads.
 * - The logo is stored resized (at most 300 px wide) as PNG or JPEG bytes with its size.
 * - `status` is `draft` until published; `published_at` is when it was last published.
 *   The public directory reads its own denormalised table (migration 0018), written in the
 *   same transaction as a publish, an edit of a published profile or an unpublish.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table business_profiles (
      id uuid primary key,
      partner_id uuid not null references partners (id) on delete cascade,
      country char(2) not null,
      status text not null default 'draft' check (status in ('draft', 'published')),
      description jsonb not null default '{}',
      industries text[] not null default '{}',
      products text[] not null default '{}',
      services text[] not null default '{}',
      skills text[] not null default '{}',
      customer_sizes text[] not null default '{}',
      website text,
      linkedin text,
      locations jsonb not null default '[]',
      lead_contact jsonb,
      logo bytea,
      logo_type text,
      logo_width integer,
      logo_height integer,
      logo_version integer not null default 0,
      version integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      published_at timestamptz,
      unique (partner_id, country),
      unique (partner_id, id)
    )`.execute(db);
  await sql`create index business_profiles_partner_idx on business_profiles (partner_id, country)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0017_business_profiles cannot be reverted');
}
