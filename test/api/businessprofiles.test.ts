import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, enrolVerifiedPartner, expectErrorShape, signIn, type TestApp } from '../support/harness';

let t: TestApp;
let a: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let b: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let n = 0;

beforeAll(async () => {
  t = await createTestApp();
  a = await enrolVerifiedPartner(t);
  b = await enrolVerifiedPartner(t);
});
afterAll(async () => t?.close());

type Headers = Record<string, string>;
type Profile = {
  id: string;
  country: string;
  status: string;
  displayName: string;
  description: Record<string, string>;
  industries: string[];
  products: string[];
  skills: string[];
  locations: { city: string; country: string }[];
  logo: { url: string; width: number; height: number } | null;
  etag: string;
  publishedAt: string | null;
};
const req = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, headers: Headers, payload?: object) =>
  t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
const upload = (id: string, headers: Headers, bytes: Buffer, contentType = 'application/octet-stream') =>
  t.app.inject({ method: 'PUT', url: `/v1/businessprofiles/${id}/logo`, headers: { ...headers, 'content-type': contentType }, payload: bytes });

/** Countries not used yet by a partner (one profile per country). */
const COUNTRIES = ['FR', 'DE', 'BE', 'ES', 'IT', 'NL', 'LU', 'AT', 'IE', 'PT', 'PL', 'SE', 'DK', 'FI', 'GB', 'CH', 'NO', 'US', 'CA'];
const used = new Map<string, number>();
function nextCountry(partnerId: string) {
  const i = used.get(partnerId) ?? 0;
  used.set(partnerId, i + 1);
  return COUNTRIES[i]!;
}

const frLocation = (city = 'Lyon', postalCode = '69002') => ({ addressLine1: '10 quai Perrache', city, postalCode, country: 'FR' });

function fullBody(overrides: Record<string, unknown> = {}) {
  return {
    description: { fr: 'Intégrateur spécialisé dans l’hébergement et la migration vers le cloud.', en: 'Integrator specialised in hosting and cloud migration.' },
    industries: ['retail', 'healthcare'],
    products: ['office-suite', 'crm'],
    services: ['migration', 'hosting'],
    skills: ['Kubernetes', 'PowerShell'],
    customerSizes: ['small', 'medium'],
    website: 'https://fabrikam.example',
    linkedIn: 'https://www.linkedin.com/company/fabrikam',
    locations: [frLocation()],
    leadContact: { name: 'Louise Martin', email: 'louise.martin@fabrikam.example', phone: '+33 4 72 11 22 33' },
    ...overrides,
  };
}

async function create(who: { auth: Headers; partnerId: string } = a, body: Record<string, unknown> = {}) {
  const country = (body.country as string | undefined) ?? nextCountry(who.partnerId);
  const res = await req('POST', '/v1/businessprofiles', who.auth, { country, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Profile;
}

/** A user of partner A holding `roles`, signed in with a password of their own. */
async function userWith(roles: string[]) {
  n += 1;
  const email = `bp.user${n}.${Date.now()}@fabrikam.example`;
  const created = await req('POST', '/v1/users', a.auth, { firstName: 'Bp', lastName: `User${n}`, email, roles });
  expect(created.statusCode, created.body).toBe(201);
  const { temporaryPassword } = created.json() as { temporaryPassword: string };
  const first = await signIn(t, email, temporaryPassword);
  const password = `un autre mot de passe solide ${n}`;
  expect((await req('POST', '/v1/me/password', first.auth, { currentPassword: temporaryPassword, newPassword: password })).statusCode).toBe(204);
  return { id: (created.json() as { id: string }).id, partnerId: a.partnerId, ...(await signIn(t, email, password)) };
}

const profileCount = async () => Number((await t.db.selectFrom('business_profiles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const auditOf = (targetId: string) => t.db.selectFrom('audit_records').select(['action', 'changes', 'actor_id']).where('target_id', '=', targetId).orderBy('seq').execute();
const rowOf = (id: string) => t.db.selectFrom('business_profiles').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** A real image of `width`×`height`, made with sharp. */
function image(format: 'png' | 'jpeg' | 'gif', width: number, height: number) {
  const img = sharp({ create: { width, height, channels: 4, background: { r: 20, g: 90, b: 200, alpha: 1 } } });
  return (format === 'png' ? img.png() : format === 'jpeg' ? img.jpeg() : img.gif()).toBuffer();
}

describe('creating and reading a business profile', () => {
  it('a Global admin creates a draft for a country with every field; it answers an ETag, the legal name as display name, and is audited', async () => {
    const body = fullBody();
    const res = await req('POST', '/v1/businessprofiles', a.auth, { country: 'FR', ...body });
    used.set(a.partnerId, 1);
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json() as Profile;
    expect(p).toMatchObject({ country: 'FR', status: 'draft', displayName: a.body.companyName, description: body.description, industries: body.industries, skills: body.skills, logo: null, publishedAt: null });
    expect(p.locations[0]).toMatchObject({ city: 'Lyon', country: 'FR' });
    expect(res.headers.etag).toBe('W/"1"');
    expect(p.etag).toBe('W/"1"');
    expect(res.headers.location).toBe(`/v1/businessprofiles/${p.id}`);

    const one = await req('GET', `/v1/businessprofiles/${p.id}`, a.auth);
    expect(one.statusCode).toBe(200);
    expect(one.headers.etag).toBe('W/"1"');
    expect(one.json()).toEqual(p);
    const list = (await req('GET', '/v1/businessprofiles', a.auth)).json() as { totalCount: number; items: Profile[] };
    expect(list.items.map((x) => x.id)).toContain(p.id);
    expect((await auditOf(p.id)).map((r) => r.action)).toEqual(['businessprofile.created']);
  });

  it('a second profile for the same country is refused with 409 BUSINESS_PROFILE_EXISTS, translated', async () => {
    const before = await profileCount();
    const res = await req('POST', '/v1/businessprofiles', { ...a.auth, 'accept-language': 'fr' }, { country: 'FR' });
    expect(res.statusCode).toBe(409);
    expectErrorShape(res.json(), 'BUSINESS_PROFILE_EXISTS');
    expect(res.json().message).toContain('profil d’entreprise');
    expect(await profileCount()).toBe(before);
  });

  it('lists the profiles by country, paged with a continuation token', async () => {
    const c = await enrolVerifiedPartner(t);
    for (const country of ['IT', 'BE', 'DE']) await create(c, { country });
    const first = (await req('GET', '/v1/businessprofiles?size=2', c.auth)).json() as { totalCount: number; items: Profile[]; links: { next?: { uri: string } } };
    expect(first.totalCount).toBe(3);
    expect(first.items.map((x) => x.country)).toEqual(['BE', 'DE']);
    const second = (await req('GET', first.links.next!.uri, c.auth)).json() as { items: Profile[]; links: { next?: unknown } };
    expect(second.items.map((x) => x.country)).toEqual(['IT']);
    expect(second.links.next).toBeUndefined();
  });
});

describe('bad input: a clear, translated 400 naming the field, and nothing stored', () => {
  const cases: [string, Record<string, unknown>, string, string?][] = [
    ['a description over 2,500 characters', { description: { fr: 'é'.repeat(2501) } }, 'description.fr', '2500'],
    ['a 6th industry', { industries: ['retail', 'healthcare', 'banking', 'energy', 'legal', 'media'] }, 'industries', '5'],
    ['an unknown industry', { industries: ['wizardry'] }, 'industries.0'],
    ['an unknown service', { services: ['alchemy'] }, 'services.0'],
    ['a product outside the managed list', { products: ['Flux capacitor'] }, 'products.0'],
    ['an unknown customer size', { customerSizes: ['gigantic'] }, 'customerSizes.0'],
    ['21 skills', { skills: Array.from({ length: 21 }, (_, i) => `Skill ${i}`) }, 'skills', '20'],
    ['a skill over 50 characters', { skills: ['x'.repeat(51)] }, 'skills.0', '50'],
    ['6 locations', { locations: Array.from({ length: 6 }, (_, i) => frLocation(`Lyon ${i}`)) }, 'locations', '5'],
    ['a location in another country', { locations: [{ addressLine1: '1 Unter den Linden', city: 'Berlin', postalCode: '10117', country: 'DE' }] }, 'locations.0.country'],
    ['a bad postal code in a location', { locations: [frLocation('Lyon', '6900')] }, 'locations.0.postalCode'],
    ['a website over http', { website: 'http://fabrikam.example' }, 'website'],
    ['a website that is not a URL', { website: 'fabrikam' }, 'website'],
    ['a LinkedIn link elsewhere', { linkedIn: 'https://twitter.com/fabrikam' }, 'linkedIn'],
    ['a lead contact with a bad email', { leadContact: { name: 'Louise', email: 'not-an-email' } }, 'leadContact.email'],
    ['a lead contact with a bad phone', { leadContact: { name: 'Louise', email: 'l@fabrikam.example', phone: '+33 1' } }, 'leadContact.phone'],
    ['an unknown field', { partnerId: '00000000-0000-4000-8000-000000000000' }, 'partnerId'],
  ];

  it.each(cases)('on create: %s', async (_name, overrides, field, inMessage) => {
    const before = { profiles: await profileCount(), audit: await count(t, 'audit_records') };
    const res = await req('POST', '/v1/businessprofiles', { ...a.auth, 'accept-language': 'fr' }, { country: 'NO', ...fullBody({ locations: [], ...overrides }) });
    expect(res.statusCode, res.body).toBe(400);
    const err = res.json() as { details: { field?: string; message: string }[] };
    expectErrorShape(err, 'VALIDATION_FAILED');
    const d = err.details.find((x) => x.field === field);
    expect(d, JSON.stringify(err.details)).toBeDefined();
    expect(d!.message).not.toMatch(/^reason\./);
    // Numbers are formatted for the language (2 500 in French, with a narrow no-break space).
    if (inMessage) expect(d!.message.replace(/\s/g, '')).toContain(inMessage);
    expect({ profiles: await profileCount(), audit: await count(t, 'audit_records') }).toEqual(before);
  });

  it('on update too: nothing changes and the ETag stays', async () => {
    const p = await create(a, fullBody({ locations: [] }));
    const res = await req('PUT', `/v1/businessprofiles/${p.id}`, { ...a.auth, 'if-match': p.etag, 'accept-language': 'en' }, { industries: ['retail', 'healthcare', 'banking', 'energy', 'legal', 'media'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0]).toMatchObject({ field: 'industries', message: 'At most 5 items.' });
    expect((await req('GET', `/v1/businessprofiles/${p.id}`, a.auth)).json()).toEqual(p);
  });

  it('exactly 2,500 characters, 5 industries, 20 skills and 5 locations are accepted', async () => {
    const p = await create(a, {
      country: 'AU',
      description: { fr: 'é'.repeat(2500), de: 'Beschreibung' },
      industries: ['retail', 'healthcare', 'banking', 'energy', 'legal'],
      skills: Array.from({ length: 20 }, (_, i) => `Skill ${i}`),
      locations: Array.from({ length: 5 }, (_, i) => ({ addressLine1: `${i + 1} George Street`, city: 'Sydney', postalCode: '2000', country: 'AU' })),
    });
    expect(p.description.fr).toHaveLength(2500);
    expect(p.industries).toHaveLength(5);
    expect(p.skills).toHaveLength(20);
    expect(p.locations).toHaveLength(5);
  });
});

describe('changing a profile (If-Match)', () => {
  it('a PUT with the current ETag changes only the fields sent, bumps the ETag and audits what changed', async () => {
    const p = await create(a, fullBody({ locations: [] }));
    const res = await req('PUT', `/v1/businessprofiles/${p.id}`, { ...a.auth, 'if-match': p.etag }, { skills: ['Azure', 'azure ', 'Terraform'], website: '' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).toBe('W/"2"');
    const next = res.json() as Profile & { website: string | null };
    expect(next.skills).toEqual(['Azure', 'Terraform']);
    expect(next.website).toBeNull();
    expect(next.industries).toEqual(p.industries);
    const records = await auditOf(p.id);
    expect(records.map((r) => r.action)).toEqual(['businessprofile.created', 'businessprofile.updated']);
    expect(Object.keys(records[1]!.changes as object).sort()).toEqual(['skills', 'website']);
  });

  it('a stale ETag gets 412 with the current ETag, a missing If-Match 428; nothing changes', async () => {
    const p = await create(a);
    expect((await req('PUT', `/v1/businessprofiles/${p.id}`, { ...a.auth, 'if-match': p.etag }, { skills: ['One'] })).statusCode).toBe(200);
    const current = (await req('GET', `/v1/businessprofiles/${p.id}`, a.auth)).json();
    const stale = await req('PUT', `/v1/businessprofiles/${p.id}`, { ...a.auth, 'if-match': p.etag }, { skills: ['Lost update'] });
    expect(stale.statusCode).toBe(412);
    expectErrorShape(stale.json(), 'PRECONDITION_FAILED');
    expect(stale.headers.etag).toBe('W/"2"');
    const missing = await req('PUT', `/v1/businessprofiles/${p.id}`, a.auth, { skills: ['Blind write'] });
    expect(missing.statusCode).toBe(428);
    expectErrorShape(missing.json(), 'PRECONDITION_REQUIRED');
    expect((await req('POST', `/v1/businessprofiles/${p.id}/publish`, { ...a.auth, 'if-match': p.etag })).statusCode).toBe(412);
    expect((await req('GET', `/v1/businessprofiles/${p.id}`, a.auth)).json()).toEqual(current);
  });
});

describe('publishing', () => {
  it('publish needs a French or English description and a lead contact; then it is published, dated and audited; unpublish makes it a draft again', async () => {
    const p = await create(a, { description: { de: 'Nur Deutsch' } });
    const refused = await req('POST', `/v1/businessprofiles/${p.id}/publish`, { ...a.auth, 'accept-language': 'fr' });
    expect(refused.statusCode).toBe(400);
    expectErrorShape(refused.json(), 'VALIDATION_FAILED');
    expect((refused.json().details as { field: string }[]).map((d) => d.field).sort()).toEqual(['description', 'leadContact']);
    expect((await rowOf(p.id)).status).toBe('draft');

    const filled = await req('PUT', `/v1/businessprofiles/${p.id}`, { ...a.auth, 'if-match': p.etag }, { description: { en: 'Cloud hosting.' }, leadContact: { name: 'Louise Martin', email: 'louise@fabrikam.example' } });
    expect(filled.statusCode, filled.body).toBe(200);
    t.clock.advance(1000);
    const pub = await req('POST', `/v1/businessprofiles/${p.id}/publish`, a.auth);
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json()).toMatchObject({ status: 'published', publishedAt: t.clock.now().toISOString() });
    expect(pub.headers.etag).toBe('W/"3"');

    // A published profile keeps what publishing needs.
    const emptied = await req('PUT', `/v1/businessprofiles/${p.id}`, { ...a.auth, 'if-match': 'W/"3"' }, { description: { en: '' } });
    expect(emptied.statusCode).toBe(400);
    expect(emptied.json().details[0].field).toBe('description');

    const unpub = await req('POST', `/v1/businessprofiles/${p.id}/unpublish`, a.auth);
    expect(unpub.statusCode).toBe(200);
    expect(unpub.json().status).toBe('draft');
    expect((await auditOf(p.id)).map((r) => r.action)).toEqual(['businessprofile.created', 'businessprofile.updated', 'businessprofile.published', 'businessprofile.unpublished']);
  });
});

describe('the logo', () => {
  it.each([
    ['png', 'image/png', 'image/png'],
    ['gif', 'image/gif', 'image/png'],
    ['jpeg', 'image/jpeg', 'image/jpeg'],
  ] as const)('a %s (made with sharp) is checked by content and stored at most 300 px wide, aspect kept', async (format, contentType, storedType) => {
    const p = await create(a);
    const res = await upload(p.id, a.auth, await image(format, 600, 400), contentType);
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json() as Profile;
    expect(after.logo).toMatchObject({ width: 300, height: 200 });
    expect(after.etag).toBe('W/"2"');
    const row = await rowOf(p.id);
    expect(row).toMatchObject({ logo_type: storedType, logo_width: 300, logo_height: 200, logo_version: 1 });
    const meta = await sharp(row.logo!).metadata();
    expect([meta.width, meta.height]).toEqual([300, 200]);
    expect(meta.format).toBe(storedType === 'image/png' ? 'png' : 'jpeg');

    const served = await t.app.inject({ method: 'GET', url: after.logo!.url, headers: a.auth });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe(storedType);
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.rawPayload.equals(row.logo!)).toBe(true);
    expect((await auditOf(p.id)).map((r) => r.action)).toContain('businessprofile.logo.updated');
  });

  it('an image already narrower than 300 px is never enlarged; replacing bumps the logo version', async () => {
    const p = await create(a);
    expect((await upload(p.id, a.auth, await image('png', 250, 260))).json().logo).toMatchObject({ width: 250, height: 260 });
    const again = (await upload(p.id, a.auth, await image('png', 216, 216))).json() as Profile;
    expect(again.logo).toMatchObject({ width: 216, height: 216 });
    expect(again.logo!.url).toContain('v=2');
  });

  it('too small (215 px on a side) gets 400 IMAGE_TOO_SMALL; not an image gets FILE_TYPE_REFUSED; over 2 MB FILE_TOO_LARGE; nothing stored', async () => {
    const p = await create(a);
    const before = await count(t, 'audit_records');
    const small = await upload(p.id, { ...a.auth, 'accept-language': 'fr' }, await image('png', 400, 215));
    expect(small.statusCode).toBe(400);
    expectErrorShape(small.json(), 'IMAGE_TOO_SMALL');
    expect(small.json().details[0].message).toContain('400 × 215');

    const text = await upload(p.id, a.auth, Buffer.from('%PDF-1.4\nnot a logo at all\n'), 'application/octet-stream');
    expect(text.statusCode).toBe(400);
    expectErrorShape(text.json(), 'FILE_TYPE_REFUSED');
    expect(text.json().details[0].message).toContain('GIF, JPG or PNG');
    // Named as a PNG, but it is not one.
    const lying = await upload(p.id, a.auth, Buffer.from('hello, I am text'), 'image/png');
    expect(lying.statusCode).toBe(400);
    expectErrorShape(lying.json(), 'FILE_TYPE_REFUSED');
    // A WebP is an image, but not one of the accepted types.
    const webp = await upload(p.id, a.auth, await sharp({ create: { width: 300, height: 300, channels: 3, background: '#fff' } }).webp().toBuffer());
    expectErrorShape(webp.json(), 'FILE_TYPE_REFUSED');

    const big = Buffer.concat([await image('png', 300, 300), Buffer.alloc(2 * 1024 * 1024)]);
    const tooLarge = await upload(p.id, a.auth, big, 'image/png');
    expect(tooLarge.statusCode).toBe(413);
    expectErrorShape(tooLarge.json(), 'FILE_TOO_LARGE');

    expect((await rowOf(p.id)).logo).toBeNull();
    expect(await count(t, 'audit_records')).toBe(before);
  });

  it('DELETE removes it; the logo route then answers 404', async () => {
    const p = await create(a);
    const up = (await upload(p.id, a.auth, await image('png', 300, 300))).json() as Profile;
    const del = await req('DELETE', `/v1/businessprofiles/${p.id}/logo`, a.auth);
    expect(del.statusCode).toBe(200);
    expect(del.json().logo).toBeNull();
    expect((await t.app.inject({ method: 'GET', url: up.logo!.url, headers: a.auth })).statusCode).toBe(404);
  });
});

describe('who may do what', () => {
  it('a Referrals admin edits, publishes and uploads a logo but cannot delete (403)', async () => {
    const admin = await userWith(['referrals-admin']);
    const p = await create(admin, fullBody({ locations: [] }));
    expect((await req('PUT', `/v1/businessprofiles/${p.id}`, { ...admin.auth, 'if-match': p.etag }, { skills: ['Azure'] })).statusCode).toBe(200);
    expect((await req('POST', `/v1/businessprofiles/${p.id}/publish`, admin.auth)).statusCode).toBe(200);
    expect((await upload(p.id, admin.auth, await image('png', 300, 300))).statusCode).toBe(200);
    const del = await req('DELETE', `/v1/businessprofiles/${p.id}`, admin.auth);
    expect(del.statusCode).toBe(403);
    expectErrorShape(del.json(), 'FORBIDDEN');
    expect(await rowOf(p.id)).toBeDefined();
  });

  it('a Business profile admin deletes: the profile is gone and the deletion audited', async () => {
    const bpAdmin = await userWith(['business-profile-admin']);
    const p = await create(bpAdmin);
    const del = await req('DELETE', `/v1/businessprofiles/${p.id}`, bpAdmin.auth);
    expect(del.statusCode).toBe(204);
    expect((await req('GET', `/v1/businessprofiles/${p.id}`, bpAdmin.auth)).statusCode).toBe(404);
    expect((await auditOf(p.id)).map((r) => r.action)).toEqual(['businessprofile.created', 'businessprofile.deleted']);
  });

  it('a Referrals user reads only: list and get work, every write is 403 and nothing changes', async () => {
    const user = await userWith(['referrals-user']);
    const p = await create(a);
    expect((await req('GET', '/v1/businessprofiles', user.auth)).statusCode).toBe(200);
    expect((await req('GET', `/v1/businessprofiles/${p.id}`, user.auth)).statusCode).toBe(200);
    const before = await count(t, 'audit_records');
    const writes = [
      await req('POST', '/v1/businessprofiles', user.auth, { country: 'JP' }),
      await req('PUT', `/v1/businessprofiles/${p.id}`, { ...user.auth, 'if-match': p.etag }, { skills: ['x'] }),
      await req('POST', `/v1/businessprofiles/${p.id}/publish`, user.auth),
      await req('POST', `/v1/businessprofiles/${p.id}/unpublish`, user.auth),
      await req('DELETE', `/v1/businessprofiles/${p.id}`, user.auth),
      await upload(p.id, user.auth, await image('png', 300, 300)),
      await req('DELETE', `/v1/businessprofiles/${p.id}/logo`, user.auth),
    ];
    for (const w of writes) expect(w.statusCode, w.body).toBe(403);
    expect(await count(t, 'audit_records')).toBe(before);
    expect((await req('GET', `/v1/businessprofiles/${p.id}`, a.auth)).json()).toEqual(p);
  });

  it('a user without a business profile role gets 403 even for reading', async () => {
    const helpdesk = await userWith(['helpdesk-agent']);
    expect((await req('GET', '/v1/businessprofiles', helpdesk.auth)).statusCode).toBe(403);
  });
});

describe('another partner’s profiles', () => {
  it('are not listed, and every route on one answers 404 and leaves it as it was', async () => {
    const theirs = await create(b, fullBody());
    const before = (await req('GET', `/v1/businessprofiles/${theirs.id}`, b.auth)).json();
    const list = (await req('GET', '/v1/businessprofiles?size=500', a.auth)).json() as { items: Profile[] };
    expect(list.items.map((x) => x.id)).not.toContain(theirs.id);
    const h = { ...a.auth, 'if-match': theirs.etag };
    const answers = [
      await req('GET', `/v1/businessprofiles/${theirs.id}`, h),
      await req('PUT', `/v1/businessprofiles/${theirs.id}`, h, { skills: ['Hijack'] }),
      await req('POST', `/v1/businessprofiles/${theirs.id}/publish`, h),
      await req('POST', `/v1/businessprofiles/${theirs.id}/unpublish`, h),
      await req('DELETE', `/v1/businessprofiles/${theirs.id}`, h),
      await upload(theirs.id, a.auth, await image('png', 300, 300)),
      await req('DELETE', `/v1/businessprofiles/${theirs.id}/logo`, h),
      await req('GET', `/v1/businessprofiles/${theirs.id}/logo`, h),
    ];
    for (const r of answers) {
      expect(r.statusCode, r.body).toBe(404);
      expectErrorShape(r.json(), 'NOT_FOUND');
    }
    expect((await req('GET', `/v1/businessprofiles/${theirs.id}`, b.auth)).json()).toEqual(before);
  });
});

describe('products from the catalog', () => {
  it('once the operator has imported offers, products are their product titles (the managed list no longer applies)', async () => {
    const managed = (await req('GET', '/v1/businessprofiles/options', a.auth)).json() as { products: { source: string; items: string[] } };
    expect(managed.products.source).toBe('managed');
    expect(managed.products.items).toContain('crm');
    await t.db
      .insertInto('offers')
      .values([
        { id: 'CFQ7TTC0LH18:0001', product_id: 'CFQ7TTC0LH18', sku_id: '0001', product_title: 'Contoso 365 Business', sku_title: 'Basic', updated_at: new Date() },
        { id: 'CFQ7TTC0LH18:0002', product_id: 'CFQ7TTC0LH18', sku_id: '0002', product_title: 'Contoso 365 Business', sku_title: 'Premium', updated_at: new Date() },
        { id: 'DZH318Z0BQ3Q:0001', product_id: 'DZH318Z0BQ3Q', sku_id: '0001', product_title: 'Contoso Defender', sku_title: 'Plan 1', updated_at: new Date() },
      ])
      .execute();
    try {
      const opts = (await req('GET', '/v1/businessprofiles/options', a.auth)).json() as { products: { source: string; items: string[] } };
      expect(opts.products).toEqual({ source: 'catalog', items: ['Contoso 365 Business', 'Contoso Defender'] });
      const p = await create(a, { products: ['Contoso Defender'] });
      expect(p.products).toEqual(['Contoso Defender']);
      const refused = await req('POST', '/v1/businessprofiles', a.auth, { country: 'JP', products: ['crm'] });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().details[0].field).toBe('products.0');
    } finally {
      await t.db.deleteFrom('offers').execute();
    }
  });
});

describe('the public directory follows the profile, in the same transaction', () => {
  const publicPage = (id: string, lang = 'en') => t.app.inject({ method: 'GET', url: `/v1/directory/partners/${id}?lang=${lang}` });

  it('a draft is not in the directory; publish puts it there, an edit of a published profile shows at once, unpublish and delete take it out', async () => {
    const c = await enrolVerifiedPartner(t);
    const p = await create(c, fullBody({ country: 'FR' }));
    expect((await publicPage(p.id)).statusCode).toBe(404);

    const pub = await req('POST', `/v1/businessprofiles/${p.id}/publish`, c.auth);
    expect(pub.statusCode, pub.body).toBe(200);
    const shown = await publicPage(p.id, 'fr');
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({ name: c.body.companyName, description: fullBody().description.fr });

    const edited = await req('PUT', `/v1/businessprofiles/${p.id}`, { ...c.auth, 'if-match': pub.headers.etag as string }, { description: { fr: 'Nouvelle description.', en: 'New description.' } });
    expect(edited.statusCode).toBe(200);
    expect((await publicPage(p.id, 'fr')).json().description).toBe('Nouvelle description.');

    expect((await upload(p.id, c.auth, await image('png', 300, 300))).statusCode).toBe(200);
    expect((await publicPage(p.id)).json().logoUrl).toMatch(new RegExp(`/v1/directory/partners/${p.id}/logo\\?v=1$`));

    expect((await req('POST', `/v1/businessprofiles/${p.id}/unpublish`, c.auth)).statusCode).toBe(200);
    expect((await publicPage(p.id)).statusCode).toBe(404);
    expect((await req('POST', `/v1/businessprofiles/${p.id}/publish`, c.auth)).statusCode).toBe(200);
    expect((await publicPage(p.id)).statusCode).toBe(200);
    expect((await req('DELETE', `/v1/businessprofiles/${p.id}`, c.auth)).statusCode).toBe(204);
    expect((await publicPage(p.id)).statusCode).toBe(404);
  });

  it('the preview is the public page the profile would have, draft included, with the partner-side logo; another partner’s is 404', async () => {
    const p = await create(a, fullBody({ locations: [] }));
    await upload(p.id, a.auth, await image('png', 300, 300));
    const res = await req('GET', `/v1/businessprofiles/${p.id}/preview?lang=fr`, a.auth);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: p.id, name: a.body.companyName, description: fullBody().description.fr, descriptionLanguage: 'fr', industries: fullBody().industries });
    expect(res.json().logoUrl).toMatch(new RegExp(`^/v1/businessprofiles/${p.id}/logo\\?v=1$`));
    expect((await req('GET', `/v1/businessprofiles/${p.id}/preview?lang=en`, a.auth)).json().description).toBe(fullBody().description.en);
    expect((await publicPage(p.id)).statusCode).toBe(404);
    expect((await req('GET', `/v1/businessprofiles/${p.id}/preview`, b.auth)).statusCode).toBe(404);
  });
});
