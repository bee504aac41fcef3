import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, enrolVerifiedPartner, signIn, type TestApp } from '../support/harness';

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

type Auth = { authorization: string };
const req = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Auth, payload?: object) =>
  t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

async function addUser(by: Auth, roles: string[] = [], extra: Record<string, string> = {}) {
  n += 1;
  const email = `user${n}.${Date.now()}@fabrikam.example`;
  const res = await req('POST', '/v1/users', by, { firstName: `Ada${n}`, lastName: `Lovelace${n}`, email, roles, ...extra });
  return { res, email, body: res.json() as { id: string; temporaryPassword: string; roles: string[] } };
}

/** A user of partner A holding `roles`, who has replaced the temporary password and is signed in. */
async function activeUser(roles: string[]) {
  const { body, email } = await addUser(a.auth, roles);
  const first = await signIn(t, email, body.temporaryPassword);
  const password = `un nouveau mot de passe solide ${n}`;
  const ch = await req('POST', '/v1/me/password', first.auth, { currentPassword: body.temporaryPassword, newPassword: password });
  expect(ch.statusCode).toBe(204);
  return { id: body.id, email, password, ...(await signIn(t, email, password)) };
}

describe('roles', () => {
  it('lists the built-in roles with translated names; the default user is not assignable', async () => {
    const res = await req('GET', '/v1/roles', a.auth);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: string; name: string; assignable: boolean; permissions: string[] }[];
    expect(items.find((r) => r.id === 'global-admin')?.name).toBe('Global admin');
    expect(items.find((r) => r.id === 'default-user')?.assignable).toBe(false);
    const helpdesk = items.find((r) => r.id === 'helpdesk-agent')!;
    expect(helpdesk.permissions.some((p) => p.startsWith('pricing.') || p.startsWith('billing.'))).toBe(false);
  });
});

describe('adding a user', () => {
  it('answers the temporary password once; the user must change it at first sign-in', async () => {
    const { res, email, body } = await addUser(a.auth, ['helpdesk-agent']);
    expect(res.statusCode).toBe(201);
    expect(body.temporaryPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(body.roles).toEqual(['helpdesk-agent']);
    const again = await req('GET', `/v1/users/${body.id}`, a.auth);
    expect(again.statusCode).toBe(200);
    expect(again.body).not.toContain(body.temporaryPassword);

    const signInRes = await t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email, password: body.temporaryPassword } });
    expect(signInRes.statusCode).toBe(201);
    expect(signInRes.json().passwordChangeRequired).toBe(true);
    const auth = { authorization: `Bearer ${signInRes.json().token}` };
    const blocked = await req('GET', '/v1/me', auth);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('PASSWORD_CHANGE_REQUIRED');

    const reused = await req('POST', '/v1/me/password', auth, { currentPassword: body.temporaryPassword, newPassword: body.temporaryPassword });
    expect(reused.json().code).toBe('PASSWORD_REUSED');
    const ok = await req('POST', '/v1/me/password', auth, { currentPassword: body.temporaryPassword, newPassword: 'la marée monte doucement 2026' });
    expect(ok.statusCode).toBe(204);
    expect((await req('GET', '/v1/me', auth)).statusCode).toBe(200);
    const old = await t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email, password: body.temporaryPassword } });
    expect(old.statusCode).toBe(401);
  });

  it('a temporary password expires after 24 hours', async () => {
    const { email, body } = await addUser(a.auth);
    t.clock.advance(24 * 60 * 60 * 1000 + 1000);
    const res = await t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email, password: body.temporaryPassword } });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('INVALID_CREDENTIALS');
    // A day has passed for everyone: the admins' sessions have expired too.
    Object.assign(a, await signIn(t, a.body.email, a.body.password));
    Object.assign(b, await signIn(t, b.body.email, b.body.password));
  });

  it('refuses a taken email, an unknown role, two roles of one category and the default user, writing nothing', async () => {
    const users = await count(t, 'users');
    const taken = await req('POST', '/v1/users', a.auth, { firstName: 'X', lastName: 'Y', email: b.body.email.toUpperCase(), roles: [] });
    expect([taken.statusCode, taken.json().code]).toEqual([409, 'EMAIL_ALREADY_REGISTERED']);
    expect((await addUser(a.auth, ['chief-wizard'])).res.json().code).toBe('UNKNOWN_ROLE');
    expect((await addUser(a.auth, ['default-user'])).res.json().code).toBe('UNKNOWN_ROLE');
    const conflict = (await addUser(a.auth, ['admin-agent', 'sales-agent'])).res;
    expect([conflict.statusCode, conflict.json().code]).toEqual([400, 'ROLE_CATEGORY_CONFLICT']);
    expect(await count(t, 'users')).toBe(users);
  });
});

describe('no escalation', () => {
  it('a User management admin cannot grant a role with permissions they lack, nor act on a Global admin', async () => {
    const uma = await activeUser(['user-management-admin']);
    const grant = (await addUser(uma.auth, ['global-admin'])).res;
    expect([grant.statusCode, grant.json().code]).toEqual([403, 'ROLE_ESCALATION']);
    expect((await addUser(uma.auth, ['billing-admin'])).res.statusCode).toBe(403);
    expect((await addUser(uma.auth, [])).res.statusCode).toBe(201);
    const reset = await req('POST', `/v1/users/${a.userId}/resetpassword`, uma.auth);
    expect([reset.statusCode, reset.json().code]).toEqual([403, 'GLOBAL_ADMIN_RESET_FORBIDDEN']);
    const deactivate = await req('PATCH', `/v1/users/${a.userId}`, uma.auth, { status: 'inactive' });
    expect([deactivate.statusCode, deactivate.json().code]).toEqual([403, 'ROLE_ESCALATION']);
    const selfPromote = await req('PATCH', `/v1/users/${uma.id}`, uma.auth, { roles: ['global-admin'] });
    expect(selfPromote.statusCode).toBe(403);
  });
});

describe('the last Global admin', () => {
  it('cannot be demoted, deactivated or deleted while they are the only one', async () => {
    const solo = await enrolVerifiedPartner(t);
    for (const [method, payload] of [['PATCH', { roles: [] }], ['PATCH', { status: 'inactive' }], ['DELETE', undefined]] as const) {
      const res = await req(method, `/v1/users/${solo.userId}`, solo.auth, payload);
      expect([res.statusCode, res.json().code]).toEqual([409, 'LAST_GLOBAL_ADMIN']);
    }
    const me = await req('GET', '/v1/me', solo.auth);
    expect(me.json().roles.map((r: { id: string }) => r.id)).toEqual(['global-admin']);
    const list = await req('GET', '/v1/users', solo.auth);
    expect(list.json().globalAdminCount).toBe(1);
  });

  it('can step down once a second Global admin exists', async () => {
    const solo = await enrolVerifiedPartner(t);
    const second = await req('POST', '/v1/users', solo.auth, { firstName: 'Grace', lastName: 'Hopper', email: `grace.${Date.now()}@contoso.example`, roles: ['global-admin'] });
    expect(second.statusCode).toBe(201);
    const res = await req('PATCH', `/v1/users/${solo.userId}`, solo.auth, { roles: ['billing-admin'] });
    expect(res.statusCode).toBe(200);
    expect(res.json().roles).toEqual(['billing-admin']);
  });
});

describe('changing a user', () => {
  it('deactivating ends their sessions and stops sign-in; reactivating restores it', async () => {
    const u = await activeUser(['helpdesk-agent']);
    const off = await req('PATCH', `/v1/users/${u.id}`, a.auth, { status: 'inactive' });
    expect(off.json().status).toBe('inactive');
    expect((await req('GET', '/v1/me', u.auth)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: u.email, password: u.password } })).statusCode).toBe(401);
    await req('PATCH', `/v1/users/${u.id}`, a.auth, { status: 'active' });
    expect((await t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: u.email, password: u.password } })).statusCode).toBe(201);
  });

  it('a role change applies to the user’s next request', async () => {
    const u = await activeUser(['helpdesk-agent']);
    expect((await req('GET', '/v1/users', u.auth)).statusCode).toBe(403);
    await req('PATCH', `/v1/users/${u.id}`, a.auth, { roles: ['user-management-admin'] });
    expect((await req('GET', '/v1/users', u.auth)).statusCode).toBe(200);
  });

  it('deleting a user removes them and their sessions', async () => {
    const u = await activeUser([]);
    expect((await req('DELETE', `/v1/users/${u.id}`, a.auth)).statusCode).toBe(204);
    expect((await req('GET', `/v1/users/${u.id}`, a.auth)).statusCode).toBe(404);
    expect((await req('GET', '/v1/me', u.auth)).statusCode).toBe(401);
  });

  it('an admin reset gives a one-time temporary password and ends the user’s sessions', async () => {
    const u = await activeUser(['sales-agent']);
    const res = await req('POST', `/v1/users/${u.id}/resetpassword`, a.auth);
    expect(res.statusCode).toBe(200);
    const temp = res.json().temporaryPassword as string;
    expect((await req('GET', '/v1/me', u.auth)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: u.email, password: u.password } })).statusCode).toBe(401);
    const s = await t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: u.email, password: temp } });
    expect(s.json().passwordChangeRequired).toBe(true);
  });

  it('another partner’s user answers 404 to every call, and nothing changes', async () => {
    for (const [method, url, payload] of [
      ['GET', `/v1/users/${b.userId}`, undefined],
      ['PATCH', `/v1/users/${b.userId}`, { firstName: 'Mallory' }],
      ['DELETE', `/v1/users/${b.userId}`, undefined],
      ['POST', `/v1/users/${b.userId}/resetpassword`, undefined],
    ] as const) {
      const res = await req(method, url, a.auth, payload);
      expect([res.statusCode, res.json().code], `${method} ${url}`).toEqual([404, 'NOT_FOUND']);
    }
    expect((await req('GET', '/v1/me', b.auth)).json().user.firstName).toBe(b.body.primaryContact.firstName);
  });
});

describe('my password', () => {
  it('needs the current password; other sessions end, this one stays', async () => {
    const u = await activeUser([]);
    const other = await signIn(t, u.email, u.password);
    const wrong = await req('POST', '/v1/me/password', u.auth, { currentPassword: 'not it at all, sorry', newPassword: 'encore une phrase de passe 42' });
    expect(wrong.json().code).toBe('INVALID_CREDENTIALS');
    const weak = await req('POST', '/v1/me/password', u.auth, { currentPassword: u.password, newPassword: 'short' });
    expect([weak.json().code, weak.json().details[0].field]).toEqual(['PASSWORD_POLICY', 'newPassword']);
    expect((await req('POST', '/v1/me/password', u.auth, { currentPassword: u.password, newPassword: 'encore une phrase de passe 42' })).statusCode).toBe(204);
    expect((await req('GET', '/v1/me', u.auth)).statusCode).toBe(200);
    expect((await req('GET', '/v1/me', other.auth)).statusCode).toBe(401);
  });
});

describe('the users list', () => {
  it('searches, filters by role, sorts, and pages with links.next visiting each user once', async () => {
    const p = await enrolVerifiedPartner(t);
    for (const [first, last, roles] of [['Zoé', 'Abadie', ['billing-admin']], ['Yann', 'Bernard', []], ['Xavier', 'Caron', ['global-admin']], ['Wanda', 'Dumas', []]] as const) {
      const r = await req('POST', '/v1/users', p.auth, { firstName: first, lastName: last, email: `${first.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()}.${Date.now()}@list.example`, roles: [...roles] });
      expect(r.statusCode).toBe(201);
    }
    const all = await req('GET', '/v1/users?size=500', p.auth);
    expect(all.json().totalCount).toBe(5);
    expect(all.json().items.map((u: { lastName: string }) => u.lastName).slice(0, 4)).toEqual(['Abadie', 'Bernard', 'Caron', 'Dumas']);
    expect(all.json().globalAdminCount).toBe(2);
    const gas = await req('GET', '/v1/users?role=global-admin', p.auth);
    expect(gas.json().items.map((u: { lastName: string }) => u.lastName).sort()).toEqual(['Caron', p.body.primaryContact.lastName].sort());
    expect((await req('GET', '/v1/users?search=BERN', p.auth)).json().items.map((u: { lastName: string }) => u.lastName)).toEqual(['Bernard']);
    const seen: string[] = [];
    let uri: string | undefined = '/v1/users?size=2&sort=email';
    while (uri) {
      const page = (await req('GET', uri, p.auth)).json() as { items: { email: string }[]; links: { next?: { uri: string } } };
      seen.push(...page.items.map((u: { email: string }) => u.email));
      uri = page.links.next?.uri;
    }
    expect(seen).toEqual(all.json().items.map((u: { email: string }) => u.email).sort());
  });

  it('records every change in the audit trail', async () => {
    const actions = (await t.db.selectFrom('audit_records').select('action').where('partner_id', '=', a.partnerId).execute()).map((r) => r.action);
    for (const action of ['user.created', 'user.roles_changed', 'user.deactivated', 'user.reactivated', 'user.deleted', 'user.password_reset_by_admin', 'user.password_changed']) {
      expect(actions, action).toContain(action);
    }
  });
});

describe('the users list total', () => {
  it('follows additions and deletions, and counts a role filter and a search exactly', async () => {
    const p = await enrolVerifiedPartner(t);
    const total = async (query = '') => (await req('GET', `/v1/users?size=1${query}`, p.auth)).json().totalCount as number;
    expect(await total()).toBe(1);
    const added = [await addUser(p.auth, ['sales-agent']), await addUser(p.auth, ['sales-agent']), await addUser(p.auth, [])];
    expect(await total()).toBe(4);
    expect(await total('&role=sales-agent')).toBe(2);
    expect(await total('&role=global-admin')).toBe(1);
    expect(await total(`&search=${encodeURIComponent(added[2]!.email)}`)).toBe(1);
    expect((await req('DELETE', `/v1/users/${added[0]!.body.id}`, p.auth)).statusCode).toBe(204);
    expect(await total()).toBe(3);
    expect(await total('&role=sales-agent')).toBe(1);
    // The counter is the company's own: another company's changes leave it alone.
    await addUser(b.auth, []);
    expect(await total()).toBe(3);
  });
});
