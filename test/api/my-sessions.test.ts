import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestApp, enrolVerifiedPartner, expectErrorShape, type TestApp } from '../support/harness';

let t: TestApp;
let a: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let b: Awaited<ReturnType<typeof enrolVerifiedPartner>>;

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

beforeAll(async () => {
  // The session cache is on: an ended session must be refused at once all the same.
  t = await createTestApp({ config: { sessionCacheMs: 60_000 } });
  a = await enrolVerifiedPartner(t);
  b = await enrolVerifiedPartner(t);
});
afterAll(async () => t?.close());

type Auth = { authorization: string };
type MySession = { id: string; current: boolean; createdAt: string; lastSeenAt: string; ip: string | null; userAgent: string | null; browser: string | null; os: string | null };

async function signInAs(email: string, password: string, userAgent: string) {
  const res = await t.app.inject({ method: 'POST', url: '/v1/sessions', headers: { 'user-agent': userAgent }, payload: { email, password } });
  expect(res.statusCode, res.body).toBe(201);
  const token = res.json().token as string;
  return { token, auth: { authorization: `Bearer ${token}` } };
}
const list = async (auth: Auth) => {
  const res = await t.app.inject({ method: 'GET', url: '/v1/me/sessions', headers: auth });
  expect(res.statusCode, res.body).toBe(200);
  return { body: res.body, items: res.json().items as MySession[] };
};
const end = (auth: Auth, id: string) => t.app.inject({ method: 'DELETE', url: `/v1/me/sessions/${id}`, headers: auth });
const meStatus = async (auth: Auth) => (await t.app.inject({ method: 'GET', url: '/v1/me', headers: auth })).statusCode;

describe('my sessions', () => {
  it('lists my sessions after two sign-ins, marking the one I use as current, without any token', async () => {
    const laptop = await signInAs(a.body.email, a.body.password, FIREFOX);
    t.clock.advance(60_000);
    const desktop = await signInAs(a.body.email, a.body.password, CHROME);

    const fromDesktop = await list(desktop.auth);
    // The enrolment sign-in, the laptop and the desktop; the most recent first.
    expect(fromDesktop.items).toHaveLength(3);
    const first = fromDesktop.items[0];
    expect(first).toMatchObject({ current: true, browser: 'Chrome', os: 'Linux', userAgent: CHROME });
    const second = fromDesktop.items.find((s) => s.userAgent === FIREFOX);
    expect(second).toMatchObject({ current: false, browser: 'Firefox', os: 'Windows' });
    expect(fromDesktop.items.filter((s) => s.current)).toHaveLength(1);
    expect(new Set(fromDesktop.items.map((s) => s.id)).size).toBe(3);

    const fromLaptop = await list(laptop.auth);
    expect(fromLaptop.items.find((s) => s.current)?.id).toBe(second!.id);
    // Neither the tokens nor their hashes leave the server.
    for (const token of [laptop.token, desktop.token]) {
      expect(fromDesktop.body).not.toContain(token);
      expect(fromDesktop.body).not.toContain(createHash('sha256').update(token).digest('hex'));
    }
    // Another user's sessions are not listed.
    expect((await list(b.auth)).items.map((s) => s.id)).not.toContain(first!.id);
  });

  it('ending my other session makes its token 401 at once and is audited', async () => {
    const phone = await signInAs(a.body.email, a.body.password, FIREFOX);
    const desk = await signInAs(a.body.email, a.body.password, CHROME);
    expect(await meStatus(phone.auth)).toBe(200); // now cached
    const phoneId = (await list(phone.auth)).items.find((s) => s.current)!.id;

    const res = await end(desk.auth, phoneId);
    expect(res.statusCode).toBe(204);
    expect(await meStatus(phone.auth)).toBe(401);
    expect(await meStatus(desk.auth)).toBe(200);
    expect((await list(desk.auth)).items.map((s) => s.id)).not.toContain(phoneId);
    const rec = await t.db.selectFrom('audit_records').select(['actor_id', 'partner_id']).where('action', '=', 'session.ended').where('target_id', '=', phoneId).executeTakeFirst();
    expect(rec).toEqual({ actor_id: a.userId, partner_id: a.partnerId });
  });

  it('ending the current session signs me out', async () => {
    const s = await signInAs(a.body.email, a.body.password, CHROME);
    const id = (await list(s.auth)).items.find((x) => x.current)!.id;
    const res = await end(s.auth, id);
    expect(res.statusCode).toBe(204);
    expect(res.cookies.find((c) => c.name === '__Host-sid')?.value).toBe('');
    expect(await meStatus(s.auth)).toBe(401);
  });

  it('answers 404 for another user’s session or an unknown id, and ends nothing', async () => {
    const theirs = (await list(b.auth)).items[0]!.id;
    const before = await count(t, 'sessions');
    const res = await end(a.auth, theirs);
    expect(res.statusCode).toBe(404);
    expectErrorShape(res.json(), 'NOT_FOUND');
    expect((await end(a.auth, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const bad = await end(a.auth, 'not-a-session');
    expect(bad.statusCode).toBe(400);
    expectErrorShape(bad.json(), 'VALIDATION_FAILED');
    expect(await count(t, 'sessions')).toBe(before);
    expect(await meStatus(b.auth)).toBe(200);
  });

  it('ending all my other sessions keeps this one', async () => {
    const one = await signInAs(a.body.email, a.body.password, FIREFOX);
    const two = await signInAs(a.body.email, a.body.password, FIREFOX);
    const keep = await signInAs(a.body.email, a.body.password, CHROME);
    const res = await t.app.inject({ method: 'DELETE', url: '/v1/me/sessions', headers: keep.auth });
    expect(res.statusCode).toBe(204);
    expect(await meStatus(one.auth)).toBe(401);
    expect(await meStatus(two.auth)).toBe(401);
    expect(await meStatus(keep.auth)).toBe(200);
    expect((await list(keep.auth)).items).toHaveLength(1);
    expect(await meStatus(b.auth)).toBe(200);
  });

  it('an idle or expired session is not listed', async () => {
    const old = await signInAs(b.body.email, b.body.password, FIREFOX);
    t.clock.advance(31 * 60 * 1000);
    const fresh = await signInAs(b.body.email, b.body.password, CHROME);
    const ids = (await list(fresh.auth)).items;
    expect(ids).toHaveLength(1);
    expect(ids[0]!.current).toBe(true);
    expect(await meStatus(old.auth)).toBe(401);
  });
});
