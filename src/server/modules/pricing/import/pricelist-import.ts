import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { appendAudit, type AuditRow } from '../../../core/audit';
import { AppError, type ErrorDetail } from '../../../core/errors';
import type { Db } from '../../../db/database';
import type { ImportReport } from '../../../db/schema';
import { checkPriceRow, PRICE_LIST_COLUMNS, readHeader, type PriceListColumn, type PriceRow } from './columns';
import { csvRecords, Report } from './csv';
import { openCsvSource } from './source';

/**
 * The monthly price list import (issue 6, "The operator publishes").
 *
 * The file is streamed: records are checked one by one and written in batches of a few
 * thousand, each batch ONE statement (`insert … select … from unnest(…)`) that also computes
 * the change flag against the previous ready month of the market and skips duplicate keys
 * (`on conflict do nothing`: the rows it did not return are the duplicates). Each batch commits
 * on its own: the version is `importing`, so nobody sees its rows, and no long transaction
 * holds PGlite's single connection. Then the previous month's missing keys are added as DEL
 * rows, and one short transaction flips the version to `ready` (replacing an older ready
 * version of the same month): the list is applied whole or not at all. On any failure the
 * version is marked `failed` with its report and its rows are deleted.
 */

export const PRICE_BATCH_ROWS = 5000;
/** An `importing` version whose heartbeat is older than this was left by a process that died. */
export const STALE_AFTER_MS = 5 * 60_000;
const HEARTBEAT_MS = 5000;
const DEL_SPAN = 50_000;
const PURGE_BATCH = 20_000;
const ANALYZE_FROM_ROWS = 10_000;

export type Flag = 'ADD' | 'CHG' | 'DEL' | 'UNC';
export type FlagCounts = Record<Flag, number>;

export interface ImportProgress {
  phase: 'reading' | 'deleted' | 'applying' | 'done';
  bytesRead: number;
  totalBytes: number;
  rowsRead: number;
  errors: number;
  counts: FlagCounts;
}

export interface ImportActor {
  type: 'operator' | 'system';
  id: string | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
}

export interface PriceImportSummary {
  id: string;
  market: string;
  month: string;
  rows: number;
  counts: FlagCounts;
  previousVersionId: string | null;
  replacedVersionId: string | null;
  ms: number;
  rowsPerSecond: number;
}

const zeroCounts = (): FlagCounts => ({ ADD: 0, CHG: 0, DEL: 0, UNC: 0 });

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === '23505';
}

export function reportOf(err: unknown): ImportReport {
  if (err instanceof AppError) {
    return {
      code: err.code,
      total: Number(err.params.rows ?? err.details.length) || err.details.length,
      details: err.details.map((d) => ({ ...(d.line !== undefined ? { line: d.line } : {}), ...(d.field ? { field: d.field } : {}), reason: d.reason, ...(d.params ? { params: d.params } : {}) })),
    };
  }
  return { code: 'INTERNAL', total: 0, details: [] };
}

/** Delete a version's rows in small batches (each its own statement), then optionally the version. */
export async function purgeVersionRows(db: Db, versionId: string, deleteVersion: boolean): Promise<void> {
  for (;;) {
    const r = await sql`
      delete from price_rows where version_id = ${versionId}::uuid and row_no in (
        select row_no from price_rows where version_id = ${versionId}::uuid order by row_no limit ${PURGE_BATCH})`.execute(db);
    if (Number(r.numAffectedRows ?? 0n) < PURGE_BATCH) break;
  }
  if (deleteVersion) await db.deleteFrom('price_list_versions').where('id', '=', versionId).execute();
}

/** Rows left by a failed, replaced or abandoned import (a process that died mid-way) are deleted. */
export async function cleanUpAbandoned(db: Db, now: Date): Promise<void> {
  const stale = new Date(now.getTime() - STALE_AFTER_MS);
  await db
    .updateTable('price_list_versions')
    .set({ status: 'failed', completed_at: now, errors: JSON.stringify({ code: 'ABANDONED', total: 0, details: [] }) })
    .where('status', '=', 'importing')
    .where((eb) => eb.or([eb('heartbeat_at', '<', stale), eb.and([eb('heartbeat_at', 'is', null), eb('started_at', '<', stale)])]))
    .execute();
  const left = await sql<{ id: string; replaced: boolean }>`
    select v.id, coalesce(v.errors ->> 'code' = 'REPLACED', false) as replaced from price_list_versions v
    where v.status = 'failed' and exists (select 1 from price_rows r where r.version_id = v.id)`.execute(db);
  for (const v of left.rows) await purgeVersionRows(db, v.id, v.replaced);
}

/**
 * Claim (market, month) for an import: a new `importing` version. The partial unique index makes
 * a second concurrent import fail here (IMPORT_IN_PROGRESS), across processes too.
 */
export async function beginPriceImport(db: Db, o: { market: string; month: string; fileName: string | null; importedBy: string | null; now: Date }): Promise<string> {
  await cleanUpAbandoned(db, o.now);
  const id = randomUUID();
  try {
    await db
      .insertInto('price_list_versions')
      .values({ id, market: o.market, month: o.month, status: 'importing', file_name: o.fileName, imported_by: o.importedBy, started_at: o.now, heartbeat_at: o.now, counts: '{}' })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('IMPORT_IN_PROGRESS', { market: o.market, month: o.month.slice(0, 7) });
    throw err;
  }
  return id;
}

/** The version this month's flags are computed against: the latest ready month of the market before it. */
async function previousVersion(db: Db, market: string, month: string): Promise<string | null> {
  const r = await db
    .selectFrom('price_list_versions')
    .select('id')
    .where('market', '=', market)
    .where('month', '<', month)
    .where('status', '=', 'ready')
    .orderBy('month', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.id ?? null;
}

/** One batch, one statement: insert with change flags; returns the flag counts and the lines skipped as duplicate keys. */
async function insertBatch(db: Db, versionId: string, prevId: string | null, market: string, rows: PriceRow[]): Promise<{ counts: Partial<FlagCounts>; duplicates: number[] }> {
  const col = <T>(f: (r: PriceRow) => T) => rows.map(f);
  const r = await sql<{ row_no: number | null; change_flag: Flag | null; n: number }>`
    with input as (
      select * from unnest(
        ${col((r) => r.line)}::int[], ${col((r) => r.productId)}::text[], ${col((r) => r.skuId)}::text[],
        ${col((r) => r.productTitle)}::text[], ${col((r) => r.skuTitle)}::text[], ${col((r) => r.publisher)}::text[],
        ${col((r) => r.skuDescription)}::text[], ${col((r) => r.unitOfMeasure)}::text[], ${col((r) => r.termDuration)}::text[],
        ${col((r) => r.billingPlan)}::text[], ${col((r) => r.currency)}::char(3)[], ${col((r) => r.unitPrice)}::numeric[],
        ${col((r) => r.erpPrice)}::numeric[], ${col((r) => r.tierMin)}::int[], ${col((r) => r.tierMax)}::int[],
        ${col((r) => r.effectiveStartDate)}::date[], ${col((r) => r.effectiveEndDate)}::date[], ${col((r) => r.endOfSaleDate)}::date[],
        ${col((r) => r.tags)}::text[]
      ) as t(row_no, product_id, sku_id, product_title, sku_title, publisher, sku_description, unit_of_measure, term_duration,
             billing_plan, currency, unit_price, erp_price, tier_min, tier_max, effective_start_date, effective_end_date, end_of_sale_date, tags)
    ), ins as (
      insert into price_rows (version_id, row_no, imported, product_id, sku_id, product_title, sku_title, publisher, sku_description,
        unit_of_measure, term_duration, billing_plan, market, currency, unit_price, erp_price, tier_min, tier_max,
        effective_start_date, effective_end_date, end_of_sale_date, tags, change_flag)
      select ${versionId}::uuid, i.row_no, true, i.product_id, i.sku_id, i.product_title, i.sku_title, i.publisher, i.sku_description,
        i.unit_of_measure, i.term_duration, i.billing_plan, ${market}, i.currency, i.unit_price, i.erp_price, i.tier_min, i.tier_max,
        i.effective_start_date, i.effective_end_date, i.end_of_sale_date,
        case when i.tags = '' then '{}'::text[] else string_to_array(i.tags, ';') end,
        case
          when p.row_no is null then 'ADD'
          when p.unit_price <> i.unit_price or p.erp_price is distinct from i.erp_price or p.end_of_sale_date is distinct from i.end_of_sale_date then 'CHG'
          else 'UNC'
        end
      from input i
      left join price_rows p
        on p.version_id = ${prevId}::uuid and p.imported
       and p.product_id = i.product_id and p.sku_id = i.sku_id and p.term_duration = i.term_duration
       and p.billing_plan = i.billing_plan and p.currency = i.currency and coalesce(p.tier_min, 0) = coalesce(i.tier_min, 0)
      order by i.row_no
      on conflict do nothing
      returning row_no, change_flag
    )
    select i.row_no, null::text as change_flag, 0 as n from input i where not exists (select 1 from ins where ins.row_no = i.row_no)
    union all
    select null, change_flag, count(*)::int from ins group by change_flag`.execute(db);
  const counts: Partial<FlagCounts> = {};
  const duplicates: number[] = [];
  for (const x of r.rows) {
    if (x.change_flag) counts[x.change_flag] = Number(x.n);
    else if (x.row_no !== null) duplicates.push(Number(x.row_no));
  }
  return { counts, duplicates };
}

/** For a duplicate: the line that holds the same key first (only looked up for reported duplicates). */
async function firstLineOfKey(db: Db, versionId: string, r: PriceRow): Promise<number | null> {
  const x = await sql<{ row_no: number }>`
    select row_no from price_rows where version_id = ${versionId}::uuid and product_id = ${r.productId} and sku_id = ${r.skuId}
      and term_duration = ${r.termDuration} and billing_plan = ${r.billingPlan} and currency = ${r.currency}::char(3)
      and coalesce(tier_min, 0) = ${r.tierMin ?? 0}`.execute(db);
  return x.rows[0]?.row_no ?? null;
}

/** The previous month's keys missing from this file, added as DEL rows after the last line (a span of the previous list per statement). */
async function addDeletedRows(db: Db, versionId: string, prevId: string, lastLine: number): Promise<number> {
  const max = await sql<{ m: number | null }>`select max(row_no) as m from price_rows where version_id = ${prevId}::uuid`.execute(db);
  const end = Number(max.rows[0]?.m ?? 0);
  let added = 0;
  for (let from = 0; from < end; from += DEL_SPAN) {
    const r = await sql`
      insert into price_rows (version_id, row_no, imported, product_id, sku_id, product_title, sku_title, publisher, sku_description,
        unit_of_measure, term_duration, billing_plan, market, currency, unit_price, erp_price, tier_min, tier_max,
        effective_start_date, effective_end_date, end_of_sale_date, tags, change_flag)
      select ${versionId}::uuid, ${lastLine + added}::int + row_number() over (order by p.row_no), false, p.product_id, p.sku_id,
        p.product_title, p.sku_title, p.publisher, p.sku_description, p.unit_of_measure, p.term_duration, p.billing_plan, p.market,
        p.currency, p.unit_price, p.erp_price, p.tier_min, p.tier_max, p.effective_start_date, p.effective_end_date, p.end_of_sale_date,
        p.tags, 'DEL'
      from price_rows p
      where p.version_id = ${prevId}::uuid and p.imported and p.row_no > ${from}::int and p.row_no <= ${from + DEL_SPAN}::int
        and not exists (
          select 1 from price_rows n
          where n.version_id = ${versionId}::uuid and n.product_id = p.product_id and n.sku_id = p.sku_id and n.term_duration = p.term_duration
            and n.billing_plan = p.billing_plan and n.currency = p.currency and coalesce(n.tier_min, 0) = coalesce(p.tier_min, 0))`.execute(db);
    added += Number(r.numAffectedRows ?? 0n);
  }
  return added;
}

export interface RunPriceImportOptions {
  path: string;
  actor: ImportActor;
  now?: () => Date;
  onProgress?: (p: ImportProgress) => void;
  batchRows?: number;
}

/** Run a claimed import to its end: ready (summary) or failed (rows deleted, report stored, the AppError rethrown). */
export async function runPriceImport(db: Db, versionId: string, o: RunPriceImportOptions): Promise<PriceImportSummary> {
  const now = o.now ?? (() => new Date());
  const started = performance.now();
  const v = await db.selectFrom('price_list_versions').select(['market', 'month', 'file_name']).where('id', '=', versionId).executeTakeFirstOrThrow();
  const counts = zeroCounts();
  let rowsRead = 0;
  const report = new Report();
  try {
    const prevId = await previousVersion(db, v.market, v.month);
    const source = await openCsvSource(o.path);
    const progress = (phase: ImportProgress['phase']) =>
      o.onProgress?.({ phase, bytesRead: source.bytesRead(), totalBytes: source.totalBytes, rowsRead, errors: report.total, counts: { ...counts } });
    const batchRows = o.batchRows ?? PRICE_BATCH_ROWS;
    let header: Map<PriceListColumn, number> | null = null;
    let batch: PriceRow[] = [];
    let inflight: Promise<void> | null = null;
    let lastLine = 1;
    const heartbeat = heartbeatEvery(() => db.updateTable('price_list_versions').set({ heartbeat_at: now(), row_count: rowsRead }).where('id', '=', versionId).execute());

    // One batch is written while the next is parsed (at most two in memory).
    const flush = async (rows: PriceRow[]) => {
      const { counts: c, duplicates } = await insertBatch(db, versionId, prevId, v.market, rows);
      for (const [k, n] of Object.entries(c)) counts[k as Flag] += n;
      if (duplicates.length) {
        const found: ErrorDetail[] = [];
        for (const line of duplicates) {
          const row = rows.find((r) => r.line === line)!;
          const first = report.details.length + found.length < 100 ? await firstLineOfKey(db, versionId, row) : null;
          found.push({ line, field: 'SkuId', reason: 'pricing.import.duplicate_key', message: '', params: { line: first ?? 0 } });
        }
        report.add(found);
      }
      await heartbeat();
      progress('reading');
    };

    for await (const { cells, line } of csvRecords(source)) {
      if (!header) {
        header = readHeader(cells, PRICE_LIST_COLUMNS);
        continue;
      }
      rowsRead++;
      lastLine = line;
      const found: ErrorDetail[] = [];
      const row = checkPriceRow(cells, line, header, v.market, found);
      if (found.length) report.add(found);
      if (row) batch.push(row);
      if (batch.length >= batchRows) {
        if (inflight) await inflight;
        inflight = flush(batch);
        batch = [];
      }
    }
    if (inflight) await inflight;
    if (batch.length) await flush(batch);
    if (!header) throw new AppError('IMPORT_INVALID', { rows: 1 }, [{ line: 1, reason: 'pricing.import.empty_file', message: '' }]);
    if (rowsRead === 0) throw new AppError('IMPORT_INVALID', { rows: 1 }, [{ line: 2, reason: 'pricing.import.no_rows', message: '' }]);
    if (report.total) throw report.toError();

    // Fresh statistics, so the DEL anti-join (and the next month's flag join) use the key index
    // rather than a less selective one: without them the planner cannot tell this version's rows apart.
    // (A small list is cheap whatever the plan; the demo's first start skips the cost.)
    if (rowsRead >= ANALYZE_FROM_ROWS) await sql`analyze price_rows`.execute(db);
    if (prevId) counts.DEL = await addDeletedRows(db, versionId, prevId, lastLine);
    progress('applying');
    const replaced = await db.transaction().execute(async (tx) => {
      const me = await tx.selectFrom('price_list_versions').select('status').where('id', '=', versionId).forUpdate().executeTakeFirst();
      // A takeover (stale heartbeat) may have failed this version meanwhile: never publish it then.
      if (me?.status !== 'importing') throw new AppError('IMPORT_IN_PROGRESS', { market: v.market, month: v.month.slice(0, 7) });
      const old = await tx
        .selectFrom('price_list_versions')
        .select('id')
        .where('market', '=', v.market)
        .where('month', '=', v.month)
        .where('status', '=', 'ready')
        .forUpdate()
        .executeTakeFirst();
      const at = now();
      if (old) {
        await tx
          .updateTable('price_list_versions')
          .set({ status: 'failed', completed_at: at, errors: JSON.stringify({ code: 'REPLACED', total: 0, details: [], replacedBy: versionId }) })
          .where('id', '=', old.id)
          .execute();
      }
      await tx
        .updateTable('price_list_versions')
        .set({ status: 'ready', completed_at: at, heartbeat_at: null, row_count: counts.ADD + counts.CHG + counts.UNC, deleted_count: counts.DEL, counts: JSON.stringify(counts), previous_version_id: prevId, errors: null })
        .where('id', '=', versionId)
        .execute();
      await auditImport(tx, o.actor, { at, action: 'pricelist.import', target_type: 'price_list_version', target_id: versionId, outcome: 'success', changes: { market: { after: v.market }, month: { after: v.month.slice(0, 7) }, file: { after: v.file_name }, counts: { after: counts }, ...(old ? { replaced: { before: old.id } } : {}) } });
      return old?.id ?? null;
    });
    // The replaced version is no longer visible; its rows go now, a batch at a time.
    if (replaced) await purgeVersionRows(db, replaced, true);
    progress('done');
    const ms = Math.round(performance.now() - started);
    return { id: versionId, market: v.market, month: v.month.slice(0, 7), rows: rowsRead, counts, previousVersionId: prevId, replacedVersionId: replaced, ms, rowsPerSecond: Math.round(rowsRead / Math.max(ms / 1000, 0.001)) };
  } catch (err) {
    await failPriceImport(db, versionId, err, rowsRead, o.actor, now()).catch(() => undefined);
    throw err;
  }
}

/** A running import shows it is alive (see STALE_AFTER_MS): `write` runs at most once per HEARTBEAT_MS. */
export function heartbeatEvery(write: () => Promise<unknown>): () => Promise<void> {
  let last = Date.now();
  return async () => {
    if (Date.now() - last > HEARTBEAT_MS) {
      last = Date.now();
      await write();
    }
  };
}

/** The operator-chain audit record of an import run (price list or offers), success or refusal. */
export function auditImport(db: Db, actor: ImportActor, e: Pick<AuditRow, 'at' | 'action' | 'target_type' | 'target_id' | 'outcome' | 'changes'>): Promise<void> {
  return appendAudit(db, { partner_id: null, actor_type: actor.type, actor_id: actor.id, ip: actor.ip ?? null, user_agent: actor.userAgent ?? null, request_id: actor.requestId ?? null, ...e });
}

/** Mark the version failed with its report, delete whatever rows it wrote, and audit the refusal. */
export async function failPriceImport(db: Db, versionId: string, err: unknown, rowsRead: number, actor: ImportActor, at: Date): Promise<void> {
  const report = reportOf(err);
  await db
    .updateTable('price_list_versions')
    .set({ status: 'failed', completed_at: at, heartbeat_at: null, row_count: rowsRead, error_count: report.total, errors: JSON.stringify(report) })
    .where('id', '=', versionId)
    .where('status', '=', 'importing')
    .execute();
  await purgeVersionRows(db, versionId, false);
  await auditImport(db, actor, { at, action: 'pricelist.import', target_type: 'price_list_version', target_id: versionId, outcome: 'failure', changes: { error: { after: report.code }, problems: { after: report.total } } });
}

/** Claim and run in one call (the CLI, the demo seed and the bench). */
export async function importPriceList(
  db: Db,
  o: RunPriceImportOptions & { market: string; month: string; fileName?: string | null; importedBy?: string | null },
): Promise<PriceImportSummary> {
  const now = o.now ?? (() => new Date());
  const id = await beginPriceImport(db, { market: o.market, month: o.month, fileName: o.fileName ?? null, importedBy: o.importedBy ?? null, now: now() });
  return runPriceImport(db, id, o);
}
