import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, enrolVerifiedPartner, expectErrorShape, signIn, type TestApp } from '../support/harness';
import { notify } from '../../src/server/modules/notifications/notifications.service';
import type { RequestContext } from '../../src/server/core/context';

let t: TestApp;
let a: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let b: Awaited<ReturnType<typeof enrolVerifiedPartner>>;

beforeAll(async () => {
  t = await createTestApp();
  a = await enrolVerifiedPartner(t);
  b = await enrolVerifiedPartner(t);
});
afterAll(async () => t?.close());

type Headers = Record<string, string>;
const req = (method: 'GET' | 'POST', url: string, headers: Headers) => t.app.inject({ method, url, headers });

/** Announce something to a company as the review services do (notify(), in the caller's transaction). */
async function announce(partnerId: string, kind = 'taxexemption.approved', params: Record<string, string> = { certificate: 'FR-123' }) {
  const ctx = { db: t.db, now: t.clock.now() } as unknown as RequestContext;
  const id = await t.db.transaction().execute((tx) => notify({ ...ctx, db: tx }, { partnerId, kind, params, link: '/account/payout' }));
  t.clock.advance(1000);
  return id;
}

const unread = async (h: Headers) => (await req('GET', '/v1/notifications/unreadcount', h)).json().unread as number;

/** A second user of partner A, signed in with a password of their own. */
async function colleague() {
  const email = `colleague.${Date.now()}@fabrikam.example`;
  const created = await t.app.inject({ method: 'POST', url: '/v1/users', headers: a.auth, payload: { firstName: 'Col', lastName: 'League', email, roles: [] } });
  const { temporaryPassword } = created.json() as { temporaryPassword: string };
  const first = await signIn(t, email, temporaryPassword);
  const password = 'une phrase de passe assez longue 42';
  await t.app.inject({ method: 'POST', url: '/v1/me/password', headers: first.auth, payload: { currentPassword: temporaryPassword, newPassword: password } });
  return signIn(t, email, password);
}

describe('the notification list', () => {
  it('lists the company’s notifications newest first with kind, params and link, and counts the unread ones', async () => {
    const before = await unread(a.auth);
    const first = await announce(a.partnerId, 'verification.approved', {});
    const second = await announce(a.partnerId, 'taxexemption.rejected', { reason: 'Certificate expired' });
    expect(await unread(a.auth)).toBe(before + 2);
    const list = (await req('GET', '/v1/notifications?size=2', a.auth)).json() as { items: { id: string; kind: string; params: object; link: string; read: boolean }[]; unread: number };
    expect(list.items.map((n) => n.id)).toEqual([second, first]);
    expect(list.items[0]).toMatchObject({ kind: 'taxexemption.rejected', params: { reason: 'Certificate expired' }, link: '/account/payout', read: false });
    expect(list.unread).toBe(before + 2);
  });

  it('pages with a continuation token without repeating or skipping a notification', async () => {
    const c = await enrolVerifiedPartner(t);
    const ids: string[] = [];
    for (let i = 0; i < 7; i += 1) ids.unshift(await announce(c.partnerId));
    const seen: string[] = [];
    let url: string | undefined = '/v1/notifications?size=3';
    let pages = 0;
    while (url) {
      const page = (await req('GET', url, c.auth)).json() as { items: { id: string }[]; links: { next?: { uri: string } } };
      seen.push(...page.items.map((n) => n.id));
      url = page.links.next?.uri;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
    const bad = await req('GET', '/v1/notifications?continuationToken=nope', c.auth);
    expect(bad.statusCode).toBe(400);
    expectErrorShape(bad.json(), 'INVALID_CONTINUATION_TOKEN');
  });

  it('does not show another partner’s notifications', async () => {
    const theirs = await announce(b.partnerId);
    const mine = (await req('GET', '/v1/notifications?size=500', a.auth)).json() as { items: { id: string }[] };
    expect(mine.items.map((n) => n.id)).not.toContain(theirs);
  });
});

describe('marking read', () => {
  it('marking one read lowers my unread count by one, and only mine: a colleague still sees it unread', async () => {
    const other = await colleague();
    const id = await announce(a.partnerId);
    const [mineBefore, theirsBefore] = [await unread(a.auth), await unread(other.auth)];
    const res = await req('POST', `/v1/notifications/${id}/read`, a.auth);
    expect(res.statusCode).toBe(200);
    expect(res.json().unread).toBe(mineBefore - 1);
    // Again: nothing changes.
    expect((await req('POST', `/v1/notifications/${id}/read`, a.auth)).json().unread).toBe(mineBefore - 1);
    expect(await unread(other.auth)).toBe(theirsBefore);
    const list = (await req('GET', '/v1/notifications', a.auth)).json() as { items: { id: string; read: boolean }[] };
    expect(list.items.find((n) => n.id === id)?.read).toBe(true);
  });

  it('“mark all read” clears my badge; a later notification is unread again', async () => {
    await announce(a.partnerId);
    const res = await req('POST', '/v1/notifications/read', a.auth);
    expect(res.statusCode).toBe(200);
    expect(res.json().unread).toBe(0);
    expect(await unread(a.auth)).toBe(0);
    await announce(a.partnerId);
    expect(await unread(a.auth)).toBe(1);
  });

  it('marking another partner’s notification read answers 404 and leaves it unread for them', async () => {
    const theirs = await announce(b.partnerId);
    const before = await unread(b.auth);
    const res = await req('POST', `/v1/notifications/${theirs}/read`, a.auth);
    expect(res.statusCode).toBe(404);
    expectErrorShape(res.json(), 'NOT_FOUND');
    expect(await unread(b.auth)).toBe(before);
    expect((await req('POST', '/v1/notifications/read', a.auth)).statusCode).toBe(200);
    expect(await unread(b.auth)).toBe(before);
  });
});
