import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRICE_LIST_COLUMNS, OFFER_COLUMNS } from '../../src/server/modules/pricing/import/columns';
import { beginPriceImport } from '../../src/server/modules/pricing/import/pricelist-import';
import { createTestApp, enrolVerifiedPartner, expectErrorShape, operatorSession, type TestApp } from '../support/harness';

const ROOT = resolve(__dirname, '../..');

/** One price list row; override any column. */
function row(o: Partial<Record<(typeof PRICE_LIST_COLUMNS)[number], string>> = {}): string[] {
  const base: Record<string, string> = {
    ProductTitle: 'Microsoft 365 Business Basic',
    ProductId: 'CFQ7TTC0LH18',
    SkuId: '0001',
    SkuTitle: 'Microsoft 365 Business Basic',
    Publisher: 'Microsoft Corporation',
    SkuDescription: 'Cloud services',
    UnitOfMeasure: 'Licenses',
    TermDuration: 'P1Y',
    BillingPlan: 'Annual',
    Market: 'FR',
    Currency: 'EUR',
    UnitPrice: '60.00',
    PricingTierRangeMin: '',
    PricingTierRangeMax: '',
    EffectiveStartDate: '2026-10-01',
    EffectiveEndDate: '9999-12-31',
    EndofSaleDate: '',
    Tags: 'License;Microsoft 365',
    'ERP Price': '72.00',
    ...o,
  };
  return PRICE_LIST_COLUMNS.map((c) => base[c]!);
}

const csvOf = (rows: string[][], header: string[] = [...PRICE_LIST_COLUMNS]) =>
  [header, ...rows].map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\n') + '\n';

/** A minimal zip (deflate) holding the given files. */
function zipOf(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const comp = deflateRawSync(data);
    const nameBuf = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(comp.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, comp);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

let t: TestApp;
let op: Awaited<ReturnType<typeof operatorSession>>;

beforeAll(async () => {
  t = await createTestApp();
  op = await operatorSession(t);
});
afterAll(async () => t?.close());

const opHeaders = (type = 'text/csv') => ({ ...op.auth, 'x-csrf-token': op.csrfToken, 'content-type': type });

function upload(market: string, month: string, payload: string | Buffer, type = 'text/csv', wait = true) {
  return t.app.inject({ method: 'POST', url: `/v1/operator/pricelists/imports?market=${market}&month=${month}${wait ? '&wait=true' : ''}`, headers: opHeaders(type), payload });
}

async function versions(market: string) {
  const r = await t.app.inject({ method: 'GET', url: `/v1/operator/pricelists/versions?market=${market}`, headers: op.auth });
  expect(r.statusCode).toBe(200);
  return (r.json() as { items: { id: string; month: string; status: string; rows: number; deleted: number; counts: Record<string, number> }[] }).items;
}

async function rowsOf(versionId: string) {
  return t.db.selectFrom('price_rows').select(['row_no', 'sku_id', 'change_flag', 'imported', 'unit_price', 'end_of_sale_date', 'effective_end_date', 'tags']).where('version_id', '=', versionId).orderBy('row_no').execute();
}

async function orphanRows() {
  const r = await sql<{ n: number }>`select count(*)::int as n from price_rows r join price_list_versions v on v.id = r.version_id where v.status <> 'ready'`.execute(t.db);
  return Number(r.rows[0]!.n);
}

describe('price list import: versions and change flags', () => {
  const october = [row({ SkuId: '0001' }), row({ SkuId: '0002', UnitPrice: '10.5', 'ERP Price': '12.6' }), row({ SkuId: '0003' }), row({ SkuId: '0004', TermDuration: 'P1M', BillingPlan: 'Monthly', UnitPrice: '6.0000' })];
  // 0001 unchanged, 0002 new price, 0003 gets an end-of-sale date, 0004 gone, 0005 new.
  const november = [
    row({ SkuId: '0001', EffectiveStartDate: '2026-11-01' }),
    row({ SkuId: '0002', UnitPrice: '11.25', 'ERP Price': '12.6' }),
    row({ SkuId: '0003', EndofSaleDate: '2026-11-30' }),
    row({ SkuId: '0005', Currency: 'GBP', UnitPrice: '0' }),
  ];

  it('imports a month, then flags the next month ADD, CHG (price, end of sale), UNC, and adds DEL rows after the last line', async () => {
    const a = await upload('FR', '2026-10', csvOf(october));
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ market: 'FR', month: '2026-10', rows: 4, counts: { ADD: 4, CHG: 0, DEL: 0, UNC: 0 } });

    const b = await upload('FR', '2026-11', csvOf(november));
    expect(b.statusCode, b.body).toBe(201);
    expect(b.json().counts).toEqual({ ADD: 1, CHG: 2, DEL: 1, UNC: 1 });
    const rows = await rowsOf(b.json().id);
    expect(rows.map((r) => [r.row_no, r.sku_id, r.change_flag, r.imported])).toEqual([
      [2, '0001', 'UNC', true],
      [3, '0002', 'CHG', true],
      [4, '0003', 'CHG', true],
      [5, '0005', 'ADD', true],
      [6, '0004', 'DEL', false],
    ]);
    expect(rows[0]!.effective_end_date).toBeNull(); // 9999-… = open end
    expect(rows[1]!.unit_price).toBe('11.2500');
    expect(rows[2]!.end_of_sale_date).toBe('2026-11-30');
    expect(rows[0]!.tags).toEqual(['License', 'Microsoft 365']);

    const v = await versions('FR');
    expect(v.map((x) => [x.month, x.status, x.rows, x.deleted])).toEqual([
      ['2026-11', 'ready', 4, 1],
      ['2026-10', 'ready', 4, 0],
    ]);
  });

  it('re-importing a month replaces it whole: the old version and its rows are gone', async () => {
    const before = (await versions('FR')).find((x) => x.month === '2026-11')!;
    const r = await upload('FR', '2026-11', csvOf([row({ SkuId: '0001' }), row({ SkuId: '0002', UnitPrice: '10.5', 'ERP Price': '12.6' })]));
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().counts).toEqual({ ADD: 0, CHG: 0, DEL: 2, UNC: 2 });
    const nov = (await versions('FR')).filter((x) => x.month === '2026-11');
    expect(nov).toHaveLength(1);
    expect(nov[0]!.id).toBe(r.json().id);
    expect(await rowsOf(before.id)).toHaveLength(0);
    expect(await t.db.selectFrom('price_list_versions').select('id').where('id', '=', before.id).execute()).toHaveLength(0);
    // The import is in the operator activity log.
    const audit = await t.db.selectFrom('audit_records').select(['action', 'actor_type', 'actor_id', 'outcome']).where('target_id', '=', r.json().id).execute();
    expect(audit).toEqual([{ action: 'pricelist.import', actor_type: 'operator', actor_id: op.id, outcome: 'success' }]);
  });
});

describe('price list import: bad input is refused with line, column and reason, and nothing is applied', () => {
  const cases: [string, string, { line?: number; field?: string; reason: string }][] = [
    ['wrong columns', csvOf([row()], [...PRICE_LIST_COLUMNS.filter((c) => c !== 'Currency'), 'Devise']), { line: 1, field: 'Devise', reason: 'unknown_column' }],
    ['a bad number', csvOf([row(), row({ SkuId: '0002', UnitPrice: '12,50' })]), { line: 3, field: 'UnitPrice', reason: 'pricing.import.decimal' }],
    ['too many decimals', csvOf([row({ UnitPrice: '1.23456' })]), { line: 2, field: 'UnitPrice', reason: 'pricing.import.decimal' }],
    ['a negative number', csvOf([row({ 'ERP Price': '-1' })]), { line: 2, field: 'ERP Price', reason: 'pricing.import.decimal' }],
    ['a bad date', csvOf([row({ EffectiveStartDate: '2026-02-30' })]), { line: 2, field: 'EffectiveStartDate', reason: 'pricing.import.date' }],
    ['a bad term', csvOf([row({ TermDuration: '1 year' })]), { line: 2, field: 'TermDuration', reason: 'pricing.import.term' }],
    ['a bad billing plan', csvOf([row({ BillingPlan: 'Weekly' })]), { line: 2, field: 'BillingPlan', reason: 'pricing.import.billing_plan' }],
    ['another market', csvOf([row({ Market: 'DE' })]), { line: 2, field: 'Market', reason: 'pricing.import.market' }],
    ['a duplicate key', csvOf([row(), row({ SkuId: '0002' }), row({ UnitPrice: '1' })]), { line: 4, field: 'SkuId', reason: 'pricing.import.duplicate_key' }],
  ];
  for (const [name, csv, expected] of cases) {
    it(`refuses ${name}`, async () => {
      const before = await versions('FR');
      const r = await upload('FR', '2026-11', csv);
      expect(r.statusCode, r.body).toBe(400);
      expectErrorShape(r.json(), 'IMPORT_INVALID');
      expect(r.json().details).toContainEqual(expect.objectContaining(expected));
      for (const d of r.json().details as { message: string }[]) expect(d.message).not.toMatch(/^reason\./);
      // The previous November list is still the one served; the refused version left no rows.
      const after = await versions('FR');
      expect(after.filter((x) => x.status === 'ready')).toEqual(before.filter((x) => x.status === 'ready'));
      expect(after.filter((x) => x.month === '2026-11' && x.status === 'failed')).toHaveLength(before.filter((x) => x.month === '2026-11' && x.status === 'failed').length + 1);
      expect(await orphanRows()).toBe(0);
    });
  }

  it('names the duplicate’s first line, in French too', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/operator/pricelists/imports?market=FR&month=2026-11&wait=true',
      headers: { ...opHeaders(), 'accept-language': 'fr' },
      payload: csvOf([row(), row({ UnitPrice: '1' })]),
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().details[0]).toMatchObject({ line: 3, field: 'SkuId', message: 'Même produit, SKU, durée, plan de facturation, devise et palier qu’à la ligne 2.' });
  });

  it('refuses an unknown market, a malformed month and a month beyond next month', async () => {
    expectErrorShape((await upload('XX', '2026-11', csvOf([row()]))).json(), 'UNKNOWN_MARKET');
    const bad = await upload('FR', '2026-13', csvOf([row()]));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0]).toMatchObject({ field: 'month', reason: 'invalid_format' });
    // Today is 2026-11-24 (test clock): December is the preview, January is too far.
    const far = await upload('FR', '2027-01', csvOf([row()]));
    expect(far.statusCode).toBe(400);
    expect(far.json().details[0]).toMatchObject({ field: 'month', reason: 'pricing.import.month_too_far' });
    expect((await upload('FR', '2026-12', csvOf([row()]))).statusCode).toBe(201);
  });

  it('refuses a corrupt gzip and a corrupt zip (ARCHIVE_CORRUPT), and a zip with two files', async () => {
    const gz = gzipSync(csvOf([row(), row({ SkuId: '0002' })]));
    const truncated = gz.subarray(0, gz.length - 12);
    const r1 = await upload('US', '2026-11', truncated, 'application/gzip');
    expect(r1.statusCode, r1.body).toBe(400);
    expectErrorShape(r1.json(), 'ARCHIVE_CORRUPT');
    const zip = zipOf({ 'list.csv': csvOf([row({ Market: 'US', Currency: 'USD' })]) });
    const broken = Buffer.from(zip);
    broken.fill(0xff, 30 + 'list.csv'.length, 30 + 'list.csv'.length + 20); // damage the deflate data
    const r2 = await upload('US', '2026-11', broken, 'application/zip');
    expect(r2.statusCode, r2.body).toBe(400);
    expectErrorShape(r2.json(), 'ARCHIVE_CORRUPT');
    const r3 = await upload('US', '2026-11', zip.subarray(0, zip.length - 30), 'application/zip');
    expectErrorShape(r3.json(), 'ARCHIVE_CORRUPT');
    const two = await upload('US', '2026-11', zipOf({ 'a.csv': csvOf([row()]), 'b.csv': csvOf([row()]) }), 'application/zip');
    expect(two.json().details[0]).toMatchObject({ reason: 'pricing.import.zip_entries' });
    expect(await orphanRows()).toBe(0);
  });
});

describe('price list import: archives, progress, concurrency, rights', () => {
  const us = (o: Partial<Record<(typeof PRICE_LIST_COLUMNS)[number], string>> = {}) => row({ Market: 'US', Currency: 'USD', ...o });

  it('imports a gzip and a zip (detected by their bytes, whatever the content type)', async () => {
    const gz = await upload('US', '2026-09', gzipSync(csvOf([us(), us({ SkuId: '0002' })])), 'application/octet-stream');
    expect(gz.statusCode, gz.body).toBe(201);
    expect(gz.json().rows).toBe(2);
    const zip = await upload('US', '2026-10', zipOf({ 'US_2026-10.csv': csvOf([us(), us({ SkuId: '0003' })]) }), 'application/zip');
    expect(zip.statusCode, zip.body).toBe(201);
    expect(zip.json().counts).toEqual({ ADD: 1, CHG: 0, DEL: 1, UNC: 1 });
  });

  it('answers 202, then reports progress until the version is ready', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => row({ Market: 'BE', SkuId: String(i).padStart(4, '0') }));
    const body = gzipSync(csvOf(rows));
    const r = await upload('BE', '2026-11', body, 'application/gzip', false);
    expect(r.statusCode, r.body).toBe(202);
    const { id, status } = r.json() as { id: string; status: string };
    expect(status).toBe('importing');
    let p: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) {
      const g = await t.app.inject({ method: 'GET', url: `/v1/operator/pricelists/imports/${id}`, headers: op.auth });
      expect(g.statusCode).toBe(200);
      p = g.json();
      if (p.status !== 'importing') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(p).toMatchObject({ id, status: 'ready', phase: 'done', market: 'BE', month: '2026-11', rowsRead: 300, totalBytes: body.length, bytesRead: body.length, counts: { ADD: 300, UNC: 0, CHG: 0, DEL: 0 }, report: null });
    expect((await t.app.inject({ method: 'GET', url: `/v1/operator/pricelists/imports/${crypto.randomUUID()}`, headers: op.auth })).statusCode).toBe(404);
  });

  it('keeps the report of a refused asynchronous import', async () => {
    const r = await upload('US', '2026-08', csvOf([us({ UnitPrice: 'abc' })]), 'text/csv', false);
    expect(r.statusCode).toBe(202);
    let p: { status: string; report: { code: string; details: { line: number; field: string }[] } | null } = { status: 'importing', report: null };
    for (let i = 0; i < 100 && p.status === 'importing'; i++) {
      await new Promise((res) => setTimeout(res, 50));
      p = (await t.app.inject({ method: 'GET', url: `/v1/operator/pricelists/imports/${r.json().id}`, headers: op.auth })).json();
    }
    expect(p.status).toBe('failed');
    expect(p.report).toMatchObject({ code: 'IMPORT_INVALID', details: [{ line: 2, field: 'UnitPrice' }] });
  });

  it('refuses a second import of the same market and month while one runs (409), and takes over an abandoned one', async () => {
    const id = await beginPriceImport(t.db, { market: 'US', month: '2026-07-01', fileName: 'running.csv', importedBy: null, now: t.clock.now() });
    const r = await upload('US', '2026-07', csvOf([us()]));
    expect(r.statusCode).toBe(409);
    expectErrorShape(r.json(), 'IMPORT_IN_PROGRESS');
    // Another month of the same market is not blocked.
    expect((await upload('US', '2026-06', csvOf([us()]))).statusCode).toBe(201);
    // Ten minutes without a heartbeat: the process that claimed it is gone.
    t.clock.advance(10 * 60_000);
    const again = await upload('US', '2026-07', csvOf([us()]));
    expect(again.statusCode, again.body).toBe(201);
    expect((await t.db.selectFrom('price_list_versions').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('failed');
  });

  it('is for operators only: a partner Global admin gets 403, nobody signed in 401', async () => {
    const p = await enrolVerifiedPartner(t);
    const headers = { ...p.auth, 'x-csrf-token': p.csrfToken };
    const r = await t.app.inject({ method: 'POST', url: '/v1/operator/pricelists/imports?market=FR&month=2026-11', headers: { ...headers, 'content-type': 'text/csv' }, payload: csvOf([row()]) });
    expect(r.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/v1/operator/pricelists/versions', headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/v1/operator/pricelists/versions' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/v1/operator/offers/imports', headers: { ...headers, 'content-type': 'text/csv' }, payload: 'x' })).statusCode).toBe(403);
  });

  it('refuses an empty body and an unknown media type', async () => {
    expectErrorShape((await upload('US', '2026-05', '')).json(), 'FILE_EMPTY');
    const r = await t.app.inject({ method: 'POST', url: '/v1/operator/pricelists/imports?market=US&month=2026-05', headers: opHeaders('application/json'), payload: '{}' });
    expect(r.statusCode).toBe(415);
  });
});

describe('offer matrix import', () => {
  const offer = (o: Partial<Record<string, string>> = {}, cols: string[] = [...OFFER_COLUMNS]) => {
    const base: Record<string, string> = {
      ProductTitle: 'Microsoft 365 Business Basic',
      ProductId: 'CFQ7TTC0LH18',
      SkuId: '0001',
      SkuTitle: 'Microsoft 365 Business Basic',
      ProvisioningId: 'abc',
      ProvisioningString: 'O365_BUSINESS_ESSENTIALS',
      MinLicenses: '1',
      MaxLicenses: '300',
      AssetOwnershipLimit: '2',
      AssetOwnershipLimitType: 'concurrent',
      ProductSkuPreRequisites: '',
      ProductSkuConversion: 'CFQ7TTC0LDPB:0001',
      Description: 'Email, Teams and web apps',
      AllowedCountries: 'FR;DE',
      Segment: '',
      Category: '',
      ...o,
    };
    return cols.map((c) => base[c]!);
  };
  const post = (csv: string) => t.app.inject({ method: 'POST', url: '/v1/operator/offers/imports?wait=true', headers: opHeaders(), payload: csv });

  it('derives segment and category from titles, honours the Segment extension, and marks absent offers end of sale', async () => {
    const r = await post(
      csvOf(
        [
          offer(),
          offer({ ProductTitle: 'Office 365 A1 for Faculty', ProductId: 'CFQ7TTC0EDU1', SkuTitle: 'Office 365 A1 for Faculty' }),
          offer({ ProductTitle: 'Dynamics 365 Sales (GCC)', ProductId: 'CFQ7TTC0GOV1', SkuTitle: 'Dynamics 365 Sales (GCC)' }),
        ],
        [...OFFER_COLUMNS],
      ),
    );
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().counts).toEqual({ added: 3, updated: 0, endOfSale: 0 });
    const offers = await t.db.selectFrom('offers').select(['id', 'segment', 'category', 'allowed_countries', 'conversions', 'end_of_sale']).orderBy('id').execute();
    expect(offers).toEqual([
      { id: 'CFQ7TTC0EDU1:0001', segment: 'education', category: 'Microsoft 365', allowed_countries: ['FR', 'DE'], conversions: ['CFQ7TTC0LDPB:0001'], end_of_sale: false },
      { id: 'CFQ7TTC0GOV1:0001', segment: 'government', category: 'Dynamics 365', allowed_countries: ['FR', 'DE'], conversions: ['CFQ7TTC0LDPB:0001'], end_of_sale: false },
      { id: 'CFQ7TTC0LH18:0001', segment: 'commercial', category: 'Microsoft 365', allowed_countries: ['FR', 'DE'], conversions: ['CFQ7TTC0LDPB:0001'], end_of_sale: false },
    ]);
    const cols = [...OFFER_COLUMNS, 'Segment', 'Category'];
    const r2 = await post(csvOf([offer({ Segment: 'nonprofit', Category: 'Productivity' }, cols)], cols));
    expect(r2.statusCode, r2.body).toBe(201);
    expect(r2.json().counts).toEqual({ added: 0, updated: 1, endOfSale: 2 });
    const after = await t.db.selectFrom('offers').select(['id', 'segment', 'category', 'end_of_sale']).orderBy('id').execute();
    expect(after.map((o) => [o.id, o.segment, o.category, o.end_of_sale])).toEqual([
      ['CFQ7TTC0EDU1:0001', 'education', 'Microsoft 365', true],
      ['CFQ7TTC0GOV1:0001', 'government', 'Dynamics 365', true],
      ['CFQ7TTC0LH18:0001', 'nonprofit', 'Productivity', false],
    ]);
  });

  it('refuses duplicates, bad countries and bad segments, and changes nothing', async () => {
    const cols = [...OFFER_COLUMNS, 'Segment'];
    const r = await post(csvOf([offer({}, cols), offer({ AllowedCountries: 'FR;ZZ' }, cols), offer({ ProductId: 'X2', Segment: 'retail' }, cols)], cols));
    expect(r.statusCode).toBe(400);
    expectErrorShape(r.json(), 'IMPORT_INVALID');
    expect(r.json().details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 3, field: 'AllowedCountries', reason: 'pricing.import.country' }),
        expect.objectContaining({ line: 4, field: 'Segment', reason: 'pricing.import.segment' }),
      ]),
    );
    const dup = await post(csvOf([offer(), offer()], [...OFFER_COLUMNS]));
    expect(dup.json().details[0]).toMatchObject({ line: 3, reason: 'pricing.import.duplicate_offer' });
    expect(await t.db.selectFrom('offers').select('id').where('end_of_sale', '=', false).execute()).toEqual([{ id: 'CFQ7TTC0LH18:0001' }]);
    const history = await t.app.inject({ method: 'GET', url: '/v1/operator/offers/imports', headers: op.auth });
    expect(history.json().items.map((i: { status: string }) => i.status).sort()).toEqual(['failed', 'failed', 'ready', 'ready']);
    const n = await sql<{ n: number }>`select count(*)::int as n from offer_import_rows`.execute(t.db);
    expect(n.rows[0]!.n).toBe(0);
  });
});

describe('CLI: partner-space import', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-import-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const run = (args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, 'bin/partner-space.mjs'), ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', DEMO: 'false' }, encoding: 'utf8' });

  it('imports a list and prints the counts; exits 1 with the report on a bad file; exits 2 while a server holds the data dir', { timeout: 120_000 }, () => {
    const good = join(dataDir, 'fr.csv.gz');
    writeFileSync(good, gzipSync(csvOf([row(), row({ SkuId: '0002' })])));
    const ok = run(['import', 'pricelist', '--market', 'FR', '--month', '2026-10', good]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Price list FR 2026-10 imported: 2 rows/);
    expect(ok.stdout).toMatch(/ADD 2 {2}CHG 0 {2}DEL 0 {2}UNC 0/);
    expect(ok.stderr).toMatch(/progress/); // not a TTY: plain progress lines

    const bad = join(dataDir, 'bad.csv');
    writeFileSync(bad, csvOf([row(), row({ SkuId: '0002', EffectiveStartDate: '01/11/2026' })]));
    const refused = run(['import', 'pricelist', '--market', 'FR', '--month', '2026-11', bad]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/line 3, column EffectiveStartDate: Not a valid date/);
    expect(refused.stderr).toMatch(/Nothing was imported/);

    // A live process (this test runner) holds the data dir, as a running server would.
    writeFileSync(join(dataDir, 'server.pid'), `${process.pid}\n`);
    const busy = run(['import', 'pricelist', '--market', 'FR', '--month', '2026-11', good]);
    expect(busy.status).toBe(2);
    expect(busy.stderr).toMatch(/in use by a running Partner Space server \(pid \d+\)/);
  });
});
