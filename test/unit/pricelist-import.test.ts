import { describe, expect, it } from 'vitest';
import type { ErrorDetail } from '../../src/server/core/errors';
import { checkPriceRow, deriveCategory, deriveSegment, parseImportMonth, parseIsoDate, PRICE_LIST_COLUMNS, readHeader } from '../../src/server/modules/pricing/import/columns';
import { marketCurrencies, offerMatrixLines, priceListLines } from '../../src/server/modules/pricing/import/generate';

const header = readHeader([...PRICE_LIST_COLUMNS], PRICE_LIST_COLUMNS);
const cells = (o: Record<string, string> = {}) =>
  PRICE_LIST_COLUMNS.map(
    (c) =>
      (<Record<string, string>>{
        ProductTitle: 'Teams Essentials',
        ProductId: 'CFQ7TTC0RL1B',
        SkuId: '0002',
        SkuTitle: 'Teams Essentials',
        Publisher: 'Microsoft Corporation',
        TermDuration: 'P1M',
        BillingPlan: 'Monthly',
        Market: 'FR',
        Currency: 'EUR',
        UnitPrice: '4.0000',
        EffectiveStartDate: '2026-11-01',
        EffectiveEndDate: '9999-12-31T23:59:59Z',
        ...o,
      })[c] ?? '',
  );

describe('price list row checks', () => {
  it('accepts a valid row: open end date, optional ERP and tiers', () => {
    const out: ErrorDetail[] = [];
    const r = checkPriceRow(cells(), 2, header, 'FR', out);
    expect(out).toEqual([]);
    expect(r).toMatchObject({ line: 2, unitPrice: '4.0000', erpPrice: null, tierMin: null, effectiveEndDate: null, tags: '' });
  });

  it.each([
    ['UnitPrice', '4.00001', 'pricing.import.decimal'],
    ['UnitPrice', '1e3', 'pricing.import.decimal'],
    ['UnitPrice', '', 'required'],
    ['ERP Price', '-2', 'pricing.import.decimal'],
    ['EffectiveStartDate', '2026-13-01', 'pricing.import.date'],
    ['EndofSaleDate', '30/11/2026', 'pricing.import.date'],
    ['TermDuration', 'P1W', 'pricing.import.term'],
    ['BillingPlan', 'monthly', 'pricing.import.billing_plan'],
    ['Market', 'US', 'pricing.import.market'],
    ['Currency', 'eur', 'pricing.import.currency'],
    ['PricingTierRangeMin', '1.5', 'pricing.import.integer'],
  ])('refuses %s = %j (%s)', (field, value, reason) => {
    const out: ErrorDetail[] = [];
    expect(checkPriceRow(cells({ [field]: value }), 7, header, 'FR', out)).toBeNull();
    expect(out).toContainEqual(expect.objectContaining({ line: 7, field, reason }));
  });

  it('refuses a header that is not exactly the column set', () => {
    expect(() => readHeader([...PRICE_LIST_COLUMNS, 'Extra'], PRICE_LIST_COLUMNS)).toThrow('IMPORT_INVALID');
    expect(() => readHeader(PRICE_LIST_COLUMNS.slice(1), PRICE_LIST_COLUMNS)).toThrow('IMPORT_INVALID');
    expect(() => readHeader([...PRICE_LIST_COLUMNS, 'SkuId'], PRICE_LIST_COLUMNS)).toThrow('IMPORT_INVALID');
    expect(readHeader([...PRICE_LIST_COLUMNS].reverse(), PRICE_LIST_COLUMNS).get('ProductTitle')).toBe(PRICE_LIST_COLUMNS.length - 1);
  });

  it('reads real calendar dates only', () => {
    expect(parseIsoDate('2028-02-29')).toBe('2028-02-29');
    expect(parseIsoDate('2027-02-29')).toBeUndefined();
    expect(parseIsoDate('9999-12-31', true)).toBeNull();
    expect(parseIsoDate('9999-12-31')).toBe('9999-12-31');
  });

  it('allows past, current and next month only', () => {
    const now = new Date('2026-12-15T10:00:00Z');
    expect(parseImportMonth('2020-01', now)).toBe('2020-01-01');
    expect(parseImportMonth('2027-01', now)).toBe('2027-01-01');
    expect(() => parseImportMonth('2027-02', now)).toThrow('VALIDATION_FAILED');
    expect(() => parseImportMonth('2026-1', now)).toThrow('VALIDATION_FAILED');
  });
});

describe('offer segments and categories from titles', () => {
  it.each([
    ['Microsoft 365 A3 for Faculty', 'education'],
    ['Office 365 A1 Plus for Students', 'education'],
    ['Microsoft 365 G3 GCC', 'government'],
    ['Dynamics 365 Sales (Government)', 'government'],
    ['Microsoft 365 Business Premium for Nonprofits', 'nonprofit'],
    ['Microsoft 365 Business Premium', 'commercial'],
  ])('%s → %s', (title, segment) => expect(deriveSegment(title, title)).toBe(segment));
  it('groups by product family', () => {
    expect(deriveCategory('Dynamics 365 Field Service')).toBe('Dynamics 365');
    expect(deriveCategory('Power BI Pro')).toBe('Power Platform');
    expect(deriveCategory('Contoso Backup')).toBe('Other');
  });
});

describe('generator', () => {
  const keyOf = (line: string) => {
    const c = line.split(',');
    return [c[1], c[2], c[7], c[8], c[10], c[12]].join('|');
  };
  const month = (m: string) => new Map([...priceListLines({ market: 'FR', month: m, rows: 20_000 })].slice(1).map((l) => [keyOf(l), l]));

  it('writes exactly the requested rows, with unique keys and the six EU currencies for FR', () => {
    const lines = [...priceListLines({ market: 'FR', month: '2026-11', rows: 20_000 })];
    expect(lines).toHaveLength(20_001);
    expect(lines[0]!.trim()).toBe(PRICE_LIST_COLUMNS.join(','));
    expect(new Set(lines.slice(1).map(keyOf)).size).toBe(20_000);
    expect(marketCurrencies('FR')).toEqual(['EUR', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK']);
    expect(marketCurrencies('US')).toEqual(['USD']);
  });

  it('is deterministic, and two consecutive months differ like real ones (a few % changed, ~1% added and removed)', () => {
    expect([...priceListLines({ market: 'FR', month: '2026-11', rows: 500 })]).toEqual([...priceListLines({ market: 'FR', month: '2026-11', rows: 500 })]);
    const a = month('2026-10');
    const b = month('2026-11');
    const added = [...b.keys()].filter((k) => !a.has(k)).length / b.size;
    const removed = [...a.keys()].filter((k) => !b.has(k)).length / a.size;
    const changed = [...b.entries()].filter(([k, l]) => a.has(k) && a.get(k)!.split(',')[11] !== l.split(',')[11]).length / b.size;
    expect(added).toBeGreaterThan(0.002);
    expect(added).toBeLessThan(0.05);
    expect(removed).toBeGreaterThan(0.002);
    expect(removed).toBeLessThan(0.05);
    expect(changed).toBeGreaterThan(0.01);
    expect(changed).toBeLessThan(0.08);
  });

  it('writes an offer matrix of the same SKUs', () => {
    const offers = [...offerMatrixLines({ month: '2026-11', skus: 50 })];
    expect(offers.length).toBeGreaterThan(30);
    expect(new Set(offers.slice(1).map((l) => l.split(',').slice(1, 3).join(':'))).size).toBe(offers.length - 1);
  });
});
