import { sql, type Kysely } from 'kysely';

/**
 * Catalog, price lists, promotions and catalog pins (reference §1.9, §1.10; issue 6).
 *
 * - `offers`: the new-commerce offer matrix, one row per `ProductId:SkuId` (the offer id),
 *   market-agnostic, with the segment (commercial, education, government, nonprofit) and
 *   category the catalog groups by. `end_of_sale` marks items the matrix flags as such.
 * - `price_list_versions`: one monthly price list of one market. It is written while
 *   `status = 'importing'` and becomes visible only when the importer flips it to `ready`
 *   in one transaction, so a file is applied whole or not at all; a failed import deletes
 *   its rows. At most one ready version per (market, month). `month` is the first day of
 *   the month; the list is current from that day, a preview during the 30 days before.
 * - `price_rows`: the rows of a version. `row_no` is the row's line in the imported file
 *   (the download replays them in that order); rows removed since the previous month are
 *   added with `change_flag = 'DEL'` and `row_no` after the file's last line, `imported = false`.
 *   Prices are `numeric`, never floats.
 * - `promotions`: a percentage off list price, for markets, products or SKUs and terms, between dates.
 * - `catalog_pins`: a partner's (at most 5) pinned offers, in display order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table offers (
      id text primary key,
      product_id text not null,
      sku_id text not null,
      product_title text not null,
      sku_title text not null,
      publisher text not null default '',
      provisioning_id text,
      provisioning_string text,
      min_licenses integer,
      max_licenses integer,
      asset_ownership_limit integer,
      asset_ownership_limit_type text,
      prerequisites text[] not null default '{}',
      conversions text[] not null default '{}',
      description text not null default '',
      allowed_countries text[] not null default '{}',
      segment text not null default 'commercial' check (segment in ('commercial', 'education', 'government', 'nonprofit')),
      category text not null default '',
      end_of_sale boolean not null default false,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index offers_segment_idx on offers (segment, category, product_title, id)`.execute(db);

  await sql`
    create table price_list_versions (
      id uuid primary key,
      market char(2) not null,
      month date not null,
      status text not null check (status in ('importing', 'ready', 'failed')),
      file_name text,
      row_count integer not null default 0,
      deleted_count integer not null default 0,
      previous_version_id uuid references price_list_versions (id) on delete set null,
      imported_by uuid,
      started_at timestamptz not null,
      completed_at timestamptz
    )`.execute(db);
  await sql`create unique index price_list_versions_ready_idx on price_list_versions (market, month) where status = 'ready'`.execute(db);

  await sql`
    create table price_rows (
      version_id uuid not null references price_list_versions (id) on delete cascade,
      row_no integer not null,
      imported boolean not null default true,
      product_id text not null,
      sku_id text not null,
      product_title text not null,
      sku_title text not null,
      publisher text not null,
      sku_description text not null default '',
      unit_of_measure text not null default '',
      term_duration text not null,
      billing_plan text not null,
      market char(2) not null,
      currency char(3) not null,
      unit_price numeric(18, 4) not null,
      erp_price numeric(18, 4),
      tier_min integer,
      tier_max integer,
      effective_start_date date not null,
      effective_end_date date,
      end_of_sale_date date,
      tags text[] not null default '{}',
      change_flag text not null check (change_flag in ('ADD', 'CHG', 'DEL', 'UNC')),
      primary key (version_id, row_no)
    )`.execute(db);
  // The key change flags and duplicate detection use (one price per SKU, term, plan, currency and tier).
  await sql`
    create unique index price_rows_key_idx
      on price_rows (version_id, product_id, sku_id, term_duration, billing_plan, currency, coalesce(tier_min, 0))`.execute(db);

  await sql`
    create table promotions (
      id uuid primary key,
      name text not null,
      percent numeric(5, 2) not null check (percent > 0 and percent <= 100),
      markets text[] not null default '{}',
      product_ids text[] not null default '{}',
      sku_ids text[] not null default '{}',
      terms text[] not null default '{}',
      starts_on date not null,
      ends_on date not null,
      version integer not null default 1,
      created_by uuid,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check (ends_on >= starts_on)
    )`.execute(db);
  await sql`create index promotions_dates_idx on promotions (starts_on, ends_on)`.execute(db);

  await sql`
    create table catalog_pins (
      partner_id uuid not null references partners (id) on delete cascade,
      position smallint not null check (position between 1 and 5),
      offer_id text not null,
      primary key (partner_id, position),
      unique (partner_id, offer_id)
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0020_catalog_pricelists cannot be reverted');
}
