import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/server/core/tokens';
import { count, counts, createTestApp, enrolVerifiedPartner, expectErrorShape, signIn, type TestApp } from '../support/harness';

const MINUTE = 60 * 1000;

let t: TestApp;
let admin: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await enrolVerifiedPartner(t);
});
afterAll(async () => t?.close());

const postSession = (payload: object, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: '/v1/sessions', payload, headers });
const me = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/v1/me', headers });
const fresh = () => signIn(t, admin.body.email, admin.body.password);
const localeOf = async (userId: string) => (await t.db.selectFrom('users').select('locale').where('id', '=', userId).executeTakeFirstOrThrow()).locale;

describe('sign-in', () => {
  it('returns 201 with a 256-bit token, a CSRF token and the session cookie', async () => {
    const res = await postSession({ email: admin.body.email, password: admin.body.password });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(body.token, 'base64url')).toHaveLength(32);
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.csrfToken).not.toBe(body.token);
    expect(body).toMatchObject({ userId: admin.userId, mfaRequired: false, passwordChangeRequired: false });
    expect(new Date(body.expiresAt).getTime()).toBe(t.clock.now().getTime() + 12 * 60 * MINUTE);
  });

  it('sets __Host-sid with HttpOnly, Secure, SameSite=Lax, Path=/ and no Domain', async () => {
    const res = await postSession({ email: admin.body.email, password: admin.body.password });
    const cookies = res.cookies.filter((c) => c.name === '__Host-sid');
    expect(cookies).toHaveLength(1);
    const c = cookies[0]!;
    expect(c.value).toBe(res.json().token);
    expect(c).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
    expect(c.domain).toBeUndefined();
    const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((h) => h.startsWith('__Host-sid='))!;
    expect(raw).toMatch(/;\s*HttpOnly/i);
    expect(raw).toMatch(/;\s*Secure/i);
    expect(raw).toMatch(/;\s*SameSite=Lax/i);
    expect(raw).toMatch(/;\s*Path=\/(;|$)/);
    expect(raw).not.toMatch(/domain=/i);
  });

  it('stores only a hash of the token: no row holds the token itself', async () => {
    const s = await fresh();
    const rows = await t.db.selectFrom('sessions').select(['token_hash', 'csrf_token']).execute();
    expect(rows.some((r) => r.token_hash === s.token)).toBe(false);
    expect(rows.some((r) => r.token_hash.includes(s.token))).toBe(false);
    expect(rows.filter((r) => r.token_hash === sha256(s.token))).toHaveLength(1);
  });

  it('every sign-in gets a new token', async () => {
    const a = await fresh();
    const b = await fresh();
    expect(a.token).not.toBe(b.token);
    expect(a.csrfToken).not.toBe(b.csrfToken);
  });

  it('a wrong password and an unknown email get the same answer', async () => {
    const wrong = await postSession({ email: admin.body.email, password: 'not the password at all' });
    const unknown = await postSession({ email: 'nobody.here@fabrikam.example', password: 'not the password at all' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (b: { requestId: string }) => ({ ...b, requestId: undefined });
    expect(strip(wrong.json())).toEqual(strip(unknown.json()));
    expect(wrong.json()).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'The email or password is incorrect.', details: [] });
    expect(wrong.cookies).toEqual([]);
    expect(unknown.cookies).toEqual([]);
  });

  it('a failed sign-in creates no session', async () => {
    const before = await count(t, 'sessions');
    await postSession({ email: admin.body.email, password: 'not the password at all' });
    expect(await count(t, 'sessions')).toBe(before);
  });

  it('the email is matched case-insensitively; the password is not', async () => {
    expect((await postSession({ email: admin.body.email.toUpperCase(), password: admin.body.password })).statusCode).toBe(201);
    expect((await postSession({ email: admin.body.email, password: admin.body.password.toUpperCase() })).statusCode).toBe(401);
  });

  it('sign-in and sign-out are audited; a wrong password is audited as a failure', async () => {
    const auditOf = (action: string) =>
      t.db.selectFrom('audit_records').selectAll().where('action', '=', action).where('target_id', '=', admin.userId).orderBy('id', 'desc').execute();
    const failuresBefore = (await auditOf('session.sign_in')).filter((r) => r.outcome === 'failure').length;
    await postSession({ email: admin.body.email, password: 'not the password at all' }, { 'user-agent': 'audit-test/1.0' });
    const failures = (await auditOf('session.sign_in')).filter((r) => r.outcome === 'failure');
    expect(failures).toHaveLength(failuresBefore + 1);
    expect(failures[0]).toMatchObject({ partner_id: admin.partnerId, actor_type: 'anonymous', target_type: 'user', user_agent: 'audit-test/1.0' });

    const s = await fresh();
    const success = (await auditOf('session.sign_in'))[0]!;
    expect(success).toMatchObject({ outcome: 'success', actor_type: 'user', actor_id: admin.userId, partner_id: admin.partnerId });
    expect(success.request_id).toBeTruthy();

    const outsBefore = (await auditOf('session.sign_out')).length;
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/sessions/current', headers: s.auth })).statusCode).toBe(204);
    const outs = await auditOf('session.sign_out');
    expect(outs).toHaveLength(outsBefore + 1);
    expect(outs[0]).toMatchObject({ outcome: 'success', actor_type: 'user', actor_id: admin.userId });
    // No audit row carries the token.
    const all = await t.db.selectFrom('audit_records').selectAll().execute();
    expect(JSON.stringify(all)).not.toContain(s.token);
  });

  it('an unverified user cannot sign in: 403 EMAIL_NOT_VERIFIED, no session', async () => {
    // enrolVerifiedPartner verifies; enrol one without verifying.
    const { enrolmentBody } = await import('../support/harness');
    const body = enrolmentBody();
    expect((await t.app.inject({ method: 'POST', url: '/v1/enrollment', payload: body })).statusCode).toBe(201);
    const before = await count(t, 'sessions');
    const res = await postSession({ email: body.email, password: body.password });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('EMAIL_NOT_VERIFIED');
    expect(await count(t, 'sessions')).toBe(before);
  });
});

describe('authenticating requests', () => {
  it('the bearer token authenticates GET /v1/me', async () => {
    const s = await fresh();
    const res = await me(s.auth);
    expect(res.statusCode).toBe(200);
    expect(res.json().user.id).toBe(admin.userId);
  });

  it('the cookie authenticates GET /v1/me', async () => {
    const s = await fresh();
    const res = await me({ cookie: s.cookie });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.id).toBe(admin.userId);
  });

  it.each([
    ['a random bearer token', { authorization: `Bearer ${Buffer.alloc(32, 7).toString('base64url')}` }],
    ['a random cookie', { cookie: `__Host-sid=${Buffer.alloc(32, 9).toString('base64url')}` }],
    ['a malformed bearer header', { authorization: 'Bearer not a token!' }],
    ['another auth scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
  ])('%s → 401 UNAUTHENTICATED', async (_label, headers) => {
    const res = await me(headers);
    expect(res.statusCode).toBe(401);
    expectErrorShape(res.json(), 'UNAUTHENTICATED');
  });

  it('the token hash (as stored) is not a credential', async () => {
    const s = await fresh();
    expect((await me({ authorization: `Bearer ${sha256(s.token)}` })).statusCode).toBe(401);
  });
});

describe('sign-out', () => {
  it('DELETE /v1/sessions/current → 204, the row is gone and the same token then gets 401', async () => {
    const s = await fresh();
    const res = await t.app.inject({ method: 'DELETE', url: '/v1/sessions/current', headers: s.auth });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    const cleared = res.cookies.find((c) => c.name === '__Host-sid');
    expect(cleared?.value).toBe('');
    expect(await t.db.selectFrom('sessions').select('token_hash').where('token_hash', '=', sha256(s.token)).execute()).toEqual([]);
    const after = await me(s.auth);
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('UNAUTHENTICATED');
    expect((await me({ cookie: s.cookie })).statusCode).toBe(401);
  });

  it('signing out one session leaves the user’s other sessions alive', async () => {
    const a = await fresh();
    const b = await fresh();
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/sessions/current', headers: a.auth })).statusCode).toBe(204);
    expect((await me(b.auth)).statusCode).toBe(200);
  });

  it('signing out by cookie needs the CSRF token', async () => {
    const s = await fresh();
    const refused = await t.app.inject({ method: 'DELETE', url: '/v1/sessions/current', headers: { cookie: s.cookie } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('CSRF_FAILED');
    expect((await me(s.auth)).statusCode).toBe(200);
    const ok = await t.app.inject({ method: 'DELETE', url: '/v1/sessions/current', headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken } });
    expect(ok.statusCode).toBe(204);
  });
});

describe('session timeouts (server-side, injected clock)', () => {
  it('idle: still valid after 29 minutes, which counts as activity; expired after 31 idle minutes', async () => {
    const s = await fresh();
    t.clock.advance(29 * MINUTE);
    expect((await me(s.auth)).statusCode).toBe(200);
    t.clock.advance(29 * MINUTE);
    expect((await me(s.auth)).statusCode).toBe(200);
    t.clock.advance(31 * MINUTE);
    const res = await me(s.auth);
    expect(res.statusCode).toBe(401);
    expectErrorShape(res.json(), 'SESSION_EXPIRED');
    expect(res.json().message).toBe('Your session has ended. Sign in again.');
    // The expired row is removed; presenting the token again is simply unknown.
    expect(await t.db.selectFrom('sessions').select('token_hash').where('token_hash', '=', sha256(s.token)).execute()).toEqual([]);
    expect((await me(s.auth)).json().code).toBe('UNAUTHENTICATED');
  });

  it('idle: exactly 30 minutes without activity is already too long', async () => {
    const s = await fresh();
    t.clock.advance(30 * MINUTE);
    expect((await me(s.auth)).json().code).toBe('SESSION_EXPIRED');
  });

  it('absolute: a session kept active every 20 minutes still ends at 12 hours', async () => {
    const s = await fresh();
    for (let elapsed = 20; elapsed < 12 * 60; elapsed += 20) {
      t.clock.advance(20 * MINUTE);
      const res = await me(s.auth);
      expect(res.statusCode, `at ${elapsed} min`).toBe(200);
    }
    t.clock.advance(20 * MINUTE); // 12 h exactly
    const res = await me(s.auth);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('SESSION_EXPIRED');
  });

  it('an expired cookie session on a write → 401 SESSION_EXPIRED, not a CSRF error', async () => {
    const s = await fresh();
    t.clock.advance(31 * MINUTE);
    const res = await t.app.inject({ method: 'PATCH', url: '/v1/me', payload: { locale: 'fr' }, headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken } });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('SESSION_EXPIRED');
  });
});

describe('CSRF', () => {
  const patchMe = (headers: Record<string, string>, payload: object = { locale: 'fr' }) => t.app.inject({ method: 'PATCH', url: '/v1/me', payload, headers });

  it('a cookie-authenticated write without X-CSRF-Token → 403 CSRF_FAILED and nothing changes', async () => {
    const s = await fresh();
    const before = await localeOf(admin.userId);
    const auditBefore = await count(t, 'audit_records');
    const res = await patchMe({ cookie: s.cookie }, { locale: before === 'fr' ? 'en' : 'fr' });
    expect(res.statusCode).toBe(403);
    expectErrorShape(res.json(), 'CSRF_FAILED');
    expect(await localeOf(admin.userId)).toBe(before);
    expect(await count(t, 'audit_records')).toBe(auditBefore);
  });

  it('a wrong X-CSRF-Token (another session’s) → 403', async () => {
    const s = await fresh();
    const other = await fresh();
    const res = await patchMe({ cookie: s.cookie, 'x-csrf-token': other.csrfToken });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CSRF_FAILED');
  });

  it('the right X-CSRF-Token → 200 and the change is stored', async () => {
    const s = await fresh();
    const res = await patchMe({ cookie: s.cookie, 'x-csrf-token': s.csrfToken }, { locale: 'fr' });
    expect(res.statusCode).toBe(200);
    expect(await localeOf(admin.userId)).toBe('fr');
    await patchMe({ cookie: s.cookie, 'x-csrf-token': s.csrfToken }, { locale: 'en' });
    expect(await localeOf(admin.userId)).toBe('en');
  });

  it('a bearer-authenticated write needs no CSRF token', async () => {
    const s = await fresh();
    const res = await patchMe(s.auth, { locale: 'en' });
    expect(res.statusCode).toBe(200);
  });

  it('reads need no CSRF token', async () => {
    const s = await fresh();
    expect((await me({ cookie: s.cookie })).statusCode).toBe(200);
  });

  it.each(['cross-site', 'same-site'])('any write with Sec-Fetch-Site: %s → 403, even with bearer and CSRF token', async (site) => {
    const s = await fresh();
    const before = await localeOf(admin.userId);
    const res = await patchMe({ ...s.auth, cookie: s.cookie, 'x-csrf-token': s.csrfToken, 'sec-fetch-site': site }, { locale: before === 'fr' ? 'en' : 'fr' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CSRF_FAILED');
    expect(await localeOf(admin.userId)).toBe(before);
  });

  it('Sec-Fetch-Site: same-origin is allowed', async () => {
    const s = await fresh();
    expect((await patchMe({ cookie: s.cookie, 'x-csrf-token': s.csrfToken, 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
  });

  it('a cross-site POST /v1/sessions (public) → 403 and no session is opened', async () => {
    const before = await counts(t, ['sessions', 'audit_records']);
    const res = await postSession({ email: admin.body.email, password: admin.body.password }, { 'sec-fetch-site': 'cross-site' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CSRF_FAILED');
    expect(res.cookies).toEqual([]);
    expect(await counts(t, ['sessions', 'audit_records'])).toEqual(before);
  });

  it('a cross-site enrolment → 403 and nothing is written', async () => {
    const { enrolmentBody } = await import('../support/harness');
    const before = await counts(t);
    const res = await t.app.inject({ method: 'POST', url: '/v1/enrollment', payload: enrolmentBody(), headers: { 'sec-fetch-site': 'cross-site' } });
    expect(res.statusCode).toBe(403);
    expect(await counts(t)).toEqual(before);
  });

  it('a cross-site GET is fine (reads do not change state)', async () => {
    const s = await fresh();
    expect((await me({ ...s.auth, 'sec-fetch-site': 'cross-site' })).statusCode).toBe(200);
  });

  it.each(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain'])('a %s body on a write → 415 UNSUPPORTED_MEDIA_TYPE', async (type) => {
    const s = await fresh();
    const before = await counts(t, ['sessions', 'audit_records']);
    const signInForm = await t.app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: `email=${encodeURIComponent(admin.body.email)}&password=${encodeURIComponent(admin.body.password)}`,
      headers: { 'content-type': type },
    });
    expect(signInForm.statusCode).toBe(415);
    expectErrorShape(signInForm.json(), 'UNSUPPORTED_MEDIA_TYPE');
    const patchForm = await t.app.inject({ method: 'PATCH', url: '/v1/me', payload: 'locale=fr', headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, 'content-type': type } });
    expect(patchForm.statusCode).toBe(415);
    expect(await counts(t, ['sessions', 'audit_records'])).toEqual(before);
  });
});

describe('sign-in rate limit', () => {
  it('the 4th attempt in a minute with a limit of 3 → 429 RATE_LIMITED with Retry-After', async () => {
    const limited = await createTestApp({ config: { authRateLimitPerMinute: 3 } });
    try {
      const attempt = () => limited.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: 'someone@fabrikam.example', password: 'not the password at all' } });
      for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
      const res = await attempt();
      expect(res.statusCode).toBe(429);
      expectErrorShape(res.json(), 'RATE_LIMITED');
      expect(res.json().message).toBe('Too many attempts. Wait a moment and try again.');
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // A correct password does not get through either while limited.
      expect((await attempt()).statusCode).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

describe('account lockout (security-baseline L1–L2)', () => {
  it('after 10 wrong passwords even the right one gets the same answer as a wrong one, until the lock ends', async () => {
    const lt = await createTestApp();
    try {
      const p = await enrolVerifiedPartner(lt);
      const attempt = (password: string) => lt.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: p.body.email, password } });
      const wrong = await attempt('definitely not the password');
      for (let i = 0; i < 9; i++) await attempt(`wrong password number ${i}`);
      const locked = await attempt(p.body.password);
      expect(locked.statusCode).toBe(401);
      expect(JSON.stringify({ ...locked.json(), requestId: 0 })).toBe(JSON.stringify({ ...wrong.json(), requestId: 0 }));
      const audits = await lt.db.selectFrom('audit_records').select('action').where('partner_id', '=', p.partnerId).where('action', '=', 'user.locked_out').execute();
      expect(audits).toHaveLength(1);
      lt.clock.advance(60_001);
      expect((await attempt(p.body.password)).statusCode).toBe(201);
      // Success reset the count: one more failure does not lock again.
      await attempt('one more wrong one');
      expect((await attempt(p.body.password)).statusCode).toBe(201);
    } finally {
      await lt.close();
    }
  });

  it('the same wrong password again is audited but not counted, so a stale saved password does not lock the account', async () => {
    const lt = await createTestApp();
    try {
      const p = await enrolVerifiedPartner(lt);
      const attempt = (password: string) => lt.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: p.body.email, password } });
      for (let i = 0; i < 15; i++) expect((await attempt('my old saved password 2024')).statusCode).toBe(401);
      expect((await attempt(p.body.password)).statusCode).toBe(201);
      const failures = await lt.db.selectFrom('audit_records').select('changes').where('partner_id', '=', p.partnerId).where('action', '=', 'session.sign_in').where('outcome', '=', 'failure').execute();
      expect(failures).toHaveLength(15);
      expect(failures.filter((f) => JSON.stringify(f.changes).includes('repeatedPassword'))).toHaveLength(14);
    } finally {
      await lt.close();
    }
  });

  it('an IP that failed too often gets 429 with Retry-After before any password is checked, until its bucket refills', async () => {
    const lt = await createTestApp({ config: { loginFailuresPerIp: 3 } });
    try {
      const p = await enrolVerifiedPartner(lt);
      const attempt = (password: string) => lt.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: p.body.email, password } });
      for (let i = 0; i < 3; i++) expect((await attempt(`wrong password number ${i}`)).statusCode).toBe(401);
      const refused = await attempt(p.body.password);
      expect(refused.statusCode).toBe(429);
      expectErrorShape(refused.json(), 'RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // Three a day: one token comes back every eight hours.
      lt.clock.advance(8 * 60 * MINUTE + 1000);
      expect((await attempt(p.body.password)).statusCode).toBe(201);
    } finally {
      await lt.close();
    }
  });
});
