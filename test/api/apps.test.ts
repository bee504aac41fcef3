import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, enrolVerifiedPartner, expectErrorShape, signIn, type TestApp } from '../support/harness';

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
const req = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Headers, payload?: object) =>
  t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

interface NewApp {
  id: string;
  clientId: string;
  roles: string[];
  status: string;
  secrets: { id: string; hint: string }[];
  secret: { id: string; secret: string; hint: string; expiresAt: string };
}

async function register(by: Headers, roles: string[] = ['user-management-admin'], name = `Billing sync ${++n}`) {
  const res = await req('POST', '/v1/apps', by, { name, roles });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as NewApp;
}

/** Moving the clock past the idle timeout ends the admins' sessions: sign them in again. */
async function advance(ms: number) {
  t.clock.advance(ms);
  a = { ...a, ...(await signIn(t, a.body.email, a.body.password)) };
  b = { ...b, ...(await signIn(t, b.body.email, b.body.password)) };
}

const exchange = (clientId: string, clientSecret: string) => t.app.inject({ method: 'POST', url: '/v1/apps/token', payload: { clientId, clientSecret } });

async function tokenOf(app: { clientId: string }, secret: string) {
  const res = await exchange(app.clientId, secret);
  expect(res.statusCode, res.body).toBe(200);
  return { authorization: `Bearer ${res.json().accessToken as string}` };
}

async function rows(table: 'api_apps' | 'api_app_secrets' | 'api_app_roles' | 'sessions' | 'audit_records' | 'users') {
  const r = await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}
const allCounts = async () => ({
  apps: await rows('api_apps'),
  secrets: await rows('api_app_secrets'),
  roles: await rows('api_app_roles'),
  sessions: await rows('sessions'),
  audit: await rows('audit_records'),
  users: await rows('users'),
});

/** A user of partner A holding `roleIds` (set directly), signed in with a password they chose. */
async function userWith(roleIds: string[]) {
  n += 1;
  const email = `apps${n}.${Date.now()}@fabrikam.example`;
  const created = await req('POST', '/v1/users', a.auth, { firstName: 'Ada', lastName: `Apps${n}`, email, roles: [] });
  const body = created.json() as { id: string; temporaryPassword: string };
  for (const roleId of roleIds) {
    const role = await t.db.selectFrom('roles').select('category').where('id', '=', roleId).executeTakeFirstOrThrow();
    await t.db.insertInto('user_roles').values({ partner_id: a.partnerId, user_id: body.id, role_id: roleId, category: role.category, location_id: null }).execute();
  }
  const first = await signIn(t, email, body.temporaryPassword);
  const password = `un nouveau mot de passe solide ${n}`;
  expect((await req('POST', '/v1/me/password', first.auth, { currentPassword: body.temporaryPassword, newPassword: password })).statusCode).toBe(204);
  return { id: body.id, ...(await signIn(t, email, password)) };
}

describe('registering an app', () => {
  it('a Global admin registers an app and gets its secret this once only', async () => {
    const app = await register(a.auth, ['user-management-admin'], 'Contoso CRM sync');
    expect(app.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(app.roles).toEqual(['user-management-admin']);
    expect(app.status).toBe('active');
    expect(app.secret.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(app.secret.hint).toBe(app.secret.secret.slice(-4));
    expect(new Date(app.secret.expiresAt).getTime()).toBe(t.clock.now().getTime() + 365 * 24 * 3600 * 1000);
    expect(app.secrets).toEqual([expect.objectContaining({ id: app.secret.id, hint: app.secret.hint, expired: false })]);

    const one = await req('GET', `/v1/apps/${app.id}`, a.auth);
    const list = await req('GET', '/v1/apps', a.auth);
    expect(one.statusCode).toBe(200);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((x: { id: string }) => x.id)).toContain(app.id);
    for (const body of [one.body, list.body]) {
      expect(body).not.toContain(app.secret.secret);
      expect(body).toContain(app.secret.hint);
    }
    // Stored as a hash only.
    const stored = await t.db.selectFrom('api_app_secrets').select(['secret_hash', 'hint']).where('id', '=', app.secret.id).executeTakeFirstOrThrow();
    expect(stored.secret_hash).not.toContain(app.secret.secret);
    expect(stored.hint).toBe(app.secret.hint);
  });

  it('a User management admin cannot see or manage apps (403)', async () => {
    const uma = await userWith(['user-management-admin']);
    const app = await register(a.auth);
    const before = await allCounts();
    for (const [method, url, body] of [
      ['GET', '/v1/apps'],
      ['POST', '/v1/apps', { name: 'Nope', roles: ['helpdesk-agent'] }],
      ['GET', `/v1/apps/${app.id}`],
      ['PATCH', `/v1/apps/${app.id}`, { status: 'disabled' }],
      ['POST', `/v1/apps/${app.id}/secrets`],
      ['DELETE', `/v1/apps/${app.id}/secrets/${app.secret.id}`],
      ['DELETE', `/v1/apps/${app.id}`],
    ] as const) {
      const res = await req(method, url, uma.auth, body);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expectErrorShape(res.json(), 'FORBIDDEN');
    }
    expect(await allCounts()).toEqual(before);
  });

  it('an app cannot be given a role with permissions the admin lacks', async () => {
    // A company role that may manage apps but not users (custom roles are partner rows of `roles`).
    const roleId = `custom-apps-only-${Date.now()}`;
    await t.db
      .insertInto('roles')
      .values({ id: roleId, partner_id: a.partnerId, category: 'custom', built_in: false, name: 'Apps only', permissions: ['account.read', 'me.update', 'apps.manage', 'roles.read', 'support.read'] })
      .execute();
    const appsAdmin = await userWith([roleId]);
    const held = await register(a.auth, ['user-management-admin']);
    const before = await allCounts();
    const create = await req('POST', '/v1/apps', appsAdmin.auth, { name: 'Escalation', roles: ['user-management-admin'] });
    expect(create.statusCode).toBe(403);
    expectErrorShape(create.json(), 'ROLE_ESCALATION');
    // Nor act on an app holding more than they do.
    const disable = await req('PATCH', `/v1/apps/${held.id}`, appsAdmin.auth, { status: 'disabled' });
    expect(disable.json().code).toBe('ROLE_ESCALATION');
    expect(await allCounts()).toEqual(before);
    // A role within their own permissions is fine.
    expect((await req('POST', '/v1/apps', appsAdmin.auth, { name: 'Within', roles: [roleId] })).statusCode).toBe(201);
  });

  it('refuses bad input with a translated 400 and writes nothing', async () => {
    const fr = { ...a.auth, 'accept-language': 'fr' };
    const before = await allCounts();
    const empty = await req('POST', '/v1/apps', fr, { name: '  ', roles: [] });
    expect(empty.statusCode).toBe(400);
    expectErrorShape(empty.json(), 'VALIDATION_FAILED');
    expect(empty.json().message).toMatch(/[éè]|requête|données/i);
    expect(empty.json().details.map((d: { field: string }) => d.field).sort()).toEqual(['name', 'roles']);

    const unknown = await req('POST', '/v1/apps', fr, { name: 'Sync', roles: ['no-such-role'] });
    expect(unknown.statusCode).toBe(400);
    expectErrorShape(unknown.json(), 'UNKNOWN_ROLE');
    expect(unknown.json().details[0]).toMatchObject({ field: 'roles', reason: 'unknown_role' });
    expect((await req('POST', '/v1/apps', fr, { name: 'Sync', roles: ['default-user'] })).json().code).toBe('UNKNOWN_ROLE');
    expect((await req('POST', '/v1/apps', fr, { name: 'Sync', roles: ['billing-admin', 'account-admin'] })).json().code).toBe('ROLE_CATEGORY_CONFLICT');
    expect((await req('POST', '/v1/apps', fr, { name: 'Sync', roles: ['helpdesk-agent'], clientId: 'mine' })).json().details[0].reason).toBe('unknown_field');

    const app = await register(a.auth);
    const mid = await allCounts();
    expect((await req('PATCH', `/v1/apps/${app.id}`, fr, { status: 'paused' })).statusCode).toBe(400);
    expect((await req('PATCH', `/v1/apps/${app.id}`, fr, { roles: ['no-such-role'] })).json().code).toBe('UNKNOWN_ROLE');
    expect((await req('POST', `/v1/apps/${app.id}/secrets`, fr, { expiresInDays: 0 })).statusCode).toBe(400);
    expect((await req('GET', '/v1/apps/not-a-uuid', fr)).statusCode).toBe(400);
    const tokenBad = await t.app.inject({ method: 'POST', url: '/v1/apps/token', headers: { 'accept-language': 'fr' }, payload: { clientId: app.clientId } });
    expect(tokenBad.statusCode).toBe(400);
    expect(tokenBad.json().details[0]).toMatchObject({ field: 'clientSecret', reason: 'required' });
    expect(await allCounts()).toEqual(mid);
    expect(mid.apps).toBe(before.apps + 1);
  });
});

describe('an app calling the API', () => {
  it('exchanges its credentials for a 60-minute token and lists users with its role', async () => {
    const app = await register(a.auth, ['user-management-admin']);
    const res = await exchange(app.clientId, app.secret.secret);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ accessToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), tokenType: 'Bearer', expiresIn: 3600 });
    const auth = { authorization: `Bearer ${res.json().accessToken as string}` };

    const users = await req('GET', '/v1/users', auth);
    expect(users.statusCode).toBe(200);
    expect(users.json().items.map((u: { id: string }) => u.id)).toContain(a.userId);
    expect((await req('GET', `/v1/users/${a.userId}`, auth)).statusCode).toBe(200);
    expect((await req('GET', '/v1/roles', auth)).statusCode).toBe(200);
    expect((await req('GET', '/v1/auditrecords', auth)).statusCode).toBe(200);

    await advance(59 * 60 * 1000);
    expect((await req('GET', '/v1/users', auth)).statusCode).toBe(200);
    await advance(60 * 1000);
    const expired = await req('GET', '/v1/users', auth);
    expect(expired.statusCode).toBe(401);
  });

  it('also accepts the OAuth client-credentials form', async () => {
    const app = await register(a.auth, ['helpdesk-agent']);
    const form = (grant: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/apps/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: grant, client_id: app.clientId, client_secret: app.secret.secret }).toString(),
      });
    const ok = await form('client_credentials');
    expect(ok.statusCode).toBe(200);
    expect(ok.json().tokenType).toBe('Bearer');
    expect((await form('password')).statusCode).toBe(400);
    // Only the token endpoint reads forms.
    const elsewhere = await t.app.inject({ method: 'POST', url: '/v1/apps', headers: { ...a.auth, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name=x&roles=helpdesk-agent' });
    expect(elsewhere.statusCode).toBe(415);
  });

  it('gets 403, never 500, outside its roles and on every route about a signed-in person', async () => {
    const app = await register(a.auth, ['helpdesk-agent']);
    const auth = await tokenOf(app, app.secret.secret);
    for (const [method, url, body] of [
      ['GET', '/v1/users'],
      ['POST', '/v1/users', { firstName: 'A', lastName: 'B', email: 'ab@fabrikam.example', roles: [] }],
      ['GET', '/v1/auditrecords'],
      ['GET', '/v1/me'],
      ['PATCH', '/v1/me', { locale: 'fr' }],
      ['POST', '/v1/me/password', { currentPassword: 'x', newPassword: 'y' }],
      ['DELETE', '/v1/sessions/current'],
      ['GET', '/v1/apps'],
      ['GET', '/v1/operator/partners'],
    ] as const) {
      const res = await req(method, url, auth, body);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expectErrorShape(res.json(), 'FORBIDDEN');
    }
  });

  it('even holding Global admin, an app cannot manage apps nor act as a person, and no route answers 500', async () => {
    const app = await register(a.auth, ['global-admin']);
    const auth = await tokenOf(app, app.secret.secret);
    for (const url of ['/v1/me', '/v1/apps', `/v1/apps/${app.id}`, '/v1/account/security']) {
      const res = await req('GET', url, auth);
      expect(res.statusCode, url).toBe(403);
    }
    expect((await req('POST', `/v1/apps/${app.id}/secrets`, auth)).statusCode).toBe(403);
    for (const r of t.routes.filter((x) => !x.public && x.method === 'GET' && !x.url.includes(':'))) {
      const res = await req('GET', r.url, auth);
      expect(res.statusCode, r.url).toBeLessThan(500);
    }
    expect((await req('GET', '/v1/profiles/legalbusiness', auth)).statusCode).toBe(200);
  });

  it('authenticates with Authorization: Bearer only, never a cookie', async () => {
    const app = await register(a.auth);
    const token = (await tokenOf(app, app.secret.secret)).authorization.slice('Bearer '.length);
    const res = await req('GET', '/v1/users', { cookie: `__Host-sid=${token}` });
    expect(res.statusCode).toBe(401);
  });

  it('creates, changes and deletes a user; the activity log names the app as the actor', async () => {
    const app = await register(a.auth, ['account-admin', 'referrals-admin']);
    const auth = await tokenOf(app, app.secret.secret);
    const email = `made.by.app.${Date.now()}@fabrikam.example`;
    const created = await req('POST', '/v1/users', auth, { firstName: 'Grace', lastName: 'Hopper', email, roles: ['compliance-admin'] });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect((await req('PATCH', `/v1/users/${id}`, auth, { roles: ['referrals-user'] })).json().roles).toEqual(['referrals-user']);
    // Anti-escalation still holds: not a role beyond the app's own permissions.
    expect((await req('PATCH', `/v1/users/${id}`, auth, { roles: ['global-admin'] })).json().code).toBe('ROLE_ESCALATION');
    expect((await req('DELETE', `/v1/users/${id}`, auth)).statusCode).toBe(204);

    const log = await req('GET', `/v1/auditrecords?size=100`, a.auth);
    const byApp = (log.json().items as { actor: { type: string; id: string }; action: string; target: { id: string } }[]).filter((r) => r.actor.type === 'app' && r.actor.id === app.id);
    expect(byApp.map((r) => r.action)).toEqual(expect.arrayContaining(['user.created', 'user.roles_changed', 'user.deleted', 'app.token_issued']));
    expect(byApp.find((r) => r.action === 'user.created')?.target.id).toBe(id);
  });
});

describe('ending an app’s access', () => {
  it('a revoked secret can no longer get tokens and its tokens stop working; the other secret keeps working', async () => {
    const app = await register(a.auth);
    const second = await req('POST', `/v1/apps/${app.id}/secrets`, a.auth, { expiresInDays: 30 });
    expect(second.statusCode).toBe(201);
    const s2 = second.json() as { id: string; secret: string; expiresAt: string };
    expect(new Date(s2.expiresAt).getTime()).toBe(t.clock.now().getTime() + 30 * 24 * 3600 * 1000);
    const third = await req('POST', `/v1/apps/${app.id}/secrets`, a.auth);
    expect(third.statusCode, third.body).toBe(409);
    expectErrorShape(third.json(), 'APP_SECRET_LIMIT');

    const t1 = await tokenOf(app, app.secret.secret);
    const t2 = await tokenOf(app, s2.secret);
    expect((await req('DELETE', `/v1/apps/${app.id}/secrets/${app.secret.id}`, a.auth)).statusCode).toBe(204);
    expect((await req('GET', '/v1/users', t1)).statusCode).toBe(401);
    expect((await req('GET', '/v1/users', t2)).statusCode).toBe(200);
    const again = await exchange(app.clientId, app.secret.secret);
    expect(again.statusCode).toBe(401);
    expectErrorShape(again.json(), 'INVALID_CLIENT');
    expect((await req('DELETE', `/v1/apps/${app.id}/secrets/${app.secret.id}`, a.auth)).statusCode).toBe(404);
    // Room for a new secret again.
    expect((await req('POST', `/v1/apps/${app.id}/secrets`, a.auth)).statusCode).toBe(201);
  });

  it('an expired secret can no longer get tokens', async () => {
    const app = await register(a.auth);
    const short = (await req('POST', `/v1/apps/${app.id}/secrets`, a.auth, { expiresInDays: 1 })).json() as { secret: string };
    await advance(24 * 3600 * 1000);
    expect((await exchange(app.clientId, short.secret)).json().code).toBe('INVALID_CLIENT');
    expect((await exchange(app.clientId, app.secret.secret)).statusCode).toBe(200);
    const secrets = (await req('GET', `/v1/apps/${app.id}`, a.auth)).json().secrets as { id: string; expired: boolean }[];
    expect(secrets.find((s) => s.id === app.secret.id)?.expired).toBe(false);
    expect(secrets.find((s) => s.id !== app.secret.id)?.expired).toBe(true);
  });

  it('a disabled app cannot get tokens and its live tokens stop working; enabled again, it can', async () => {
    const app = await register(a.auth);
    const auth = await tokenOf(app, app.secret.secret);
    const off = await req('PATCH', `/v1/apps/${app.id}`, a.auth, { status: 'disabled' });
    expect(off.statusCode).toBe(200);
    expect(off.json().status).toBe('disabled');
    expect((await req('GET', '/v1/users', auth)).statusCode).toBe(401);
    expect((await exchange(app.clientId, app.secret.secret)).json().code).toBe('INVALID_CLIENT');
    expect((await req('PATCH', `/v1/apps/${app.id}`, a.auth, { status: 'active' })).statusCode).toBe(200);
    expect((await req('GET', '/v1/users', await tokenOf(app, app.secret.secret))).statusCode).toBe(200);
  });

  it('a deleted app can no longer get tokens and its tokens stop working', async () => {
    const app = await register(a.auth);
    const auth = await tokenOf(app, app.secret.secret);
    expect((await req('DELETE', `/v1/apps/${app.id}`, a.auth)).statusCode).toBe(204);
    expect((await req('GET', '/v1/users', auth)).statusCode).toBe(401);
    expect((await exchange(app.clientId, app.secret.secret)).json().code).toBe('INVALID_CLIENT');
    expect((await req('GET', `/v1/apps/${app.id}`, a.auth)).statusCode).toBe(404);
    expect(await t.db.selectFrom('api_app_secrets').select('id').where('app_id', '=', app.id).execute()).toEqual([]);
  });

  it('a role change applies to the app’s next request', async () => {
    const app = await register(a.auth, ['helpdesk-agent']);
    const auth = await tokenOf(app, app.secret.secret);
    expect((await req('GET', '/v1/users', auth)).statusCode).toBe(403);
    expect((await req('PATCH', `/v1/apps/${app.id}`, a.auth, { roles: ['user-management-admin'] })).json().roles).toEqual(['user-management-admin']);
    expect((await req('GET', '/v1/users', auth)).statusCode).toBe(200);
  });

  it('an unknown client, a wrong secret and a disabled app all get the same 401; failures are audited', async () => {
    const app = await register(a.auth);
    const unknown = await exchange('00000000-0000-4000-8000-000000000000', app.secret.secret);
    const wrong = await exchange(app.clientId, `${app.secret.secret.slice(0, -1)}x`);
    await req('PATCH', `/v1/apps/${app.id}`, a.auth, { status: 'disabled' });
    const disabled = await exchange(app.clientId, app.secret.secret);
    for (const res of [unknown, wrong, disabled]) {
      expect(res.statusCode).toBe(401);
      expectErrorShape(res.json(), 'INVALID_CLIENT');
    }
    expect(unknown.json().message).toBe(wrong.json().message);
    const failures = await t.db.selectFrom('audit_records').select(['actor_type', 'changes']).where('action', '=', 'app.token_issued').where('target_id', '=', app.id).where('outcome', '=', 'failure').execute();
    expect(failures.map((f) => f.changes)).toEqual([{ reason: { after: 'invalid_secret' } }, { reason: { after: 'app_disabled' } }]);
    expect(failures.every((f) => f.actor_type === 'anonymous')).toBe(true);
  });
});

describe('audit and tenancy', () => {
  it('another partner’s app answers 404 to every call, and nothing changes', async () => {
    const app = await register(a.auth);
    const before = await allCounts();
    for (const [method, url, body] of [
      ['GET', `/v1/apps/${app.id}`],
      ['PATCH', `/v1/apps/${app.id}`, { status: 'disabled' }],
      ['POST', `/v1/apps/${app.id}/secrets`],
      ['DELETE', `/v1/apps/${app.id}/secrets/${app.secret.id}`],
      ['DELETE', `/v1/apps/${app.id}`],
    ] as const) {
      const res = await req(method, url, b.auth, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expectErrorShape(res.json(), 'NOT_FOUND');
    }
    expect(await allCounts()).toEqual(before);
    expect((await req('GET', '/v1/apps', b.auth)).body).not.toContain(app.id);
    // B's app sees B's users only.
    const bApp = await register(b.auth);
    const users = await req('GET', '/v1/users', await tokenOf(bApp, bApp.secret.secret));
    expect(users.body).not.toContain(a.userId);
    expect((await req('GET', `/v1/users/${a.userId}`, await tokenOf(bApp, bApp.secret.secret))).statusCode).toBe(404);
  });

  it('records app changes without secrets, and the app’s own calls with actor type app', async () => {
    const app = await register(a.auth);
    const added = (await req('POST', `/v1/apps/${app.id}/secrets`, a.auth)).json() as { id: string; secret: string; hint: string };
    await req('PATCH', `/v1/apps/${app.id}`, a.auth, { name: 'Renamed sync', roles: ['account-admin'] });
    await req('DELETE', `/v1/apps/${app.id}/secrets/${added.id}`, a.auth);
    const auth = await tokenOf(app, app.secret.secret);
    await req('GET', '/v1/users', auth);
    await req('DELETE', `/v1/apps/${app.id}`, a.auth);

    const rowsOf = await t.db.selectFrom('audit_records').selectAll().where('target_id', '=', app.id).orderBy('id').execute();
    expect(rowsOf.map((r) => [r.action, r.actor_type, r.outcome])).toEqual([
      ['app.created', 'user', 'success'],
      ['app.secret_added', 'user', 'success'],
      ['app.roles_changed', 'user', 'success'],
      ['app.secret_revoked', 'user', 'success'],
      ['app.token_issued', 'app', 'success'],
      ['app.deleted', 'user', 'success'],
    ]);
    expect(rowsOf.find((r) => r.action === 'app.token_issued')?.actor_id).toBe(app.id);
    expect(rowsOf.find((r) => r.action === 'app.secret_revoked')?.changes).toEqual({ secret: { before: `…${added.hint}` } });
    const all = JSON.stringify(rowsOf);
    expect(all).not.toContain(app.secret.secret);
    expect(all).not.toContain(added.secret);
  });
});
