import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { AppError, type ErrorDetail } from '../../../core/errors';
import type { Db } from '../../../db/database';
import { checkOfferRow, OFFER_COLUMNS, OFFER_EXTENSION_COLUMNS, readHeader, type OfferColumn, type OfferRow } from './columns';
import { csvRecords, Report } from './csv';
import { auditImport, heartbeatEvery, reportOf, STALE_AFTER_MS, type ImportActor } from './pricelist-import';
import { openCsvSource } from './source';

/**
 * The offer matrix import: the same machinery as the price list (stream, check every row,
 * batches of one statement each into a staging table whose unique index finds duplicate offer
 * ids), then ONE transaction applies the whole matrix to `offers`: upsert every row, and mark
 * the offers absent from the file `end_of_sale` (they are not deleted: pins, price rows and
 * later orders keep pointing at them; a later matrix that lists them again reopens them).
 */

export const OFFER_BATCH_ROWS = 2000;

export interface OfferCounts {
  added: number;
  updated: number;
  endOfSale: number;
}

export interface OfferImportProgress {
  phase: 'reading' | 'applying' | 'done';
  bytesRead: number;
  totalBytes: number;
  rowsRead: number;
  errors: number;
}

export interface OfferImportSummary {
  id: string;
  rows: number;
  counts: OfferCounts;
  ms: number;
  rowsPerSecond: number;
}

export async function beginOfferImport(db: Db, o: { fileName: string | null; importedBy: string | null; now: Date }): Promise<string> {
  const stale = new Date(o.now.getTime() - STALE_AFTER_MS);
  await db
    .updateTable('offer_imports')
    .set({ status: 'failed', completed_at: o.now, errors: JSON.stringify({ code: 'ABANDONED', total: 0, details: [] }) })
    .where('status', '=', 'importing')
    .where((eb) => eb.or([eb('heartbeat_at', '<', stale), eb.and([eb('heartbeat_at', 'is', null), eb('started_at', '<', stale)])]))
    .execute();
  await sql`delete from offer_import_rows where import_id in (select id from offer_imports where status <> 'importing')`.execute(db);
  const id = randomUUID();
  try {
    await db.insertInto('offer_imports').values({ id, status: 'importing', file_name: o.fileName, imported_by: o.importedBy, started_at: o.now, heartbeat_at: o.now, counts: '{}' }).execute();
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new AppError('IMPORT_IN_PROGRESS', { market: '*', month: '*' });
    throw err;
  }
  return id;
}

async function stageBatch(db: Db, importId: string, rows: OfferRow[]): Promise<number[]> {
  const col = <T>(f: (r: OfferRow) => T) => rows.map(f);
  const r = await sql<{ row_no: number }>`
    with input as (
      select * from unnest(
        ${col((r) => r.line)}::int[], ${col((r) => r.id)}::text[], ${col((r) => r.productId)}::text[], ${col((r) => r.skuId)}::text[],
        ${col((r) => r.productTitle)}::text[], ${col((r) => r.skuTitle)}::text[], ${col((r) => r.publisher)}::text[],
        ${col((r) => r.provisioningId)}::text[], ${col((r) => r.provisioningString)}::text[], ${col((r) => r.minLicenses)}::int[],
        ${col((r) => r.maxLicenses)}::int[], ${col((r) => r.assetOwnershipLimit)}::int[], ${col((r) => r.assetOwnershipLimitType)}::text[],
        ${col((r) => r.prerequisites)}::text[], ${col((r) => r.conversions)}::text[], ${col((r) => r.description)}::text[],
        ${col((r) => r.allowedCountries)}::text[], ${col((r) => r.segment)}::text[], ${col((r) => r.category)}::text[]
      ) as t(row_no, id, product_id, sku_id, product_title, sku_title, publisher, provisioning_id, provisioning_string, min_licenses,
             max_licenses, asset_ownership_limit, asset_ownership_limit_type, prerequisites, conversions, description, allowed_countries,
             segment, category)
    ), ins as (
      insert into offer_import_rows (import_id, row_no, id, product_id, sku_id, product_title, sku_title, publisher, provisioning_id,
        provisioning_string, min_licenses, max_licenses, asset_ownership_limit, asset_ownership_limit_type, prerequisites, conversions,
        description, allowed_countries, segment, category)
      select ${importId}::uuid, row_no, id, product_id, sku_id, product_title, sku_title, publisher, provisioning_id, provisioning_string,
        min_licenses, max_licenses, asset_ownership_limit, asset_ownership_limit_type,
        case when prerequisites = '' then '{}'::text[] else string_to_array(prerequisites, ';') end,
        case when conversions = '' then '{}'::text[] else string_to_array(conversions, ';') end,
        description,
        case when allowed_countries = '' then '{}'::text[] else string_to_array(allowed_countries, ';') end,
        segment, category
      from input order by row_no
      on conflict do nothing
      returning row_no
    )
    select i.row_no from input i where not exists (select 1 from ins where ins.row_no = i.row_no)`.execute(db);
  return r.rows.map((x) => Number(x.row_no));
}

export interface RunOfferImportOptions {
  path: string;
  actor: ImportActor;
  now?: () => Date;
  onProgress?: (p: OfferImportProgress) => void;
}

export async function runOfferImport(db: Db, importId: string, o: RunOfferImportOptions): Promise<OfferImportSummary> {
  const now = o.now ?? (() => new Date());
  const started = performance.now();
  const report = new Report();
  let rowsRead = 0;
  try {
    const source = await openCsvSource(o.path);
    const progress = (phase: OfferImportProgress['phase']) => o.onProgress?.({ phase, bytesRead: source.bytesRead(), totalBytes: source.totalBytes, rowsRead, errors: report.total });
    let header: Map<OfferColumn, number> | null = null;
    let batch: OfferRow[] = [];
    const heartbeat = heartbeatEvery(() => db.updateTable('offer_imports').set({ heartbeat_at: now(), row_count: rowsRead }).where('id', '=', importId).execute());
    const flush = async (rows: OfferRow[]) => {
      const dups = await stageBatch(db, importId, rows);
      if (dups.length) report.add(dups.map((line): ErrorDetail => ({ line, field: 'SkuId', reason: 'pricing.import.duplicate_offer', message: '' })));
      await heartbeat();
      progress('reading');
    };
    for await (const { cells, line } of csvRecords(source)) {
      if (!header) {
        header = readHeader<OfferColumn>(cells, OFFER_COLUMNS, OFFER_EXTENSION_COLUMNS);
        continue;
      }
      rowsRead++;
      const found: ErrorDetail[] = [];
      const row = checkOfferRow(cells, line, header, found);
      if (found.length) report.add(found);
      if (row) batch.push(row);
      if (batch.length >= OFFER_BATCH_ROWS) {
        await flush(batch);
        batch = [];
      }
    }
    if (batch.length) await flush(batch);
    if (!header) throw new AppError('IMPORT_INVALID', { rows: 1 }, [{ line: 1, reason: 'pricing.import.empty_file', message: '' }]);
    if (rowsRead === 0) throw new AppError('IMPORT_INVALID', { rows: 1 }, [{ line: 2, reason: 'pricing.import.no_rows', message: '' }]);
    if (report.total) throw report.toError();
    progress('applying');

    const counts = await db.transaction().execute(async (tx) => {
      const at = now();
      const up = await sql<{ added: number; updated: number }>`
        with up as (
          insert into offers (id, product_id, sku_id, product_title, sku_title, publisher, provisioning_id, provisioning_string,
            min_licenses, max_licenses, asset_ownership_limit, asset_ownership_limit_type, prerequisites, conversions, description,
            allowed_countries, segment, category, end_of_sale, updated_at)
          select id, product_id, sku_id, product_title, sku_title, publisher, provisioning_id, provisioning_string, min_licenses,
            max_licenses, asset_ownership_limit, asset_ownership_limit_type, prerequisites, conversions, description, allowed_countries,
            segment, category, false, ${at}
          from offer_import_rows where import_id = ${importId}::uuid
          on conflict (id) do update set
            product_id = excluded.product_id, sku_id = excluded.sku_id, product_title = excluded.product_title, sku_title = excluded.sku_title,
            publisher = excluded.publisher, provisioning_id = excluded.provisioning_id, provisioning_string = excluded.provisioning_string,
            min_licenses = excluded.min_licenses, max_licenses = excluded.max_licenses, asset_ownership_limit = excluded.asset_ownership_limit,
            asset_ownership_limit_type = excluded.asset_ownership_limit_type, prerequisites = excluded.prerequisites,
            conversions = excluded.conversions, description = excluded.description, allowed_countries = excluded.allowed_countries,
            segment = excluded.segment, category = excluded.category, end_of_sale = false, updated_at = excluded.updated_at
          returning (xmax = 0) as inserted
        )
        select count(*) filter (where inserted)::int as added, count(*) filter (where not inserted)::int as updated from up`.execute(tx);
      const eos = await sql`
        update offers set end_of_sale = true, updated_at = ${at}
        where not end_of_sale and not exists (select 1 from offer_import_rows s where s.import_id = ${importId}::uuid and s.id = offers.id)`.execute(tx);
      const c: OfferCounts = { added: Number(up.rows[0]?.added ?? 0), updated: Number(up.rows[0]?.updated ?? 0), endOfSale: Number(eos.numAffectedRows ?? 0n) };
      await tx
        .updateTable('offer_imports')
        .set({ status: 'ready', completed_at: at, heartbeat_at: null, row_count: rowsRead, counts: JSON.stringify(c) })
        .where('id', '=', importId)
        .where('status', '=', 'importing')
        .execute();
      await auditImport(tx, o.actor, { at, action: 'offers.import', target_type: 'offer_import', target_id: importId, outcome: 'success', changes: { rows: { after: rowsRead }, counts: { after: c } } });
      return c;
    });
    await sql`delete from offer_import_rows where import_id = ${importId}::uuid`.execute(db);
    progress('done');
    const ms = Math.round(performance.now() - started);
    return { id: importId, rows: rowsRead, counts, ms, rowsPerSecond: Math.round(rowsRead / Math.max(ms / 1000, 0.001)) };
  } catch (err) {
    const rep = reportOf(err);
    const at = now();
    await (async () => {
      await db
        .updateTable('offer_imports')
        .set({ status: 'failed', completed_at: at, heartbeat_at: null, row_count: rowsRead, error_count: rep.total, errors: JSON.stringify(rep) })
        .where('id', '=', importId)
        .execute();
      await sql`delete from offer_import_rows where import_id = ${importId}::uuid`.execute(db);
      await auditImport(db, o.actor, { at, action: 'offers.import', target_type: 'offer_import', target_id: importId, outcome: 'failure', changes: { error: { after: rep.code }, problems: { after: rep.total } } });
    })().catch(() => undefined);
    throw err;
  }
}

export async function importOffers(db: Db, o: RunOfferImportOptions & { fileName?: string | null; importedBy?: string | null }): Promise<OfferImportSummary> {
  const now = o.now ?? (() => new Date());
  const id = await beginOfferImport(db, { fileName: o.fileName ?? null, importedBy: o.importedBy ?? null, now: now() });
  return runOfferImport(db, id, o);
}
