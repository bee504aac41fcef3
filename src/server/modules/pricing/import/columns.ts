import { AppError, type ErrorDetail } from '../../../core/errors';
import { COUNTRY_CODES } from '../../../core/schemas';

/**
 * Column sets and row checks of the operator's imports (reference §1.10), pure functions:
 * the importers stream rows through them, the tests call them directly.
 */

/** The new-commerce price list columns, exactly (any order). */
export const PRICE_LIST_COLUMNS = [
  'ProductTitle', 'ProductId', 'SkuId', 'SkuTitle', 'Publisher', 'SkuDescription', 'UnitOfMeasure', 'TermDuration', 'BillingPlan',
  'Market', 'Currency', 'UnitPrice', 'PricingTierRangeMin', 'PricingTierRangeMax', 'EffectiveStartDate', 'EffectiveEndDate',
  'EndofSaleDate', 'Tags', 'ERP Price',
] as const;
export type PriceListColumn = (typeof PRICE_LIST_COLUMNS)[number];

/** The new-commerce offer matrix columns, exactly; `Segment`, `Category` and `Publisher` are Partner Space extensions (optional). */
export const OFFER_COLUMNS = [
  'ProductTitle', 'ProductId', 'SkuId', 'SkuTitle', 'ProvisioningId', 'ProvisioningString', 'MinLicenses', 'MaxLicenses',
  'AssetOwnershipLimit', 'AssetOwnershipLimitType', 'ProductSkuPreRequisites', 'ProductSkuConversion', 'Description', 'AllowedCountries',
] as const;
export const OFFER_EXTENSION_COLUMNS = ['Segment', 'Category', 'Publisher'] as const;
export type OfferColumn = (typeof OFFER_COLUMNS)[number] | (typeof OFFER_EXTENSION_COLUMNS)[number];

export const BILLING_PLANS = ['Monthly', 'Annual', 'Triennial', 'None'] as const;
export const SEGMENTS = ['commercial', 'education', 'government', 'nonprofit'] as const;
export type Segment = (typeof SEGMENTS)[number];

const COUNTRIES = new Set(COUNTRY_CODES);
const DECIMAL = /^\d{1,14}(\.\d{1,4})?$/;
const INTEGER = /^\d{1,9}$/;
const TERM = /^P(\d{1,2})([MY])$/;
const CURRENCY = /^[A-Z]{3}$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Map header names to positions; refuse a header that is not exactly the set (missing, unknown or repeated columns, reported on line 1). */
export function readHeader<C extends string>(header: string[], required: readonly C[], optional: readonly C[] = []): Map<C, number> {
  const allowed = new Set<string>([...required, ...optional]);
  const index = new Map<C, number>();
  const problems: ErrorDetail[] = [];
  header.forEach((raw, i) => {
    const name = raw.trim();
    if (!allowed.has(name) || index.has(name as C)) problems.push({ line: 1, field: name || `#${i + 1}`, reason: 'unknown_column', message: '' });
    else index.set(name as C, i);
  });
  for (const c of required) if (!index.has(c)) problems.push({ line: 1, field: c, reason: 'missing_column', message: '' });
  if (problems.length) throw new AppError('IMPORT_INVALID', { rows: 1 }, problems);
  return index;
}

/** A real calendar date, ISO (a time part, as some exports write it, is ignored); `9999-…` (the open-end placeholder) → null when `openEnd`. */
export function parseIsoDate(v: string, openEnd = false): string | null | undefined {
  const m = ISO_DATE.exec(v);
  if (!m) return undefined;
  if (openEnd && m[1] === '9999') return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1900 || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

export interface PriceRow {
  line: number;
  productId: string;
  skuId: string;
  productTitle: string;
  skuTitle: string;
  publisher: string;
  skuDescription: string;
  unitOfMeasure: string;
  termDuration: string;
  billingPlan: string;
  currency: string;
  unitPrice: string;
  erpPrice: string | null;
  tierMin: number | null;
  tierMax: number | null;
  effectiveStartDate: string;
  effectiveEndDate: string | null;
  endOfSaleDate: string | null;
  /** `;`-separated, trimmed. */
  tags: string;
}

const MAX_TEXT = 1000;

/**
 * Check one price list row; push every problem (line, column, reason) to `out` and return the
 * row only when it has none. `market` is the market the import is for: the Market column must match.
 */
export function checkPriceRow(cells: string[], line: number, col: Map<PriceListColumn, number>, market: string, out: ErrorDetail[]): PriceRow | null {
  const before = out.length;
  const get = (c: PriceListColumn) => (cells[col.get(c)!] ?? '').trim();
  const bad = (field: PriceListColumn, reason: string, params?: Record<string, string | number>) => out.push({ line, field, reason, message: '', ...(params ? { params } : {}) });
  const text = (c: PriceListColumn, required: boolean) => {
    const v = get(c);
    if (required && !v) bad(c, 'required');
    else if (v.length > MAX_TEXT) bad(c, 'too_long', { max: MAX_TEXT });
    return v;
  };
  const decimal = (c: PriceListColumn, required: boolean): string | null => {
    const v = get(c);
    if (!v) {
      if (required) bad(c, 'required');
      return null;
    }
    if (!DECIMAL.test(v)) bad(c, 'pricing.import.decimal');
    return v;
  };
  const integer = (c: PriceListColumn): number | null => {
    const v = get(c);
    if (!v) return null;
    if (!INTEGER.test(v)) {
      bad(c, 'pricing.import.integer');
      return null;
    }
    return Number(v);
  };
  const date = (c: PriceListColumn, required: boolean, openEnd = false): string | null => {
    const v = get(c);
    if (!v) {
      if (required) bad(c, 'required');
      return null;
    }
    const d = parseIsoDate(v, openEnd);
    if (d === undefined) bad(c, 'pricing.import.date');
    return d ?? null;
  };

  if (cells.length !== col.size) {
    out.push({ line, reason: 'column_count', message: '', params: { found: cells.length, expected: col.size } });
    return null;
  }
  const row: PriceRow = {
    line,
    productTitle: text('ProductTitle', true),
    productId: text('ProductId', true),
    skuId: text('SkuId', true),
    skuTitle: text('SkuTitle', true),
    publisher: text('Publisher', true),
    skuDescription: text('SkuDescription', false),
    unitOfMeasure: text('UnitOfMeasure', false),
    termDuration: get('TermDuration'),
    billingPlan: get('BillingPlan'),
    currency: get('Currency'),
    unitPrice: decimal('UnitPrice', true) ?? '',
    erpPrice: decimal('ERP Price', false),
    tierMin: integer('PricingTierRangeMin'),
    tierMax: integer('PricingTierRangeMax'),
    effectiveStartDate: date('EffectiveStartDate', true) ?? '',
    effectiveEndDate: date('EffectiveEndDate', false, true),
    endOfSaleDate: date('EndofSaleDate', false),
    tags: get('Tags')
      .split(/[;,]/)
      .map((s) => s.trim())
      .filter(Boolean)
      .join(';'),
  };
  if (!TERM.test(row.termDuration)) bad('TermDuration', 'pricing.import.term');
  if (!(BILLING_PLANS as readonly string[]).includes(row.billingPlan)) bad('BillingPlan', 'pricing.import.billing_plan');
  const m = get('Market');
  if (m.toUpperCase() !== market) bad('Market', 'pricing.import.market', { market });
  if (!CURRENCY.test(row.currency)) bad('Currency', 'pricing.import.currency');
  if (row.tierMin !== null && row.tierMax !== null && row.tierMax < row.tierMin) bad('PricingTierRangeMax', 'pricing.import.tier_range');
  if (row.effectiveStartDate && row.effectiveEndDate && row.effectiveEndDate < row.effectiveStartDate) bad('EffectiveEndDate', 'pricing.import.date_range');
  return out.length === before ? row : null;
}

export interface OfferRow {
  line: number;
  id: string;
  productId: string;
  skuId: string;
  productTitle: string;
  skuTitle: string;
  publisher: string;
  provisioningId: string | null;
  provisioningString: string | null;
  minLicenses: number | null;
  maxLicenses: number | null;
  assetOwnershipLimit: number | null;
  assetOwnershipLimitType: string | null;
  /** `;`-separated lists (offer ids, country codes). */
  prerequisites: string;
  conversions: string;
  description: string;
  allowedCountries: string;
  segment: Segment;
  category: string;
}

/** Segment from the titles when the file has no Segment column (reference §1.10 special segments). */
export function deriveSegment(productTitle: string, skuTitle: string): Segment {
  const t = `${productTitle} ${skuTitle}`;
  if (/\b(education|faculty|faculties|students?|academic)\b/i.test(t)) return 'education';
  if (/\b(government|gcc)\b/i.test(t)) return 'government';
  if (/\bnon-?profits?\b/i.test(t)) return 'nonprofit';
  return 'commercial';
}

const CATEGORY_FAMILIES: [RegExp, string][] = [
  [/\b(microsoft|office) 365\b/i, 'Microsoft 365'],
  [/\bdynamics 365\b/i, 'Dynamics 365'],
  [/\b(enterprise mobility|ems|intune|entra)\b/i, 'Enterprise Mobility + Security'],
  [/\bpower (bi|apps|automate|pages)\b/i, 'Power Platform'],
  [/\bteams\b/i, 'Teams'],
  [/\bexchange\b/i, 'Exchange'],
  [/\bsharepoint|onedrive\b/i, 'SharePoint and OneDrive'],
  [/\bwindows\b/i, 'Windows'],
  [/\b(defender|security|purview)\b/i, 'Security'],
  [/\b(visio|project)\b/i, 'Visio and Project'],
  [/\bcopilot\b/i, 'Copilot'],
];

/** Category from the product title family when the file has no Category column. */
export function deriveCategory(productTitle: string): string {
  for (const [re, name] of CATEGORY_FAMILIES) if (re.test(productTitle)) return name;
  return 'Other';
}

function list(v: string): string[] {
  return v
    .split(/[;,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function checkOfferRow(cells: string[], line: number, col: Map<OfferColumn, number>, out: ErrorDetail[]): OfferRow | null {
  const before = out.length;
  const get = (c: OfferColumn) => (col.has(c) ? (cells[col.get(c)!] ?? '').trim() : '');
  const bad = (field: OfferColumn, reason: string, params?: Record<string, string | number>) => out.push({ line, field, reason, message: '', ...(params ? { params } : {}) });
  const text = (c: OfferColumn, required: boolean, max = MAX_TEXT) => {
    const v = get(c);
    if (required && !v) bad(c, 'required');
    else if (v.length > max) bad(c, 'too_long', { max });
    return v;
  };
  const integer = (c: OfferColumn): number | null => {
    const v = get(c);
    if (!v) return null;
    if (!INTEGER.test(v)) {
      bad(c, 'pricing.import.integer');
      return null;
    }
    return Number(v);
  };
  if (cells.length !== col.size) {
    out.push({ line, reason: 'column_count', message: '', params: { found: cells.length, expected: col.size } });
    return null;
  }
  const productTitle = text('ProductTitle', true);
  const skuTitle = text('SkuTitle', true);
  const productId = text('ProductId', true);
  const skuId = text('SkuId', true);
  if (productId.includes(':')) bad('ProductId', 'pricing.import.identifier');
  if (skuId.includes(':')) bad('SkuId', 'pricing.import.identifier');
  const limitType = get('AssetOwnershipLimitType').toLowerCase();
  if (limitType && !['lifetime', 'concurrent', 'none'].includes(limitType)) bad('AssetOwnershipLimitType', 'pricing.import.limit_type');
  const countries = list(get('AllowedCountries')).map((c) => c.toUpperCase());
  const unknown = countries.find((c) => !COUNTRIES.has(c));
  if (unknown) bad('AllowedCountries', 'pricing.import.country', { country: unknown });
  let segment: Segment = deriveSegment(productTitle, skuTitle);
  const seg = get('Segment').toLowerCase().replace(/[\s-]/g, '');
  if (seg) {
    if ((SEGMENTS as readonly string[]).includes(seg)) segment = seg as Segment;
    else bad('Segment', 'pricing.import.segment');
  }
  const row: OfferRow = {
    line,
    id: `${productId}:${skuId}`,
    productId,
    skuId,
    productTitle,
    skuTitle,
    publisher: text('Publisher', false, 200) || 'Microsoft Corporation',
    provisioningId: text('ProvisioningId', false) || null,
    provisioningString: text('ProvisioningString', false) || null,
    minLicenses: integer('MinLicenses'),
    maxLicenses: integer('MaxLicenses'),
    assetOwnershipLimit: integer('AssetOwnershipLimit'),
    assetOwnershipLimitType: limitType || null,
    prerequisites: list(get('ProductSkuPreRequisites')).join(';'),
    conversions: list(get('ProductSkuConversion')).join(';'),
    description: text('Description', false, 4000),
    allowedCountries: countries.join(';'),
    segment,
    category: text('Category', false, 100) || deriveCategory(productTitle),
  };
  if (row.minLicenses !== null && row.maxLicenses !== null && row.maxLicenses < row.minLicenses) bad('MaxLicenses', 'pricing.import.tier_range');
  return out.length === before ? row : null;
}

/** `YYYY-MM` → its first day; past, current and next month (the preview) only. */
export function parseImportMonth(month: string, now: Date): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12 || Number(m[1]) < 2000) {
    throw new AppError('VALIDATION_FAILED', {}, [{ field: 'month', reason: 'invalid_format', message: '', params: { format: 'YYYY-MM' } }]);
  }
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 7);
  if (month > next) throw new AppError('VALIDATION_FAILED', {}, [{ field: 'month', reason: 'pricing.import.month_too_far', message: '', params: { next } }]);
  return `${month}-01`;
}

export function parseMarket(market: string): string {
  const m = market.trim().toUpperCase();
  if (!COUNTRIES.has(m)) throw new AppError('UNKNOWN_MARKET', { market: m.slice(0, 8) });
  return m;
}
