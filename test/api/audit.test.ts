import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, enrolVerifiedPartner, type TestApp } from '../support/harness';

let t: TestApp;
let a: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let b: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  t = await createTestApp();
  a = await enrolVerifiedPartner(t);
  b = await enrolVerifiedPartner(t);
  for (const locale of ['fr', 'en', 'fr'] as const) await t.app.inject({ method: 'PATCH', url: '/v1/me', headers: a.auth, payload: { locale } });
});
afterAll(async () => t?.close());

const get = (url: string, auth = a.auth) => t.app.inject({ method: 'GET', url, headers: auth });

describe('GET /v1/auditrecords', () => {
  it('lists my company’s records, newest first, with actor, action, target and before/after values', async () => {
    const res = await get('/v1/auditrecords');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { action: string; actor: { id: string; email: string }; changes: Record<string, { before: unknown; after: unknown }> | null; at: string }[];
    expect(items.map((i) => i.action)).toEqual(expect.arrayContaining(['partner.enrolled', 'user.created', 'user.email_verified', 'session.sign_in', 'user.updated']));
    expect([...items].sort((x, y) => y.at.localeCompare(x.at)).map((i) => i.at)).toEqual(items.map((i) => i.at));
    const change = items.find((i) => i.action === 'user.updated')!;
    expect(change.actor).toMatchObject({ id: a.userId, email: a.body.email });
    expect(change.changes?.locale).toEqual({ before: 'en', after: 'fr' });
  });

  it('never shows another partner’s records', async () => {
    const mine = (await get('/v1/auditrecords?size=500')).json().items as { target: { id: string } }[];
    expect(mine.some((i) => i.target.id === b.userId || i.target.id === b.partnerId)).toBe(false);
  });

  it('filters by user and action, and pages with links.next visiting each record once', async () => {
    const updates = (await get(`/v1/auditrecords?action=user.updated&userId=${a.userId}`)).json();
    expect(updates.totalCount).toBe(3);
    const all = (await get('/v1/auditrecords?size=500')).json();
    const seen: string[] = [];
    let uri: string | undefined = '/v1/auditrecords?size=2';
    while (uri) {
      const page = (await get(uri)).json() as { items: { id: string }[]; links: { next?: { uri: string } } };
      seen.push(...page.items.map((i) => i.id));
      uri = page.links.next?.uri;
    }
    expect(seen).toEqual(all.items.map((i: { id: string }) => i.id));
  });

  it('defaults to the last 30 days and refuses a start more than 90 days back', async () => {
    t.clock.advance(31 * DAY);
    const fresh = await enrolVerifiedPartner(t);
    const res = await get('/v1/auditrecords', fresh.auth);
    expect(res.json().items.every((i: { at: string }) => new Date(i.at).getTime() >= t.clock.now().getTime() - 30 * DAY)).toBe(true);
    const tooOld = new Date(t.clock.now().getTime() - 91 * DAY).toISOString();
    const refused = await get(`/v1/auditrecords?startDate=${encodeURIComponent(tooOld)}`, fresh.auth);
    expect([refused.statusCode, refused.json().code]).toEqual([400, 'INVALID_DATE_RANGE']);
    const ok = new Date(t.clock.now().getTime() - 89 * DAY).toISOString();
    expect((await get(`/v1/auditrecords?startDate=${encodeURIComponent(ok)}`, fresh.auth)).statusCode).toBe(200);
  });

  it('is only for roles that may read the activity log', async () => {
    const c = await enrolVerifiedPartner(t);
    const add = await t.app.inject({ method: 'POST', url: '/v1/users', headers: c.auth, payload: { firstName: 'Sam', lastName: 'Sales', email: `sam.${Date.now()}@sales.example`, roles: ['sales-agent'] } });
    expect(add.statusCode).toBe(201);
    const s = await t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: add.json().email, password: add.json().temporaryPassword } });
    const auth = { authorization: `Bearer ${s.json().token}` };
    await t.app.inject({ method: 'POST', url: '/v1/me/password', headers: auth, payload: { currentPassword: add.json().temporaryPassword, newPassword: 'les ventes du mardi matin 77' } });
    expect((await get('/v1/auditrecords', auth)).statusCode).toBe(403);
  });
});

describe('tamper evidence', () => {
  it('each partner’s records form a hash chain that verifies, and an edited, deleted or reordered record is found', async () => {
    const { verifyChain } = await import('../../src/server/core/audit');
    const p = await enrolVerifiedPartner(t);
    await t.app.inject({ method: 'PATCH', url: '/v1/me', headers: p.auth, payload: { locale: 'fr' } });
    const ok = await verifyChain(t.db, p.partnerId);
    expect(ok.verified).toBe(true);
    expect(ok.records).toBeGreaterThanOrEqual(5);

    const rows = await t.db.selectFrom('audit_records').select(['id', 'seq']).where('partner_id', '=', p.partnerId).orderBy('seq').execute();
    const third = rows[2]!;
    // Edit one field of one record: the chain breaks exactly there.
    await t.db.updateTable('audit_records').set({ ip: '203.0.113.66' }).where('id', '=', third.id).execute();
    expect(await verifyChain(t.db, p.partnerId)).toMatchObject({ verified: false, firstBrokenSeq: String(third.seq) });
    await t.db.updateTable('audit_records').set({ ip: '127.0.0.1' }).where('id', '=', third.id).execute();

    // Delete a record: the next one no longer follows.
    await t.db.deleteFrom('audit_records').where('id', '=', rows[1]!.id).execute();
    expect(await verifyChain(t.db, p.partnerId)).toMatchObject({ verified: false, firstBrokenSeq: String(third.seq) });
  });

  it('the operator endpoint reports a partner’s chain; another partner’s chain is untouched', async () => {
    const { operatorSession } = await import('../support/harness');
    const op = await operatorSession(t);
    const p = await enrolVerifiedPartner(t);
    const res = await t.app.inject({ method: 'GET', url: `/v1/operator/partners/${p.partnerId}/auditchain`, headers: op.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ verified: true, firstBrokenSeq: null });
    const missing = await t.app.inject({ method: 'GET', url: '/v1/operator/partners/00000000-0000-4000-8000-000000000000/auditchain', headers: op.auth });
    expect(missing.statusCode).toBe(404);
  });
});
