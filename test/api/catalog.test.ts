import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOffers, insertPriceList } from '../support/catalog-fixtures';
import { createTestApp, enrolVerifiedPartner, expectErrorShape, signIn, type TestApp } from '../support/harness';

/** Issue 6, "Partners: the catalog (Sell → Catalog)": browsing, offer details, up to 5 pins for the whole company. */

let t: TestApp;
let a: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let b: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let n = 0;

type Headers = Record<string, string>;
const req = (method: 'GET' | 'PUT', url: string, headers: Headers, payload?: object) => t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

/** A user of partner A holding `roles`, signed in with a password of their own. */
async function userWith(roles: string[]) {
  n += 1;
  const email = `cat.user${n}.${Date.now()}@fabrikam.example`;
  const created = await t.app.inject({ method: 'POST', url: '/v1/users', headers: a.auth, payload: { firstName: 'Cat', lastName: `User${n}`, email, roles } });
  expect(created.statusCode, created.body).toBe(201);
  const { temporaryPassword } = created.json() as { temporaryPassword: string };
  const first = await signIn(t, email, temporaryPassword);
  const password = `un autre mot de passe solide ${n}`;
  expect((await t.app.inject({ method: 'POST', url: '/v1/me/password', headers: first.auth, payload: { currentPassword: temporaryPassword, newPassword: password } })).statusCode).toBe(204);
  return signIn(t, email, password);
}

// Commercial: 3 categories; other segments: one or two offers each.
const OFFERS = [
  { productId: 'CFQ7TTC0LH18', skuId: '0001', productTitle: 'Microsoft 365 Business Basic', category: 'Productivity', minLicenses: 1, maxLicenses: 300, allowedCountries: ['FR', 'BE'], description: 'Web and mobile Office apps.' },
  { productId: 'CFQ7TTC0LDPB', skuId: '0001', productTitle: 'Microsoft 365 Business Standard', category: 'Productivity', prerequisites: ['CFQ7TTC0LH18:0001', 'NOPE0000NOPE:0009'] },
  { productId: 'CFQ7TTC0LCHC', skuId: '0002', productTitle: 'Microsoft 365 E3', category: 'Productivity', maxLicenses: null },
  { productId: 'CFQ7TTC0LF8Q', skuId: '0001', productTitle: 'Exchange Online (Plan 1)', category: 'Messaging' },
  { productId: 'CFQ7TTC0LF8R', skuId: '0001', productTitle: 'Exchange Online (Plan 2)', category: 'Messaging' },
  { productId: 'CFQ7TTC0LH0R', skuId: '0001', productTitle: 'Microsoft Defender for Endpoint P1', category: 'Security', publisher: 'Microsoft Corporation' },
  { productId: 'DZH318Z0BQ3Q', skuId: '0007', productTitle: 'Acme 100% Backup', category: 'Security', publisher: 'Acme Software' },
  { productId: 'CFQ7TTC0LHRX', skuId: '0003', productTitle: 'Microsoft 365 A3 for faculty', segment: 'education' as const, category: 'Productivity' },
  { productId: 'CFQ7TTC0LHSF', skuId: '0004', productTitle: 'Microsoft 365 G3 GCC', segment: 'government' as const, category: 'Productivity' },
  { productId: 'CFQ7TTC0LHWP', skuId: '0005', productTitle: 'Microsoft 365 Business Premium (Nonprofit pricing)', segment: 'nonprofit' as const, category: 'Productivity' },
];
let ids: string[];

beforeAll(async () => {
  t = await createTestApp();
  [a, b] = await Promise.all([enrolVerifiedPartner(t), enrolVerifiedPartner(t, { address: { addressLine1: 'Rue Neuve 1', city: 'Bruxelles', postalCode: '1000', country: 'BE' } })]);
  ids = await insertOffers(t.db, OFFERS);
  // The FR list of this month (the clock says 2026-11), last month's, and BE's.
  await insertPriceList(t.db, 'FR', '2026-11', 'EUR', [
    { productId: 'CFQ7TTC0LH18', skuId: '0001', term: 'P1M', plan: 'Monthly', price: '5.6000' },
    { productId: 'CFQ7TTC0LH18', skuId: '0001', term: 'P1Y', plan: 'Monthly', price: '5.1000' },
    { productId: 'CFQ7TTC0LH18', skuId: '0001', term: 'P1Y', plan: 'Annual', price: '61.2000' },
    { productId: 'CFQ7TTC0LH18', skuId: '0001', term: 'P3Y', plan: 'Triennial', price: '170.0000', flag: 'DEL' },
    { productId: 'CFQ7TTC0LH18', skuId: '0001', term: 'P1M', plan: 'Monthly', price: '4.9000', currency: 'GBP' },
  ]);
  await insertPriceList(t.db, 'FR', '2026-10', 'EUR', [{ productId: 'CFQ7TTC0LH18', skuId: '0001', term: 'P1M', plan: 'Annual', price: '1.0000' }]);
  await insertPriceList(t.db, 'BE', '2026-11', 'EUR', [{ productId: 'CFQ7TTC0LH18', skuId: '0001', term: 'P1M', plan: 'Monthly', price: '5.7000' }]);
});
afterAll(async () => t?.close());

interface Item {
  id: string;
  productTitle: string;
  category: string;
  segment: string;
  pinned: boolean;
  pinPosition: number | null;
}
interface Page {
  totalCount: number;
  items: Item[];
  links: { self: { uri: string }; next?: { uri: string } };
}

const list = async (qs: string, headers: Headers = a.auth) => {
  const res = await req('GET', `/v1/catalog/offers?${qs}`, headers);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
};

describe('browsing the catalog', () => {
  it('lists one segment’s offers grouped by category (category, then product title), each with its ProductId:SkuId id', async () => {
    const page = await list('segment=commercial');
    expect(page.totalCount).toBe(7);
    expect(page.items.map((i) => [i.category, i.productTitle])).toEqual([
      ['Messaging', 'Exchange Online (Plan 1)'],
      ['Messaging', 'Exchange Online (Plan 2)'],
      ['Productivity', 'Microsoft 365 Business Basic'],
      ['Productivity', 'Microsoft 365 Business Standard'],
      ['Productivity', 'Microsoft 365 E3'],
      ['Security', 'Acme 100% Backup'],
      ['Security', 'Microsoft Defender for Endpoint P1'],
    ]);
    expect(page.items[2]).toEqual({
      id: 'CFQ7TTC0LH18:0001',
      productId: 'CFQ7TTC0LH18',
      skuId: '0001',
      productTitle: 'Microsoft 365 Business Basic',
      skuTitle: 'Microsoft 365 Business Basic',
      publisher: 'Microsoft Corporation',
      segment: 'commercial',
      category: 'Productivity',
      endOfSale: false,
      pinned: false,
      pinPosition: null,
    });
    for (const segment of ['education', 'government', 'nonprofit']) {
      const other = await list(`segment=${segment}`);
      expect(other.totalCount).toBe(1);
      expect(other.items[0]!.segment).toBe(segment);
    }
  });

  it('filters by category and publisher; an unknown segment is a 400', async () => {
    expect((await list('segment=commercial&category=Messaging')).items.map((i) => i.id)).toEqual(['CFQ7TTC0LF8Q:0001', 'CFQ7TTC0LF8R:0001']);
    expect((await list('publisher=Acme%20Software')).items.map((i) => i.id)).toEqual(['DZH318Z0BQ3Q:0007']);
    const bad = await req('GET', '/v1/catalog/offers?segment=enterprise', a.auth);
    expect(bad.statusCode).toBe(400);
    expectErrorShape(bad.json(), 'VALIDATION_FAILED');
  });

  it('the navigation counts offers per category of a segment, and per segment', async () => {
    const res = await req('GET', '/v1/catalog/categories?segment=commercial', a.auth);
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      { segment: 'commercial', category: 'Messaging', count: 2 },
      { segment: 'commercial', category: 'Productivity', count: 3 },
      { segment: 'commercial', category: 'Security', count: 2 },
    ]);
    const segments = Object.fromEntries((res.json().segments as { segment: string; count: number }[]).map((s) => [s.segment, s.count]));
    expect(segments).toEqual({ commercial: 7, education: 1, government: 1, nonprofit: 1 });
  });

  it('searches product and SKU titles and ids, case-insensitively, every word; % and _ are literal', async () => {
    expect((await list('q=exchange')).items.map((i) => i.id)).toEqual(['CFQ7TTC0LF8Q:0001', 'CFQ7TTC0LF8R:0001']);
    expect((await list('q=lh18')).items.map((i) => i.id)).toEqual(['CFQ7TTC0LH18:0001']);
    // Every word must match, in any field and order.
    expect((await list('q=plan%202%20exchange')).items.map((i) => i.id)).toEqual(['CFQ7TTC0LF8R:0001']);
    expect((await list('q=100%25')).items.map((i) => i.id)).toEqual(['DZH318Z0BQ3Q:0007']);
    expect((await list('q=0%25')).totalCount).toBe(1);
    expect((await list('q=zzz-nothing')).totalCount).toBe(0);
    // Search within a segment.
    expect((await list('segment=education&q=microsoft')).items.map((i) => i.id)).toEqual(['CFQ7TTC0LHRX:0003']);
  });

  it('pages with a continuation token (keyset): every offer once, in order, and `next` only while more remain', async () => {
    const all = (await list('size=500')).items.map((i) => i.id);
    expect(all).toHaveLength(ids.length);
    const seen: string[] = [];
    let url: string | undefined = '/v1/catalog/offers?size=3';
    let pages = 0;
    while (url) {
      const res = await req('GET', url, a.auth);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as Page;
      expect(page.totalCount).toBe(ids.length);
      seen.push(...page.items.map((i) => i.id));
      url = page.links.next?.uri;
      pages += 1;
    }
    expect(pages).toBe(Math.ceil(ids.length / 3));
    expect(seen).toEqual(all);
    // Filters are kept in the next link.
    const first = await list('segment=commercial&size=2');
    expect(first.links.next!.uri).toContain('segment=commercial');
    const bad = await req('GET', '/v1/catalog/offers?continuationToken=garbage', a.auth);
    expect(bad.statusCode).toBe(400);
    expectErrorShape(bad.json(), 'INVALID_CONTINUATION_TOKEN');
  });
});

describe('offer details', () => {
  it('shows licences, prerequisites (with titles when known), allowed countries and the terms of the company’s market this month', async () => {
    const res = await req('GET', '/v1/catalog/offers/CFQ7TTC0LH18:0001', a.auth);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d).toMatchObject({ id: 'CFQ7TTC0LH18:0001', minLicenses: 1, maxLicenses: 300, allowedCountries: ['FR', 'BE'], description: 'Web and mobile Office apps.', priceList: { market: 'FR', month: '2026-11' } });
    // This month's FR rows, without the one deleted since last month; not October's, not Belgium's.
    expect(d.terms).toEqual([
      { termDuration: 'P1M', billingPlan: 'Monthly', currencies: ['EUR', 'GBP'] },
      { termDuration: 'P1Y', billingPlan: 'Annual', currencies: ['EUR'] },
      { termDuration: 'P1Y', billingPlan: 'Monthly', currencies: ['EUR'] },
    ]);
    const std = (await req('GET', '/v1/catalog/offers/CFQ7TTC0LDPB%3A0001', a.auth)).json();
    expect(std.prerequisites).toEqual([
      { id: 'CFQ7TTC0LH18:0001', productTitle: 'Microsoft 365 Business Basic', skuTitle: 'Microsoft 365 Business Basic' },
      { id: 'NOPE0000NOPE:0009', productTitle: null, skuTitle: null },
    ]);
    // No price list this month for the offer: no terms, and says so.
    expect(std.terms).toEqual([]);
  });

  it('another market’s company sees its own market’s terms', async () => {
    const d = (await req('GET', '/v1/catalog/offers/CFQ7TTC0LH18:0001', b.auth)).json();
    expect(d.priceList).toEqual({ market: 'BE', month: '2026-11' });
    expect(d.terms).toEqual([{ termDuration: 'P1M', billingPlan: 'Monthly', currencies: ['EUR'] }]);
  });

  it('an unknown offer is 404 NOT_FOUND; a malformed id is 400', async () => {
    const missing = await req('GET', '/v1/catalog/offers/CFQ7TTC0ZZZZ:0001', a.auth);
    expect(missing.statusCode).toBe(404);
    expectErrorShape(missing.json(), 'NOT_FOUND');
    for (const bad of ['no-colon', 'a:b:c', '%3A0001']) {
      const res = await req('GET', `/v1/catalog/offers/${bad}`, a.auth);
      expect(res.statusCode, bad).toBe(400);
      expectErrorShape(res.json(), 'VALIDATION_FAILED');
    }
  });
});

const pins = async (headers: Headers = a.auth) => {
  const res = await req('GET', '/v1/catalog/pins', headers);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { offerIds: string[]; etag: string; offers: { id: string; productTitle: string }[] };
};
const putPins = (offerIds: string[], headers: Headers = a.auth) => req('PUT', '/v1/catalog/pins', headers, { offerIds });
const pinAudits = () => t.db.selectFrom('audit_records').select(['action', 'changes', 'partner_id']).where('action', '=', 'catalog.pins.updated').where('partner_id', '=', a.partnerId).orderBy('seq').execute();

describe('pinning offers (at most 5, for the whole company)', () => {
  it('none at first; PUT sets them in display order, GET returns that order, the list marks them, and the change is audited with before/after', async () => {
    expect((await pins()).offerIds).toEqual([]);
    const wanted = ['CFQ7TTC0LF8R:0001', 'CFQ7TTC0LH18:0001', 'CFQ7TTC0LHRX:0003'];
    const res = await putPins(wanted);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().offerIds).toEqual(wanted);
    expect(res.headers.etag).toBe(res.json().etag);
    const got = await pins();
    expect(got.offerIds).toEqual(wanted);
    expect(got.offers.map((o) => o.productTitle)).toEqual(['Exchange Online (Plan 2)', 'Microsoft 365 Business Basic', 'Microsoft 365 A3 for faculty']);
    const page = await list('segment=commercial');
    expect(page.items.filter((i) => i.pinned).map((i) => [i.id, i.pinPosition])).toEqual([
      ['CFQ7TTC0LF8R:0001', 1],
      ['CFQ7TTC0LH18:0001', 2],
    ]);
    expect((await req('GET', '/v1/catalog/offers/CFQ7TTC0LHRX:0003', a.auth)).json()).toMatchObject({ pinned: true, pinPosition: 3 });

    // Reorder: the new order is stored, audited with the old one.
    const reordered = [wanted[2]!, wanted[0]!, wanted[1]!];
    expect((await putPins(reordered)).statusCode).toBe(200);
    expect((await pins()).offerIds).toEqual(reordered);
    const audits = await pinAudits();
    expect(audits.map((r) => r.changes)).toEqual([{ offerIds: { before: [], after: wanted } }, { offerIds: { before: wanted, after: reordered } }]);
    // The same order again writes nothing.
    expect((await putPins(reordered)).statusCode).toBe(200);
    expect(await pinAudits()).toHaveLength(2);
  });

  it('a sixth pin is 400 PIN_LIMIT with a translated message, and nothing changes', async () => {
    const five = ids.slice(0, 5);
    expect((await putPins(five)).statusCode).toBe(200);
    const before = await pins();
    const auditsBefore = (await pinAudits()).length;
    const res = await t.app.inject({ method: 'PUT', url: '/v1/catalog/pins', headers: { ...a.auth, 'accept-language': 'fr' }, payload: { offerIds: [...five, ids[5]!] } });
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.json(), 'PIN_LIMIT');
    expect(res.json().message).toBe('Vous pouvez épingler au plus 5 offres. Désépinglez-en une d’abord.');
    const en = await putPins([...five, ids[5]!]);
    expect(en.json().message).toBe('You can pin at most 5 offers. Unpin one first.');
    expect(await pins()).toEqual(before);
    expect(await pinAudits()).toHaveLength(auditsBefore);
  });

  it('a duplicate, an unknown or a malformed offer id is 400 VALIDATION_FAILED naming it, and nothing changes', async () => {
    const before = await pins();
    const dup = await putPins([ids[0]!, ids[1]!, ids[0]!]);
    expect(dup.statusCode).toBe(400);
    expectErrorShape(dup.json(), 'VALIDATION_FAILED');
    expect(dup.json().details).toEqual([{ field: 'offerIds.2', reason: 'duplicate_offer', message: `Offer ${ids[0]} is listed twice.` }]);
    const unknown = await putPins([ids[0]!, 'CFQ7TTC0ZZZZ:0001']);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().details).toEqual([{ field: 'offerIds.1', reason: 'unknown_offer', message: 'No offer CFQ7TTC0ZZZZ:0001 in the catalog.' }]);
    const malformed = await putPins(['not an id']);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().details[0]).toMatchObject({ field: 'offerIds.0', reason: 'invalid_offer_id' });
    expect((await putPins('x' as unknown as string[])).statusCode).toBe(400);
    expect(await pins()).toEqual(before);
  });

  it('an empty list unpins everything', async () => {
    const keep = (await pins()).offerIds;
    expect((await putPins([])).json().offerIds).toEqual([]);
    expect((await pins()).offerIds).toEqual([]);
    expect((await putPins(keep)).statusCode).toBe(200);
  });

  it('If-Match: the current ETag is accepted; a stale one is 412 PRECONDITION_FAILED and nothing changes', async () => {
    const current = await pins();
    const next = [current.offerIds[1]!, current.offerIds[0]!];
    const ok = await t.app.inject({ method: 'PUT', url: '/v1/catalog/pins', headers: { ...a.auth, 'if-match': current.etag }, payload: { offerIds: next } });
    expect(ok.statusCode, ok.body).toBe(200);
    const stale = await t.app.inject({ method: 'PUT', url: '/v1/catalog/pins', headers: { ...a.auth, 'if-match': current.etag }, payload: { offerIds: current.offerIds } });
    expect(stale.statusCode).toBe(412);
    expectErrorShape(stale.json(), 'PRECONDITION_FAILED');
    expect(stale.headers.etag).toBe(ok.json().etag);
    expect((await pins()).offerIds).toEqual(next);
  });

  it('concurrent saves without If-Match are serialised: each answers 200 and the stored list is one of them, whole', async () => {
    const lists = [ids.slice(0, 3), ids.slice(2, 5), [ids[4]!, ids[0]!], ids.slice(5, 10), [ids[1]!]];
    const results = await Promise.all(lists.map((l) => putPins(l)));
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    const stored = (await pins()).offerIds;
    expect(lists).toContainEqual(stored);
    const positions = await t.db.selectFrom('catalog_pins').select('position').where('partner_id', '=', a.partnerId).orderBy('position').execute();
    expect(positions.map((p) => p.position)).toEqual(stored.map((_, i) => i + 1));
  });

  it('the order applies to everyone in the company: a Sales agent reads the same pins (and browses), but cannot change them (403)', async () => {
    const mine = await pins();
    const sales = await userWith(['sales-agent']);
    expect((await pins(sales.auth)).offerIds).toEqual(mine.offerIds);
    expect((await list('segment=commercial', sales.auth)).items.filter((i) => i.pinned)).not.toHaveLength(0);
    const res = await putPins([], sales.auth);
    expect(res.statusCode).toBe(403);
    expectErrorShape(res.json(), 'FORBIDDEN');
    expect((await pins()).offerIds).toEqual(mine.offerIds);
  });

  it('an Admin agent may change the pins; a colleague then sees the new order', async () => {
    const agent = await userWith(['admin-agent']);
    const res = await putPins([ids[3]!, ids[2]!], agent.auth);
    expect(res.statusCode, res.body).toBe(200);
    expect((await pins()).offerIds).toEqual([ids[3], ids[2]]);
  });

  it('a Helpdesk agent sees neither the catalog nor the pins (403)', async () => {
    const helpdesk = await userWith(['helpdesk-agent']);
    for (const url of ['/v1/catalog/offers', '/v1/catalog/categories', '/v1/catalog/offers/CFQ7TTC0LH18:0001', '/v1/catalog/pins']) {
      const res = await req('GET', url, helpdesk.auth);
      expect(res.statusCode, url).toBe(403);
      expectErrorShape(res.json(), 'FORBIDDEN');
    }
    expect((await putPins([], helpdesk.auth)).statusCode).toBe(403);
  });

  it('pins are per company: another company has its own, and its changes do not touch ours', async () => {
    const ours = (await pins()).offerIds;
    expect(ours.length).toBeGreaterThan(0);
    expect((await pins(b.auth)).offerIds).toEqual([]);
    expect((await putPins([ids[6]!], b.auth)).statusCode).toBe(200);
    expect((await pins(b.auth)).offerIds).toEqual([ids[6]]);
    expect((await pins()).offerIds).toEqual(ours);
    // B's list marks only B's pin.
    expect((await list('size=500', b.auth)).items.filter((i) => i.pinned).map((i) => i.id)).toEqual([ids[6]]);
  });
});
