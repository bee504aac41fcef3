import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, enrolVerifiedPartner, expectErrorShape, mailCount, operatorSession, waitForNewMail, type TestApp } from '../support/harness';

let t: TestApp;
let op: Awaited<ReturnType<typeof operatorSession>>;

beforeAll(async () => {
  t = await createTestApp();
  op = await operatorSession(t);
});
afterAll(async () => t?.close());

type Headers = Record<string, string>;
const call = (method: 'GET' | 'POST' | 'PUT', url: string, headers: Headers, payload?: object | Buffer) => t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

interface QueueItem {
  partnerId: string;
  companyName: string;
  status: string;
  submittedAt: string;
  pendingFields: string[];
}

async function queue(query: string) {
  const res = await call('GET', `/v1/operator/reviews/verifications${query}`, op.auth);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { totalCount: number; items: QueueItem[]; links: { next?: { uri: string } } };
}

describe('the verification queue', () => {
  it('lists pending partners oldest first with keyset paging, filters by status, and is for operators only', async () => {
    const first = await enrolVerifiedPartner(t);
    t.clock.advance(60_000);
    const second = await enrolVerifiedPartner(t);
    t.clock.advance(60_000);
    const third = await enrolVerifiedPartner(t);
    await t.db.updateTable('partners').set({ status: 'authorized', pending_fields: [] }).where('id', '=', third.partnerId).execute();

    const all = await queue('?size=500');
    const ids = all.items.map((i) => i.partnerId);
    expect(ids).toContain(first.partnerId);
    expect(ids).not.toContain(third.partnerId);
    expect(ids.indexOf(first.partnerId)).toBeLessThan(ids.indexOf(second.partnerId));
    expect(all.items.find((i) => i.partnerId === first.partnerId)).toMatchObject({ status: 'pending_verification', pendingFields: ['companyName', 'address', 'primaryContact'] });

    // Page by one: every pending partner exactly once, in order.
    const seen: string[] = [];
    let next: string | undefined = '/v1/operator/reviews/verifications?size=1';
    while (next) {
      const res = await call('GET', next, op.auth);
      const page = res.json() as { items: QueueItem[]; links: { next?: { uri: string } }; totalCount: number };
      expect(page.items.length).toBeLessThanOrEqual(1);
      expect(page.totalCount).toBe(all.totalCount);
      seen.push(...page.items.map((i) => i.partnerId));
      next = page.links.next?.uri;
    }
    expect(seen).toEqual(ids);

    expect((await queue('?status=authorized')).items.map((i) => i.partnerId)).toContain(third.partnerId);
    const bad = await call('GET', '/v1/operator/reviews/verifications?continuationToken=garbage', op.auth);
    expect(bad.statusCode).toBe(400);
    // A partner's Global admin is not an operator.
    expect((await call('GET', '/v1/operator/reviews/verifications', first.auth)).statusCode).toBe(403);
    expect((await call('POST', `/v1/operator/reviews/verifications/${first.partnerId}/approve`, first.auth, {})).statusCode).toBe(403);
  });

  it('the queue query is served by the (status, submitted_at, id) index', async () => {
    const plan = await t.db.selectFrom('pg_indexes' as never).select('indexdef' as never).where('indexname' as never, '=', 'partners_verification_queue_idx' as never).executeTakeFirst();
    expect(String((plan as { indexdef?: string } | undefined)?.indexdef)).toMatch(/\(status, submitted_at, id\)/);
  });

  it('an unknown partner answers 404; a reject needs a reason (400, nothing changes)', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await call('GET', `/v1/operator/reviews/verifications/${missing}`, op.auth)).statusCode).toBe(404);
    expect((await call('POST', `/v1/operator/reviews/verifications/${missing}/approve`, op.auth, {})).statusCode).toBe(404);
    const p = await enrolVerifiedPartner(t);
    const res = await call('POST', `/v1/operator/reviews/verifications/${p.partnerId}/reject`, op.auth, { reason: '  ' });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('reason');
    expect((await call('GET', '/v1/profiles/legalbusiness', p.auth)).json().vettingStatus).toBe('pending_verification');
  });
});

describe('the review, end to end', () => {
  it('reject with a reason → the partner sees it (profile, notification, email) → Fix now with a document → pending → approve → authorized, legal name locked', async () => {
    const p = await enrolVerifiedPartner(t);
    const email = p.body.email;

    // The operator reads the detail and rejects with a reason.
    const detail = await call('GET', `/v1/operator/reviews/verifications/${p.partnerId}`, op.auth);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ partnerId: p.partnerId, companyName: p.body.companyName, pendingFields: ['companyName', 'address', 'primaryContact'], documents: [] });
    const mails = mailCount(t, email);
    const rejected = await call('POST', `/v1/operator/reviews/verifications/${p.partnerId}/reject`, op.auth, { reason: 'The address does not match the trade register extract.' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', rejectionReason: 'The address does not match the trade register extract.' });

    // The partner sees the reason on the profile, in the bell, and by email.
    const profile = await call('GET', '/v1/profiles/legalbusiness', p.auth);
    expect(profile.json()).toMatchObject({ vettingStatus: 'rejected', rejectionReason: 'The address does not match the trade register extract.' });
    const notes = (await call('GET', '/v1/notifications', p.auth)).json() as { items: { kind: string; params: Record<string, string>; link: string }[] };
    expect(notes.items[0]).toMatchObject({ kind: 'verification.rejected', params: { reason: 'The address does not match the trade register extract.' }, link: '/account/legal' });
    const mail = await waitForNewMail(t, email, mails);
    expect(mail.text).toContain('The address does not match the trade register extract.');

    // A second decision on a decided review is refused.
    const twice = await call('POST', `/v1/operator/reviews/verifications/${p.partnerId}/reject`, op.auth, { reason: 'Again' });
    expect(twice.statusCode).toBe(409);
    expectErrorShape(twice.json(), 'REVIEW_NOT_PENDING');

    // Fix now: a supporting document with a comment; the profile returns to pending.
    const upload = await call('POST', '/v1/profiles/legalbusiness/documents?filename=kbis.png&comment=Extrait%20Kbis%20%C3%A0%20jour', { ...p.auth, 'content-type': 'image/png' }, PNG);
    expect(upload.statusCode, upload.body).toBe(201);
    expect(upload.json()).toMatchObject({ vettingStatus: 'pending_verification', contentType: 'image/png' });
    const pending = (await call('GET', '/v1/profiles/legalbusiness', p.auth)).json();
    expect(pending).toMatchObject({ vettingStatus: 'pending_verification', verificationComment: 'Extrait Kbis à jour' });

    // The operator sees it back in the queue with the document, and downloads it.
    expect((await queue('?size=500')).items.map((i) => i.partnerId)).toContain(p.partnerId);
    const back = (await call('GET', `/v1/operator/reviews/verifications/${p.partnerId}`, op.auth)).json();
    expect(back.documents).toHaveLength(1);
    expect(back.verificationComment).toBe('Extrait Kbis à jour');
    const dl = await call('GET', `/v1/operator/partners/${p.partnerId}/documents/${back.documents[0].id}`, op.auth);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(dl.rawPayload, PNG)).toBe(0);
    // The same document named under another partner is not found.
    const other = await enrolVerifiedPartner(t);
    expect((await call('GET', `/v1/operator/partners/${other.partnerId}/documents/${back.documents[0].id}`, op.auth)).statusCode).toBe(404);

    // Approve: authorized, notified, mailed; the activity log names the operator.
    const before = mailCount(t, email);
    t.clock.advance(1000);
    const approved = await call('POST', `/v1/operator/reviews/verifications/${p.partnerId}/approve`, op.auth, {});
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'authorized', rejectionReason: null });
    const done = (await call('GET', '/v1/profiles/legalbusiness', p.auth)).json();
    expect(done).toMatchObject({ vettingStatus: 'authorized', rejectionReason: null, pendingFields: [] });
    const bell = (await call('GET', '/v1/notifications', p.auth)).json() as { items: { kind: string }[] };
    expect(bell.items[0]!.kind).toBe('verification.approved');
    expect((await waitForNewMail(t, email, before)).subject).toContain(p.body.companyName);
    const rec = await t.db.selectFrom('audit_records').select(['actor_type', 'actor_id', 'changes']).where('partner_id', '=', p.partnerId).where('action', '=', 'verification.approved').executeTakeFirstOrThrow();
    expect(rec).toMatchObject({ actor_type: 'operator', actor_id: op.id, changes: { vettingStatus: { before: 'pending_verification', after: 'authorized' } } });

    // The legal name is now locked.
    const etag = String((await call('GET', '/v1/profiles/legalbusiness', p.auth)).headers.etag);
    const renamed = await call('PUT', '/v1/profiles/legalbusiness', { ...p.auth, 'if-match': etag }, { companyName: 'Nouveau nom SAS', address: p.body.address, primaryContact: p.body.primaryContact });
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json()).toMatchObject({ code: 'FIELD_LOCKED', details: [{ field: 'companyName' }] });
    expect((await queue('?size=500')).items.map((i) => i.partnerId)).not.toContain(p.partnerId);
  });

  it('the emails go out in the Global admin’s language', async () => {
    const p = await enrolVerifiedPartner(t);
    await t.db.updateTable('users').set({ locale: 'fr' }).where('id', '=', p.userId).execute();
    const seen = mailCount(t, p.body.email);
    await call('POST', `/v1/operator/reviews/verifications/${p.partnerId}/reject`, op.auth, { reason: 'Justificatif illisible' });
    const mail = await waitForNewMail(t, p.body.email, seen);
    expect(mail.subject).toContain('action requise');
    expect(mail.text).toContain('Motif : Justificatif illisible');
  });
});
