import { sql, type Kysely } from 'kysely';

/**
 * The operator's imports (issue 6, "The operator publishes"): what an import needs on top of 0020.
 *
 * - `price_list_versions` gains the outcome of its import: the change-flag counts, the
 *   refusal report (first 100 problems, plus their total), and a heartbeat. At most one
 *   import per (market, month) at a time: a partial unique index on `importing`, so two
 *   importers (two servers, the CLI and a server) cannot both start; an `importing` row
 *   whose heartbeat is old was left by a process that died and may be taken over.
 * - `offer_imports`: one offer-matrix import (its progress, counts and report); at most one
 *   runs at a time (the same kind of partial unique index).
 * - `offer_import_rows`: the rows of an offer-matrix import while it runs. The matrix is
 *   streamed into it in batches, so memory stays flat; duplicates are found by its unique
 *   index; then one transaction applies it to `offers` and the staging rows are deleted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table price_list_versions
      add column counts jsonb not null default '{}',
      add column error_count integer not null default 0,
      add column errors jsonb,
      add column heartbeat_at timestamptz`.execute(db);
  await sql`create unique index price_list_versions_importing_idx on price_list_versions (market, month) where status = 'importing'`.execute(db);
  await sql`create index price_list_versions_market_idx on price_list_versions (market, month desc, started_at desc)`.execute(db);

  await sql`
    create table offer_imports (
      id uuid primary key,
      status text not null check (status in ('importing', 'ready', 'failed')),
      file_name text,
      row_count integer not null default 0,
      counts jsonb not null default '{}',
      error_count integer not null default 0,
      errors jsonb,
      imported_by uuid,
      started_at timestamptz not null,
      heartbeat_at timestamptz,
      completed_at timestamptz
    )`.execute(db);
  await sql`create unique index offer_imports_one_running_idx on offer_imports ((true)) where status = 'importing'`.execute(db);
  await sql`create index offer_imports_started_idx on offer_imports (started_at desc)`.execute(db);

  await sql`
    create table offer_import_rows (
      import_id uuid not null references offer_imports (id) on delete cascade,
      row_no integer not null,
      id text not null,
      product_id text not null,
      sku_id text not null,
      product_title text not null,
      sku_title text not null,
      publisher text not null,
      provisioning_id text,
      provisioning_string text,
      min_licenses integer,
      max_licenses integer,
      asset_ownership_limit integer,
      asset_ownership_limit_type text,
      prerequisites text[] not null,
      conversions text[] not null,
      description text not null,
      allowed_countries text[] not null,
      segment text not null,
      category text not null,
      primary key (import_id, row_no),
      unique (import_id, id)
    )`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0024_catalog_imports cannot be reverted');
}
