import { describe, expect, it } from 'vitest';
import { formatDec, parseDec, rescale, tidyPrice } from '../../src/server/modules/pricing/decimal';
import { promotedPrice, resolvePrice, type CandidateRow, type PriceQuery, type PromotionCandidate } from '../../src/server/modules/pricing/resolve';

const V = '00000000-0000-4000-8000-000000000001';
let line = 0;
function row(o: Partial<CandidateRow> = {}): CandidateRow {
  line += 1;
  return {
    versionId: V,
    month: '2026-11-01',
    rowNo: line,
    productId: 'CFQ7TTC0LH18',
    skuId: '0001',
    productTitle: 'Microsoft 365 Business Basic',
    skuTitle: 'Microsoft 365 Business Basic',
    market: 'FR',
    currency: 'EUR',
    termDuration: 'P1Y',
    billingPlan: 'Annual',
    unitPrice: '60.0000',
    erpPrice: '72.0000',
    tierMin: null,
    tierMax: null,
    effectiveStartDate: '2026-11-01',
    effectiveEndDate: null,
    changeFlag: 'UNC',
    ...o,
  };
}
function promo(o: Partial<PromotionCandidate> = {}): PromotionCandidate {
  return { id: 'p1', name: 'Autumn', percent: '10.00', markets: [], productIds: [], skuIds: [], terms: [], startsOn: '2026-11-01', endsOn: '2026-11-30', ...o };
}
const q = (o: Partial<PriceQuery> = {}): PriceQuery => ({ market: 'FR', currency: 'EUR', skuId: '0001', termDuration: 'P1Y', billingPlan: 'Annual', date: '2026-11-24', quantity: 1, ...o });

describe('decimal arithmetic (no floats)', () => {
  it('parses and formats exactly, rounding half-up on magnitudes', () => {
    expect(formatDec(parseDec('0.1'))).toBe('0.1');
    expect(formatDec(rescale(parseDec('2.345'), 2))).toBe('2.35');
    expect(formatDec(rescale(parseDec('2.344'), 2))).toBe('2.34');
    expect(formatDec(rescale(parseDec('-2.345'), 2))).toBe('-2.35');
    expect(formatDec(rescale(parseDec('12'), 4))).toBe('12.0000');
    expect(tidyPrice('12.3400')).toBe('12.34');
    expect(tidyPrice('0.1250')).toBe('0.125');
    expect(tidyPrice('7')).toBe('7.00');
    expect(() => parseDec('1e3')).toThrow();
  });

  it('0.1 + 0.2 style sums stay exact: 3 × 0.1 = 0.30, 1,000,000 × 19.99 = 19990000.00', () => {
    expect(resolvePrice(q({ quantity: 3 }), [row({ unitPrice: '0.1000' })], [])).toMatchObject({ priced: true, total: '0.30' });
    const r = resolvePrice(q({ quantity: 1_000_000 }), [row({ unitPrice: '19.9900' })], []);
    expect(r).toMatchObject({ priced: true, total: '19990000.00' });
  });
});

describe('price resolution: which row', () => {
  it('a single matching row prices the quantity, with list and ERP price and the row named', () => {
    const r = row({ unitPrice: '60.0000', erpPrice: '72.0000' });
    const out = resolvePrice(q({ quantity: 12 }), [r], []);
    expect(out).toMatchObject({ priced: true, currency: 'EUR', unitPrice: '60.00', listPrice: '60.00', erpPrice: '72.00', total: '720.00', promotion: null, quantity: 12 });
    if (!out.priced) throw new Error('unpriced');
    expect(out.row).toMatchObject({ versionId: V, month: '2026-11-01', rowNo: r.rowNo, tierMin: null, tierMax: null });
    expect(out.explanation.map((s) => s.code)).toEqual(['query', 'matching_rows', 'effective_on_date', 'tier', 'row_chosen', 'no_promotion', 'unit_price', 'total']);
  });

  it('filters on market, currency, SKU, product, term and billing plan (term and plan case-insensitive)', () => {
    const rows = [
      row({ market: 'DE', unitPrice: '1.0000' }),
      row({ currency: 'CHF', unitPrice: '2.0000' }),
      row({ skuId: '0002', unitPrice: '3.0000' }),
      row({ termDuration: 'P1M', unitPrice: '4.0000' }),
      row({ billingPlan: 'Monthly', unitPrice: '5.0000' }),
      row({ productId: 'OTHER', unitPrice: '6.0000' }),
      row({ unitPrice: '7.0000' }),
    ];
    expect(resolvePrice(q({ productId: 'CFQ7TTC0LH18', termDuration: 'p1y', billingPlan: 'annual' }), rows, [])).toMatchObject({ priced: true, listPrice: '7.00' });
    expect(resolvePrice(q({ currency: 'CHF' }), rows, [])).toMatchObject({ priced: true, listPrice: '2.00' });
    expect(resolvePrice(q({ productId: 'NOPE' }), rows, [])).toMatchObject({ priced: false, reason: 'NO_MATCHING_ROW' });
    expect(resolvePrice(q({ skuId: '9999' }), rows, [])).toMatchObject({ priced: false, reason: 'NO_MATCHING_ROW' });
  });

  it('picks the tier whose range contains the quantity (bounds inclusive, a missing bound is open)', () => {
    const rows = [row({ tierMin: 1, tierMax: 10, unitPrice: '10.0000' }), row({ tierMin: 11, tierMax: 100, unitPrice: '9.0000' }), row({ tierMin: 101, tierMax: null, unitPrice: '8.0000' })];
    expect(resolvePrice(q({ quantity: 10 }), rows, [])).toMatchObject({ priced: true, listPrice: '10.00', total: '100.00' });
    expect(resolvePrice(q({ quantity: 11 }), rows, [])).toMatchObject({ priced: true, listPrice: '9.00', total: '99.00' });
    expect(resolvePrice(q({ quantity: 5000 }), rows, [])).toMatchObject({ priced: true, listPrice: '8.00', total: '40000.00' });
    const out = resolvePrice(q({ quantity: 11 }), rows, []);
    if (!out.priced) throw new Error('unpriced');
    expect(out.row).toMatchObject({ tierMin: 11, tierMax: 100 });
  });

  it('a quantity outside every tier has no price, and says so', () => {
    const rows = [row({ tierMin: 5, tierMax: 10 })];
    const out = resolvePrice(q({ quantity: 4 }), rows, []);
    expect(out).toMatchObject({ priced: false, reason: 'QUANTITY_OUTSIDE_TIERS' });
    expect(out.explanation.at(-1)).toEqual({ code: 'no_price', params: { reason: 'QUANTITY_OUTSIDE_TIERS' } });
  });

  it('when effective ranges overlap, the latest EffectiveStartDate wins (reference §1.10 cut-over)', () => {
    const rows = [
      row({ effectiveStartDate: '2026-11-01', effectiveEndDate: '9999-12-31', unitPrice: '10.0000' }),
      row({ effectiveStartDate: '2026-11-03', effectiveEndDate: null, unitPrice: '12.0000' }),
    ];
    expect(resolvePrice(q({ date: '2026-11-02' }), rows, [])).toMatchObject({ priced: true, listPrice: '10.00' });
    const out = resolvePrice(q({ date: '2026-11-03' }), rows, []);
    expect(out).toMatchObject({ priced: true, listPrice: '12.00' });
    expect(out.explanation.find((s) => s.code === 'overlap_latest_start')?.params).toEqual({ count: 2, effectiveStartDate: '2026-11-03' });
  });

  it('equal starts: the later month, then the later file line', () => {
    const a = row({ month: '2026-10-01', rowNo: 900, unitPrice: '1.0000' });
    const b = row({ month: '2026-11-01', rowNo: 5, unitPrice: '2.0000' });
    const c = row({ month: '2026-11-01', rowNo: 6, unitPrice: '3.0000' });
    expect(resolvePrice(q(), [a, b], [])).toMatchObject({ listPrice: '2.00' });
    expect(resolvePrice(q(), [c, b, a], [])).toMatchObject({ listPrice: '3.00' });
  });

  it('a date outside every effective range has no price (before start, after end)', () => {
    const rows = [row({ effectiveStartDate: '2026-11-10', effectiveEndDate: '2026-11-20' })];
    expect(resolvePrice(q({ date: '2026-11-09' }), rows, [])).toMatchObject({ priced: false, reason: 'DATE_OUTSIDE' });
    expect(resolvePrice(q({ date: '2026-11-21' }), rows, [])).toMatchObject({ priced: false, reason: 'DATE_OUTSIDE' });
    expect(resolvePrice(q({ date: '2026-11-20' }), rows, [])).toMatchObject({ priced: true });
  });

  it('DEL rows (removed since last month) never price', () => {
    const out = resolvePrice(q(), [row({ changeFlag: 'DEL' })], []);
    expect(out).toMatchObject({ priced: false, reason: 'OFFER_REMOVED' });
    expect(out.explanation.map((s) => s.code)).toContain('removed_rows_skipped');
  });

  it('refuses a quantity that is not a whole number ≥ 1 or a malformed date', () => {
    for (const quantity of [0, -1, 1.5, Number.NaN]) expect(resolvePrice(q({ quantity }), [row()], [])).toMatchObject({ priced: false, reason: 'INVALID_QUERY' });
    expect(resolvePrice(q({ date: '24/11/2026' }), [row()], [])).toMatchObject({ priced: false, reason: 'INVALID_QUERY' });
  });
});

describe('price resolution: promotions', () => {
  it('applies a matching promotion: exact percent off, rounded half-up to 4 decimals, total to 2', () => {
    const out = resolvePrice(q({ quantity: 3 }), [row({ unitPrice: '10.0000' })], [promo({ percent: '15.00' })]);
    expect(out).toMatchObject({ priced: true, listPrice: '10.00', unitPrice: '8.50', total: '25.50', promotion: { id: 'p1', name: 'Autumn', percent: '15' } });
    // 33.33 % of 0.0100 → 0.006667 → 0.0067 (4 decimals), × 3 = 0.0201 → 0.02
    expect(resolvePrice(q({ quantity: 3 }), [row({ unitPrice: '0.0100' })], [promo({ percent: '33.33' })])).toMatchObject({ unitPrice: '0.0067', total: '0.02' });
    // half-up: 1 × 0.125 → 0.13
    expect(resolvePrice(q(), [row({ unitPrice: '0.2500' })], [promo({ percent: '50' })])).toMatchObject({ unitPrice: '0.125', total: '0.13' });
    expect(promotedPrice('19.9900', '12.50')).toBe('17.4913');
  });

  it('100 % off prices at zero', () => {
    expect(resolvePrice(q({ quantity: 7 }), [row()], [promo({ percent: '100' })])).toMatchObject({ unitPrice: '0.00', total: '0.00' });
  });

  it('a promotion applies only when market, product, SKU and term match (empty = all) and the date is within its dates', () => {
    const rows = [row({ unitPrice: '100.0000' })];
    const notApplied = [
      promo({ markets: ['DE'] }),
      promo({ productIds: ['OTHER'] }),
      promo({ skuIds: ['0002'] }),
      promo({ terms: ['P1M'] }),
      promo({ startsOn: '2026-11-25' }),
      promo({ endsOn: '2026-11-23' }),
    ];
    for (const p of notApplied) expect(resolvePrice(q(), rows, [p])).toMatchObject({ priced: true, unitPrice: '100.00', promotion: null });
    const matching = promo({ markets: ['fr'], productIds: ['CFQ7TTC0LH18'], skuIds: ['0001'], terms: ['P1Y'], startsOn: '2026-11-24', endsOn: '2026-11-24' });
    expect(resolvePrice(q(), rows, [matching])).toMatchObject({ unitPrice: '90.00', promotion: { id: 'p1' } });
  });

  it('of several applicable promotions the best for the partner (highest percent) applies, and the explanation says so', () => {
    const ps = [promo({ id: 'a', name: 'Small', percent: '5' }), promo({ id: 'b', name: 'Big', percent: '20' }), promo({ id: 'c', name: 'Other market', percent: '50', markets: ['DE'] })];
    const out = resolvePrice(q(), [row({ unitPrice: '100.0000' })], ps);
    expect(out).toMatchObject({ unitPrice: '80.00', promotion: { id: 'b', name: 'Big', percent: '20' } });
    expect(out.explanation.find((s) => s.code === 'promotion_best_of')?.params).toEqual({ count: 2, name: 'Big', percent: '20' });
  });

  it('equal percents: the one that started first, then by id (deterministic)', () => {
    const ps = [promo({ id: 'z', startsOn: '2026-11-10' }), promo({ id: 'y', startsOn: '2026-11-01' }), promo({ id: 'x', startsOn: '2026-11-01' })];
    expect(resolvePrice(q(), [row()], ps)).toMatchObject({ promotion: { id: 'x' } });
  });

  it('promotions never make an unpriced offer priced', () => {
    expect(resolvePrice(q({ date: '2027-01-01' }), [row({ effectiveEndDate: '2026-12-31' })], [promo({ endsOn: '2027-12-31' })])).toMatchObject({ priced: false, reason: 'DATE_OUTSIDE' });
  });
});

describe('tidyPrice', () => {
  it('keeps at least 2 decimals and drops only trailing zeros, on both paths', () => {
    const cases: [string, string][] = [['12.3400', '12.34'], ['0.1250', '0.125'], ['7.0000', '7.00'], ['1234.5678', '1234.5678'], ['-3.1000', '-3.10'], ['5', '5.00'], ['5.1', '5.10'], ['100.00', '100.00']];
    for (const [input, out] of cases) expect(tidyPrice(input), input).toBe(out);
  });
});
