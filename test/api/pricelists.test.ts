import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { createTestApp, enrolVerifiedPartner, expectErrorShape, operatorSession, signIn, type TestApp } from '../support/harness';
import { insertPriceList, seedMarket } from '../support/pricing-fixtures';

let t: TestApp;
let a: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let op: Awaited<ReturnType<typeof operatorSession>>;
let fr: Awaited<ReturnType<typeof seedMarket>>;
let n = 0;

type Headers = Record<string, string>;
const get = (url: string, headers: Headers = a.auth) => t.app.inject({ method: 'GET', url, headers });
const opReq = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, extra: Headers = {}) =>
  t.app.inject({ method, url, headers: { ...op.auth, ...extra }, ...(payload ? { payload } : {}) });

interface Item {
  productId: string; skuId: string; productTitle: string; skuTitle: string; publisher: string; termDuration: string; billingPlan: string; market: string; currency: string;
  unitPrice: string; erpPrice: string | null; effectiveStartDate: string; effectiveEndDate: string | null; changeFlag: string; rowNo: number;
  promotion: { id: string; name: string; percent: string; unitPrice: string } | null;
}
type Page = { totalCount: number; items: Item[]; links: { self: { uri: string }; next?: { uri: string } } };

/** A user of partner A holding `roles`, signed in with a password of their own. */
async function userWith(roles: string[]) {
  n += 1;
  const email = `price.user${n}.${Date.now()}@fabrikam.example`;
  const created = await t.app.inject({ method: 'POST', url: '/v1/users', headers: a.auth, payload: { firstName: 'Price', lastName: `User${n}`, email, roles } });
  const { temporaryPassword } = created.json() as { temporaryPassword: string };
  const first = await signIn(t, email, temporaryPassword);
  const password = `un autre mot de passe solide ${n}`;
  expect((await t.app.inject({ method: 'POST', url: '/v1/me/password', headers: first.auth, payload: { currentPassword: temporaryPassword, newPassword: password } })).statusCode).toBe(204);
  return signIn(t, email, password);
}

const promoBody = (o: Record<string, unknown> = {}) => ({
  name: 'Offre d’automne', percent: '15', markets: ['FR'], productIds: [], skuIds: [], terms: [], startsOn: '2026-11-01', endsOn: '2026-11-30', ...o,
});

beforeAll(async () => {
  t = await createTestApp();
  a = await enrolVerifiedPartner(t);
  op = await operatorSession(t);
  // The test clock is 2026-11-24: FR has 2026-10 (past), 2026-11 (current), 2026-12 (preview).
  fr = await seedMarket(t.db, t.clock.now());
  // A preview too far ahead (visible from 2026-12-02 only) and another market.
  await insertPriceList(t.db, 'FR', '2027-01', [{ productId: 'CFQ7TTC0LH18', skuId: '0001', productTitle: 'Microsoft 365 Business Basic', skuTitle: 'Microsoft 365 Business Basic', unitPrice: '80.0000' }]);
  await insertPriceList(t.db, 'CH', '2026-11', [
    { productId: 'CFQ7TTC0LH18', skuId: '0001', productTitle: 'Microsoft 365 Business Basic', skuTitle: 'Microsoft 365 Business Basic', currency: 'CHF', unitPrice: '70.0000' },
    { productId: 'CFQ7TTC0LH18', skuId: '0001', productTitle: 'Microsoft 365 Business Basic', skuTitle: 'Microsoft 365 Business Basic', currency: 'EUR', unitPrice: '71.0000' },
  ]);
  // An import that has not finished is invisible.
  await insertPriceList(t.db, 'DE', '2026-11', [{ productId: 'X', skuId: '0001', productTitle: 'Hidden', skuTitle: 'Hidden', unitPrice: '1' }], { status: 'importing' });
});
afterAll(async () => t?.close());

describe('GET /v1/pricelists: the list', () => {
  it('defaults to the current month and answers {totalCount, items, links} with the issue’s item shape, decimal strings, title order', async () => {
    const res = await get('/v1/pricelists?market=FR');
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as Page;
    expect(Object.keys(page).sort()).toEqual(['items', 'links', 'totalCount']);
    expect(page.totalCount).toBe(9);
    const first = page.items[0]!;
    for (const k of ['productId', 'skuId', 'productTitle', 'skuTitle', 'publisher', 'termDuration', 'billingPlan', 'market', 'currency', 'unitPrice', 'erpPrice', 'effectiveStartDate', 'effectiveEndDate', 'changeFlag']) {
      expect(first).toHaveProperty(k);
    }
    expect(page.items.map((i) => i.productTitle)).toEqual([...page.items.map((i) => i.productTitle)].sort());
    const standard = page.items.find((i) => i.productId === 'CFQ7TTC0LDPB')!;
    expect(standard).toMatchObject({ unitPrice: '151.20', erpPrice: '181.44', currency: 'EUR', market: 'FR', changeFlag: 'CHG', effectiveStartDate: '2026-11-01', effectiveEndDate: null, termDuration: 'P1Y', billingPlan: 'Annual' });
    expect(typeof standard.unitPrice).toBe('string');
  });

  it('a row removed since last month appears in the new month flagged DEL', async () => {
    const page = (await get('/v1/pricelists?market=FR&changeFlag=DEL')).json() as Page;
    expect(page.totalCount).toBe(1);
    expect(page.items[0]).toMatchObject({ productTitle: 'Exchange Online Kiosk', changeFlag: 'DEL' });
  });

  it('filters by change flag, publisher, term, billing plan and tag', async () => {
    const chg = (await get('/v1/pricelists?market=FR&changeFlag=CHG')).json() as Page;
    expect(chg.items.map((i) => i.productTitle)).toEqual(['Microsoft 365 Business Standard']);
    const add = (await get('/v1/pricelists?market=FR&changeFlag=ADD')).json() as Page;
    expect(add.totalCount).toBe(4);
    const contoso = (await get('/v1/pricelists?market=FR&publisher=Contoso%20Ltd')).json() as Page;
    expect(contoso.totalCount).toBe(3);
    expect(new Set(contoso.items.map((i) => i.publisher))).toEqual(new Set(['Contoso Ltd']));
    const monthly = (await get('/v1/pricelists?market=FR&termDuration=P1M&billingPlan=Monthly')).json() as Page;
    expect(monthly.items.map((i) => [i.productId, i.termDuration, i.billingPlan])).toEqual([['CFQ7TTC0LH18', 'P1M', 'Monthly']]);
    const teams = (await get('/v1/pricelists?market=FR&tag=Teams')).json() as Page;
    expect(teams.items.map((i) => i.productTitle)).toEqual(['Microsoft Teams Essentials']);
    const bad = await get('/v1/pricelists?market=FR&changeFlag=NEW');
    expect(bad.statusCode).toBe(400);
    expectErrorShape(bad.json(), 'VALIDATION_FAILED');
  });

  it('searches product title, SKU title, product id and SKU id, case-insensitively, every word as a prefix', async () => {
    const byTitle = (await get('/v1/pricelists?market=FR&q=business%20STANDARD')).json() as Page;
    expect(byTitle.items.map((i) => i.productTitle)).toEqual(['Microsoft 365 Business Standard']);
    const bySkuTitle = (await get('/v1/pricelists?market=FR&q=enterprise%20edition')).json() as Page;
    expect(bySkuTitle.items.map((i) => i.productId)).toEqual(['CFQ7TTC0LFK5']);
    const byProductId = (await get('/v1/pricelists?market=FR&q=cfq7ttc0ldpb')).json() as Page;
    expect(byProductId.items.map((i) => i.productTitle)).toEqual(['Microsoft 365 Business Standard']);
    const bySku = (await get('/v1/pricelists?market=FR&q=0003')).json() as Page;
    expect(bySku.totalCount).toBe(3);
    expect(new Set(bySku.items.map((i) => i.skuId))).toEqual(new Set(['0003']));
    // Each word is a prefix of a word, in any order; punctuation separates words.
    const prefix = (await get('/v1/pricelists?market=FR&q=stand%20busi')).json() as Page;
    expect(prefix.items.map((i) => i.productTitle)).toEqual(['Microsoft 365 Business Standard']);
    const idPrefix = (await get('/v1/pricelists?market=FR&q=CFQ7TTC0LD')).json() as Page;
    expect(idPrefix.items.map((i) => i.productId)).toEqual(['CFQ7TTC0LDPB']);
    const none = (await get('/v1/pricelists?market=FR&q=%25')).json() as Page;
    expect(none.totalCount).toBe(0);
    expect(((await get('/v1/pricelists?market=FR&q=standardissime')).json() as Page).totalCount).toBe(0);
  });

  it('pages with a continuation token, without gaps or repeats', async () => {
    const seen: string[] = [];
    let url: string | undefined = '/v1/pricelists?market=FR&size=2';
    let pages = 0;
    while (url) {
      const page = (await get(url)).json() as Page;
      expect(page.totalCount).toBe(9);
      seen.push(...page.items.map((i) => `${i.rowNo}`));
      url = page.links.next?.uri;
      pages += 1;
    }
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(9);
    const bad = await get('/v1/pricelists?market=FR&continuationToken=abc');
    expect(bad.statusCode).toBe(400);
    expectErrorShape(bad.json(), 'INVALID_CONTINUATION_TOKEN');
  });

  it('past months and the visible preview can be chosen; a preview more than 30 days ahead cannot (404)', async () => {
    const past = (await get('/v1/pricelists?market=FR&month=2026-10')).json() as Page;
    expect(past.totalCount).toBe(5);
    expect(past.items.find((i) => i.productId === 'CFQ7TTC0LDPB')?.unitPrice).toBe('144.00');
    const preview = (await get('/v1/pricelists?market=FR&month=2026-12')).json() as Page;
    expect(preview.items.find((i) => i.productId === 'CFQ7TTC0LH18')?.unitPrice).toBe('75.60');
    const tooEarly = await get('/v1/pricelists?market=FR&month=2027-01');
    expect(tooEarly.statusCode).toBe(404);
    expectErrorShape(tooEarly.json(), 'UNKNOWN_MONTH');
    const months = (await get('/v1/pricelists/months?market=fr')).json() as { market: string; items: { month: string; kind: string }[] };
    expect(months.market).toBe('FR');
    expect(months.items.map((m) => [m.month, m.kind])).toEqual([['2026-12', 'preview'], ['2026-11', 'current'], ['2026-10', 'past']]);
  });

  it('unknown market → 400 UNKNOWN_MARKET (translated); unknown month → 404 UNKNOWN_MONTH; an unfinished import is invisible', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: '/v1/pricelists?market=ZZ', headers: { ...a.auth, 'accept-language': 'fr' } });
    expect(unknown.statusCode).toBe(400);
    expectErrorShape(unknown.json(), 'UNKNOWN_MARKET');
    expect(unknown.json().message).toBe('Ce marché n’est pas connu.');
    expect((await get('/v1/pricelists?market=France')).json().code).toBe('UNKNOWN_MARKET');
    expect((await get('/v1/pricelists?market=DE')).json().code).toBe('UNKNOWN_MARKET');
    const month = await get('/v1/pricelists?market=FR&month=2025-01');
    expect(month.statusCode).toBe(404);
    expectErrorShape(month.json(), 'UNKNOWN_MONTH');
    expect((await get('/v1/pricelists?market=FR&month=2026-13')).statusCode).toBe(400);
    expect((await get('/v1/pricelists/download?market=ZZ')).statusCode).toBe(400);
    expect((await get('/v1/pricelists/download?market=FR&month=2025-01')).statusCode).toBe(404);
    expect((await get('/v1/pricelists/changes?market=FR&month=2025-01')).statusCode).toBe(404);
  });

  it('a market with several currencies lists each; markets lists those with a list', async () => {
    const ch = (await get('/v1/pricelists?market=CH')).json() as Page;
    expect(ch.items.map((i) => i.currency).sort()).toEqual(['CHF', 'EUR']);
    const markets = (await get('/v1/pricelists/markets')).json() as { items: { market: string; currency: string }[] };
    expect(markets.items).toEqual([{ market: 'CH', currency: 'CHF' }, { market: 'FR', currency: 'EUR' }]);
  });

  it('what changed this month: counts per flag against the previous month', async () => {
    const res = await get('/v1/pricelists/changes?market=FR');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ market: 'FR', month: '2026-11', kind: 'current', previousMonth: '2026-10', counts: { ADD: 4, CHG: 1, DEL: 1, UNC: 3 } });
    const facets = (await get('/v1/pricelists/facets?market=FR')).json() as { publishers: string[]; tags: string[]; termDurations: string[] };
    expect(facets.publishers).toEqual(['Contoso Ltd', 'Microsoft Corporation']);
    expect(facets.termDurations).toEqual(['P1M', 'P1Y']);
    expect(facets.tags).toContain('Teams');
  });
});

describe('who sees pricing (reference §1.10)', () => {
  it('a Sales agent sees price lists (200); a Helpdesk agent does not (403 on every pricing route)', async () => {
    const sales = await userWith(['sales-agent']);
    expect((await get('/v1/pricelists?market=FR', sales.auth)).statusCode).toBe(200);
    expect((await get('/v1/pricelists/download?market=FR', sales.auth)).statusCode).toBe(200);
    const helpdesk = await userWith(['helpdesk-agent']);
    for (const url of ['/v1/pricelists?market=FR', '/v1/pricelists/months?market=FR', '/v1/pricelists/markets', '/v1/pricelists/changes?market=FR', '/v1/pricelists/download?market=FR', '/v1/promotions', '/v1/pricelists/price?market=FR&skuId=0001&termDuration=P1Y&billingPlan=Annual']) {
      const res = await get(url, helpdesk.auth);
      expect(res.statusCode, url).toBe(403);
      expectErrorShape(res.json(), 'FORBIDDEN');
    }
    expect((await t.app.inject({ method: 'GET', url: '/v1/pricelists?market=FR' })).statusCode).toBe(401);
  });

  it('partners cannot manage promotions; operators can', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/operator/promotions', headers: a.auth, payload: promoBody() });
    expect([401, 403]).toContain(res.statusCode);
    expect((await t.db.selectFrom('promotions').select('id').execute()).length).toBe(0);
  });
});

describe('GET /v1/pricelists/download', () => {
  it('CSV: one header line (new-commerce columns) then one line per imported row of the month, in file order; DEL rows are not part of it', async () => {
    const res = await get('/v1/pricelists/download?market=FR&format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="pricelist-FR-2026-11.csv"');
    const lines = res.body.trimEnd().split('\n');
    expect(lines.length).toBe(8 + 1);
    expect(lines[0]).toBe('ProductTitle,ProductId,SkuId,SkuTitle,Publisher,SkuDescription,UnitOfMeasure,TermDuration,BillingPlan,Market,Currency,UnitPrice,PricingTierRangeMin,PricingTierRangeMax,EffectiveStartDate,EffectiveEndDate,EndofSaleDate,Tags,ERP Price');
    const records = parse(res.body, { columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.ProductTitle)).not.toContain('Exchange Online Kiosk');
    expect(records[0]).toMatchObject({ ProductTitle: 'Microsoft 365 Business Basic', UnitPrice: '72.00', 'ERP Price': '86.40', Tags: 'Microsoft 365' });
    expect(records.filter((r) => r.ProductId === 'DZH318Z0BQ3Q').map((r) => [r.PricingTierRangeMin, r.PricingTierRangeMax])).toEqual([['1', '10'], ['11', '100'], ['101', '']]);
    const past = await get('/v1/pricelists/download?market=FR&month=2026-10');
    expect(past.headers['content-disposition']).toContain('pricelist-FR-2026-10.csv');
    expect(past.body.trimEnd().split('\n').length).toBe(5 + 1);
  });

  it('XLSX: the same rows, readable by exceljs', async () => {
    const res = await get('/v1/pricelists/download?market=FR&month=2026-11&format=xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="pricelist-FR-2026-11.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.rowCount).toBe(9);
    expect(sheet.getRow(1).getCell(1).value).toBe('ProductTitle');
    expect(sheet.getRow(2).getCell(12).value).toBe(72);
  });
});

describe('operator promotions', () => {
  let created: { id: string; etag: string };

  it('an operator creates a promotion (201, ETag, audited on the operator chain)', async () => {
    const res = await opReq('POST', '/v1/operator/promotions', promoBody({ markets: ['fr'], productIds: ['CFQ7TTC0LDPB'] }));
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { id: string; percent: string; markets: string[]; etag: string };
    expect(body).toMatchObject({ name: 'Offre d’automne', percent: '15', markets: ['FR'], productIds: ['CFQ7TTC0LDPB'], startsOn: '2026-11-01', endsOn: '2026-11-30', etag: 'W/"1"' });
    created = { id: body.id, etag: res.headers.etag as string };
    const audit = await t.db.selectFrom('audit_records').select(['action', 'partner_id', 'actor_type']).where('target_id', '=', body.id).execute();
    expect(audit).toEqual([{ action: 'promotion.created', partner_id: null, actor_type: 'operator' }]);
  });

  it('refuses a bad percent or dates out of order, naming the field, and stores nothing', async () => {
    const before = (await t.db.selectFrom('promotions').select('id').execute()).length;
    for (const [body, field] of [
      [promoBody({ percent: '0' }), 'percent'],
      [promoBody({ percent: 101 }), 'percent'],
      [promoBody({ percent: '12.345' }), 'percent'],
      [promoBody({ startsOn: '2026-12-01', endsOn: '2026-11-30' }), 'endsOn'],
      [promoBody({ startsOn: '2026-02-30' }), 'startsOn'],
    ] as const) {
      const res = await opReq('POST', '/v1/operator/promotions', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expectErrorShape(res.json(), 'VALIDATION_FAILED');
      expect((res.json() as { details: { field: string }[] }).details.map((d) => d.field)).toContain(field);
    }
    expect((await opReq('POST', '/v1/operator/promotions', promoBody({ name: '' }))).statusCode).toBe(400);
    expect((await t.db.selectFrom('promotions').select('id').execute()).length).toBe(before);
  });

  it('partners see the running promotion next to the prices it changes, and only there', async () => {
    const page = (await get('/v1/pricelists?market=FR')).json() as Page;
    const standard = page.items.find((i) => i.productId === 'CFQ7TTC0LDPB')!;
    expect(standard.promotion).toMatchObject({ id: created.id, name: 'Offre d’automne', percent: '15', unitPrice: '128.52' });
    expect(page.items.find((i) => i.productId === 'CFQ7TTC0LH18')!.promotion).toBeNull();
    const running = (await get('/v1/promotions?market=FR')).json() as { items: { id: string }[] };
    expect(running.items.map((p) => p.id)).toEqual([created.id]);
    expect(((await get('/v1/promotions?market=CH')).json() as { items: unknown[] }).items).toEqual([]);
  });

  it('update needs If-Match (428 without, 412 stale); a change is audited; delete too', async () => {
    const url = `/v1/operator/promotions/${created.id}`;
    expect((await opReq('PUT', url, promoBody({ percent: '20' }))).statusCode).toBe(428);
    expect((await opReq('PUT', url, promoBody({ percent: '20' }), { 'if-match': 'W/"9"' })).statusCode).toBe(412);
    const ok = await opReq('PUT', url, promoBody({ percent: '20', productIds: ['CFQ7TTC0LDPB'] }), { 'if-match': created.etag });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ percent: '20', etag: 'W/"2"' });
    const one = await opReq('GET', url);
    expect(one.headers.etag).toBe('W/"2"');
    const list = (await opReq('GET', '/v1/operator/promotions')).json() as { totalCount: number; items: { id: string }[] };
    expect(list.items.map((p) => p.id)).toContain(created.id);
    const changes = await t.db.selectFrom('audit_records').select(['action', 'changes']).where('target_id', '=', created.id).orderBy('seq').execute();
    expect(changes.map((c) => c.action)).toEqual(['promotion.created', 'promotion.updated']);
    expect(changes[1]!.changes).toEqual({ percent: { before: '15.00', after: '20.00' } });
    expect((await opReq('DELETE', url, undefined, { 'if-match': 'W/"1"' })).statusCode).toBe(412);
    const scratch = await opReq('POST', '/v1/operator/promotions', promoBody({ name: 'Temporary', markets: ['CH'] }));
    const del = await opReq('DELETE', `/v1/operator/promotions/${scratch.json().id}`, undefined, { 'if-match': 'W/"1"' });
    expect(del.statusCode).toBe(204);
    expect((await opReq('GET', `/v1/operator/promotions/${scratch.json().id}`)).statusCode).toBe(404);
    expect((await opReq('GET', '/v1/operator/promotions/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});

describe('GET /v1/pricelists/price: price resolution with its explanation', () => {
  it('names the row, the tier and the promotion, with exact totals', async () => {
    const res = await get('/v1/pricelists/price?market=FR&skuId=0001&productId=CFQ7TTC0LDPB&termDuration=P1Y&billingPlan=Annual&quantity=3&date=2026-11-24');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ priced: true, market: 'FR', month: '2026-11', currency: 'EUR', listPrice: '151.20', unitPrice: '120.96', total: '362.88', promotion: { percent: '20' } });
    expect(body.row).toMatchObject({ versionId: fr.current, month: '2026-11-01', productId: 'CFQ7TTC0LDPB' });
    expect((body.explanation as { code: string }[]).map((s) => s.code)).toContain('promotion_applied');
  });

  it('picks the tier that contains the quantity; a date in the preview month uses the preview list', async () => {
    const tiered = (await get('/v1/pricelists/price?market=FR&skuId=0003&termDuration=P1Y&billingPlan=Annual&quantity=50')).json();
    expect(tiered).toMatchObject({ priced: true, listPrice: '9.00', total: '450.00', row: { tierMin: 11, tierMax: 100 } });
    const preview = (await get('/v1/pricelists/price?market=FR&skuId=0001&productId=CFQ7TTC0LH18&termDuration=P1Y&billingPlan=Annual&date=2026-12-05')).json();
    expect(preview).toMatchObject({ priced: true, month: '2026-12', listPrice: '75.60', promotion: null });
  });

  it('no price is said with a reason; bad input is a 400, an unknown market or month a 400/404', async () => {
    const removed = (await get('/v1/pricelists/price?market=FR&skuId=0001&productId=CFQ7TTC0LH1G&termDuration=P1Y&billingPlan=Annual')).json();
    expect(removed).toMatchObject({ priced: false, reason: 'OFFER_REMOVED' });
    const none = (await get('/v1/pricelists/price?market=FR&skuId=9999&termDuration=P1Y&billingPlan=Annual')).json();
    expect(none).toMatchObject({ priced: false, reason: 'NO_MATCHING_ROW' });
    expect((await get('/v1/pricelists/price?market=FR&skuId=0001&termDuration=P1Y&billingPlan=Annual&quantity=0')).statusCode).toBe(400);
    expect((await get('/v1/pricelists/price?market=FR&skuId=0001&termDuration=P1Y&billingPlan=Annual&date=2026-02-30')).statusCode).toBe(400);
    expect((await get('/v1/pricelists/price?market=ZZ&skuId=0001&termDuration=P1Y&billingPlan=Annual')).statusCode).toBe(400);
    expect((await get('/v1/pricelists/price?market=FR&skuId=0001&termDuration=P1Y&billingPlan=Annual&date=2025-06-01')).statusCode).toBe(404);
    const chf = (await get('/v1/pricelists/price?market=CH&skuId=0001&termDuration=P1Y&billingPlan=Annual')).json();
    expect(chf).toMatchObject({ priced: true, currency: 'CHF', listPrice: '70.00' });
    const eur = (await get('/v1/pricelists/price?market=CH&skuId=0001&termDuration=P1Y&billingPlan=Annual&currency=eur')).json();
    expect(eur).toMatchObject({ priced: true, currency: 'EUR', listPrice: '71.00' });
  });
});

// Last: it moves the clock forward for good.
describe('the preview window', () => {
  it('on 2026-12-02 the January list becomes a visible preview and December is current', async () => {
    t.clock.advance(8 * 24 * 3600 * 1000);
    const again = await signIn(t, a.body.email, a.body.password);
    expect((await get('/v1/pricelists?market=FR&month=2027-01', again.auth)).statusCode).toBe(200);
    const later = (await get('/v1/pricelists/months?market=FR', again.auth)).json() as { items: { month: string; kind: string }[] };
    expect(later.items.map((m) => [m.month, m.kind])).toEqual([['2027-01', 'preview'], ['2026-12', 'current'], ['2026-11', 'past'], ['2026-10', 'past']]);
    const def = (await get('/v1/pricelists?market=FR', again.auth)).json() as Page;
    expect(def.items.find((i) => i.productId === 'CFQ7TTC0LH18')?.unitPrice).toBe('75.60');
  });
});
