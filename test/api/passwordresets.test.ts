import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, enrolVerifiedPartner, mailCount, signIn, waitForNewMail, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, payload });
const tokenFrom = (text: string) => /reset-password\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1];

async function requestLink(email: string) {
  const seen = mailCount(t, email);
  const res = await post('/v1/passwordresets', { email });
  expect(res.statusCode).toBe(202);
  return (await waitForNewMail(t, email, seen)).text;
}

describe('self-service password reset', () => {
  it('answers the same for an unknown address, sending nothing', async () => {
    const before = t.smtp.inbox.length;
    const unknown = await post('/v1/passwordresets', { email: 'nobody.here@unknown.example' });
    const p = await enrolVerifiedPartner(t);
    const known = await post('/v1/passwordresets', { email: p.body.email });
    expect([unknown.statusCode, unknown.body]).toEqual([known.statusCode, known.body]);
    await t.smtp.waitFor(p.body.email);
    expect(t.smtp.inbox.slice(before).every((m) => !m.to.includes('nobody.here@unknown.example'))).toBe(true);
  });

  it('the mailed link sets a new password once; every session ends and the old password stops working', async () => {
    const p = await enrolVerifiedPartner(t);
    const mail = await requestLink(p.body.email);
    const token = tokenFrom(mail)!;
    expect(mail).toContain('http://localhost:3000/reset-password?token=');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await t.db.selectFrom('password_resets').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(token);

    const ok = await post('/v1/passwordresets/confirm', { token, newPassword: 'le vent se lève sur la lande 1830' });
    expect(ok.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/v1/me', headers: p.auth })).statusCode).toBe(401);
    expect((await post('/v1/sessions', { email: p.body.email, password: p.body.password })).statusCode).toBe(401);
    expect((await post('/v1/sessions', { email: p.body.email, password: 'le vent se lève sur la lande 1830' })).statusCode).toBe(201);
    const again = await post('/v1/passwordresets/confirm', { token, newPassword: 'une autre phrase de passe 2024' });
    expect([again.statusCode, again.json().code]).toEqual([400, 'INVALID_RESET_TOKEN']);
  });

  it('a link expires after 60 minutes, and a newer link voids the older one', async () => {
    const p = await enrolVerifiedPartner(t);
    const first = tokenFrom(await requestLink(p.body.email))!;
    const second = tokenFrom(await requestLink(p.body.email))!;
    expect((await post('/v1/passwordresets/confirm', { token: first, newPassword: 'la première ne compte plus 11' })).json().code).toBe('INVALID_RESET_TOKEN');
    t.clock.advance(60 * 60 * 1000 + 1000);
    expect((await post('/v1/passwordresets/confirm', { token: second, newPassword: 'trop tard pour celle-ci 22' })).json().code).toBe('INVALID_RESET_TOKEN');
  });

  it('a weak new password is refused and the link stays usable', async () => {
    const p = await enrolVerifiedPartner(t);
    const token = tokenFrom(await requestLink(p.body.email))!;
    const weak = await post('/v1/passwordresets/confirm', { token, newPassword: 'short' });
    expect([weak.json().code, weak.json().details[0].field]).toEqual(['PASSWORD_POLICY', 'newPassword']);
    expect((await post('/v1/passwordresets/confirm', { token, newPassword: 'maintenant une vraie phrase 33' })).statusCode).toBe(204);
  });

  it('when a Global admin switches it off, the mail says to ask an administrator and no link is issued', async () => {
    const p = await enrolVerifiedPartner(t);
    const off = await t.app.inject({ method: 'PATCH', url: '/v1/account/security', headers: p.auth, payload: { selfServicePasswordReset: false } });
    expect(off.json()).toMatchObject({ selfServicePasswordReset: false });
    const mail = await requestLink(p.body.email);
    expect(tokenFrom(mail)).toBeUndefined();
    expect(mail).toContain('Global admin');
    const s = await signIn(t, p.body.email, p.body.password);
    expect((await t.app.inject({ method: 'GET', url: '/v1/account/security', headers: s.auth })).json()).toMatchObject({ selfServicePasswordReset: false });
  });

  it('only a Global admin can change the company security settings', async () => {
    const p = await enrolVerifiedPartner(t);
    const add = await t.app.inject({ method: 'POST', url: '/v1/users', headers: p.auth, payload: { firstName: 'Uma', lastName: 'Admin', email: `uma.${Date.now()}@reset.example`, roles: [] } });
    await t.app.inject({ method: 'PATCH', url: `/v1/users/${add.json().id}`, headers: p.auth, payload: { roles: ['user-management-admin'] } });
    const s = await t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: add.json().email, password: add.json().temporaryPassword } });
    const auth = { authorization: `Bearer ${s.json().token}` };
    await t.app.inject({ method: 'POST', url: '/v1/me/password', headers: auth, payload: { currentPassword: add.json().temporaryPassword, newPassword: 'gestion des comptes du lundi 5' } });
    const res = await t.app.inject({ method: 'PATCH', url: '/v1/account/security', headers: auth, payload: { selfServicePasswordReset: false } });
    expect(res.statusCode).toBe(403);
  });
});
