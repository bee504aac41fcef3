import { formatDec, mul, mulInt, parseDec, rescale, tidyPrice, type Dec } from './decimal';

/**
 * Price resolution (issue 6; reference §1.10): the one function that says what a licence
 * costs. Pure: the caller passes the candidate price-list rows and promotions (the service
 * in pricelists.service.ts fetches those of the month containing `date`); orders and
 * invoices will call the same function with their own candidates.
 *
 * Rules, in order (each is an explanation step):
 * 1. `quantity` is a whole number ≥ 1, `date` a calendar day (else INVALID_QUERY).
 * 2. Rows of the same market, currency, SKU (and product when given), term and billing plan
 *    (terms and plans compared case-insensitively) — none: NO_MATCHING_ROW.
 * 3. Rows flagged DEL (removed since the previous month) never price — only those: OFFER_REMOVED.
 * 4. Rows whose effective range contains `date` (start ≤ date ≤ end; no end = open) — none: DATE_OUTSIDE.
 * 5. Rows whose tier range contains `quantity` (min ≤ q ≤ max; a missing bound is open) —
 *    none: QUANTITY_OUTSIDE_TIERS.
 * 6. When several remain (overlapping effective ranges), the latest EffectiveStartDate wins
 *    (reference §1.10); then the later list month, then the later file line.
 * 7. Promotions apply when their markets, products, SKUs and terms include the row's (an
 *    empty list means all) and `startsOn ≤ date ≤ endsOn`. Of several, the best for the
 *    partner (highest percent) applies, ties to the one that started first, then by id.
 *    Promotions never stack.
 * 8. Arithmetic is exact decimal (BigInt): `unitPrice = listPrice × (100 − percent) / 100`
 *    rounded half-up to 4 decimals (the precision of the list), `total = unitPrice × quantity`
 *    rounded half-up to 2 decimals. The UnitPrice is the price of one licence for the whole
 *    term, as in the price list; annual-term monthly billing pays `total / 12` per month.
 */
export interface PriceQuery {
  market: string;
  currency: string;
  productId?: string | undefined;
  skuId: string;
  termDuration: string;
  billingPlan: string;
  /** 'YYYY-MM-DD' */
  date: string;
  quantity: number;
}

export interface CandidateRow {
  versionId: string;
  /** The list's month, 'YYYY-MM-01'. */
  month: string;
  rowNo: number;
  productId: string;
  skuId: string;
  productTitle: string;
  skuTitle: string;
  market: string;
  currency: string;
  termDuration: string;
  billingPlan: string;
  /** Decimal strings, as stored (numeric(18, 4)). */
  unitPrice: string;
  erpPrice: string | null;
  tierMin: number | null;
  tierMax: number | null;
  effectiveStartDate: string;
  effectiveEndDate: string | null;
  changeFlag: 'ADD' | 'CHG' | 'DEL' | 'UNC';
}

/** What a promotion says, as stored and as the operator edits it (no id). */
export interface PromotionTerms {
  name: string;
  /** Decimal string, 0 < percent ≤ 100. */
  percent: string;
  /** Empty = all. */
  markets: string[];
  productIds: string[];
  skuIds: string[];
  terms: string[];
  startsOn: string;
  endsOn: string;
}

export interface PromotionCandidate extends PromotionTerms {
  id: string;
}

/** One line of the explanation: a stable code (translated by the UI) and its values. */
export interface ExplanationStep {
  code:
    | 'query'
    | 'matching_rows'
    | 'removed_rows_skipped'
    | 'effective_on_date'
    | 'tier'
    | 'overlap_latest_start'
    | 'row_chosen'
    | 'no_promotion'
    | 'promotion_applied'
    | 'promotion_best_of'
    | 'unit_price'
    | 'total'
    | 'no_price';
  params: Record<string, string | number>;
}

export type NoPriceReason = 'INVALID_QUERY' | 'NO_MATCHING_ROW' | 'OFFER_REMOVED' | 'DATE_OUTSIDE' | 'QUANTITY_OUTSIDE_TIERS';

/** The chosen row, as shown: its identity, titles, tier and dates (a DEL row never prices). */
export type PricedRow = Omit<CandidateRow, 'market' | 'currency' | 'termDuration' | 'billingPlan' | 'unitPrice' | 'erpPrice' | 'changeFlag'> & {
  changeFlag: Exclude<CandidateRow['changeFlag'], 'DEL'>;
};

export interface Price {
  priced: true;
  currency: string;
  quantity: number;
  /** Price of one licence for the term, after the promotion (4 decimals at most). */
  unitPrice: string;
  /** The list's UnitPrice. */
  listPrice: string;
  erpPrice: string | null;
  /** unitPrice × quantity, 2 decimals. */
  total: string;
  row: PricedRow;
  promotion: { id: string; name: string; percent: string } | null;
  explanation: ExplanationStep[];
}

export interface NoPrice {
  priced: false;
  reason: NoPriceReason;
  explanation: ExplanationStep[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const same = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();
const within = (list: string[], v: string) => list.length === 0 || list.some((x) => same(x, v));

function noPrice(reason: NoPriceReason, steps: ExplanationStep[]): NoPrice {
  return { priced: false, reason, explanation: [...steps, { code: 'no_price', params: { reason } }] };
}

/** The later of two rows under rule 6 (latest start, then later month, then later line). */
function later(a: CandidateRow, b: CandidateRow): CandidateRow {
  if (a.effectiveStartDate !== b.effectiveStartDate) return a.effectiveStartDate > b.effectiveStartDate ? a : b;
  if (a.month !== b.month) return a.month > b.month ? a : b;
  return a.rowNo >= b.rowNo ? a : b;
}

/** Percent as a decimal; the best promotion first (rule 7). */
function byBest(a: PromotionCandidate, b: PromotionCandidate): number {
  const pa = rescale(parseDec(a.percent), 4).units;
  const pb = rescale(parseDec(b.percent), 4).units;
  if (pa !== pb) return pa > pb ? -1 : 1;
  if (a.startsOn !== b.startsOn) return a.startsOn < b.startsOn ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function resolvePrice(q: PriceQuery, rows: readonly CandidateRow[], promotions: readonly PromotionCandidate[]): Price | NoPrice {
  const steps: ExplanationStep[] = [
    {
      code: 'query',
      params: { market: q.market, currency: q.currency, skuId: q.skuId, productId: q.productId ?? '', termDuration: q.termDuration, billingPlan: q.billingPlan, date: q.date, quantity: q.quantity },
    },
  ];
  if (!Number.isSafeInteger(q.quantity) || q.quantity < 1 || !DAY.test(q.date)) return noPrice('INVALID_QUERY', steps);

  const matching = rows.filter(
    (r) =>
      same(r.market, q.market) &&
      same(r.currency, q.currency) &&
      r.skuId === q.skuId &&
      (q.productId === undefined || r.productId === q.productId) &&
      same(r.termDuration, q.termDuration) &&
      same(r.billingPlan, q.billingPlan),
  );
  steps.push({ code: 'matching_rows', params: { count: matching.length } });
  if (!matching.length) return noPrice('NO_MATCHING_ROW', steps);

  const live = matching.filter((r) => r.changeFlag !== 'DEL');
  if (live.length < matching.length) steps.push({ code: 'removed_rows_skipped', params: { count: matching.length - live.length } });
  if (!live.length) return noPrice('OFFER_REMOVED', steps);

  const effective = live.filter((r) => r.effectiveStartDate <= q.date && (r.effectiveEndDate === null || q.date <= r.effectiveEndDate));
  steps.push({ code: 'effective_on_date', params: { date: q.date, count: effective.length } });
  if (!effective.length) return noPrice('DATE_OUTSIDE', steps);

  const tiered = effective.filter((r) => (r.tierMin === null || q.quantity >= r.tierMin) && (r.tierMax === null || q.quantity <= r.tierMax));
  steps.push({ code: 'tier', params: { quantity: q.quantity, count: tiered.length } });
  if (!tiered.length) return noPrice('QUANTITY_OUTSIDE_TIERS', steps);

  const row = tiered.reduce(later);
  if (tiered.length > 1) steps.push({ code: 'overlap_latest_start', params: { count: tiered.length, effectiveStartDate: row.effectiveStartDate } });
  steps.push({
    code: 'row_chosen',
    params: {
      month: row.month.slice(0, 7),
      rowNo: row.rowNo,
      tierMin: row.tierMin ?? '',
      tierMax: row.tierMax ?? '',
      effectiveStartDate: row.effectiveStartDate,
      effectiveEndDate: row.effectiveEndDate ?? '',
      unitPrice: tidyPrice(row.unitPrice),
    },
  });

  const applicable = applicablePromotions(row, promotions, q.date);
  const promo = applicable[0] ?? null;
  if (!promo) steps.push({ code: 'no_promotion', params: {} });
  else {
    if (applicable.length > 1) steps.push({ code: 'promotion_best_of', params: { count: applicable.length, name: promo.name, percent: tidyPercent(promo.percent) } });
    steps.push({ code: 'promotion_applied', params: { id: promo.id, name: promo.name, percent: tidyPercent(promo.percent), startsOn: promo.startsOn, endsOn: promo.endsOn } });
  }

  const list = rescale(parseDec(row.unitPrice), 4);
  const unit: Dec = promo ? rescale(mul(list, sub100(parseDec(promo.percent))), 4) : list;
  const total = rescale(mulInt(unit, q.quantity), 2);
  const unitPrice = tidyPrice(formatDec(unit));
  steps.push({ code: 'unit_price', params: { listPrice: tidyPrice(row.unitPrice), unitPrice } });
  steps.push({ code: 'total', params: { unitPrice, quantity: q.quantity, total: formatDec(total), currency: row.currency } });

  return {
    priced: true,
    currency: row.currency,
    quantity: q.quantity,
    unitPrice,
    listPrice: tidyPrice(row.unitPrice),
    erpPrice: row.erpPrice === null ? null : tidyPrice(row.erpPrice),
    total: formatDec(total),
    row: {
      versionId: row.versionId,
      month: row.month,
      rowNo: row.rowNo,
      productId: row.productId,
      skuId: row.skuId,
      productTitle: row.productTitle,
      skuTitle: row.skuTitle,
      tierMin: row.tierMin,
      tierMax: row.tierMax,
      effectiveStartDate: row.effectiveStartDate,
      effectiveEndDate: row.effectiveEndDate,
      changeFlag: row.changeFlag as 'ADD' | 'CHG' | 'UNC',
    },
    promotion: promo ? { id: promo.id, name: promo.name, percent: tidyPercent(promo.percent) } : null,
    explanation: steps,
  };
}

/**
 * The promotions that apply to a price-list row on `date` (rule 7), best for the partner
 * first. The price pages use it to show the promoted price next to a list price.
 */
export function applicablePromotions(
  row: { market: string; productId: string; skuId: string; termDuration: string },
  promotions: readonly PromotionCandidate[],
  date: string,
): PromotionCandidate[] {
  return promotions
    .filter(
      (p) =>
        within(p.markets, row.market) &&
        within(p.productIds, row.productId) &&
        within(p.skuIds, row.skuId) &&
        within(p.terms, row.termDuration) &&
        p.startsOn <= date &&
        date <= p.endsOn,
    )
    .sort(byBest);
}

/** (100 − percent) / 100 as an exact decimal factor. */
function sub100(percent: Dec): Dec {
  const p = rescale(percent, 2);
  return { units: 10000n - p.units, scale: 4 };
}

/** The price of `listPrice` after `percent` off: the figure shown next to a list price (4 decimals at most). */
export function promotedPrice(listPrice: string, percent: string): string {
  return tidyPrice(formatDec(rescale(mul(rescale(parseDec(listPrice), 4), sub100(parseDec(percent))), 4)));
}

/** '15.00' → '15', '12.50' → '12.5'. */
export function tidyPercent(s: string): string {
  const t = formatDec(parseDec(s));
  return t.includes('.') ? t.replace(/\.?0+$/, '') : t;
}
