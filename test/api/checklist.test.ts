import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, enrolVerifiedPartner, operatorSession, signIn, type TestApp } from '../support/harness';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

type Headers = Record<string, string>;
type Checklist = { items: { id: string; done: boolean; link: string }[]; doneCount: number; totalCount: number };

const call = (method: 'GET' | 'PUT' | 'POST', url: string, headers: Headers, payload?: object) =>
  t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

async function checklist(headers: Headers): Promise<Checklist> {
  const res = await call('GET', '/v1/account/checklist', headers);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Checklist;
}
const doneIds = (c: Checklist) => c.items.filter((i) => i.done).map((i) => i.id);

/** PUT a profile the way the web app does: read its ETag, send it back as If-Match. */
async function putProfile(headers: Headers, path: string, body: object) {
  const current = await call('GET', path, headers);
  const res = await call('PUT', path, { ...headers, 'if-match': String(current.headers.etag) }, body);
  expect(res.statusCode, res.body).toBe(200);
}

describe('the home checklist', () => {
  it('lists the six items in order, each with the page that fixes it; a new company has done none of them', async () => {
    const a = await enrolVerifiedPartner(t);
    const c = await checklist(a.auth);
    expect(c.items.map((i) => i.id)).toEqual(['legalVerified', 'supportProfile', 'taxSettled', 'securityContact', 'globalAdmins', 'mfaEnforced']);
    expect(Object.fromEntries(c.items.map((i) => [i.id, i.link]))).toEqual({
      legalVerified: '/account/legal?tab=legal',
      supportProfile: '/account/legal?tab=support',
      taxSettled: '/account/payout',
      securityContact: '/account/legal?tab=securitycontact',
      globalAdmins: '/account/users',
      mfaEnforced: '/account/overview',
    });
    expect(doneIds(c)).toEqual([]);
    expect(c).toMatchObject({ doneCount: 0, totalCount: 6 });
  });

  it('each item is ticked as soon as the company does what it asks, and only for that company', async () => {
    const a = await enrolVerifiedPartner(t);
    const b = await enrolVerifiedPartner(t);
    const bBefore = await checklist(b.auth);

    await putProfile(a.auth, '/v1/profiles/support', { email: 'support@fabrikam.example', telephone: '+33 4 72 00 00 01', website: 'https://fabrikam.example/support' });
    expect(doneIds(await checklist(a.auth))).toEqual(['supportProfile']);

    await putProfile(a.auth, '/v1/profiles/securitycontact', { firstName: 'Paul', lastName: 'Girard', email: 'security@fabrikam.example', phoneNumber: '+33 4 72 00 00 02' });
    expect(doneIds(await checklist(a.auth))).toEqual(['supportProfile', 'securityContact']);

    const tax = await call('POST', '/v1/taxprofiles', a.auth, { country: 'FR', taxRegistrationNumber: null, taxExempt: false });
    expect(tax.statusCode, tax.body).toBe(201);
    expect(doneIds(await checklist(a.auth))).toEqual(['supportProfile', 'taxSettled', 'securityContact']);

    const second = await call('POST', '/v1/users', a.auth, { firstName: 'Second', lastName: 'Admin', email: `second.admin.${Date.now()}@fabrikam.example`, roles: ['global-admin'] });
    expect(second.statusCode, second.body).toBe(201);
    expect(doneIds(await checklist(a.auth))).toEqual(['supportProfile', 'taxSettled', 'securityContact', 'globalAdmins']);

    // The operator verifies the legal profile.
    const op = await operatorSession(t);
    const approved = await call('POST', `/v1/operator/reviews/verifications/${a.partnerId}/approve`, op.auth, {});
    expect(approved.statusCode, approved.body).toBe(200);
    expect(doneIds(await checklist(a.auth))).toEqual(['legalVerified', 'supportProfile', 'taxSettled', 'securityContact', 'globalAdmins']);

    // MFA required for everyone (Security settings; the route is tested with MFA).
    await t.db.updateTable('partners').set({ mfa_required: true }).where('id', '=', a.partnerId).execute();
    const all = await checklist(a.auth);
    expect(all).toMatchObject({ doneCount: 6, totalCount: 6 });

    // Partner B did none of it.
    expect(await checklist(b.auth)).toEqual(bBefore);
  });

  it('any user of the company can read it (account.read); an API app cannot', async () => {
    const a = await enrolVerifiedPartner(t);
    const email = `plain.${Date.now()}@fabrikam.example`;
    const created = (await call('POST', '/v1/users', a.auth, { firstName: 'Plain', lastName: 'User', email, roles: [] })).json() as { temporaryPassword: string };
    const first = await signIn(t, email, created.temporaryPassword);
    const password = 'une phrase de passe pour la liste 7';
    expect((await call('POST', '/v1/me/password', first.auth, { currentPassword: created.temporaryPassword, newPassword: password })).statusCode).toBe(204);
    const plain = await signIn(t, email, password);
    expect((await checklist(plain.auth)).totalCount).toBe(6);

    const app = (await call('POST', '/v1/apps', a.auth, { name: 'Checklist app', roles: ['user-management-admin'] })).json() as { clientId: string; secret: { secret: string } };
    const token = (await call('POST', '/v1/apps/token', {}, { clientId: app.clientId, clientSecret: app.secret.secret })).json() as { accessToken: string };
    const res = await call('GET', '/v1/account/checklist', { authorization: `Bearer ${token.accessToken}` });
    expect(res.statusCode).toBe(403);
  });
});
