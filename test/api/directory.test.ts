import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facetLexemes } from '../../src/server/modules/directory/directory.repo';
import { previewDirectoryPartner } from '../../src/server/modules/directory/directory.service';
import { createTestApp, enrolVerifiedPartner, expectErrorShape, type TestApp } from '../support/harness';

/**
 * The public "Find a partner" directory (issue 5): search (stemming, typos, filters,
 * relevance, paging), the partner's page and logo, freshness (publish, unpublish, legal
 * name and support profile changes visible at once), bad filters, the rate limit.
 * Profiles are made and published through the business profile API, as a partner does.
 */

let t: TestApp;
type Partner = Awaited<ReturnType<typeof enrolVerifiedPartner>>;
type Item = { id: string; partnerId: string; name: string; excerpt: string; descriptionLanguage: string | null; url: string; slug: string; logoUrl: string | null };
type SearchBody = { totalCount: number; items: Item[]; links: { self: { uri: string }; next?: { uri: string } } };

const uniq = () => Math.random().toString(36).slice(2, 8);

async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, headers: Record<string, string> = {}, payload?: unknown) {
  return t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
}

async function search(query: string, headers: Record<string, string> = {}) {
  const r = await call('GET', `/v1/directory/partners?${query}`, headers);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as SearchBody;
}
const ids = (b: SearchBody) => b.items.map((i) => i.id);

const LYON = { addressLine1: '12 rue de la République', city: 'Lyon', postalCode: '69002', country: 'FR' };
const SEATTLE = { addressLine1: '400 Pine Street', city: 'Seattle', postalCode: '98101', country: 'US' };

/** Create a profile through the API (and publish it unless told not to); answers its id. */
async function profile(p: Partner, body: Record<string, unknown>, publish = true): Promise<string> {
  const created = await call('POST', '/v1/businessprofiles', p.auth, { leadContact: { name: 'Lead Person', email: 'leads@contoso.example' }, ...body });
  expect(created.statusCode, created.body).toBe(201);
  const id = (created.json() as { id: string }).id;
  if (publish) {
    const r = await call('POST', `/v1/businessprofiles/${id}/publish`, p.auth);
    expect(r.statusCode, r.body).toBe(200);
  }
  return id;
}

let a: Partner; // Contoso (name), French + English, Lyon, banking, hosting tag, CRM, small/medium
let b: Partner; // French only: "héberger" in its description, no hosting tag
let c: Partner; // United States, English only, healthcare, large
let d: Partner; // a draft: never published
let aId: string;
let bId: string;
let cId: string;
let dId: string;
const word = `zorblat${uniq()}`; // in A's name and in B's description: relevance

beforeAll(async () => {
  t = await createTestApp();
  [a, b, c, d] = await Promise.all([
    enrolVerifiedPartner(t, { companyName: `Contoso ${word} Conseil` }),
    enrolVerifiedPartner(t, { companyName: `Litware Services ${uniq()}` }),
    enrolVerifiedPartner(t, {
      companyName: `Northwind Health ${uniq()}`,
      address: { addressLine1: '400 Pine Street', city: 'Seattle', postalCode: '98101', country: 'US' },
      phone: '+1 206 555 0100',
    }),
    enrolVerifiedPartner(t, { companyName: `Fabrikam Brouillon ${uniq()}` }),
  ]);
  aId = await profile(a, {
    country: 'FR',
    description: {
      fr: 'Intégrateur lyonnais : nous accompagnons les banques dans leurs projets CRM et infogérance, avec une équipe dédiée et un support en français.',
      en: 'Lyon-based integrator: we help banks with CRM and managed services projects, with a dedicated team.',
    },
    industries: ['banking'],
    products: ['crm'],
    services: ['hosting', 'consulting'],
    customerSizes: ['small', 'medium'],
    skills: ['Power Platform'],
    website: 'https://contoso.example',
    linkedIn: 'https://www.linkedin.com/company/contoso',
    locations: [LYON],
  });
  bId = await profile(b, {
    country: 'FR',
    description: { fr: `Nous pouvons héberger vos serveurs dans nos centres de données à Paris. Mot-clé ${word}.` },
    industries: ['retail'],
    services: ['support'],
    customerSizes: ['medium'],
  });
  cId = await profile(c, {
    country: 'US',
    description: { en: 'Healthcare software partner for large hospital networks across the Pacific Northwest.' },
    industries: ['healthcare'],
    services: ['deployment'],
    customerSizes: ['large'],
    locations: [SEATTLE],
  });
  dId = await profile(d, { country: 'FR', description: { fr: 'Brouillon quasiquantique jamais publié.' } }, false);
});

afterAll(async () => {
  await t?.close();
});

describe('search: French and English stemming, accents, typos', () => {
  it('"hébergement" finds a profile that only says "héberger", with or without accents', async () => {
    for (const q of ['hébergement', 'hebergement', 'HÉBERGER']) {
      const r = await search(`q=${encodeURIComponent(q)}`);
      expect(ids(r), q).toContain(bId);
    }
  });

  it('English stemming: "hospitals" finds "hospital"', async () => {
    expect(ids(await search('q=hospitals'))).toEqual([cId]);
  });

  it('a tag is found by its French or English words ("infogérance", "managed services")', async () => {
    expect(ids(await search(`q=${encodeURIComponent('conseil')}`))).toContain(aId); // consulting tag, French word
    expect(ids(await search('q=consulting'))).toContain(aId);
  });

  it('"Contosso" (a typo) finds Contoso; a word found nowhere finds nothing', async () => {
    const r = await search('q=Contosso');
    expect(ids(r)).toEqual([aId]);
    expect(r.items[0]!.name).toBe(`Contoso ${word} Conseil`);
    expect((await search('q=qwxzvbnmpl')).totalCount).toBe(0);
  });

  it('without a query, every published profile is listed, by name', async () => {
    const r = await search('');
    expect(r.totalCount).toBe(3);
    expect(r.items.map((i) => i.name)).toEqual([...r.items.map((i) => i.name)].sort((x, y) => x.localeCompare(y, 'en', { sensitivity: 'base' })));
  });
});

describe('filters', () => {
  it.each([
    ['country=US', () => [cId]],
    ['country=fr', () => [aId, bId]],
    ['city=lyon', () => [aId]],
    ['city=SEATTLE', () => [cId]],
    ['industry=banking', () => [aId]],
    ['product=crm', () => [aId]],
    ['service=hosting', () => [aId]],
    ['size=large', () => [cId]],
    ['size=medium', () => [aId, bId]],
    ['language=fr', () => [aId, bId]],
    ['language=en', () => [aId, cId]],
    ['country=FR&size=medium&service=support', () => [bId]],
    ['industry=energy', () => []],
  ])('%s', async (query, expected) => {
    const r = await search(query);
    expect(ids(r).sort()).toEqual(expected().sort());
    expect(r.totalCount).toBe(expected().length);
  });

  it('filters and free text combine', async () => {
    expect(ids(await search(`q=${word}&country=FR&industry=banking`))).toEqual([aId]);
    expect(ids(await search(`q=${word}&country=US`))).toEqual([]);
  });

  it.each([
    ['industry=spaceflight', 'querystring.industry'],
    ['service=nothing', 'querystring.service'],
    ['size=huge', 'querystring.size'],
    ['country=ZZ', 'querystring.country'],
    ['product=teleportation', 'querystring.product'],
    ['pageSize=500', 'querystring.pageSize'],
    ['page=0', 'querystring.page'],
    ['colour=blue', 'querystring.colour'],
  ])('a bad filter (%s) → 400, translated, naming the field', async (query, field) => {
    const en = await call('GET', `/v1/directory/partners?${query}`);
    expect(en.statusCode, en.body).toBe(400);
    expectErrorShape(en.json(), 'VALIDATION_FAILED');
    expect((en.json() as { details: { field: string }[] }).details.map((x) => x.field)).toContain(field);
    const fr = await call('GET', `/v1/directory/partners?${query}`, { 'accept-language': 'fr' });
    expect((fr.json() as { message: string }).message).not.toBe((en.json() as { message: string }).message);
  });
});

describe('the filters inside the search vector', () => {
  it('the lexemes the API looks for are those the database stores (country alone, and paired)', async () => {
    const r = await sql<{ v: string }>`select directory_facet_lexemes(array['c:FR', 'i:banking', 'city:lyon'])::text as v`.execute(t.db);
    for (const l of [...facetLexemes(['c:FR', 'i:banking']), ...facetLexemes(['c:FR', 'city:lyon']), ...facetLexemes(['c:FR']), ...facetLexemes(['i:banking'])]) expect(r.rows[0]!.v).toContain(`'${l}'`);
  });
});

describe('relevance and paging', () => {
  it('a match in the name ranks above a match in a description', async () => {
    expect(ids(await search(`q=${word}`))).toEqual([aId, bId]);
  });

  it('pages are numbered, with links, and do not overlap', async () => {
    const p1 = await search('pageSize=2');
    expect(p1.totalCount).toBe(3);
    expect(p1.items).toHaveLength(2);
    expect(p1.links.self.uri).toBe('/v1/directory/partners?page=1&pageSize=2');
    expect(p1.links.next?.uri).toBe('/v1/directory/partners?page=2&pageSize=2');
    const p2 = await search('page=2&pageSize=2');
    expect(p2.items).toHaveLength(1);
    expect(p2.links.next).toBeUndefined();
    expect(new Set([...ids(p1), ...ids(p2)]).size).toBe(3);
    const past = await search('page=5&pageSize=2');
    expect(past).toMatchObject({ totalCount: 3, items: [] });
  });
});

describe('the visitor’s language picks the description, falling back to another', () => {
  it('lang= and Accept-Language choose French or English', async () => {
    const fr = (await search(`q=${word}&lang=fr`)).items.find((i) => i.id === aId)!;
    expect(fr).toMatchObject({ descriptionLanguage: 'fr' });
    expect(fr.excerpt).toMatch(/^Intégrateur lyonnais/);
    const en = (await search(`q=${word}`, { 'accept-language': 'en-GB,en;q=0.9' })).items.find((i) => i.id === aId)!;
    expect(en.excerpt).toMatch(/^Lyon-based integrator/);
    const frHeader = (await call('GET', `/v1/directory/partners/${aId}`, { 'accept-language': 'fr-FR' })).json() as { description: string };
    expect(frHeader.description).toMatch(/^Intégrateur lyonnais/);
  });

  it('an English-only profile shows English to a French visitor, and the reverse', async () => {
    const page = (await call('GET', `/v1/directory/partners/${cId}?lang=fr`)).json() as { description: string; descriptionLanguage: string };
    expect(page).toMatchObject({ descriptionLanguage: 'en' });
    expect(page.description).toMatch(/^Healthcare software/);
    const b1 = (await call('GET', `/v1/directory/partners/${bId}?lang=en`)).json() as { descriptionLanguage: string };
    expect(b1.descriptionLanguage).toBe('fr');
  });
});

describe('the partner’s page', () => {
  it('shows the description, tags, locations, links and the clean URL, to anyone', async () => {
    const r = await call('GET', `/v1/directory/partners/${aId}?lang=en`);
    expect(r.statusCode, r.body).toBe(200);
    const p = r.json() as Record<string, unknown>;
    expect(p).toMatchObject({
      id: aId,
      partnerId: a.partnerId,
      name: `Contoso ${word} Conseil`,
      country: 'FR',
      industries: ['banking'],
      products: ['crm'],
      services: ['hosting', 'consulting'],
      customerSizes: ['small', 'medium'],
      skills: ['Power Platform'],
      languages: ['en', 'fr'],
      website: 'https://contoso.example',
      linkedIn: 'https://www.linkedin.com/company/contoso',
      logoUrl: null,
      url: `/partners/${aId}/contoso-${word}-conseil`,
    });
    expect((p.locations as { city: string }[]).map((l) => l.city)).toEqual(['Lyon']);
    // The lead contact is the partner's business, not the public's.
    expect(JSON.stringify(p)).not.toContain('leads@contoso.example');
  });

  it('shows the support contacts of the company’s support profile, as soon as they change', async () => {
    const before = (await call('GET', `/v1/directory/partners/${aId}`)).json() as { support: unknown };
    expect(before.support).toBeNull();
    const get = await call('GET', '/v1/profiles/support', a.auth);
    const put = await call('PUT', '/v1/profiles/support', { ...a.auth, 'if-match': get.headers.etag as string }, { email: 'support@contoso.example', telephone: '+33 4 72 00 00 09', website: 'https://help.contoso.example' });
    expect(put.statusCode, put.body).toBe(200);
    const after = (await call('GET', `/v1/directory/partners/${aId}`)).json() as { support: unknown };
    expect(after.support).toEqual({ email: 'support@contoso.example', telephone: '+33472000009', website: 'https://help.contoso.example' });
  });

  it('an unknown, draft or malformed id → 404 / 400, and a draft is not in search', async () => {
    expect((await call('GET', '/v1/directory/partners/7d3c8a52-2b1e-4c1e-9a57-2c6f1d1f0a11')).statusCode).toBe(404);
    const draft = await call('GET', `/v1/directory/partners/${dId}`);
    expect(draft.statusCode).toBe(404);
    expectErrorShape(draft.json(), 'NOT_FOUND');
    expect((await search('q=quasiquantique')).totalCount).toBe(0);
    expect((await call('GET', '/v1/directory/partners/not-a-uuid')).statusCode).toBe(400);
  });

  it('the editor’s preview gives the page a draft would have', async () => {
    const p = await previewDirectoryPartner(t.db, dId, 'fr');
    expect(p).toMatchObject({ id: dId, partnerId: d.partnerId, name: d.body.companyName, description: 'Brouillon quasiquantique jamais publié.', descriptionLanguage: 'fr' });
  });
});

describe('logo', () => {
  it('is public, cached for a year at its versioned URL, revalidated otherwise; 404 without one', async () => {
    expect((await call('GET', `/v1/directory/partners/${bId}/logo`)).statusCode).toBe(404);
    const png = await sharp({ create: { width: 400, height: 400, channels: 3, background: '#0a64ad' } }).png().toBuffer();
    const up = await call('PUT', `/v1/businessprofiles/${bId}/logo`, { ...b.auth, 'content-type': 'image/png' }, png);
    expect(up.statusCode, up.body).toBe(200);
    const page = (await call('GET', `/v1/directory/partners/${bId}`)).json() as { logoUrl: string };
    expect(page.logoUrl).toMatch(new RegExp(`^/v1/directory/partners/${bId}/logo\\?v=\\d+$`));
    const img = await call('GET', page.logoUrl);
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toMatch(/^image\/(png|jpeg)/);
    expect(img.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await sharp(img.rawPayload).metadata()).width).toBeLessThanOrEqual(300);
    const bare = await call('GET', `/v1/directory/partners/${bId}/logo`);
    expect(bare.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    const again = await call('GET', page.logoUrl, { 'if-none-match': img.headers.etag as string });
    expect(again.statusCode).toBe(304);
    expect((await search('q=hebergement')).items.find((i) => i.id === bId)?.logoUrl).toBe(page.logoUrl);
  });
});

describe('freshness: a change is visible as soon as it is saved', () => {
  it('publish → in search at once; unpublish → gone at once; publish again → back', async () => {
    const e = await enrolVerifiedPartner(t, { companyName: `Tailspin ${uniq()}` });
    const marker = `plimsoll${uniq()}`;
    const id = await profile(e, { country: 'FR', description: { en: `Freshly published ${marker} partner.` } }, false);
    expect((await search(`q=${marker}`)).totalCount).toBe(0);
    const t0 = performance.now();
    expect((await call('POST', `/v1/businessprofiles/${id}/publish`, e.auth)).statusCode).toBe(200);
    expect(ids(await search(`q=${marker}`))).toEqual([id]);
    expect(performance.now() - t0).toBeLessThan(2000);

    const edit = await call('GET', `/v1/businessprofiles/${id}`, e.auth);
    const put = await call('PUT', `/v1/businessprofiles/${id}`, { ...e.auth, 'if-match': edit.headers.etag as string }, { description: { en: `Edited ${marker} partner, now in healthcare.` }, industries: ['healthcare'] });
    expect(put.statusCode, put.body).toBe(200);
    expect(ids(await search(`q=${marker}&industry=healthcare`))).toEqual([id]);

    expect((await call('POST', `/v1/businessprofiles/${id}/unpublish`, e.auth)).statusCode).toBe(200);
    expect((await search(`q=${marker}`)).totalCount).toBe(0);
    expect((await call('GET', `/v1/directory/partners/${id}`)).statusCode).toBe(404);
    expect((await call('POST', `/v1/businessprofiles/${id}/publish`, e.auth)).statusCode).toBe(200);
    expect(ids(await search(`q=${marker}`))).toEqual([id]);

    expect((await call('DELETE', `/v1/businessprofiles/${id}`, e.auth)).statusCode).toBe(204);
    expect((await search(`q=${marker}`)).totalCount).toBe(0);
  });

  it('a change of the legal name is the name shown and searched, at once', async () => {
    const get = await call('GET', '/v1/profiles/legalbusiness', c.auth);
    const newName = `Woodgrove Clinics ${uniq()}`;
    const put = await call('PUT', '/v1/profiles/legalbusiness', { ...c.auth, 'if-match': get.headers.etag as string }, { companyName: newName, address: c.body.address, primaryContact: c.body.primaryContact });
    expect(put.statusCode, put.body).toBe(200);
    expect(ids(await search('q=Woodgrove'))).toEqual([cId]);
    expect(((await call('GET', `/v1/directory/partners/${cId}`)).json() as { name: string }).name).toBe(newName);
    expect((await search('q=Northwind')).totalCount).toBe(0);
  });
});

describe('rate limit', () => {
  it('the public search is limited per IP: over the limit → 429 RATE_LIMITED, translated', async () => {
    const small = await createTestApp({ config: { directoryRateLimitPerMinute: 3 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await small.app.inject({ method: 'GET', url: '/v1/directory/partners?q=x', headers: { 'accept-language': 'fr' } })).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
      const r = await small.app.inject({ method: 'GET', url: '/v1/directory/partners', headers: { 'accept-language': 'fr' } });
      expectErrorShape(r.json(), 'RATE_LIMITED');
    } finally {
      await small.close();
    }
  });
});
