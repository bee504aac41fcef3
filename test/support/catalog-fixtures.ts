import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/server/db/database';

/**
 * Catalog test data written with SQL, as the offer-matrix and price-list importers write it
 * (the importers have their own tests). Offers are global: tests that share a database use
 * distinct product ids.
 */
export interface OfferFixture {
  productId: string;
  skuId: string;
  productTitle: string;
  skuTitle?: string;
  publisher?: string;
  segment?: 'commercial' | 'education' | 'government' | 'nonprofit';
  category?: string;
  minLicenses?: number | null;
  maxLicenses?: number | null;
  prerequisites?: string[];
  allowedCountries?: string[];
  description?: string;
  endOfSale?: boolean;
  assetOwnershipLimit?: number | null;
}

export async function insertOffers(db: Db, offers: OfferFixture[]): Promise<string[]> {
  if (offers.length === 0) return [];
  await db
    .insertInto('offers')
    .values(
      offers.map((o) => ({
        id: `${o.productId}:${o.skuId}`,
        product_id: o.productId,
        sku_id: o.skuId,
        product_title: o.productTitle,
        sku_title: o.skuTitle ?? o.productTitle,
        publisher: o.publisher ?? 'Microsoft Corporation',
        provisioning_id: null,
        provisioning_string: null,
        min_licenses: o.minLicenses ?? 1,
        max_licenses: o.maxLicenses ?? 300,
        asset_ownership_limit: o.assetOwnershipLimit ?? null,
        asset_ownership_limit_type: o.assetOwnershipLimit ? 'Customer' : null,
        prerequisites: o.prerequisites ?? [],
        conversions: [],
        description: o.description ?? '',
        allowed_countries: o.allowedCountries ?? [],
        segment: o.segment ?? 'commercial',
        category: o.category ?? 'Productivity',
        end_of_sale: o.endOfSale ?? false,
        updated_at: new Date('2026-11-01T00:00:00Z'),
      })),
    )
    .execute();
  return offers.map((o) => `${o.productId}:${o.skuId}`);
}

/** A ready price list of `market` for `month` ('YYYY-MM'), with one row per (offer, term, billing plan). */
export async function insertPriceList(db: Db, market: string, month: string, currency: string, rows: { productId: string; skuId: string; term: string; plan: string; price: string; currency?: string; flag?: 'ADD' | 'CHG' | 'DEL' | 'UNC' }[]) {
  const id = randomUUID();
  await db
    .insertInto('price_list_versions')
    .values({ id, market, month: `${month}-01`, status: 'ready', file_name: 'fixture.csv', row_count: rows.length, previous_version_id: null, imported_by: null, started_at: new Date(), completed_at: new Date() })
    .execute();
  await db
    .insertInto('price_rows')
    .values(
      rows.map((r, i) => ({
        version_id: id,
        row_no: i + 2,
        product_id: r.productId,
        sku_id: r.skuId,
        product_title: r.productId,
        sku_title: r.skuId,
        publisher: 'Microsoft Corporation',
        term_duration: r.term,
        billing_plan: r.plan,
        market,
        currency: r.currency ?? currency,
        unit_price: r.price,
        erp_price: null,
        tier_min: null,
        tier_max: null,
        effective_start_date: `${month}-01`,
        effective_end_date: null,
        end_of_sale_date: null,
        change_flag: r.flag ?? 'UNC',
      })),
    )
    .execute();
  return id;
}
