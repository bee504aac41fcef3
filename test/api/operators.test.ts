import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyNameKey } from '../../src/server/modules/partners/partners.repo';
import { count, createTestApp, enrolmentBody, expectErrorShape, operatorSession, type TestApp } from '../support/harness';

const NAMES = [
  'Société Générale Conseil',
  'SOCIETE du Rhône',
  'Contoso Ltd',
  'Fabrikam Ingénierie',
  'Adventure Works',
  'Zeta Conseil',
  'Ébénisterie Martin',
];

let t: TestApp;
let op: Awaited<ReturnType<typeof operatorSession>>;
const partnerIds = new Map<string, string>();

beforeAll(async () => {
  t = await createTestApp();
  for (const companyName of NAMES) {
    const res = await t.app.inject({ method: 'POST', url: '/v1/enrollment', payload: enrolmentBody({ companyName }) });
    if (res.statusCode !== 201) throw new Error(res.body);
    partnerIds.set(companyName, res.json().partner.id);
  }
  // One partner already vetted, for the status filter.
  await t.db.updateTable('partners').set({ status: 'authorized' }).where('id', '=', partnerIds.get('Contoso Ltd')!).execute();
  op = await operatorSession(t);
});
afterAll(async () => t?.close());

type Page = { totalCount: number; items: { id: string; companyName: string; status: string; country: string; currency: string; primaryContact: { email: string } }[]; links: { self: { uri: string; method: string }; next?: { uri: string; method: string } } };
const list = async (query = '', headers: Record<string, string> = op.auth) => t.app.inject({ method: 'GET', url: `/v1/operator/partners${query}`, headers });
const page = async (query = '') => {
  const res = await list(query);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
};
const names = (p: Page) => p.items.map((i) => i.companyName);

describe('operator sign-in', () => {
  it('a wrong password → 401 INVALID_CREDENTIALS, the same as an unknown operator', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/v1/operator/sessions', payload: { email: op.email, password: 'not the password at all' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/v1/operator/sessions', payload: { email: 'ghost@operator.example', password: 'not the password at all' } });
    expect(wrong.statusCode).toBe(401);
    expectErrorShape(wrong.json(), 'INVALID_CREDENTIALS');
    expect({ ...wrong.json(), requestId: 0 }).toEqual({ ...unknown.json(), requestId: 0 });
    expect(wrong.cookies).toEqual([]);
  });

  it('a partner user’s credentials do not open an operator session', async () => {
    const body = enrolmentBody();
    await t.app.inject({ method: 'POST', url: '/v1/enrollment', payload: body });
    const res = await t.app.inject({ method: 'POST', url: '/v1/operator/sessions', payload: { email: body.email, password: body.password } });
    expect(res.statusCode).toBe(401);
    await t.db.deleteFrom('partners').where('company_name', '=', body.companyName).execute();
  });

  it('the right password → 201 with a token, a CSRF token and the __Host-osid cookie', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/operator/sessions', payload: { email: op.email, password: op.password } });
    expect(res.statusCode).toBe(201);
    expect(res.json().token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = res.cookies.find((c) => c.name === '__Host-osid');
    expect(cookie).toMatchObject({ value: res.json().token, httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.domain).toBeUndefined();
    const me = await t.app.inject({ method: 'GET', url: '/v1/operator/me', headers: { cookie: `__Host-osid=${res.json().token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: op.id, email: op.email, displayName: 'Test operator', permissions: ['operator.catalog', 'operator.partners.read', 'operator.partners.verify', 'operator.reviews', 'operator.session'] });
  });

  it('operator sign-out ends the session', async () => {
    const s = await operatorSession(t);
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/operator/sessions/current', headers: s.auth })).statusCode).toBe(204);
    expect((await list('', s.auth)).statusCode).toBe(401);
  });
});

describe('GET /v1/operator/partners', () => {
  it('lists every enrolled partner as {totalCount, items, links}, in name order', async () => {
    const p = await page();
    expect(p.totalCount).toBe(NAMES.length);
    expect(p.items).toHaveLength(NAMES.length);
    expect(names(p)).toEqual([...NAMES].sort((x, y) => (companyNameKey(x) < companyNameKey(y) ? -1 : 1)));
    expect(p.links.self).toEqual({ uri: '/v1/operator/partners?size=50', method: 'GET' });
    expect(p.links.next).toBeUndefined();
    const contoso = p.items.find((i) => i.companyName === 'Contoso Ltd')!;
    expect(contoso).toMatchObject({ id: partnerIds.get('Contoso Ltd'), country: 'FR', currency: 'EUR', status: 'authorized' });
    expect(contoso.primaryContact.email).toMatch(/@fabrikam\.example$/);
  });

  it.each([
    ['societe', ['SOCIETE du Rhône', 'Société Générale Conseil']],
    ['SOCIÉTÉ', ['SOCIETE du Rhône', 'Société Générale Conseil']],
    ['conseil', ['Société Générale Conseil', 'Zeta Conseil']],
    ['generale  conseil', ['Société Générale Conseil']],
    ['rhone', ['SOCIETE du Rhône']],
    ['ebenisterie', ['Ébénisterie Martin']],
    ['TOSO', ['Contoso Ltd']],
    ['nothing like it', []],
    ['%', []],
    ['_', []],
  ])('search %j is a case- and accent-insensitive substring match on the name', async (search, expected) => {
    const p = await page(`?search=${encodeURIComponent(search)}`);
    expect(names(p)).toEqual(expected);
    expect(p.totalCount).toBe(expected.length);
  });

  it('filters by status', async () => {
    const authorized = await page('?status=authorized');
    expect(names(authorized)).toEqual(['Contoso Ltd']);
    expect(authorized.totalCount).toBe(1);
    const pending = await page('?status=pending_verification');
    expect(pending.totalCount).toBe(NAMES.length - 1);
    expect(names(pending)).not.toContain('Contoso Ltd');
    expect(names(await page('?status=rejected'))).toEqual([]);
    expect((await list('?status=deleted')).statusCode).toBe(400);
  });

  it('combines search and status', async () => {
    expect(names(await page('?search=conseil&status=pending_verification'))).toEqual(['Société Générale Conseil', 'Zeta Conseil']);
    expect(names(await page('?search=conseil&status=authorized'))).toEqual([]);
  });

  it('keyset paging: following links.next with size=2 visits every partner once, in name order', async () => {
    const all = names(await page());
    const seen: string[] = [];
    let uri: string | undefined = '/v1/operator/partners?size=2';
    let pages = 0;
    while (uri) {
      const res = await t.app.inject({ method: 'GET', url: uri, headers: op.auth });
      expect(res.statusCode).toBe(200);
      const p = res.json() as Page;
      expect(p.totalCount).toBe(NAMES.length);
      expect(p.items.length).toBeLessThanOrEqual(2);
      // self names this very page, so it can be fetched again.
      expect(p.links.self).toEqual({ uri, method: 'GET' });
      seen.push(...names(p));
      pages += 1;
      uri = p.links.next?.uri;
      if (uri) expect(uri).toMatch(/^\/v1\/operator\/partners\?size=2&continuationToken=[A-Za-z0-9_-]+$/);
      expect(pages).toBeLessThan(10);
    }
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(NAMES.length / 2));
  });

  it('paging keeps the search: the next link carries it', async () => {
    const first = await page('?size=1&search=conseil');
    expect(names(first)).toEqual(['Société Générale Conseil']);
    expect(first.links.next?.uri).toContain('search=conseil');
    const second = await page(first.links.next!.uri.replace('/v1/operator/partners', ''));
    expect(names(second)).toEqual(['Zeta Conseil']);
    expect(second.links.next).toBeUndefined();
  });

  it('a page exactly at the end has no next link', async () => {
    const p = await page(`?size=${NAMES.length}`);
    expect(p.items).toHaveLength(NAMES.length);
    expect(p.links.next).toBeUndefined();
  });

  it('size is 1 to 500', async () => {
    expect((await list('?size=500')).statusCode).toBe(200);
    expect((await list('?size=1')).statusCode).toBe(200);
    for (const size of ['501', '0', '-1', '2.5', 'ten']) {
      const res = await list(`?size=${size}`);
      expect(res.statusCode, `size=${size}`).toBe(400);
      expectErrorShape(res.json(), 'VALIDATION_FAILED');
      expect(res.json().details[0].field).toBe('querystring.size');
    }
  });

  it.each([
    'garbage',
    Buffer.from('not json').toString('base64url'),
    Buffer.from(JSON.stringify(['a'])).toString('base64url'),
    Buffer.from(JSON.stringify(['a', 'not-a-uuid'])).toString('base64url'),
    Buffer.from(JSON.stringify({ key: 'a', id: '00000000-0000-4000-8000-000000000000' })).toString('base64url'),
  ])('a forged continuationToken %j → 400 INVALID_CONTINUATION_TOKEN', async (token) => {
    const res = await list(`?continuationToken=${encodeURIComponent(token)}`);
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.json(), 'INVALID_CONTINUATION_TOKEN');
  });

  it('an unknown query parameter → 400 unknown_field', async () => {
    const res = await list('?partnerId=x');
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ reason: 'unknown_field' })]);
  });

  it('reading the list writes nothing', async () => {
    const before = await count(t, 'partners');
    await page();
    expect(await count(t, 'partners')).toBe(before);
  });
});
