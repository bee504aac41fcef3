import { PassThrough, Readable } from 'node:stream';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { requirePartnerActor, type RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { currencyOf } from '../../core/schemas';
import type { Db } from '../../db/database';
import { neutralise } from '../users/users.export';
import { tidyPrice } from './decimal';
import {
  countRows, downloadBatch, facetValues, flagCounts, listPage, marketsWithLists, readyVersions, skuRows,
  type DownloadRow, type ListCursor, type ListFilter, type ListRow, type VersionRow,
} from './pricelists.repo';
import { activePromotions } from './promotions.repo';
import { asCandidate } from './promotions.service';
import { applicablePromotions, promotedPrice, resolvePrice, tidyPercent, type PromotionCandidate } from './resolve';

/**
 * Partners' price lists (issue 6, "Partners: Pricing and offers"; reference §1.10).
 *
 * Months: a market's lists are monthly versions (`month` = first day). The **current** list
 * is the newest ready one whose month has started; a **preview** (a later month) is visible
 * from 30 days before its first day; older ones are **past**. A market with no ready list is
 * unknown (400 UNKNOWN_MARKET); a month with no visible ready list is 404 UNKNOWN_MONTH.
 *
 * Promotions shown next to prices: those running on the list's reference day — today for
 * the current list, the month's first day for a preview or a past month.
 */
export const PREVIEW_DAYS = 30;

export type MonthKind = 'current' | 'preview' | 'past';

const today = (ctx: RequestContext) => ctx.now.toISOString().slice(0, 10);
const monthOf = (day: string) => `${day.slice(0, 7)}-01`;

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The visible months of a market, newest first, each with its kind. */
export function classifyMonths(versions: VersionRow[], day: string): { version: VersionRow; kind: MonthKind }[] {
  const thisMonth = monthOf(day);
  const started = versions.filter((v) => v.month <= thisMonth);
  const currentMonth = started[0]?.month;
  const out: { version: VersionRow; kind: MonthKind }[] = [];
  for (const v of versions) {
    if (v.month > thisMonth) {
      if (day >= addDays(v.month, -PREVIEW_DAYS)) out.push({ version: v, kind: 'preview' });
    } else out.push({ version: v, kind: v.month === currentMonth ? 'current' : 'past' });
  }
  return out;
}

const MARKET = /^[A-Z]{2}$/;

async function monthsOf(ctx: RequestContext, rawMarket: string) {
  const market = rawMarket.trim().toUpperCase();
  if (!MARKET.test(market)) throw new AppError('UNKNOWN_MARKET', { market: rawMarket });
  const versions = await readyVersions(ctx.db, market);
  if (!versions.length) throw new AppError('UNKNOWN_MARKET', { market });
  return { market, months: classifyMonths(versions, today(ctx)) };
}

/** The version a request names: `month` ('YYYY-MM'), else the current one (else the visible preview). */
export async function resolveVersion(ctx: RequestContext, rawMarket: string, month: string | undefined) {
  const { market, months } = await monthsOf(ctx, rawMarket);
  const found = month
    ? months.find((m) => m.version.month === `${month}-01`)
    : (months.find((m) => m.kind === 'current') ?? months.findLast((m) => m.kind === 'preview'));
  if (!found) throw new AppError('UNKNOWN_MONTH', { market, month: month ?? '' });
  return { market, version: found.version, kind: found.kind, months };
}

/** The day promotions are evaluated on for a list (see the module comment). */
function referenceDay(ctx: RequestContext, version: VersionRow, kind: MonthKind): string {
  return kind === 'current' ? today(ctx) : version.month;
}

// Counts of a ready version never change (a re-import is a new version): cache them, so the
// pages after the first, and the same search twice, do not count again.
const COUNT_CACHE_MAX = 2000;
const countCache = new Map<string, number>();

async function cachedCount(db: Db, versionId: string, f: ListFilter): Promise<number> {
  const key = `${versionId}|${JSON.stringify([f.changeFlag, f.publisher, f.termDuration, f.billingPlan, f.tag, f.words])}`;
  const hit = countCache.get(key);
  if (hit !== undefined) return hit;
  const n = await countRows(db, versionId, f);
  if (countCache.size >= COUNT_CACHE_MAX) countCache.delete(countCache.keys().next().value!);
  countCache.set(key, n);
  return n;
}

/**
 * Search words: the letters-and-digits runs of `q`, lower-cased, at most 8; each must start a
 * word of the titles or ids ("add-on" is "add" and "on", as the index splits it). `undefined`:
 * no search; `[]`: a search with nothing searchable (`%`), which matches nothing.
 */
export function searchWords(q: string | undefined): string[] | undefined {
  if (!q?.trim()) return undefined;
  return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
}

export function presentRow(r: ListRow, promos: PromotionCandidate[], day: string) {
  const best = applicablePromotions({ market: r.market, productId: r.product_id, skuId: r.sku_id, termDuration: r.term_duration }, promos, day)[0];
  return {
    productId: r.product_id,
    skuId: r.sku_id,
    productTitle: r.product_title,
    skuTitle: r.sku_title,
    publisher: r.publisher,
    termDuration: r.term_duration,
    billingPlan: r.billing_plan,
    market: r.market,
    currency: r.currency,
    unitPrice: tidyPrice(r.unit_price),
    erpPrice: r.erp_price === null ? null : tidyPrice(r.erp_price),
    effectiveStartDate: r.effective_start_date,
    effectiveEndDate: r.effective_end_date,
    changeFlag: r.change_flag,
    rowNo: r.row_no,
    tierMin: r.tier_min,
    tierMax: r.tier_max,
    tags: r.tags,
    endOfSaleDate: r.end_of_sale_date,
    unitOfMeasure: r.unit_of_measure,
    promotion: best && r.change_flag !== 'DEL' ? { id: best.id, name: best.name, percent: tidyPercent(best.percent), unitPrice: promotedPrice(r.unit_price, best.percent), endsOn: best.endsOn } : null,
  };
}

export interface ListQuery extends Omit<ListFilter, 'words'> {
  market: string;
  month?: string | undefined;
  q?: string | undefined;
  size: number;
  after?: ListCursor | undefined;
}

export async function listPriceRows(ctx: RequestContext, query: ListQuery) {
  requirePartnerActor(ctx);
  const { version, kind, market } = await resolveVersion(ctx, query.market, query.month);
  const filter: ListFilter = {
    changeFlag: query.changeFlag, publisher: query.publisher, termDuration: query.termDuration, billingPlan: query.billingPlan, tag: query.tag, words: searchWords(query.q),
  };
  const day = referenceDay(ctx, version, kind);
  const [rows, totalCount, promos] = await Promise.all([
    listPage(ctx.db, version.id, filter, query.size, query.after),
    cachedCount(ctx.db, version.id, filter),
    activePromotions(ctx.db, day, market),
  ]);
  const page = rows.slice(0, query.size);
  const candidates = promos.map(asCandidate);
  const last = page.at(-1);
  return {
    market,
    month: version.month.slice(0, 7),
    kind,
    totalCount,
    items: page.map((r) => presentRow(r, candidates, day)),
    next: rows.length > query.size && last ? { productTitle: last.product_title, skuTitle: last.sku_title, rowNo: last.row_no } : undefined,
  };
}

export async function listMonths(ctx: RequestContext, rawMarket: string) {
  requirePartnerActor(ctx);
  const { market, months } = await monthsOf(ctx, rawMarket);
  return {
    market,
    currency: currencyOf(market) ?? null,
    items: months.map(({ version, kind }) => ({
      month: version.month.slice(0, 7),
      kind,
      effectiveFrom: version.month,
      rowCount: version.row_count,
      deletedCount: version.deleted_count,
      publishedAt: version.completed_at ? version.completed_at.toISOString() : null,
    })),
  };
}

export async function listMarkets(ctx: RequestContext) {
  requirePartnerActor(ctx);
  const rows = await marketsWithLists(ctx.db);
  const day = today(ctx);
  return rows
    // A market whose only list is a preview not yet visible is not offered.
    .filter((r) => r.earliest <= monthOf(day) || day >= addDays(r.earliest, -PREVIEW_DAYS))
    .map((r) => ({ market: r.market, currency: currencyOf(r.market) ?? null }));
}

export async function listChanges(ctx: RequestContext, rawMarket: string, month: string | undefined) {
  requirePartnerActor(ctx);
  const { market, version, kind, months } = await resolveVersion(ctx, rawMarket, month);
  const counts = await flagCounts(ctx.db, version.id);
  const previous = months.find((m) => m.version.month < version.month);
  return { market, month: version.month.slice(0, 7), kind, previousMonth: previous ? previous.version.month.slice(0, 7) : null, counts };
}

export async function listFacets(ctx: RequestContext, rawMarket: string, month: string | undefined) {
  requirePartnerActor(ctx);
  const { market, version } = await resolveVersion(ctx, rawMarket, month);
  return { market, month: version.month.slice(0, 7), ...(await facetValues(ctx.db, version.id)) };
}

// ---- Download -------------------------------------------------------------------------

/** The new-commerce price list columns (reference §1.10), in the file's order. */
export const DOWNLOAD_COLUMNS = [
  'ProductTitle', 'ProductId', 'SkuId', 'SkuTitle', 'Publisher', 'SkuDescription', 'UnitOfMeasure', 'TermDuration', 'BillingPlan', 'Market',
  'Currency', 'UnitPrice', 'PricingTierRangeMin', 'PricingTierRangeMax', 'EffectiveStartDate', 'EffectiveEndDate', 'EndofSaleDate', 'Tags', 'ERP Price',
] as const;

const BATCH = 5000;

/** A download row as cells: text neutralised against spreadsheet formulas, prices as decimal text. */
function cells(r: DownloadRow): string[] {
  return [
    neutralise(r.product_title), r.product_id, r.sku_id, neutralise(r.sku_title), neutralise(r.publisher), neutralise(r.sku_description), neutralise(r.unit_of_measure),
    r.term_duration, r.billing_plan, r.market, r.currency, tidyPrice(r.unit_price), r.tier_min === null ? '' : String(r.tier_min), r.tier_max === null ? '' : String(r.tier_max),
    r.effective_start_date, r.effective_end_date ?? '', r.end_of_sale_date ?? '', neutralise(r.tags.join(';')), r.erp_price === null ? '' : tidyPrice(r.erp_price),
  ];
}

/** The version's imported rows in file order, in batches (keyset on the primary key): flat memory. */
async function* batches(db: Db, versionId: string): AsyncGenerator<DownloadRow[]> {
  let after = 0;
  for (;;) {
    const rows = await downloadBatch(db, versionId, after, BATCH);
    if (!rows.length) return;
    yield rows;
    if (rows.length < BATCH) return;
    after = rows.at(-1)!.row_no;
  }
}

async function* csvChunks(db: Db, versionId: string): AsyncGenerator<string> {
  yield stringify([[...DOWNLOAD_COLUMNS]]);
  for await (const rows of batches(db, versionId)) yield stringify(rows.map(cells));
}

function xlsxStream(db: Db, versionId: string, sheetName: string, log: RequestContext['log']): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName);
  const numeric = new Set([11, 12, 13, 18]);
  void (async () => {
    sheet.addRow([...DOWNLOAD_COLUMNS]).commit();
    for await (const rows of batches(db, versionId)) {
      for (const r of rows) {
        // Prices and tiers as numbers, so a spreadsheet can sum them; the text stays exact to 4 decimals.
        sheet.addRow(cells(r).map((c, i) => (numeric.has(i) && c !== '' ? Number(c) : c))).commit();
      }
      // Wait for the client when it reads slower than we produce: memory stays flat. A client
      // that goes away closes the stream: stop there (a 'drain' would never come).
      if (out.writableNeedDrain && !out.destroyed) await Promise.race([once(out, 'drain'), once(out, 'close')]);
      if (out.destroyed) return;
    }
    sheet.commit();
    await workbook.commit();
  })().catch((err: unknown) => {
    log.error({ err }, 'price list XLSX download failed');
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return out;
}

export async function downloadPriceList(ctx: RequestContext, rawMarket: string, month: string | undefined, format: 'csv' | 'xlsx') {
  requirePartnerActor(ctx);
  const { market, version } = await resolveVersion(ctx, rawMarket, month);
  const ym = version.month.slice(0, 7);
  const fileName = `pricelist-${market}-${ym}.${format}`;
  const body = format === 'csv' ? Readable.from(csvChunks(ctx.db, version.id), { objectMode: false }) : xlsxStream(ctx.db, version.id, `${market} ${ym}`, ctx.log);
  return {
    fileName,
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body,
  };
}

// ---- Price resolution -------------------------------------------------------------------

export interface PriceRequest {
  market: string;
  skuId: string;
  productId?: string | undefined;
  termDuration: string;
  billingPlan: string;
  currency?: string | undefined;
  date?: string | undefined;
  quantity: number;
}

/**
 * Fetch the candidates (the rows of the SKU in the list of the month containing `date`, the
 * promotions running that day) and call the pure `resolvePrice`. `currency` defaults to the
 * market's own; `date` to today.
 */
export async function priceFor(ctx: RequestContext, r: PriceRequest) {
  requirePartnerActor(ctx);
  const date = r.date ?? today(ctx);
  const { market, version } = await resolveVersion(ctx, r.market, date.slice(0, 7));
  const currency = (r.currency ?? currencyOf(market) ?? '').toUpperCase();
  const [rows, promos] = await Promise.all([skuRows(ctx.db, version.id, r.skuId), activePromotions(ctx.db, date, market)]);
  const candidates = rows.map((x) => ({
    versionId: version.id, month: version.month, rowNo: x.row_no, productId: x.product_id, skuId: x.sku_id, productTitle: x.product_title, skuTitle: x.sku_title,
    market: x.market, currency: x.currency, termDuration: x.term_duration, billingPlan: x.billing_plan, unitPrice: x.unit_price, erpPrice: x.erp_price,
    tierMin: x.tier_min, tierMax: x.tier_max, effectiveStartDate: x.effective_start_date, effectiveEndDate: x.effective_end_date, changeFlag: x.change_flag,
  }));
  const result = resolvePrice({ market, currency, productId: r.productId, skuId: r.skuId, termDuration: r.termDuration, billingPlan: r.billingPlan, date, quantity: r.quantity }, candidates, promos.map(asCandidate));
  return { market, month: version.month.slice(0, 7), date, ...result };
}
