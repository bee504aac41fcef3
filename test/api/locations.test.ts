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
const req = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, headers: Headers, payload?: object) =>
  t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

function locationBody(overrides: Record<string, unknown> = {}) {
  n += 1;
  return {
    name: `Fabrikam Lyon ${n}`,
    address: { addressLine1: `${n} quai Perrache`, city: 'Lyon', postalCode: '69002', country: 'FR' },
    contact: { firstName: 'Louise', lastName: 'Martin', email: `louise.martin.${n}@fabrikam.example`, phoneNumber: '+33 4 72 11 22 33' },
    ...overrides,
  };
}

async function create(headers: Headers = a.auth, overrides: Record<string, unknown> = {}) {
  const res = await req('POST', '/v1/locations', headers, locationBody(overrides));
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id as string, etag: res.headers.etag as string, body: res.json() };
}

/** A user of partner A holding `roles`, signed in with a password of their own. */
async function userWith(roles: string[]) {
  n += 1;
  const email = `loc.user${n}.${Date.now()}@fabrikam.example`;
  const created = await req('POST', '/v1/users', a.auth, { firstName: 'Loc', lastName: `User${n}`, email, roles });
  const { temporaryPassword } = created.json() as { temporaryPassword: string };
  const first = await signIn(t, email, temporaryPassword);
  const password = `un autre mot de passe solide ${n}`;
  expect((await req('POST', '/v1/me/password', first.auth, { currentPassword: temporaryPassword, newPassword: password })).statusCode).toBe(204);
  return { id: (created.json() as { id: string }).id, ...(await signIn(t, email, password)) };
}

const locationCount = async () => Number((await t.db.selectFrom('locations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const auditOf = (targetId: string) => t.db.selectFrom('audit_records').select(['action', 'changes', 'actor_id']).where('target_id', '=', targetId).orderBy('seq').execute();

describe('adding a location', () => {
  it('a Global admin adds a location: it gets its own id, answers an ETag, is listed after the global account, and the change is audited', async () => {
    const body = locationBody();
    const res = await req('POST', '/v1/locations', a.auth, body);
    expect(res.statusCode).toBe(201);
    const created = res.json() as { id: string; name: string; address: { city: string }; etag: string };
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.id).not.toBe(a.partnerId);
    expect(res.headers.etag).toBe('W/"1"');
    expect(created.etag).toBe('W/"1"');
    expect(res.headers.location).toBe(`/v1/locations/${created.id}`);

    const list = (await req('GET', '/v1/locations', a.auth)).json() as { globalAccount: { id: string }; items: { id: string }[]; totalCount: number };
    expect(list.globalAccount.id).toBe(a.partnerId);
    expect(list.items.map((l) => l.id)).toContain(created.id);

    const one = await req('GET', `/v1/locations/${created.id}`, a.auth);
    expect(one.statusCode).toBe(200);
    expect(one.headers.etag).toBe('W/"1"');
    expect(one.json()).toMatchObject({ name: body.name, address: body.address, contact: body.contact });

    const records = await auditOf(created.id);
    expect(records.map((r) => r.action)).toEqual(['location.created']);
    expect(records[0]!.actor_id).toBe(a.userId);
  });

  it('an Account admin may add one; a User management admin can read them but not add one (403, nothing written)', async () => {
    const accountAdmin = await userWith(['account-admin']);
    await create(accountAdmin.auth);
    const umAdmin = await userWith(['user-management-admin']);
    expect((await req('GET', '/v1/locations', umAdmin.auth)).statusCode).toBe(200);
    const before = await locationCount();
    const res = await req('POST', '/v1/locations', umAdmin.auth, locationBody());
    expect(res.statusCode).toBe(403);
    expectErrorShape(res.json(), 'FORBIDDEN');
    expect(await locationCount()).toBe(before);
  });

  it('a bad postal code, email or phone number gets a translated 400 naming the field, and nothing is written', async () => {
    const before = { locations: await locationCount(), audit: await count(t, 'audit_records') };
    const cases: [Record<string, unknown>, string][] = [
      [{ address: { addressLine1: '1 rue', city: 'Lyon', postalCode: '', country: 'FR' } }, 'address.postalCode'],
      [{ address: { addressLine1: '1 rue', city: 'Lyon', postalCode: '6900', country: 'FR' } }, 'address.postalCode'],
      [{ address: { addressLine1: '1 rue', city: 'Lyon', postalCode: '69001', country: 'XX' } }, 'address.country'],
      [{ contact: { firstName: 'Louise', lastName: 'Martin', email: 'not-an-email' } }, 'contact.email'],
      [{ contact: { firstName: 'Louise', lastName: 'Martin', email: 'l@fabrikam.example', phoneNumber: 'call me' } }, 'contact.phoneNumber'],
      [{ name: '   ' }, 'name'],
    ];
    for (const [overrides, field] of cases) {
      const res = await req('POST', '/v1/locations', { ...a.auth, 'accept-language': 'fr' }, locationBody(overrides));
      expect(res.statusCode, field).toBe(400);
      const err = res.json() as { code: string; message: string; details: { field?: string; message: string }[] };
      expectErrorShape(err, 'VALIDATION_FAILED');
      expect(err.details.map((d) => d.field), field).toContain(field);
    }
    // Unknown fields are refused too.
    expect((await req('POST', '/v1/locations', a.auth, { ...locationBody(), partnerId: b.partnerId })).statusCode).toBe(400);
    expect({ locations: await locationCount(), audit: await count(t, 'audit_records') }).toEqual(before);
  });
});

describe('changing a location', () => {
  it('a PUT with the current ETag replaces it, bumps the ETag and audits only what changed', async () => {
    const l = await create();
    const next = { ...locationBody(), name: 'Fabrikam Lyon Part-Dieu', contact: l.body.contact };
    const res = await req('PUT', `/v1/locations/${l.id}`, { ...a.auth, 'if-match': l.etag }, next);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).toBe('W/"2"');
    expect(res.json()).toMatchObject({ name: 'Fabrikam Lyon Part-Dieu', address: next.address });
    const records = await auditOf(l.id);
    expect(records.map((r) => r.action)).toEqual(['location.created', 'location.updated']);
    expect(Object.keys(records[1]!.changes as object).sort()).toEqual(['address', 'name']);
  });

  it('a stale ETag gets 412 with the current ETag and a missing If-Match 428; nothing changes', async () => {
    const l = await create();
    const ok = await req('PUT', `/v1/locations/${l.id}`, { ...a.auth, 'if-match': l.etag }, locationBody());
    expect(ok.statusCode).toBe(200);
    const current = (await req('GET', `/v1/locations/${l.id}`, a.auth)).json();
    const auditBefore = await count(t, 'audit_records');

    const stale = await req('PUT', `/v1/locations/${l.id}`, { ...a.auth, 'if-match': l.etag }, locationBody({ name: 'Lost update' }));
    expect(stale.statusCode).toBe(412);
    expectErrorShape(stale.json(), 'PRECONDITION_FAILED');
    expect(stale.headers.etag).toBe('W/"2"');
    const missing = await req('PUT', `/v1/locations/${l.id}`, a.auth, locationBody({ name: 'Blind write' }));
    expect(missing.statusCode).toBe(428);
    expectErrorShape(missing.json(), 'PRECONDITION_REQUIRED');
    const staleDelete = await req('DELETE', `/v1/locations/${l.id}`, { ...a.auth, 'if-match': l.etag });
    expect(staleDelete.statusCode).toBe(412);

    expect((await req('GET', `/v1/locations/${l.id}`, a.auth)).json()).toEqual(current);
    expect(await count(t, 'audit_records')).toBe(auditBefore);
  });
});

describe('deleting a location', () => {
  it('is permanent: with the current ETag it answers 204, the location is gone and the deletion audited', async () => {
    const l = await create();
    const res = await req('DELETE', `/v1/locations/${l.id}`, { ...a.auth, 'if-match': l.etag });
    expect(res.statusCode).toBe(204);
    expect((await req('GET', `/v1/locations/${l.id}`, a.auth)).statusCode).toBe(404);
    expect((await auditOf(l.id)).map((r) => r.action)).toEqual(['location.created', 'location.deleted']);
  });

  it('is refused with 409 LOCATION_IN_USE while a role assignment is scoped to it', async () => {
    const l = await create();
    const user = await userWith(['helpdesk-agent']);
    await t.db.updateTable('user_roles').set({ location_id: l.id }).where('user_id', '=', user.id).execute();
    const res = await req('DELETE', `/v1/locations/${l.id}`, { ...a.auth, 'if-match': l.etag, 'accept-language': 'fr' });
    expect(res.statusCode).toBe(409);
    expectErrorShape(res.json(), 'LOCATION_IN_USE');
    expect(res.json().message).toContain('1 attribution de rôle');
    expect((await req('GET', `/v1/locations/${l.id}`, a.auth)).statusCode).toBe(200);
    // The database refuses it too: the assignment references the location.
    await expect(t.db.deleteFrom('locations').where('id', '=', l.id).execute()).rejects.toThrow();
    await t.db.updateTable('user_roles').set({ location_id: null }).where('user_id', '=', user.id).execute();
    expect((await req('DELETE', `/v1/locations/${l.id}`, { ...a.auth, 'if-match': l.etag })).statusCode).toBe(204);
  });

  it('a role assignment cannot name another partner’s location (the database refuses it)', async () => {
    const theirs = await create(b.auth);
    await expect(t.db.updateTable('user_roles').set({ location_id: theirs.id }).where('user_id', '=', a.userId).execute()).rejects.toThrow();
  });
});

describe('another partner’s locations', () => {
  it('are not listed, and reading, changing or deleting one answers 404 and leaves it as it was', async () => {
    const theirs = await create(b.auth);
    const before = (await req('GET', `/v1/locations/${theirs.id}`, b.auth)).json();
    const list = (await req('GET', '/v1/locations?size=500', a.auth)).json() as { items: { id: string }[] };
    expect(list.items.map((l) => l.id)).not.toContain(theirs.id);
    for (const [method, payload] of [['GET', undefined], ['PUT', locationBody()], ['DELETE', undefined]] as const) {
      const res = await req(method, `/v1/locations/${theirs.id}`, { ...a.auth, 'if-match': theirs.etag }, payload);
      expect(res.statusCode, method).toBe(404);
      expectErrorShape(res.json(), 'NOT_FOUND');
    }
    expect((await req('GET', `/v1/locations/${theirs.id}`, b.auth)).json()).toEqual(before);
  });
});

describe('listing', () => {
  it('pages with a continuation token, oldest first, without repeating or skipping a location', async () => {
    const c = await enrolVerifiedPartner(t);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      ids.push((await create(c.auth)).id);
      t.clock.advance(1000);
    }
    const seen: string[] = [];
    let url: string | undefined = '/v1/locations?size=2';
    let pages = 0;
    while (url) {
      const res = await req('GET', url, c.auth);
      expect(res.statusCode).toBe(200);
      const page = res.json() as { totalCount: number; items: { id: string }[]; links: { next?: { uri: string } } };
      expect(page.totalCount).toBe(5);
      seen.push(...page.items.map((l) => l.id));
      url = page.links.next?.uri;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
    expect((await req('GET', '/v1/locations?continuationToken=garbage', c.auth)).statusCode).toBe(400);
  });
});
