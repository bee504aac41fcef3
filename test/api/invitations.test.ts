import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counts, createTestApp, enrolVerifiedPartner, expectErrorShape, mailCount, signIn, waitForNewMail, type TestApp } from '../support/harness';

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
const PASSWORD = 'les invités arrivent à huit heures';
const tokenFrom = (text: string) => /\/invitation\?token=([A-Za-z0-9_-]+)/.exec(text)![1]!;
const accept = (token: string, password = PASSWORD, lang = 'en') =>
  t.app.inject({ method: 'POST', url: '/v1/invitations/accept', headers: { 'accept-language': lang }, payload: { token, password } });

async function invite(by: Auth, roles: string[] = [], lang = 'en') {
  n += 1;
  const email = `guest${n}.${Date.now()}@contoso.example`;
  const seen = mailCount(t, email);
  const res = await t.app.inject({ method: 'POST', url: '/v1/users', headers: { ...by, 'accept-language': lang }, payload: { firstName: 'Inès', lastName: `Invitée${n}`, email, roles, invite: true } });
  expect(res.statusCode).toBe(201);
  const mail = await waitForNewMail(t, email, seen);
  return { email, id: res.json().id as string, body: res.json(), mail, token: tokenFrom(mail.text) };
}

describe('inviting a user by email', () => {
  it('adds the user without a temporary password; the mailed link sets a password once, verifies the email, and the user can sign in', async () => {
    const inv = await invite(a.auth, ['helpdesk-agent']);
    expect(inv.body.temporaryPassword).toBeUndefined();
    expect(inv.body).toMatchObject({ email: inv.email, roles: ['helpdesk-agent'], status: 'active' });
    expect(inv.mail.subject).toContain('invites you to');
    expect(inv.mail.text).toContain('http://localhost:3000/invitation?token=');
    expect(inv.mail.text).toContain('within 7 days');
    // Nobody can sign in before the invitation is accepted.
    const early = await t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: inv.email, password: PASSWORD } });
    expect(early.statusCode).toBe(401);

    const ok = await accept(inv.token);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ email: inv.email });
    const session = await signIn(t, inv.email, PASSWORD);
    const me = await t.app.inject({ method: 'GET', url: '/v1/me', headers: session.auth });
    expect(me.statusCode).toBe(200);

    const before = await counts(t);
    const again = await accept(inv.token, 'un tout autre mot de passe solide');
    expect(again.statusCode).toBe(400);
    expectErrorShape(again.json(), 'INVITATION_INVALID');
    expect(await counts(t)).toEqual(before);
    await signIn(t, inv.email, PASSWORD);
  });

  it('an invited user is reported invited (list and detail) until they accept; a user given a temporary password never is', async () => {
    const inv = await invite(a.auth);
    expect(inv.body.invited).toBe(true);
    const reported = async (id: string) => {
      const one = await t.app.inject({ method: 'GET', url: `/v1/users/${id}`, headers: a.auth });
      const list = await t.app.inject({ method: 'GET', url: `/v1/users?size=500&search=${encodeURIComponent(one.json().email)}`, headers: a.auth });
      const row = list.json().items.find((u: { id: string }) => u.id === id);
      return [one.json().invited, row.invited];
    };
    expect(await reported(inv.id)).toEqual([true, true]);
    // Still invited after the link is sent again.
    expect((await t.app.inject({ method: 'POST', url: `/v1/users/${inv.id}/invitation`, headers: a.auth })).statusCode).toBe(204);
    expect(await reported(inv.id)).toEqual([true, true]);

    expect((await accept(inv.token)).statusCode).toBe(400); // the resend replaced that link
    const token = tokenFrom((await waitForNewMail(t, inv.email, 1)).text);
    expect((await accept(token)).statusCode).toBe(200);
    expect(await reported(inv.id)).toEqual([false, false]);

    const added = await t.app.inject({ method: 'POST', url: '/v1/users', headers: a.auth, payload: { firstName: 'Paul', lastName: 'Temporaire', email: `temp${Date.now()}@contoso.example`, roles: [] } });
    expect(added.statusCode).toBe(201);
    expect(added.json().invited).toBe(false);
    expect(await reported(added.json().id)).toEqual([false, false]);
  });

  it('the invitation mail is in the inviter’s language', async () => {
    const inv = await invite(a.auth, [], 'fr');
    expect(inv.mail.subject).toContain('vous invite à rejoindre');
    expect(inv.mail.text).toContain('dans les 7 jours');
  });

  it('the chosen password must meet the password policy; a refused one does not use the link up', async () => {
    const inv = await invite(a.auth);
    const weak = await accept(inv.token, 'password');
    expect([weak.statusCode, weak.json().code]).toEqual([400, 'PASSWORD_POLICY']);
    expect(weak.json().details[0]).toMatchObject({ field: 'password', reason: 'too_short' });
    expect((await accept(inv.token)).statusCode).toBe(200);
  });

  it('an unknown token is refused', async () => {
    const res = await accept('x'.repeat(43));
    expect([res.statusCode, res.json().code]).toEqual([400, 'INVITATION_INVALID']);
  });

  it('sending the invitation again gives a new link and the previous one stops working', async () => {
    const inv = await invite(a.auth);
    const seen = mailCount(t, inv.email);
    const res = await t.app.inject({ method: 'POST', url: `/v1/users/${inv.id}/invitation`, headers: a.auth });
    expect(res.statusCode).toBe(204);
    const token = tokenFrom((await waitForNewMail(t, inv.email, seen)).text);
    expect(token).not.toBe(inv.token);
    expect((await accept(inv.token)).json().code).toBe('INVITATION_INVALID');
    expect((await accept(token)).statusCode).toBe(200);
    // Accepted: there is nothing left to send.
    const after = await t.app.inject({ method: 'POST', url: `/v1/users/${inv.id}/invitation`, headers: a.auth });
    expect([after.statusCode, after.json().code]).toEqual([409, 'USER_NOT_INVITED']);
  });

  it('another partner’s user cannot be re-invited (404), and a deactivated invited user cannot accept', async () => {
    const inv = await invite(a.auth);
    const foreign = await t.app.inject({ method: 'POST', url: `/v1/users/${inv.id}/invitation`, headers: b.auth });
    expect([foreign.statusCode, foreign.json().code]).toEqual([404, 'NOT_FOUND']);
    const off = await t.app.inject({ method: 'PATCH', url: `/v1/users/${inv.id}`, headers: a.auth, payload: { status: 'inactive' } });
    expect(off.statusCode).toBe(200);
    expect((await accept(inv.token)).json().code).toBe('INVITATION_INVALID');
  });

  it('a user invited by CSV import accepts the same way', async () => {
    const email = `imported${Date.now()}@contoso.example`;
    const res = await t.app.inject({ method: 'POST', url: '/v1/users/import', headers: { ...a.auth, 'content-type': 'text/csv' }, payload: `firstName,lastName,email,roles\nImma,Porté,${email},report-viewer\n` });
    expect(res.json()).toEqual({ imported: 1 });
    const find = async () => (await t.app.inject({ method: 'GET', url: `/v1/users?search=${encodeURIComponent(email)}`, headers: a.auth })).json().items[0];
    expect(await find()).toMatchObject({ email, invited: true });
    const token = tokenFrom((await waitForNewMail(t, email, 0)).text);
    expect((await accept(token)).statusCode).toBe(200);
    expect(await find()).toMatchObject({ email, invited: false });
    const s = await signIn(t, email, PASSWORD);
    const me = await t.app.inject({ method: 'GET', url: '/v1/me', headers: s.auth });
    expect(me.json().roles.map((r: { id: string }) => r.id)).toContain('report-viewer');
  });

  // Last: it moves the clock past the sessions' lifetime.
  it('an invitation expires after 7 days', async () => {
    const inv = await invite(a.auth);
    t.clock.advance(7 * 24 * 60 * 60 * 1000 + 1000);
    const res = await accept(inv.token, PASSWORD, 'fr');
    expect([res.statusCode, res.json().code]).toEqual([400, 'INVITATION_INVALID']);
    expect(res.json().message).toContain('Ce lien d’invitation n’est plus valide');
  });
});
