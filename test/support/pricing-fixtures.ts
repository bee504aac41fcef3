import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/server/db/database';

/**
 * Price lists written straight into the tables, as the importer leaves them once a list is
 * `ready` (the importer and its generator are another module's; these tests are about reading).
 */
export interface FixtureRow {
  productId: string;
  skuId: string;
  productTitle: string;
  skuTitle: string;
  publisher?: string;
  termDuration?: string;
  billingPlan?: string;
  currency?: string;
  unitPrice: string;
  erpPrice?: string | null;
  tierMin?: number | null;
  tierMax?: number | null;
  effectiveStartDate?: string;
  effectiveEndDate?: string | null;
  tags?: string[];
  changeFlag?: 'ADD' | 'CHG' | 'DEL' | 'UNC';
}

/** A ready version of `market` for `month` ('YYYY-MM'); DEL rows come after the file's lines, not imported. */
export async function insertPriceList(db: Db, market: string, month: string, rows: FixtureRow[], opts: { status?: 'ready' | 'importing' | 'failed' } = {}) {
  const id = randomUUID();
  const first = `${month}-01`;
  const imported = rows.filter((r) => r.changeFlag !== 'DEL');
  const removed = rows.filter((r) => r.changeFlag === 'DEL');
  await db
    .insertInto('price_list_versions')
    .values({ id, market, month: first, status: opts.status ?? 'ready', file_name: `${market}-${month}.csv`, row_count: imported.length, deleted_count: removed.length, started_at: new Date(), completed_at: new Date() })
    .execute();
  const all = [...imported.map((r) => ({ r, imported: true })), ...removed.map((r) => ({ r, imported: false }))];
  if (!all.length) return id;
  await db
    .insertInto('price_rows')
    .values(
      all.map(({ r, imported: imp }, i) => ({
        version_id: id,
        row_no: i + 2, // line 1 of the file is its header
        imported: imp,
        product_id: r.productId,
        sku_id: r.skuId,
        product_title: r.productTitle,
        sku_title: r.skuTitle,
        publisher: r.publisher ?? 'Microsoft Corporation',
        sku_description: `${r.skuTitle} (${r.termDuration ?? 'P1Y'})`,
        unit_of_measure: '1 License',
        term_duration: r.termDuration ?? 'P1Y',
        billing_plan: r.billingPlan ?? 'Annual',
        market,
        currency: r.currency ?? 'EUR',
        unit_price: r.unitPrice,
        erp_price: r.erpPrice === undefined ? null : r.erpPrice,
        tier_min: r.tierMin ?? null,
        tier_max: r.tierMax ?? null,
        effective_start_date: r.effectiveStartDate ?? first,
        effective_end_date: r.effectiveEndDate ?? null,
        end_of_sale_date: null,
        tags: r.tags ?? [],
        change_flag: r.changeFlag ?? 'UNC',
      })),
    )
    .execute();
  return id;
}

/** 'YYYY-MM' of `now` shifted by `delta` months. */
export function monthFrom(now: Date, delta: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + delta, 1));
  return d.toISOString().slice(0, 7);
}

const basic = { productId: 'CFQ7TTC0LH18', skuId: '0001', productTitle: 'Microsoft 365 Business Basic', skuTitle: 'Microsoft 365 Business Basic', tags: ['Microsoft 365'] };
const standard = { productId: 'CFQ7TTC0LDPB', skuId: '0001', productTitle: 'Microsoft 365 Business Standard', skuTitle: 'Microsoft 365 Business Standard', tags: ['Microsoft 365'] };
const sales = { productId: 'CFQ7TTC0LFK5', skuId: '0002', productTitle: 'Dynamics 365 Sales Enterprise', skuTitle: 'Dynamics 365 Sales Enterprise Edition', tags: ['Dynamics 365'] };
const kiosk = { productId: 'CFQ7TTC0LH1G', skuId: '0001', productTitle: 'Exchange Online Kiosk', skuTitle: 'Exchange Online Kiosk', tags: ['Exchange'] };
const teams = { productId: 'CFQ7TTC0QW7C', skuId: '0001', productTitle: 'Microsoft Teams Essentials', skuTitle: 'Microsoft Teams Essentials', tags: ['Teams'] };
const backup = { productId: 'DZH318Z0BQ3Q', skuId: '0003', productTitle: 'Contoso Cloud Backup', skuTitle: 'Contoso Cloud Backup 1 TB', publisher: 'Contoso Ltd', tags: ['Security', 'Storage'] };

/**
 * A small realistic market: last month, this month (with ADD, CHG, UNC and one DEL) and next
 * month's preview. Returns the version ids.
 */
export async function seedMarket(db: Db, now: Date, market = 'FR', currency = 'EUR') {
  const [prev, cur, next] = [monthFrom(now, -1), monthFrom(now, 0), monthFrom(now, 1)];
  const c = { currency };
  const previous = await insertPriceList(db, market, prev, [
    { ...basic, ...c, unitPrice: '72.0000', erpPrice: '86.4000', changeFlag: 'UNC' },
    { ...basic, ...c, termDuration: 'P1M', billingPlan: 'Monthly', unitPrice: '7.2000', erpPrice: '8.6400', changeFlag: 'UNC' },
    { ...standard, ...c, unitPrice: '144.0000', erpPrice: '172.8000', changeFlag: 'UNC' },
    { ...sales, ...c, unitPrice: '1234.5000', erpPrice: '1481.4000', changeFlag: 'UNC' },
    { ...kiosk, ...c, unitPrice: '24.0000', erpPrice: '28.8000', changeFlag: 'UNC' },
  ]);
  const current = await insertPriceList(db, market, cur, [
    { ...basic, ...c, unitPrice: '72.0000', erpPrice: '86.4000', changeFlag: 'UNC' },
    { ...basic, ...c, termDuration: 'P1M', billingPlan: 'Monthly', unitPrice: '7.2000', erpPrice: '8.6400', changeFlag: 'UNC' },
    { ...standard, ...c, unitPrice: '151.2000', erpPrice: '181.4400', changeFlag: 'CHG' },
    { ...sales, ...c, unitPrice: '1234.5000', erpPrice: '1481.4000', changeFlag: 'UNC' },
    { ...teams, ...c, unitPrice: '48.0000', erpPrice: '57.6000', changeFlag: 'ADD' },
    { ...backup, ...c, unitPrice: '10.0000', erpPrice: '12.0000', tierMin: 1, tierMax: 10, changeFlag: 'ADD' },
    { ...backup, ...c, unitPrice: '9.0000', erpPrice: '10.8000', tierMin: 11, tierMax: 100, changeFlag: 'ADD' },
    { ...backup, ...c, unitPrice: '8.0000', erpPrice: '9.6000', tierMin: 101, tierMax: null, changeFlag: 'ADD' },
    { ...kiosk, ...c, unitPrice: '24.0000', erpPrice: '28.8000', changeFlag: 'DEL' },
  ]);
  const preview = await insertPriceList(db, market, next, [
    { ...basic, ...c, unitPrice: '75.6000', erpPrice: '90.7200', changeFlag: 'CHG' },
    { ...standard, ...c, unitPrice: '151.2000', erpPrice: '181.4400', changeFlag: 'UNC' },
  ]);
  return { previous, current, preview, months: { prev, cur, next } };
}
