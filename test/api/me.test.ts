import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARTNER_PERMISSIONS } from '../../src/shared/permissions';
import { createTestApp, enrolVerifiedPartner, expectErrorShape, signIn, type TestApp } from '../support/harness';

let t: TestApp;
let admin: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await enrolVerifiedPartner(t, {
    companyName: 'Northwind Traders Lyon',
    address: { addressLine1: '12 quai Saint-Antoine', city: 'Lyon', postalCode: '69002', country: 'FR' },
  });
});
afterAll(async () => t?.close());

const getMe = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/v1/me', headers });
const patchMe = (headers: Record<string, string>, payload: unknown) => t.app.inject({ method: 'PATCH', url: '/v1/me', headers, payload: payload as object });

describe('GET /v1/me', () => {
  it('returns the user, the partner, the roles and the effective permissions', async () => {
    const res = await getMe(admin.auth);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toEqual({
      id: admin.userId,
      email: admin.body.email,
      firstName: 'Jeanne',
      lastName: 'Dupont',
      // Enrolled without choosing a language: no preference, Accept-Language decides.
      locale: null,
    });
    expect(body.partner).toEqual({ id: admin.partnerId, companyName: 'Northwind Traders Lyon', country: 'FR', currency: 'EUR', status: 'pending_verification' });
    expect(body.roles).toEqual([{ id: 'global-admin', name: 'Global admin' }]);
    expect(body.session).toMatchObject({ csrfToken: admin.csrfToken, mfaPassed: false, passwordChangeRequired: false });
  });

  it('a Global admin holds every partner permission and no operator permission', async () => {
    const perms: string[] = (await getMe(admin.auth)).json().permissions;
    expect(perms).toEqual([...PARTNER_PERMISSIONS].sort());
    expect(perms.filter((p) => p.startsWith('operator.'))).toEqual([]);
  });

  it('role names follow Accept-Language', async () => {
    const res = await getMe({ ...admin.auth, 'accept-language': 'fr-FR,fr;q=0.9' });
    expect(res.json().roles).toEqual([{ id: 'global-admin', name: 'Administrateur général' }]);
  });

  it('never returns secrets: no password hash, no token', async () => {
    const text = (await getMe(admin.auth)).body;
    expect(text).not.toContain('argon2');
    expect(text).not.toContain(admin.token);
    expect(text).not.toMatch(/password_?hash/i);
  });

  it('without a session → 401 UNAUTHENTICATED', async () => {
    const res = await getMe({});
    expect(res.statusCode).toBe(401);
    expectErrorShape(res.json(), 'UNAUTHENTICATED');
    expect(res.json().message).toBe('Sign in to continue.');
  });
});

describe('PATCH /v1/me (language preference)', () => {
  it('stores the preference, after which messages and role names are French even with Accept-Language: en', async () => {
    // A user of its own, so that other tests keep an English-speaking admin.
    const other = await enrolVerifiedPartner(t);
    const res = await patchMe(other.auth, { locale: 'fr' });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.locale).toBe('fr');
    expect(res.json().roles).toEqual([{ id: 'global-admin', name: 'Administrateur général' }]);
    const stored = await t.db.selectFrom('users').select('locale').where('id', '=', other.userId).executeTakeFirstOrThrow();
    expect(stored.locale).toBe('fr');

    const en = { 'accept-language': 'en' };
    const me = await getMe({ ...other.auth, ...en });
    expect(me.json().user.locale).toBe('fr');
    expect(me.json().roles[0].name).toBe('Administrateur général');

    const invalid = await patchMe({ ...other.auth, ...en }, { locale: 'de' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().message).toBe('Certains champs ne sont pas valides. Vérifiez-les et réessayez.');

    const forbidden = await t.app.inject({ method: 'GET', url: '/v1/operator/partners', headers: { ...other.auth, ...en } });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().message).toBe('Vos rôles ne le permettent pas. Demandez l’accès à un administrateur général.');

    // The preference survives signing in again.
    const again = await signIn(t, other.body.email, other.body.password);
    expect((await getMe({ ...again.auth, ...en })).json().roles[0].name).toBe('Administrateur général');

    // And it can be set back.
    expect((await patchMe(other.auth, { locale: 'en' })).json().roles[0].name).toBe('Global admin');
    expect((await getMe({ ...other.auth, 'accept-language': 'fr' })).json().roles[0].name).toBe('Global admin');
  });

  it('the change is audited with its before and after values', async () => {
    const other = await enrolVerifiedPartner(t);
    await patchMe(other.auth, { locale: 'fr' });
    const row = await t.db
      .selectFrom('audit_records')
      .selectAll()
      .where('action', '=', 'user.updated')
      .where('target_id', '=', other.userId)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ partner_id: other.partnerId, actor_type: 'user', actor_id: other.userId, outcome: 'success' });
    const changes = typeof row.changes === 'string' ? JSON.parse(row.changes) : row.changes;
    expect(changes).toEqual({ locale: { before: null, after: 'fr' } });
  });

  it.each([
    [{ locale: 'de' }, 'locale'],
    [{ locale: 'FR' }, 'locale'],
    [{ locale: null }, 'locale'],
    [{}, 'locale'],
  ])('an invalid body %j → 400 VALIDATION_FAILED on %s, nothing stored', async (payload, field) => {
    const res = await patchMe(admin.auth, payload);
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.json(), 'VALIDATION_FAILED');
    expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
    const stored = await t.db.selectFrom('users').select('locale').where('id', '=', admin.userId).executeTakeFirstOrThrow();
    expect(stored.locale).toBeNull();
  });

  it('other fields cannot be changed through it (unknown_field)', async () => {
    const res = await patchMe(admin.auth, { locale: 'en', email: 'someone.else@fabrikam.example' });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([expect.objectContaining({ field: 'email', reason: 'unknown_field' })]);
    expect((await getMe(admin.auth)).json().user.email).toBe(admin.body.email);
  });
});
