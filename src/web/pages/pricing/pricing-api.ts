/** The shapes of the pricing API (src/server/modules/pricing/pricelists.routes.ts). Prices are decimal strings. */
export type ChangeFlag = 'ADD' | 'CHG' | 'DEL' | 'UNC';
export const CHANGE_FLAGS: readonly ChangeFlag[] = ['ADD', 'CHG', 'DEL', 'UNC'];

export interface PriceRow {
  productId: string;
  skuId: string;
  productTitle: string;
  skuTitle: string;
  publisher: string;
  termDuration: string;
  billingPlan: string;
  market: string;
  currency: string;
  unitPrice: string;
  erpPrice: string | null;
  effectiveStartDate: string;
  effectiveEndDate: string | null;
  changeFlag: ChangeFlag;
  rowNo: number;
  tierMin: number | null;
  tierMax: number | null;
  tags: string[];
  endOfSaleDate: string | null;
  unitOfMeasure: string;
  promotion: { id: string; name: string; percent: string; unitPrice: string; endsOn: string } | null;
}

export interface PricePage {
  totalCount: number;
  items: PriceRow[];
  links: { self: { uri: string }; next?: { uri: string } };
}

export interface MonthInfo {
  month: string;
  kind: 'current' | 'preview' | 'past';
  effectiveFrom: string;
  rowCount: number;
  deletedCount: number;
  publishedAt: string | null;
}

export interface Months {
  market: string;
  currency: string | null;
  items: MonthInfo[];
}

export interface Changes {
  market: string;
  month: string;
  kind: MonthInfo['kind'];
  previousMonth: string | null;
  counts: Record<ChangeFlag, number>;
}

export interface Facets {
  publishers: string[];
  termDurations: string[];
  billingPlans: string[];
  tags: string[];
}

export interface ExplanationStep {
  code: string;
  params: Record<string, string | number>;
}

export interface PriceResolution {
  market: string;
  month: string;
  date: string;
  priced: boolean;
  reason?: string;
  currency?: string;
  quantity?: number;
  unitPrice?: string;
  listPrice?: string;
  erpPrice?: string | null;
  total?: string;
  row?: { month: string; rowNo: number; tierMin: number | null; tierMax: number | null; effectiveStartDate: string; effectiveEndDate: string | null };
  promotion?: { id: string; name: string; percent: string } | null;
  explanation: ExplanationStep[];
}

export interface Promotion {
  id: string;
  name: string;
  percent: string;
  markets: string[];
  productIds: string[];
  skuIds: string[];
  terms: string[];
  startsOn: string;
  endsOn: string;
  etag?: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * A decimal string as money in the user's locale ("1 234,50 €" in French). The string is
 * given to Intl as is: no float rounding on the way.
 */
export function formatMoney(locale: string, value: string, currency: string): string {
  const f = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 4 });
  // Intl.NumberFormat formats decimal strings exactly (ES2023); its typing says number.
  return f.format(value as unknown as number);
}

/** 'YYYY-MM' → "novembre 2026" / "November 2026". */
export function formatMonth(locale: string, month: string): string {
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));
}

/** 'YYYY-MM-DD' → the locale's short date. */
export function formatDay(locale: string, day: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}
