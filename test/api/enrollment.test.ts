import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeFrom } from '../support/smtp';
import { count, createTestApp, enrolmentBody, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const enrol = (payload: unknown, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: '/v1/enrollment', payload: payload as object, headers });

describe('enrolment', () => {
  it('creates a partner pending verification with its first Global admin and mails a 6-digit code', async () => {
    const body = enrolmentBody();
    const res = await enrol(body);
    expect(res.statusCode).toBe(201);
    const json = res.json();
    expect(json.partner).toMatchObject({ companyName: body.companyName, country: 'FR', currency: 'EUR', status: 'pending_verification' });
    const mail = await t.smtp.waitFor(body.email);
    expect(codeFrom(mail)).toMatch(/^\d{6}$/);
    const roles = await t.db.selectFrom('user_roles').select('role_id').where('user_id', '=', json.user.id).execute();
    expect(roles.map((r) => r.role_id)).toEqual(['global-admin']);
  });

  it('fixes the currency from the country at enrolment', async () => {
    const res = await enrol(enrolmentBody({ address: { addressLine1: '1 Main St', city: 'Seattle', state: 'WA', postalCode: '98101', country: 'us' } }));
    expect(res.statusCode).toBe(201);
    expect(res.json().partner).toMatchObject({ country: 'US', currency: 'USD' });
  });

  it('writes the verification mail in the enrolling user’s language', async () => {
    const body = enrolmentBody();
    expect((await enrol(body, { 'accept-language': 'fr-FR,fr;q=0.9' })).statusCode).toBe(201);
    const mail = await t.smtp.waitFor(body.email);
    expect(mail.subject).toContain('Votre code de vérification');
  });

  it('verifies the email with the mailed code, after which the admin can sign in', async () => {
    const body = enrolmentBody();
    await enrol(body);
    const signInBefore = await t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: body.email, password: body.password } });
    expect(signInBefore.statusCode).toBe(403);
    expect(signInBefore.json().code).toBe('EMAIL_NOT_VERIFIED');
    const code = codeFrom(await t.smtp.waitFor(body.email));
    const v = await t.app.inject({ method: 'POST', url: '/v1/enrollment/verify', payload: { email: body.email, code } });
    expect(v.statusCode).toBe(200);
    expect(v.json()).toEqual({ verified: true, partnerStatus: 'pending_verification' });
    const signIn = await t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: body.email, password: body.password } });
    expect(signIn.statusCode).toBe(201);
  });
});
