import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/server/core/audit';
import { expireLeads, startLeadExpiryJob } from '../../src/server/modules/referrals/expiry.job';
import { createTestApp, enrolVerifiedPartner, expectErrorShape, mailCount, signIn, waitForNewMail, type TestApp } from '../support/harness';

/**
 * Issue 5, "Contact this partner" and Referrals → Leads: the public contact form, the inbox
 * (search, filters, keyset paging, CSV export), the status flow with If-Match, team visibility,
 * the 14-day expiry job (with the test clock) and cross-tenant isolation.
 */
let t: TestApp;
let a: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let b: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
type Auth = Record<string, string>;
let profileA: string;
let profileB: string;
let referralsAdmin: { id: string; email: string; auth: Auth };
let referralsUser: { id: string; email: string; auth: Auth };
let otherReferralsUser: { id: string; email: string; auth: Auth };
let helpdesk: { id: string; email: string; auth: Auth };

const DAY = 24 * 60 * 60 * 1000;
let ipCounter = 0;
/** Each contact comes from its own address unless told (the per-IP rate limit is tested on its own). */
const nextIp = () => `10.20.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

const req = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Auth = {}, payload?: object) => t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

function contactBody(over: Record<string, unknown> = {}) {
  return {
    name: 'Camille Martin',
    company: 'Tailspin Toys',
    email: 'camille.martin@tailspin.example',
    phone: '+33 6 12 34 56 78',
    country: 'FR',
    companySize: 'medium',
    need: 'Nous migrons 200 postes vers le cloud et cherchons un partenaire pour le déploiement.',
    consent: true,
    ...over,
  };
}

const contact = (profileId: string, over: Record<string, unknown> = {}, ip = nextIp(), headers: Auth = {}) =>
  t.app.inject({ method: 'POST', url: `/v1/directory/partners/${profileId}/contact`, payload: contactBody(over), remoteAddress: ip, headers });

/** A published business profile (the directory's partner id), written as the profile service stores one. */
async function publishedProfile(partnerId: string, country: string, status: 'published' | 'draft' = 'published') {
  const id = randomUUID();
  const now = t.clock.now();
  await t.db
    .insertInto('business_profiles')
    .values({ id, partner_id: partnerId, country, status, description: JSON.stringify({ fr: 'Intégrateur', en: 'Integrator' }), created_at: now, updated_at: now, published_at: status === 'published' ? now : null })
    .execute();
  return id;
}

/** Create a lead through the public form and answer its id (read back as the partner's admin). */
async function newLead(profileId: string, admin: Auth, over: Record<string, unknown> = {}) {
  const email = (over.email as string | undefined) ?? `buyer.${randomUUID().slice(0, 8)}@customer.example`;
  const res = await contact(profileId, { ...over, email });
  expect(res.statusCode, res.body).toBe(201);
  const list = await req('GET', `/v1/referrals?q=${encodeURIComponent(email)}`, admin);
  const items = list.json().items as { id: string }[];
  expect(items).toHaveLength(1);
  return items[0]!.id;
}

async function leadCount(partnerId?: string) {
  let q = t.db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n'));
  if (partnerId) q = q.where('partner_id', '=', partnerId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** After moving the clock by days, sessions have lapsed: sign A's admin in again. */
async function freshSession() {
  a = { ...a, ...(await signIn(t, a.body.email, a.body.password)) };
}

let n = 0;
async function activeUser(admin: Auth, roles: string[]) {
  n += 1;
  const email = `lead.user${n}.${randomUUID().slice(0, 6)}@fabrikam.example`;
  const res = await req('POST', '/v1/users', admin, { firstName: `Léa${n}`, lastName: `Durand${n}`, email, roles });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json() as { id: string; temporaryPassword: string };
  const first = await signIn(t, email, body.temporaryPassword);
  const password = `les prospects arrivent le lundi ${n} matin`;
  expect((await req('POST', '/v1/me/password', first.auth, { currentPassword: body.temporaryPassword, newPassword: password })).statusCode).toBe(204);
  return { id: body.id, email, auth: (await signIn(t, email, password)).auth };
}

async function etagOf(id: string, auth: Auth) {
  const res = await req('GET', `/v1/referrals/${id}`, auth);
  expect(res.statusCode, res.body).toBe(200);
  return res.headers.etag as string;
}

const patch = (id: string, auth: Auth, body: object, etag?: string) =>
  t.app.inject({ method: 'PATCH', url: `/v1/referrals/${id}`, headers: { ...auth, ...(etag ? { 'if-match': etag } : {}) }, payload: body });

beforeAll(async () => {
  t = await createTestApp();
  [a, b] = await Promise.all([enrolVerifiedPartner(t), enrolVerifiedPartner(t)]);
  profileA = await publishedProfile(a.partnerId, 'FR');
  profileB = await publishedProfile(b.partnerId, 'FR');
  referralsAdmin = await activeUser(a.auth, ['referrals-admin']);
  referralsUser = await activeUser(a.auth, ['referrals-user']);
  otherReferralsUser = await activeUser(a.auth, ['referrals-user']);
  helpdesk = await activeUser(a.auth, ['helpdesk-agent']);
});
afterAll(async () => t?.close());

describe('POST /v1/directory/partners/{id}/contact (public)', () => {
  it('creates a new lead in the partner’s inbox, mails its Referrals admins and Global admins (not other users), rings the bell, and answers nothing about the lead', async () => {
    const seen = { admin: mailCount(t, referralsAdmin.email), global: mailCount(t, a.body.email), user: mailCount(t, referralsUser.email), helpdesk: mailCount(t, helpdesk.email) };
    const before = await leadCount(a.partnerId);
    const res = await contact(profileA, { company: 'Wide World Importers', email: 'achats@wideworld.example' }, nextIp(), { 'accept-language': 'fr' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ received: true });
    expect(await leadCount(a.partnerId)).toBe(before + 1);

    const row = await t.db.selectFrom('leads').selectAll().where('customer_email', '=', 'achats@wideworld.example').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ partner_id: a.partnerId, business_profile_id: profileA, status: 'new', customer_phone: '+33612345678', company_size: 'medium', consent: true });
    expect(row.expires_at.getTime() - row.created_at.getTime()).toBe(14 * DAY);

    const mail = await waitForNewMail(t, referralsAdmin.email, seen.admin);
    expect(mail.subject).toContain('Wide World Importers');
    expect(mail.text).toContain(`/referrals/leads/${row.id}`);
    // The customer's contact details stay in the inbox, out of mailboxes.
    expect(mail.text).not.toContain('achats@wideworld.example');
    await waitForNewMail(t, a.body.email, seen.global);
    await new Promise((r) => setTimeout(r, 100));
    expect(mailCount(t, referralsUser.email)).toBe(seen.user);
    expect(mailCount(t, helpdesk.email)).toBe(seen.helpdesk);

    const bell = await req('GET', '/v1/notifications', referralsAdmin.auth);
    expect((bell.json().items as { kind: string; link: string }[]).some((x) => x.kind === 'lead.received' && x.link === `/referrals/leads/${row.id}`)).toBe(true);
    const audit = await t.db.selectFrom('audit_records').select(['action', 'actor_type', 'changes']).where('target_id', '=', row.id).execute();
    expect(audit).toEqual([expect.objectContaining({ action: 'lead.created', actor_type: 'anonymous' })]);
    expect(JSON.stringify(audit)).not.toContain('achats@wideworld.example');
  });

  const refusals: [string, Record<string, unknown>, number, string, string?][] = [
    ['a filled honeypot', { website: 'http://spam.example' }, 400, 'CONTACT_REFUSED'],
    ['a bad email', { email: 'not-an-email' }, 400, 'VALIDATION_FAILED', 'email'],
    ['a bad phone number', { phone: '+33 12' }, 400, 'VALIDATION_FAILED', 'phone'],
    ['no consent', { consent: false }, 400, 'VALIDATION_FAILED', 'consent'],
    ['a need over 2,000 characters', { need: 'x'.repeat(2001) }, 400, 'VALIDATION_FAILED', 'need'],
    ['an unknown company size', { companySize: 'huge' }, 400, 'VALIDATION_FAILED', 'companySize'],
    ['an unknown field', { budget: 1000 }, 400, 'VALIDATION_FAILED'],
  ];
  for (const [what, over, status, code, field] of refusals) {
    it(`refuses ${what}: ${status} ${code}, translated, nothing stored, nobody mailed`, async () => {
      const before = { leads: await leadCount(), mails: t.smtp.inbox.length, audit: (await verifyChain(t.db, a.partnerId)).records };
      const res = await contact(profileA, over, nextIp(), { 'accept-language': 'fr' });
      expect(res.statusCode, res.body).toBe(status);
      expectErrorShape(res.json(), code);
      if (field) expect((res.json().details as { field: string }[]).map((d) => d.field)).toContain(field);
      if (code === 'CONTACT_REFUSED') expect(res.json().message).toBe('Ce message n’a pas pu être envoyé.');
      await new Promise((r) => setTimeout(r, 50));
      expect({ leads: await leadCount(), mails: t.smtp.inbox.length, audit: (await verifyChain(t.db, a.partnerId)).records }).toEqual(before);
    });
  }

  it('a message within the limits is accepted: a need of exactly 2,000 characters', async () => {
    expect((await contact(profileA, { need: 'é'.repeat(2000) })).statusCode).toBe(201);
  });

  it('an unknown profile, a draft (unpublished) one or a malformed id → 404 / 400, nothing stored', async () => {
    const draft = await publishedProfile(a.partnerId, 'BE', 'draft');
    const before = await leadCount();
    for (const id of [randomUUID(), draft]) {
      const res = await contact(id);
      expect(res.statusCode).toBe(404);
      expectErrorShape(res.json(), 'NOT_FOUND');
    }
    expect((await contact('not-a-uuid')).statusCode).toBe(400);
    expect(await leadCount()).toBe(before);
  });

  it('limits each IP address: the 6th message within an hour gets 429 RATE_LIMITED (translated, Retry-After), nothing stored; another address is not affected', async () => {
    const ip = '192.0.2.77';
    for (let i = 0; i < 5; i++) expect((await contact(profileA, {}, ip)).statusCode).toBe(201);
    const before = await leadCount();
    const res = await contact(profileA, {}, ip, { 'accept-language': 'fr' });
    expect(res.statusCode).toBe(429);
    expectErrorShape(res.json(), 'RATE_LIMITED');
    expect(res.json().message).not.toMatch(/rate limit/i);
    expect(res.headers['retry-after']).toBeDefined();
    expect(await leadCount()).toBe(before);
    expect((await contact(profileA, {}, '192.0.2.78')).statusCode).toBe(201);
  });

  it('is reachable without a session and refuses a cross-site browser post', async () => {
    const res = await contact(profileA, {}, nextIp(), { 'sec-fetch-site': 'cross-site' });
    expect(res.statusCode).toBe(403);
  });
});

describe('GET /v1/referrals (the inbox)', () => {
  let ids: string[];
  beforeAll(async () => {
    // Three leads of a separate profile country, a minute apart, for search, filters and paging.
    const profileSE = await publishedProfile(a.partnerId, 'SE');
    ids = [];
    for (const [i, over] of [
      { name: 'Ingrid Berg', company: 'Nordic Freight AB', country: 'SE', phone: '+46 70 123 45 67', companySize: 'large' },
      { name: 'Zoë Lambert', company: 'Fourth Coffee', country: 'BE', phone: '+32 470 12 34 56', companySize: 'small' },
      { name: 'Olaf Svensson', company: 'Nordic Timber', country: 'SE', phone: '+46 70 123 45 68', companySize: 'small' },
    ].entries()) {
      t.clock.advance(60_000);
      ids.push(await newLead(profileSE, a.auth, { ...over, email: `inbox${i}.${randomUUID().slice(0, 6)}@buyers.example` }));
    }
  });

  it('searches customer name, company and email (case-insensitive), and filters by status, country, company size and creation date', async () => {
    const q = async (qs: string) => (await req('GET', `/v1/referrals?${qs}`, a.auth)).json() as { totalCount: number; items: { id: string; customer: { company: string } }[] };
    expect((await q('q=nordic')).items.map((i) => i.id)).toEqual([ids[2], ids[0]]);
    expect((await q('q=ZOË')).items.map((i) => i.id)).toEqual([ids[1]]);
    expect((await q('q=inbox1.')).items.map((i) => i.id)).toEqual([ids[1]]);
    expect((await q('q=100%25')).totalCount).toBe(0);
    expect((await q('country=SE&q=nordic')).totalCount).toBe(2);
    expect((await q('companySize=small&q=nordic')).items.map((i) => i.id)).toEqual([ids[2]]);
    expect((await q('status=accepted&q=nordic')).totalCount).toBe(0);
    expect((await q('status=new&q=nordic')).totalCount).toBe(2);
    const today = t.clock.now().toISOString().slice(0, 10);
    expect((await q(`createdFrom=${today}&createdTo=${today}&q=nordic`)).totalCount).toBe(2);
    expect((await q('createdTo=2020-01-01&q=nordic')).totalCount).toBe(0);
    const bad = await req('GET', '/v1/referrals?createdFrom=2026-12-01&createdTo=2026-11-01', a.auth);
    expect(bad.statusCode).toBe(400);
    expect((await req('GET', '/v1/referrals?status=archived', a.auth)).statusCode).toBe(400);
  });

  it('pages by keyset, newest first, with {totalCount, items, links}', async () => {
    const first = (await req('GET', '/v1/referrals?size=2&country=SE', a.auth)).json() as { totalCount: number; items: { id: string }[]; links: { next?: { uri: string } } };
    expect(first.totalCount).toBe(2);
    const all = (await req('GET', '/v1/referrals?size=1', a.auth)).json() as { totalCount: number; items: { id: string }[]; links: { self: { uri: string }; next?: { uri: string } } };
    expect(all.items).toHaveLength(1);
    expect(all.items[0]!.id).toBe(ids[2]);
    const page2 = (await req('GET', all.links.next!.uri, a.auth)).json() as { items: { id: string }[] };
    expect(page2.items[0]!.id).toBe(ids[1]);
    // Walk everything: every lead once, in order.
    const seen: string[] = [];
    let uri: string | undefined = '/v1/referrals?size=3';
    while (uri) {
      const p = (await req('GET', uri, a.auth)).json() as { totalCount: number; items: { id: string; createdAt: string }[]; links: { next?: { uri: string } } };
      seen.push(...p.items.map((i) => i.id));
      uri = p.links.next?.uri;
    }
    expect(seen.length).toBe(await leadCount(a.partnerId));
    expect(new Set(seen).size).toBe(seen.length);
    expect((await req('GET', '/v1/referrals?continuationToken=bm9wZQ', a.auth)).statusCode).toBe(400);
  });

  it('needs referrals.read: a Helpdesk agent gets 403', async () => {
    expect((await req('GET', '/v1/referrals', helpdesk.auth)).statusCode).toBe(403);
    expect((await req('GET', '/v1/referrals/export', helpdesk.auth)).statusCode).toBe(403);
  });
});

describe('PATCH /v1/referrals/{id}: the status flow', () => {
  it('needs If-Match: none → 428, a stale one → 412 with the current ETag; nothing changed', async () => {
    const id = await newLead(profileA, a.auth);
    const none = await patch(id, a.auth, { status: 'accepted' });
    expect(none.statusCode).toBe(428);
    expectErrorShape(none.json(), 'PRECONDITION_REQUIRED');
    const etag = await etagOf(id, a.auth);
    const stale = await patch(id, a.auth, { status: 'accepted' }, 'W/"99"');
    expect(stale.statusCode).toBe(412);
    expect(stale.headers.etag).toBe(etag);
    expect((await req('GET', `/v1/referrals/${id}`, a.auth)).json().status).toBe('new');
  });

  it('new → accepted → won (deal value and currency), each audited, each with a new ETag', async () => {
    const id = await newLead(profileA, a.auth);
    let etag = await etagOf(id, a.auth);
    const acc = await patch(id, referralsAdmin.auth, { status: 'accepted', teamUserIds: [referralsUser.id], note: 'Appel prévu jeudi.' }, etag);
    expect(acc.statusCode, acc.body).toBe(200);
    expect(acc.json()).toMatchObject({ status: 'accepted', team: [{ id: referralsUser.id }], notes: [{ text: 'Appel prévu jeudi.', authorId: referralsAdmin.id }] });
    expect(acc.headers.etag).not.toBe(etag);
    etag = acc.headers.etag as string;
    // Won needs a value and a currency.
    const missing = await patch(id, referralsAdmin.auth, { status: 'won' }, etag);
    expect(missing.statusCode).toBe(400);
    expect((missing.json().details as { field: string }[]).map((d) => d.field).sort()).toEqual(['currency', 'dealValue']);
    const badAmount = await patch(id, referralsAdmin.auth, { status: 'won', dealValue: '12,5', currency: 'EUR' }, etag);
    expect(badAmount.statusCode).toBe(400);
    const badCurrency = await patch(id, referralsAdmin.auth, { status: 'won', dealValue: '100', currency: 'XYZ' }, etag);
    expect(badCurrency.statusCode).toBe(400);
    const won = await patch(id, referralsAdmin.auth, { status: 'won', dealValue: '12500.5', currency: 'eur' }, etag);
    expect(won.statusCode, won.body).toBe(200);
    expect(won.json()).toMatchObject({ status: 'won', dealValue: '12500.50', currency: 'EUR' });
    const actions = (await t.db.selectFrom('audit_records').select('action').where('target_id', '=', id).orderBy('seq').execute()).map((r) => r.action);
    expect(actions).toEqual(['lead.created', 'lead.accepted', 'lead.team_changed', 'lead.note_added', 'lead.won']);
    expect((await verifyChain(t.db, a.partnerId)).verified).toBe(true);
  });

  it('new → declined needs a reason; accepted → lost needs a reason', async () => {
    const d = await newLead(profileA, a.auth);
    let etag = await etagOf(d, a.auth);
    const noReason = await patch(d, a.auth, { status: 'declined' }, etag);
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().details[0].field).toBe('reason');
    const declined = await patch(d, a.auth, { status: 'declined', reason: 'Hors de notre zone.' }, etag);
    expect(declined.json()).toMatchObject({ status: 'declined', reason: 'Hors de notre zone.' });

    const l = await newLead(profileA, a.auth);
    etag = (await patch(l, a.auth, { status: 'accepted' }, await etagOf(l, a.auth))).headers.etag as string;
    expect((await patch(l, a.auth, { status: 'lost' }, etag)).statusCode).toBe(400);
    const lost = await patch(l, a.auth, { status: 'lost', reason: 'Budget gelé.' }, etag);
    expect(lost.json()).toMatchObject({ status: 'lost', reason: 'Budget gelé.' });
  });

  it('an illegal transition is 409 LEAD_TRANSITION_INVALID (translated), and the lead is unchanged', async () => {
    const id = await newLead(profileA, a.auth);
    const etag = await etagOf(id, a.auth);
    for (const status of ['won', 'lost', 'new', 'expired']) {
      const body = status === 'won' ? { status, dealValue: '10', currency: 'EUR' } : status === 'lost' ? { status, reason: 'x' } : { status };
      const res = await patch(id, a.auth, body, etag);
      expect(res.statusCode, `${status}: ${res.body}`).toBe(409);
      expectErrorShape(res.json(), 'LEAD_TRANSITION_INVALID');
    }
    const declined = await patch(id, a.auth, { status: 'declined', reason: 'Doublon.' }, etag);
    const etag2 = declined.headers.etag as string;
    const fr = await t.app.inject({ method: 'PATCH', url: `/v1/referrals/${id}`, headers: { ...a.auth, 'if-match': etag2, 'accept-language': 'fr' }, payload: { status: 'accepted' } });
    expect(fr.statusCode).toBe(409);
    expect(fr.json().message).not.toBe(fr.json().code);
    expect((await req('GET', `/v1/referrals/${id}`, a.auth)).json()).toMatchObject({ status: 'declined', etag: etag2 });
  });

  it('a reason or a deal value without the status that takes it is refused (400)', async () => {
    const id = await newLead(profileA, a.auth);
    const etag = await etagOf(id, a.auth);
    expect((await patch(id, a.auth, { status: 'accepted', reason: 'why not' }, etag)).statusCode).toBe(400);
    expect((await patch(id, a.auth, { dealValue: '100', currency: 'EUR' }, etag)).statusCode).toBe(400);
    expect((await patch(id, a.auth, {}, etag)).statusCode).toBe(400);
  });
});

describe('team and visibility', () => {
  it('a Referrals user sees and changes only the leads whose team they are on (others: 404); assignedTo=me filters', async () => {
    const mine = await newLead(profileA, a.auth);
    const notMine = await newLead(profileA, a.auth);
    const etag = await etagOf(mine, a.auth);
    const assigned = await patch(mine, referralsAdmin.auth, { teamUserIds: [otherReferralsUser.id] }, etag);
    expect(assigned.statusCode, assigned.body).toBe(200);

    const list = (await req('GET', '/v1/referrals?size=500', otherReferralsUser.auth)).json() as { totalCount: number; items: { id: string }[] };
    expect(list.items.map((i) => i.id)).toEqual([mine]);
    expect(list.totalCount).toBe(1);
    expect((await req('GET', `/v1/referrals/${notMine}`, otherReferralsUser.auth)).statusCode).toBe(404);
    const other = await patch(notMine, otherReferralsUser.auth, { note: 'curious' }, await etagOf(notMine, a.auth));
    expect(other.statusCode).toBe(404);
    // On the team: may work on it (accept, note)…
    const e2 = assigned.headers.etag as string;
    const acc = await patch(mine, otherReferralsUser.auth, { status: 'accepted', note: 'Je m’en occupe.' }, e2);
    expect(acc.statusCode, acc.body).toBe(200);
    // …but not change the team (referrals.manage): 403.
    const team = await patch(mine, otherReferralsUser.auth, { teamUserIds: [otherReferralsUser.id, referralsUser.id] }, acc.headers.etag as string);
    expect(team.statusCode).toBe(403);
    // The admin's inbox: assignedTo=me is their own team only.
    const adminMine = (await req('GET', '/v1/referrals?assignedTo=me', otherReferralsUser.auth)).json() as { items: { id: string }[] };
    expect(adminMine.items.map((i) => i.id)).toEqual([mine]);
    expect(((await req('GET', '/v1/referrals?assignedTo=me', referralsAdmin.auth)).json() as { totalCount: number }).totalCount).toBe(0);
    // The export follows the same visibility.
    const csv = (await req('GET', '/v1/referrals/export', otherReferralsUser.auth)).body;
    expect(csv).toContain(mine);
    expect(csv).not.toContain(notMine);
  });

  it('GET /v1/referrals/members lists who can be on a team (Referrals admin only): users holding referrals.read, not others, not another company’s', async () => {
    const res = await req('GET', '/v1/referrals/members', referralsAdmin.auth);
    expect(res.statusCode).toBe(200);
    const ids = (res.json().items as { id: string }[]).map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining([a.userId, referralsAdmin.id, referralsUser.id, otherReferralsUser.id]));
    expect(ids).not.toContain(helpdesk.id);
    expect(ids).not.toContain(b.userId);
    const searched = (await req('GET', `/v1/referrals/members?q=${encodeURIComponent(referralsUser.email)}`, referralsAdmin.auth)).json().items as { id: string }[];
    expect(searched.map((m) => m.id)).toEqual([referralsUser.id]);
    expect((await req('GET', '/v1/referrals/members', referralsUser.auth)).statusCode).toBe(403);
  });

  it('team members must be active users of the same company holding referrals.read', async () => {
    const id = await newLead(profileA, a.auth);
    const etag = await etagOf(id, a.auth);
    for (const userId of [helpdesk.id, b.userId, randomUUID()]) {
      const res = await patch(id, referralsAdmin.auth, { teamUserIds: [userId] }, etag);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().details[0]).toMatchObject({ field: 'teamUserIds', reason: 'not_referrals_member' });
    }
    // A Global admin holds referrals.read.
    expect((await patch(id, referralsAdmin.auth, { teamUserIds: [a.userId, referralsUser.id] }, etag)).statusCode).toBe(200);
  });
});

describe('GET /v1/referrals/export', () => {
  it('streams CSV with LeadCreationDateTime, the inbox filters, and formula-injection-safe cells', async () => {
    const id = await newLead(profileA, a.auth, { name: '=HYPERLINK("http://evil.example")', company: '+Contoso Formula', need: '@SUM(A1)' });
    const res = await req('GET', '/v1/referrals/export?q=contoso%20formula', a.auth);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"/);
    const rows = parse(res.body.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!)).toContain('LeadCreationDateTime');
    expect(rows[0]).toMatchObject({ LeadId: id, Status: 'new', CustomerName: `'=HYPERLINK("http://evil.example")`, CustomerCompany: "'+Contoso Formula", Need: "'@SUM(A1)" });
    expect(new Date(rows[0]!.LeadCreationDateTime!).toISOString()).toBe(rows[0]!.LeadCreationDateTime);
  });
});

describe('another partner’s leads', () => {
  it('partner B’s lead is 404 to partner A’s Global admin (GET, PATCH), absent from A’s inbox and export, and unchanged', async () => {
    const theirs = await newLead(profileB, b.auth);
    const etag = await etagOf(theirs, b.auth);
    const before = (await req('GET', `/v1/referrals/${theirs}`, b.auth)).json();
    expect((await req('GET', `/v1/referrals/${theirs}`, a.auth)).statusCode).toBe(404);
    const p = await patch(theirs, a.auth, { status: 'accepted', note: 'hijack' }, etag);
    expect(p.statusCode).toBe(404);
    expectErrorShape(p.json(), 'NOT_FOUND');
    const inbox = (await req('GET', '/v1/referrals?size=500', a.auth)).json() as { items: { id: string }[] };
    expect(inbox.items.map((i) => i.id)).not.toContain(theirs);
    expect((await req('GET', '/v1/referrals/export', a.auth)).body).not.toContain(theirs);
    expect((await req('GET', `/v1/referrals/${theirs}`, b.auth)).json()).toEqual(before);
  });

  it('B’s user cannot be put on A’s lead team', async () => {
    const id = await newLead(profileA, a.auth);
    const res = await patch(id, a.auth, { teamUserIds: [b.userId] }, await etagOf(id, a.auth));
    expect(res.statusCode).toBe(400);
  });
});

describe('expiry: a lead not accepted within 14 days expires (scheduled job)', () => {
  it('expires at day 14 exactly, once; hides the contact details; is audited; leaves accepted leads alone', async () => {
    const waiting = await newLead(profileA, a.auth, { email: 'expiring@customer.example', phone: '+33 1 44 55 66 77' });
    const accepted = await newLead(profileA, a.auth);
    await patch(accepted, a.auth, { status: 'accepted' }, await etagOf(accepted, a.auth));

    t.clock.advance(14 * DAY - 60_000);
    await freshSession();
    // A minute short of 14 days: the run (which may expire older leads of this suite) leaves it new.
    await expireLeads(t.db, t.clock.now());
    expect((await t.db.selectFrom('leads').select('status').where('id', '=', waiting).executeTakeFirstOrThrow()).status).toBe('new');
    expect((await req('GET', `/v1/referrals/${waiting}`, a.auth)).json()).toMatchObject({ status: 'new', customer: { email: 'expiring@customer.example' } });

    t.clock.advance(60_000);
    await freshSession();
    // Before the job runs, the inbox already shows it expired and refuses to accept it.
    const shown = (await req('GET', `/v1/referrals/${waiting}`, a.auth)).json();
    expect(shown).toMatchObject({ status: 'expired', contactHidden: true, customer: { email: null, phone: null } });
    const late = await patch(waiting, a.auth, { status: 'accepted' }, await etagOf(waiting, a.auth));
    expect(late.statusCode).toBe(409);

    const expired = await expireLeads(t.db, t.clock.now());
    expect(expired).toBeGreaterThanOrEqual(1);
    expect(await expireLeads(t.db, t.clock.now())).toBe(0);
    const row = await t.db.selectFrom('leads').select(['status', 'version']).where('id', '=', waiting).executeTakeFirstOrThrow();
    expect(row.status).toBe('expired');
    expect((await req('GET', `/v1/referrals/${accepted}`, a.auth)).json().status).toBe('accepted');
    const audit = await t.db.selectFrom('audit_records').select(['action', 'actor_type']).where('target_id', '=', waiting).where('action', '=', 'lead.expired').execute();
    expect(audit).toEqual([{ action: 'lead.expired', actor_type: 'system' }]);
    expect((await verifyChain(t.db, a.partnerId)).verified).toBe(true);
    // The filter and the export agree; the export hides the contact too.
    const list = (await req('GET', '/v1/referrals?status=expired&q=expiring%40customer', a.auth)).json() as { items: { id: string }[] };
    expect(list.items.map((i) => i.id)).toEqual([waiting]);
    const csv = (await req('GET', '/v1/referrals/export?status=expired', a.auth)).body;
    expect(csv).not.toContain('expiring@customer.example');
    expect(csv).not.toContain('+33144556677');
  });

  it('the scheduled job runs at start with the server’s clock, and concurrent runs expire each lead once', async () => {
    const id = await newLead(profileA, a.auth);
    t.clock.advance(15 * DAY);
    await freshSession();
    const [one, two] = [startLeadExpiryJob(t.db, { clock: t.clock.now }), startLeadExpiryJob(t.db, { clock: t.clock.now })];
    await Promise.all([one.ready, two.ready]);
    one.stop();
    two.stop();
    expect((await t.db.selectFrom('leads').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('expired');
    const records = await t.db.selectFrom('audit_records').select('id').where('target_id', '=', id).where('action', '=', 'lead.expired').execute();
    expect(records).toHaveLength(1);
  });
});
