import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taxSettled } from '../../src/server/modules/tax/tax.service';
import { count, createTestApp, enrolVerifiedPartner, expectErrorShape, mailCount, operatorSession, signIn, waitForNewMail, type TestApp } from '../support/harness';

let t: TestApp;
let a: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let b: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let n = 0;

type H = Record<string, string>;
const req = (method: 'GET' | 'POST' | 'PUT', url: string, headers: H, payload?: object) => t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const upload = (id: string, headers: H, bytes: Buffer, filename = 'certificate.pdf', type = 'application/pdf') =>
  t.app.inject({ method: 'POST', url: `/v1/taxexemptions/${id}/documents?filename=${encodeURIComponent(filename)}`, headers: { ...headers, 'content-type': type }, payload: bytes });
const rows = async (table: 'tax_profiles' | 'tax_exemptions' | 'documents') => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

async function userWith(roles: string[]) {
  n += 1;
  const email = `tax${n}.${Date.now()}@fabrikam.example`;
  const created = (await req('POST', '/v1/users', a.auth, { firstName: `Tax${n}`, lastName: 'User', email, roles })).json() as { temporaryPassword: string };
  const first = await signIn(t, email, created.temporaryPassword);
  const password = `une déclaration bien remplie ${n} au printemps`;
  expect((await req('POST', '/v1/me/password', first.auth, { currentPassword: created.temporaryPassword, newPassword: password })).statusCode).toBe(204);
  return signIn(t, email, password);
}

beforeAll(async () => {
  t = await createTestApp();
  a = await enrolVerifiedPartner(t);
  b = await enrolVerifiedPartner(t);
});
afterAll(async () => t?.close());

describe('tax profiles', () => {
  it('a Global admin adds the tax profile of a country: the VAT number is checked by format, stored encrypted and answered masked', async () => {
    expect(await taxSettled(t.db, a.partnerId)).toBe(false);
    const res = await req('POST', '/v1/taxprofiles', a.auth, { country: 'FR', taxRegistrationNumber: 'FR 40 303265045', taxExempt: false });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.json()).toMatchObject({ country: 'FR', taxExempt: false, version: 1 });
    expect(res.json().taxRegistrationNumber).toMatch(/^FR•+45$/);
    expect(res.body).not.toContain('303265045');
    const raw = await t.db.selectFrom('tax_profiles').selectAll().where('partner_id', '=', a.partnerId).executeTakeFirstOrThrow();
    expect(JSON.stringify(raw)).not.toContain('303265045');
    expect(await taxSettled(t.db, a.partnerId)).toBe(true);

    const dup = await req('POST', '/v1/taxprofiles', a.auth, { country: 'FR', taxExempt: false });
    expect(dup.statusCode).toBe(409);
    expectErrorShape(dup.json(), 'TAX_PROFILE_EXISTS');
  });

  it('refuses an invalid VAT number with a translated 400 naming the field, and writes nothing', async () => {
    const before = [await rows('tax_profiles'), await count(t, 'audit_records')];
    for (const [country, number] of [['DE', 'DE12345'], ['BE', 'BE2123456789'], ['IT', 'FR40303265045']]) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/taxprofiles', headers: { ...a.auth, 'accept-language': 'fr' }, payload: { country, taxRegistrationNumber: number, taxExempt: false } });
      expect(res.statusCode, `${country} ${number}`).toBe(400);
      expect(res.json().details[0]).toMatchObject({ field: 'taxRegistrationNumber', reason: 'invalid_tax_number' });
      expect(res.json().details[0].message).toContain('non valide');
    }
    expect([await rows('tax_profiles'), await count(t, 'audit_records')]).toEqual(before);
  });

  it('a change needs If-Match: 428 without it, 412 with a stale one, and nothing changes', async () => {
    const id = (await req('GET', '/v1/taxprofiles', a.auth)).json().items[0].id as string;
    const get = await req('GET', `/v1/taxprofiles/${id}`, a.auth);
    expect(get.headers.etag).toBe('W/"1"');
    const missing = await req('PUT', `/v1/taxprofiles/${id}`, a.auth, { taxExempt: true });
    expect(missing.statusCode).toBe(428);
    expectErrorShape(missing.json(), 'PRECONDITION_REQUIRED');
    const ok = await req('PUT', `/v1/taxprofiles/${id}`, { ...a.auth, 'if-match': 'W/"1"' }, { taxExempt: true });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.headers.etag).toBe('W/"2"');
    const stale = await req('PUT', `/v1/taxprofiles/${id}`, { ...a.auth, 'if-match': 'W/"1"' }, { taxExempt: false });
    expect(stale.statusCode).toBe(412);
    expectErrorShape(stale.json(), 'PRECONDITION_FAILED');
    expect((await req('GET', `/v1/taxprofiles/${id}`, a.auth)).json()).toMatchObject({ taxExempt: true, version: 2 });
    // Tax-exempt without an approved exemption: not settled yet.
    expect(await taxSettled(t.db, a.partnerId)).toBe(false);
  });

  it('an Incentives user reads tax profiles but cannot change them; a Helpdesk agent gets 403; another partner’s profile is 404', async () => {
    const id = (await req('GET', '/v1/taxprofiles', a.auth)).json().items[0].id as string;
    const user = await userWith(['incentives-user']);
    expect((await req('GET', `/v1/taxprofiles/${id}`, user.auth)).statusCode).toBe(200);
    expect((await req('PUT', `/v1/taxprofiles/${id}`, { ...user.auth, 'if-match': 'W/"2"' }, { taxExempt: false })).statusCode).toBe(403);
    const helpdesk = await userWith(['helpdesk-agent']);
    expect((await req('GET', '/v1/taxprofiles', helpdesk.auth)).statusCode).toBe(403);
    expect((await req('GET', `/v1/taxprofiles/${id}`, b.auth)).statusCode).toBe(404);
    expect((await req('PUT', `/v1/taxprofiles/${id}`, { ...b.auth, 'if-match': 'W/"2"' }, { taxExempt: false })).statusCode).toBe(404);
  });
});

describe('tax exemptions', () => {
  it('end to end: filed with a certificate number, documents attached, approved by the operator; the partner is notified in-app and by email', async () => {
    const filed = await req('POST', '/v1/taxexemptions', a.auth, { country: 'FR', certificateNumber: 'EXO-2026-0042', comment: 'Association loi 1901' });
    expect(filed.statusCode, filed.body).toBe(201);
    const id = filed.json().id as string;
    expect(filed.json()).toMatchObject({ status: 'submitted', certificateNumber: 'EXO-2026-0042', documents: [] });

    // Bad files: empty, or not what it claims to be; nothing stored.
    const docsBefore = await rows('documents');
    expect((await upload(id, a.auth, Buffer.alloc(0))).json().code).toBe('FILE_EMPTY');
    const fake = await upload(id, a.auth, Buffer.from('MZ this is not a pdf at all'), 'certificate.pdf');
    expect(fake.statusCode).toBe(400);
    expect(fake.json().code).toBe('FILE_TYPE_REFUSED');
    expect(await rows('documents')).toBe(docsBefore);

    const up = await upload(id, a.auth, PDF);
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json().documents).toHaveLength(1);
    const docId = up.json().documents[0].id as string;
    const dl = await req('GET', `/v1/taxexemptions/${id}/documents/${docId}`, a.auth);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.rawPayload.equals(PDF)).toBe(true);
    expect((await req('GET', `/v1/taxexemptions/${id}`, b.auth)).statusCode).toBe(404);
    expect((await upload(id, b.auth, PDF)).statusCode).toBe(404);

    const op = await operatorSession(t);
    const queue = await req('GET', '/v1/operator/reviews/taxexemptions', op.auth);
    expect(queue.statusCode, queue.body).toBe(200);
    const item = queue.json().items.find((i: { id: string }) => i.id === id);
    expect(item).toMatchObject({ partnerId: a.partnerId, status: 'submitted', documentCount: 1 });
    const detail = await req('GET', `/v1/operator/reviews/taxexemptions/${id}`, op.auth);
    expect(detail.json().documents[0].id).toBe(docId);

    const seen = mailCount(t, a.body.email);
    const approved = await req('POST', `/v1/operator/reviews/taxexemptions/${id}/approve`, op.auth, {});
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().status).toBe('approved');
    const mail = await waitForNewMail(t, a.body.email, seen);
    expect(mail.subject).toContain('approved');
    const notes = (await req('GET', '/v1/notifications', a.auth)).json();
    expect(notes.items.find((x: { kind: string }) => x.kind === 'taxexemption.approved')).toMatchObject({ params: { country: 'FR', certificateNumber: 'EXO-2026-0042' } });
    expect((await req('GET', '/v1/taxexemptions', a.auth)).json().items[0]).toMatchObject({ id, status: 'approved' });
    // The FR profile is tax-exempt and its exemption approved: tax is settled.
    expect(await taxSettled(t.db, a.partnerId)).toBe(true);
    const audit = await t.db.selectFrom('audit_records').select('actor_type').where('partner_id', '=', a.partnerId).where('action', '=', 'taxexemption.approved').executeTakeFirstOrThrow();
    expect(audit.actor_type).toBe('operator');
    expect((await upload(id, a.auth, PDF)).json().code).toBe('REVIEW_CLOSED');
  });

  it('a rejection shows its reason; a new document sends the exemption back to the operator', async () => {
    const id = (await req('POST', '/v1/taxexemptions', a.auth, { country: 'FR', certificateNumber: 'EXO-2026-0043' })).json().id as string;
    const op = await operatorSession(t);
    expect((await req('POST', `/v1/operator/reviews/taxexemptions/${id}/reject`, op.auth, { reason: '' })).statusCode).toBe(400);
    const rejected = await req('POST', `/v1/operator/reviews/taxexemptions/${id}/reject`, op.auth, { reason: 'The certificate has expired.' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', reason: 'The certificate has expired.' });
    expect((await req('GET', `/v1/taxexemptions/${id}`, a.auth)).json()).toMatchObject({ status: 'rejected', reason: 'The certificate has expired.' });
    const notes = (await req('GET', '/v1/notifications', a.auth)).json();
    expect(notes.items.some((x: { kind: string; params: { reason?: string } }) => x.kind === 'taxexemption.rejected' && x.params.reason === 'The certificate has expired.')).toBe(true);
    const resubmitted = await upload(id, a.auth, PDF, 'renewed.pdf');
    expect(resubmitted.json()).toMatchObject({ status: 'submitted', reason: null });
  });

  it('only a Global admin files exemptions: an Incentives admin gets 403 and nothing is written', async () => {
    const admin = await userWith(['incentives-admin']);
    const before = await rows('tax_exemptions');
    const res = await req('POST', '/v1/taxexemptions', admin.auth, { country: 'FR', certificateNumber: 'X-1' });
    expect(res.statusCode).toBe(403);
    expect(await rows('tax_exemptions')).toBe(before);
    expect((await req('GET', '/v1/taxexemptions', admin.auth)).statusCode).toBe(200);
  });
});
