import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, enrolVerifiedPartner, expectErrorShape, signIn, type TestApp } from '../support/harness';

let t: TestApp;
let a: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let b: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let n = 0;

beforeAll(async () => {
  // The session cache is on: a role change must still reach its holders at once.
  t = await createTestApp({ config: { sessionCacheMs: 60_000 } });
  a = await enrolVerifiedPartner(t);
  b = await enrolVerifiedPartner(t);
});
afterAll(async () => t?.close());

type Auth = { authorization: string };
type Role = { id: string; name: string; description: string | null; category: string; builtIn: boolean; permissions: string[]; userCount: number };
const req = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Auth, payload?: object) =>
  t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

async function roleCount(): Promise<number> {
  const r = await t.db.selectFrom('roles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

async function auditOf(action: string, targetId: string) {
  return t.db.selectFrom('audit_records').select(['action', 'changes', 'actor_id']).where('action', '=', action).where('target_id', '=', targetId).execute();
}

async function createRole(by: Auth, body: { name?: string; description?: string; permissions: string[] }) {
  n += 1;
  const res = await req('POST', '/v1/roles', by, { name: body.name ?? `Custom role ${n}`, ...(body.description ? { description: body.description } : {}), permissions: body.permissions });
  return { res, role: res.json() as Role };
}

/** A user of partner A holding `roles`, who has replaced the temporary password and is signed in. */
async function activeUser(roles: string[], by: Auth = a.auth) {
  n += 1;
  const email = `holder${n}.${Date.now()}@fabrikam.example`;
  const created = await req('POST', '/v1/users', by, { firstName: `Grace${n}`, lastName: `Hopper${n}`, email, roles });
  expect(created.statusCode, created.body).toBe(201);
  const body = created.json() as { id: string; temporaryPassword: string };
  const first = await signIn(t, email, body.temporaryPassword);
  const password = `un nouveau mot de passe solide ${n}`;
  expect((await req('POST', '/v1/me/password', first.auth, { currentPassword: body.temporaryPassword, newPassword: password })).statusCode).toBe(204);
  return { id: body.id, email, ...(await signIn(t, email, password)) };
}

describe('custom roles', () => {
  it('a Global admin builds a custom role from permissions; the list shows it to my company only', async () => {
    const { res, role } = await createRole(a.auth, { name: 'Directory reader', description: 'Reads the user directory', permissions: ['users.read', 'roles.read'] });
    expect(res.statusCode).toBe(201);
    expect(role).toMatchObject({ name: 'Directory reader', description: 'Reads the user directory', category: 'custom', builtIn: false, userCount: 0 });
    expect(role.id).toMatch(/^custom-[0-9a-f-]{36}$/);
    // The default user's permissions are implicit.
    expect(role.permissions).toEqual(['account.read', 'me.update', 'roles.read', 'users.read']);

    const mine = (await req('GET', '/v1/roles', a.auth)).json().items as Role[];
    expect(mine.find((r) => r.id === role.id)?.name).toBe('Directory reader');
    expect(mine.find((r) => r.id === 'global-admin')?.builtIn).toBe(true);
    const theirs = await req('GET', '/v1/roles', b.auth);
    expect(theirs.body).not.toContain(role.id);
    expect(theirs.body).not.toContain('Directory reader');

    const [record] = await auditOf('role.created', role.id);
    expect(record?.changes).toMatchObject({ name: { after: 'Directory reader' }, permissions: { after: ['account.read', 'me.update', 'users.read', 'roles.read'] } });
  });

  it('the holder of a custom role gets exactly its permissions, and a change of the role reaches them at once', async () => {
    const { role } = await createRole(a.auth, { name: 'Directory keeper', permissions: ['users.read', 'roles.read'] });
    const holder = await activeUser([role.id]);
    const me = (await req('GET', '/v1/me', holder.auth)).json() as { roles: { id: string; name: string }[]; permissions: string[] };
    expect(me.roles).toEqual([{ id: role.id, name: 'Directory keeper' }]);
    expect(me.permissions).toEqual(['account.read', 'me.update', 'roles.read', 'users.read']);
    expect((await req('GET', '/v1/users', holder.auth)).statusCode).toBe(200);
    const denied = await req('POST', '/v1/users', holder.auth, { firstName: 'No', lastName: 'Way', email: `noway${n}@fabrikam.example`, roles: [] });
    expect(denied.statusCode).toBe(403);
    expect((await req('GET', `/v1/roles/${role.id}`, a.auth)).json().userCount).toBe(1);

    // Grant users.manage and take users.read away: both apply to the next request.
    const patched = await req('PATCH', `/v1/roles/${role.id}`, a.auth, { permissions: ['users.manage', 'roles.read'] });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().permissions).toEqual(['account.read', 'me.update', 'roles.read', 'users.manage']);
    expect((await req('GET', '/v1/users', holder.auth)).statusCode).toBe(403);
    const added = await req('POST', '/v1/users', holder.auth, { firstName: 'Now', lastName: 'Allowed', email: `allowed${n}@fabrikam.example`, roles: [] });
    expect(added.statusCode).toBe(201);

    const [record] = await auditOf('role.updated', role.id);
    expect(record?.changes).toEqual({
      permissions: { before: ['account.read', 'me.update', 'users.read', 'roles.read'], after: ['account.read', 'me.update', 'users.manage', 'roles.read'] },
    });
  });

  it('a User management admin cannot build, change or delete roles', async () => {
    const { role } = await createRole(a.auth, { permissions: ['users.read'] });
    const uma = await activeUser(['user-management-admin']);
    const before = await roleCount();
    const res = await req('POST', '/v1/roles', uma.auth, { name: 'Sneaky', permissions: ['users.read'] });
    expect(res.statusCode).toBe(403);
    expectErrorShape(res.json(), 'FORBIDDEN');
    expect((await req('PATCH', `/v1/roles/${role.id}`, uma.auth, { name: 'Renamed' })).statusCode).toBe(403);
    expect((await req('DELETE', `/v1/roles/${role.id}`, uma.auth)).statusCode).toBe(403);
    expect(await roleCount()).toBe(before);
    // Reading roles is enough to see them.
    expect((await req('GET', `/v1/roles/${role.id}`, uma.auth)).statusCode).toBe(200);
  });

  it('nobody can grant a permission they do not hold: a role builder without billing cannot build a billing role', async () => {
    const { role: builder } = await createRole(a.auth, { name: 'Role builder', permissions: ['roles.read', 'roles.manage', 'users.read'] });
    const { role: billing } = await createRole(a.auth, { name: 'Billing clerk', permissions: ['billing.read', 'billing.manage'] });
    const holder = await activeUser([builder.id]);
    const before = await roleCount();

    const refused = await req('POST', '/v1/roles', holder.auth, { name: 'Billing for me', permissions: ['billing.manage'] });
    expect(refused.statusCode).toBe(403);
    expectErrorShape(refused.json(), 'ROLE_ESCALATION');
    expect(await roleCount()).toBe(before);
    // Nor change or delete a role that grants more than they hold.
    expect((await req('PATCH', `/v1/roles/${billing.id}`, holder.auth, { name: 'Mine now' })).json().code).toBe('ROLE_ESCALATION');
    expect((await req('DELETE', `/v1/roles/${billing.id}`, holder.auth)).json().code).toBe('ROLE_ESCALATION');
    expect((await req('GET', `/v1/roles/${billing.id}`, a.auth)).json().name).toBe('Billing clerk');

    // Within what they hold, they can.
    const ok = await req('POST', '/v1/roles', holder.auth, { name: 'Reader', permissions: ['users.read'] });
    expect(ok.statusCode).toBe(201);
    const widened = await req('PATCH', `/v1/roles/${ok.json().id}`, holder.auth, { permissions: ['users.read', 'audit.read'] });
    expect(widened.json().code).toBe('ROLE_ESCALATION');
  });

  it('a duplicate name is refused whatever its case, on create and on rename', async () => {
    const { role } = await createRole(a.auth, { name: 'Night shift', permissions: ['support.read'] });
    const before = await roleCount();
    const dup = await req('POST', '/v1/roles', a.auth, { name: 'NIGHT SHIFT', permissions: [] });
    expect(dup.statusCode).toBe(409);
    expectErrorShape(dup.json(), 'ROLE_NAME_TAKEN');
    expect(dup.json().details).toEqual([{ field: 'name', reason: 'taken', message: 'Already in use.' }]);
    expect(await roleCount()).toBe(before);
    const { role: other } = await createRole(a.auth, { name: 'Day shift', permissions: [] });
    expect((await req('PATCH', `/v1/roles/${other.id}`, a.auth, { name: 'night shift' })).json().code).toBe('ROLE_NAME_TAKEN');
    // Renaming a role to its own name in another case is fine; another company may use the same name.
    expect((await req('PATCH', `/v1/roles/${role.id}`, a.auth, { name: 'Night Shift' })).statusCode).toBe(200);
    expect((await createRole(b.auth, { name: 'Night shift', permissions: [] })).res.statusCode).toBe(201);
  });

  it('an unknown permission, or an operator one, is refused with a translated 400 and nothing is created', async () => {
    const before = await roleCount();
    const res = await t.app.inject({ method: 'POST', url: '/v1/roles', headers: { ...a.auth, 'accept-language': 'fr' }, payload: { name: 'Bad', permissions: ['users.read', 'users.everything', 'operator.partners.read'] } });
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.json(), 'UNKNOWN_PERMISSION');
    expect(res.json().message).toBe('Cette autorisation n’existe pas.');
    expect(res.json().details).toEqual([
      { field: 'permissions', reason: 'unknown_permission', message: 'Autorisation inconnue.' },
      { field: 'permissions', reason: 'unknown_permission', message: 'Autorisation inconnue.' },
    ]);
    const blank = await req('POST', '/v1/roles', a.auth, { name: '   ', permissions: [] });
    expect(blank.statusCode).toBe(400);
    expectErrorShape(blank.json(), 'VALIDATION_FAILED');
    expect(await roleCount()).toBe(before);
  });

  it('built-in roles can be read but not changed or deleted', async () => {
    expect((await req('GET', '/v1/roles/global-admin', a.auth)).json()).toMatchObject({ id: 'global-admin', name: 'Global admin', builtIn: true, userCount: 1 });
    const patch = await req('PATCH', '/v1/roles/helpdesk-agent', a.auth, { permissions: ['billing.manage'] });
    expect(patch.statusCode).toBe(409);
    expectErrorShape(patch.json(), 'ROLE_BUILT_IN');
    expect((await req('DELETE', '/v1/roles/helpdesk-agent', a.auth)).json().code).toBe('ROLE_BUILT_IN');
    expect((await req('GET', '/v1/roles/helpdesk-agent', a.auth)).json().permissions).not.toContain('billing.manage');
  });

  it('answers 404 for another partner’s custom role, which cannot be assigned either', async () => {
    const { role } = await createRole(a.auth, { name: 'Partner A only', permissions: ['users.read'] });
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const res = await req(method, `/v1/roles/${role.id}`, b.auth, method === 'PATCH' ? { name: 'Hijacked' } : undefined);
      expect(res.statusCode, method).toBe(404);
      expectErrorShape(res.json(), 'NOT_FOUND');
    }
    expect((await req('GET', '/v1/roles/custom-00000000-0000-0000-0000-000000000000', a.auth)).statusCode).toBe(404);
    const assign = await req('POST', '/v1/users', b.auth, { firstName: 'Eve', lastName: 'Intruder', email: `eve${n}@fabrikam.example`, roles: [role.id] });
    expect(assign.statusCode).toBe(400);
    expectErrorShape(assign.json(), 'UNKNOWN_ROLE');
    expect((await req('GET', `/v1/roles/${role.id}`, a.auth)).json().name).toBe('Partner A only');
  });

  it('a user holds at most one custom role, next to built-in roles of other categories', async () => {
    const { role: r1 } = await createRole(a.auth, { permissions: ['users.read'] });
    const { role: r2 } = await createRole(a.auth, { permissions: ['audit.read'] });
    const both = await req('POST', '/v1/users', a.auth, { firstName: 'Two', lastName: 'Roles', email: `two${n}@fabrikam.example`, roles: [r1.id, r2.id] });
    expect(both.json().code).toBe('ROLE_CATEGORY_CONFLICT');
    const mixed = await req('POST', '/v1/users', a.auth, { firstName: 'Mixed', lastName: 'Roles', email: `mixed${n}@fabrikam.example`, roles: [r1.id, 'helpdesk-agent'] });
    expect(mixed.statusCode).toBe(201);
    expect(mixed.json().roles).toEqual([r1.id, 'helpdesk-agent'].sort());
  });

  it('deleting a role in use is refused; once nobody holds it, it is deleted and audited', async () => {
    const { role } = await createRole(a.auth, { name: 'Short-lived', permissions: ['users.read'] });
    const holder = await activeUser([role.id]);
    const before = await roleCount();
    const res = await req('DELETE', `/v1/roles/${role.id}`, a.auth);
    expect(res.statusCode).toBe(409);
    expectErrorShape(res.json(), 'ROLE_IN_USE');
    expect(res.json().message).toContain('1 user');
    expect(await roleCount()).toBe(before);

    expect((await req('PATCH', `/v1/users/${holder.id}`, a.auth, { roles: [] })).statusCode).toBe(200);
    expect((await req('DELETE', `/v1/roles/${role.id}`, a.auth)).statusCode).toBe(204);
    expect(await roleCount()).toBe(before - 1);
    expect((await req('GET', `/v1/roles/${role.id}`, a.auth)).statusCode).toBe(404);
    const [record] = await auditOf('role.deleted', role.id);
    expect(record?.changes).toEqual({ name: { before: 'Short-lived' }, permissions: { before: ['account.read', 'me.update', 'users.read'] } });
  });
});
