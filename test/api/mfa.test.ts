import type { FastifyPluginAsync } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../../src/server/modules/mfa/totp';
import { authenticators, createTestApp, enrolVerifiedPartner, expectErrorShape, mailCount, registerAuthenticator, signIn, waitForNewMail, type TestApp } from '../support/harness';

/** A Customers-workspace route (the workspace arrives later); the guard treats it as the real one will be. */
const customersRoute: FastifyPluginAsync = async (app) => {
  app.get('/v1/test/customers', { config: { permission: 'customers.read' } }, async () => ({ ok: true }));
};

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ plugins: [customersRoute] });
});
afterAll(async () => t?.close());

const get = (url: string, auth: Record<string, string>, lang = 'en') => t.app.inject({ method: 'GET', url, headers: { ...auth, 'accept-language': lang } });
const post = (url: string, auth: Record<string, string>, payload?: object, lang = 'en') =>
  t.app.inject({ method: 'POST', url, headers: { ...auth, 'accept-language': lang }, ...(payload ? { payload } : {}) });
const rawSignIn = async (email: string, password: string) => {
  const res = await t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email, password } });
  expect(res.statusCode).toBe(201);
  const body = res.json();
  return { body, auth: { authorization: `Bearer ${body.token}` } };
};
/** Wait for the authenticator's next code (a code works once). */
const nextCode = (email: string) => {
  t.clock.advance(30_000);
  return currentTotp(authenticators.get(email.toLowerCase())!, t.clock.now());
};

describe('MFA required by default for a new company', () => {
  it('the first sign-in asks to register an authenticator app, and the password alone opens nothing else', async () => {
    const p = await enrolVerifiedPartner(t, {}, { mfaRequired: true });
    // enrolVerifiedPartner completed the registration through the API, as the user would.
    expect(p.mfaRequired).toBe(true);
    expect(p.mfaRegistrationRequired).toBe(true);

    const s = await signIn(t, p.body.email, p.body.password, { completeMfa: false });
    expect(s.mfaRequired).toBe(true);
    expect(s.mfaRegistrationRequired).toBe(false); // registered now: the code is asked instead
    for (const url of ['/v1/me', '/v1/users', '/v1/auditrecords']) {
      const res = await get(url, s.auth);
      expect(res.statusCode, url).toBe(401);
      expectErrorShape(res.json(), 'MFA_REQUIRED');
    }
    const current = await get('/v1/sessions/current', s.auth);
    expect(current.json()).toMatchObject({ mfaPassed: false, mfaPending: 'challenge', passwordChangeRequired: false });
    // The half-signed-in session is short-lived.
    expect(new Date(current.json().expiresAt).getTime() - t.clock.now().getTime()).toBeLessThanOrEqual(10 * 60_000);
  });

  it('registration gives the secret, an otpauth:// URL and a QR code; a code proves it and ten recovery codes are shown once', async () => {
    const p = await enrolVerifiedPartner(t, {}, { mfaRequired: false });
    await t.app.inject({ method: 'PATCH', url: '/v1/account/security', headers: p.auth, payload: { mfaRequired: true } });
    const s = await rawSignIn(p.body.email, p.body.password);
    expect(s.body).toMatchObject({ mfaRequired: true, mfaRegistrationRequired: true });
    const start = await post('/v1/me/mfa/totp', s.auth);
    expect(start.statusCode).toBe(200);
    const { secret, otpauthUrl, qrDataUrl } = start.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/Partner%20Space:/);
    expect(otpauthUrl).toContain(`secret=${secret}`);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    // The secret is encrypted at rest.
    const row = await t.db.selectFrom('users').select(['totp_pending_secret', 'totp_secret']).where('id', '=', p.userId).executeTakeFirstOrThrow();
    expect(row.totp_pending_secret).toMatch(/^v1\./);
    expect(row.totp_pending_secret).not.toContain(secret);

    const wrong = await post('/v1/me/mfa/totp/verify', s.auth, { code: '000000' }, 'fr');
    expect(wrong.statusCode).toBe(400);
    expectErrorShape(wrong.json(), 'MFA_CODE_INVALID');
    expect(wrong.json().message).toMatch(/code/);
    expect(wrong.json().message).toMatch(/application d’authentification/);

    const ok = await post('/v1/me/mfa/totp/verify', s.auth, { code: currentTotp(secret, t.clock.now()) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().recoveryCodes).toHaveLength(10);
    expect(new Set(ok.json().recoveryCodes).size).toBe(10);
    // 16 base32 characters (80 bits) each, stored argon2id-hashed.
    for (const c of ok.json().recoveryCodes) expect(c).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    expect((await get('/v1/me', s.auth)).json().session.mfaPassed).toBe(true);
    expect((await get('/v1/me/mfa', s.auth)).json()).toEqual({ state: 'enforced', registered: true, companyRequired: true, sessionPassed: true, recoveryCodesLeft: 10 });
    const stored = await t.db.selectFrom('mfa_recovery_codes').select('code_hash').where('user_id', '=', p.userId).execute();
    expect(stored).toHaveLength(10);
    for (const r of stored) expect(r.code_hash).toMatch(/^\$argon2id\$/);
  });
});

describe('the second factor at sign-in', () => {
  let p: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
  beforeAll(async () => {
    p = await enrolVerifiedPartner(t, {}, { mfaRequired: true });
  });

  it('a current code completes sign-in; the same code does not work twice', async () => {
    const s = await rawSignIn(p.body.email, p.body.password);
    expect(s.body).toMatchObject({ mfaRequired: true, mfaRegistrationRequired: false });
    const code = nextCode(p.body.email);
    const ok = await post('/v1/sessions/current/mfa', s.auth, { code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ passwordChangeRequired: false, recoveryCodesLeft: 10 });
    expect((await get('/v1/users', s.auth)).statusCode).toBe(200);

    const again = await rawSignIn(p.body.email, p.body.password);
    const replay = await post('/v1/sessions/current/mfa', again.auth, { code });
    expect(replay.statusCode).toBe(400);
    expectErrorShape(replay.json(), 'MFA_CODE_INVALID');
    expect((await get('/v1/users', again.auth)).statusCode).toBe(401);
  });

  it('a recovery code works once instead of the app', async () => {
    const owner = await enrolVerifiedPartner(t, {}, { mfaRequired: false });
    const s = await signIn(t, owner.body.email, owner.body.password);
    const { recoveryCodes } = await registerAuthenticator(t, owner.body.email, s.auth);
    const first = await rawSignIn(owner.body.email, owner.body.password);
    const ok = await post('/v1/sessions/current/mfa', first.auth, { code: recoveryCodes[3]!.toUpperCase() });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().recoveryCodesLeft).toBe(9);
    const second = await rawSignIn(owner.body.email, owner.body.password);
    expect((await post('/v1/sessions/current/mfa', second.auth, { code: recoveryCodes[3] })).statusCode).toBe(400);
    const records = await t.db.selectFrom('audit_records').select(['action', 'outcome', 'changes']).where('target_id', '=', owner.userId).where('action', '=', 'mfa.challenge').execute();
    expect(records.map((r) => r.outcome)).toEqual(['success', 'failure']);
    expect(records[0]!.changes).toEqual({ method: { after: 'recovery_code' } });
  });

  it('five wrong codes end the half-signed-in session and lock the account for 15 minutes; each is audited', async () => {
    const q = await enrolVerifiedPartner(t, {}, { mfaRequired: true });
    const s = await rawSignIn(q.body.email, q.body.password);
    for (let i = 0; i < 5; i += 1) expect((await post('/v1/sessions/current/mfa', s.auth, { code: '123456' })).statusCode).toBe(400);
    const after = await post('/v1/sessions/current/mfa', s.auth, { code: nextCode(q.body.email) });
    expect(after.statusCode).toBe(401);
    const failures = await t.db.selectFrom('audit_records').select('id').where('target_id', '=', q.userId).where('action', '=', 'mfa.challenge').where('outcome', '=', 'failure').execute();
    expect(failures).toHaveLength(5);
    // Locked: even the right password gets the same answer as a wrong one, until the window has passed.
    const locked = await t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: q.body.email, password: q.body.password } });
    expect(locked.statusCode).toBe(401);
    expect(locked.json().code).toBe('INVALID_CREDENTIALS');
    t.clock.advance(15 * 60_000);
    expect((await post('/v1/sessions/current/mfa', (await rawSignIn(q.body.email, q.body.password)).auth, { code: nextCode(q.body.email) })).statusCode).toBe(200);
  });

  it('a user with a temporary password presents MFA first, then may only change the password', async () => {
    const created = await post('/v1/users', p.auth, { firstName: 'Ines', lastName: 'Moreau', email: `ines.${Date.now()}@fabrikam.example`, roles: ['sales-agent'] });
    expect(created.statusCode).toBe(201);
    const { email, temporaryPassword } = created.json();
    const s = await rawSignIn(email, temporaryPassword);
    expect(s.body).toMatchObject({ mfaRequired: true, mfaRegistrationRequired: true, passwordChangeRequired: true });
    const early = await post('/v1/me/password', s.auth, { currentPassword: temporaryPassword, newPassword: 'le renard traverse la rivière gelée 2026' });
    expect(early.statusCode).toBe(401);
    expect(early.json().code).toBe('MFA_REQUIRED');
    const reg = await registerAuthenticator(t, email, s.auth);
    expect(reg.recoveryCodes).toHaveLength(10);
    expect((await get('/v1/me', s.auth)).json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await post('/v1/me/password', s.auth, { currentPassword: temporaryPassword, newPassword: 'le renard traverse la rivière gelée 2026' })).statusCode).toBe(204);
    expect((await get('/v1/me', s.auth)).statusCode).toBe(200);
  });

  it('replacing a registered app needs a session that passed MFA', async () => {
    const s = await rawSignIn(p.body.email, p.body.password);
    const res = await post('/v1/me/mfa/totp', s.auth);
    expect(res.statusCode).toBe(409);
    expectErrorShape(res.json(), 'MFA_STATE_CONFLICT');
  });
});

describe('step-up on the Customers and Billing workspaces', () => {
  it('a session without MFA gets 401 MFA_REQUIRED there (not elsewhere), and passes once an app is registered', async () => {
    const p = await enrolVerifiedPartner(t, {}, { mfaRequired: false });
    expect(p.mfaRequired).toBe(false);
    expect((await get('/v1/users', p.auth)).statusCode).toBe(200);
    const refused = await get('/v1/test/customers', p.auth, 'fr');
    expect(refused.statusCode).toBe(401);
    expectErrorShape(refused.json(), 'MFA_REQUIRED');
    expect(refused.json().message).toContain('authentification multifacteur');
    await registerAuthenticator(t, p.body.email, p.auth);
    expect((await get('/v1/test/customers', p.auth)).statusCode).toBe(200);
  });

  it('a role without the workspace permission still gets 403, not an MFA prompt', async () => {
    const p = await enrolVerifiedPartner(t, {}, { mfaRequired: false });
    const u = await post('/v1/users', p.auth, { firstName: 'Rémi', lastName: 'Blanc', email: `remi.${Date.now()}@fabrikam.example`, roles: ['referrals-user'] });
    const s = await signIn(t, u.json().email, u.json().temporaryPassword);
    await post('/v1/me/password', s.auth, { currentPassword: u.json().temporaryPassword, newPassword: 'le renard traverse la rivière gelée 2026' });
    expect((await get('/v1/test/customers', s.auth)).statusCode).toBe(403);
  });
});

describe('administering MFA', () => {
  let admin: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
  let user: { id: string; email: string; password: string };
  beforeAll(async () => {
    admin = await enrolVerifiedPartner(t, {}, { mfaRequired: true });
    const created = await post('/v1/users', admin.auth, { firstName: 'Léa', lastName: 'Garnier', email: `lea.${Date.now()}@fabrikam.example`, roles: ['user-management-admin'] });
    const s = await signIn(t, created.json().email, created.json().temporaryPassword);
    const password = 'la mésange chante au printemps 2026';
    expect((await post('/v1/me/password', s.auth, { currentPassword: created.json().temporaryPassword, newPassword: password })).statusCode).toBe(204);
    user = { id: created.json().id, email: created.json().email, password };
  });

  it('a Global admin resets a user’s MFA: their sessions end, they register again, it is audited and they are told by mail', async () => {
    const s = await signIn(t, user.email, user.password);
    const seen = mailCount(t, user.email);
    const res = await t.app.inject({ method: 'DELETE', url: `/v1/users/${user.id}/mfa`, headers: admin.auth });
    expect(res.statusCode).toBe(204);
    expect((await get('/v1/me', s.auth)).statusCode).toBe(401);
    const again = await rawSignIn(user.email, user.password);
    expect(again.body).toMatchObject({ mfaRequired: true, mfaRegistrationRequired: true });
    expect(await t.db.selectFrom('mfa_recovery_codes').select('code_hash').where('user_id', '=', user.id).execute()).toEqual([]);
    const rec = await t.db.selectFrom('audit_records').select(['actor_id', 'changes']).where('action', '=', 'user.mfa_reset').where('target_id', '=', user.id).executeTakeFirstOrThrow();
    expect(rec.actor_id).toBe(admin.userId);
    expect((await waitForNewMail(t, user.email, seen)).subject).toMatch(/multi-factor/);
  });

  it('only a Global admin may reset MFA or change a user’s MFA state', async () => {
    const s = await signIn(t, user.email, user.password);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/users/${admin.userId}/mfa`, headers: s.auth })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: `/v1/users/${admin.userId}/mfa`, headers: s.auth, payload: { state: 'disabled' } })).statusCode).toBe(403);
  });

  it('another partner’s user answers 404 and keeps their factor', async () => {
    const other = await enrolVerifiedPartner(t, {}, { mfaRequired: true });
    const res = await t.app.inject({ method: 'DELETE', url: `/v1/users/${other.userId}/mfa`, headers: admin.auth });
    expect(res.statusCode).toBe(404);
    const row = await t.db.selectFrom('users').select(['mfa_state', 'totp_secret']).where('id', '=', other.userId).executeTakeFirstOrThrow();
    expect(row.mfa_state).toBe('enforced');
    expect(row.totp_secret).not.toBeNull();
  });

  it('with the company requirement off, an admin can still require one user to register at next sign-in', async () => {
    const p = await enrolVerifiedPartner(t, {}, { mfaRequired: false });
    const created = await post('/v1/users', p.auth, { firstName: 'Yann', lastName: 'Le Goff', email: `yann.${Date.now()}@fabrikam.example`, roles: [] });
    const before = await rawSignIn(created.json().email, created.json().temporaryPassword);
    expect(before.body.mfaRequired).toBe(false);
    const put = await t.app.inject({ method: 'PUT', url: `/v1/users/${created.json().id}/mfa`, headers: p.auth, payload: { state: 'enabled' } });
    expect(put.json()).toEqual({ state: 'enabled' });
    const after = await rawSignIn(created.json().email, created.json().temporaryPassword);
    expect(after.body).toMatchObject({ mfaRequired: true, mfaRegistrationRequired: true });
  });

  it('switching the company requirement is audited, and a registered user cannot be set back to disabled', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/v1/account/security', headers: admin.auth, payload: { mfaRequired: false } });
    expect(res.json()).toEqual({ selfServicePasswordReset: true, mfaRequired: false });
    const rec = await t.db.selectFrom('audit_records').select('changes').where('action', '=', 'partner.security_settings_changed').where('partner_id', '=', admin.partnerId).executeTakeFirstOrThrow();
    expect(rec.changes).toEqual({ mfaRequired: { before: true, after: false } });
    const put = await t.app.inject({ method: 'PUT', url: `/v1/users/${admin.userId}/mfa`, headers: admin.auth, payload: { state: 'disabled' } });
    expect(put.statusCode).toBe(409);
  });
});
