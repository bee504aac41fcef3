import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileChecklist } from '../../src/server/modules/profiles/profiles.service';
import { isValidPostalCode, normaliseTaxId } from '../../src/server/modules/profiles/validation';
import { count, createTestApp, enrolVerifiedPartner, expectErrorShape, signIn, type TestApp } from '../support/harness';

let t: TestApp;
let a: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let b: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let n = 0;

type Headers = Record<string, string>;
type Method = 'GET' | 'POST' | 'PUT';

beforeAll(async () => {
  t = await createTestApp();
  a = await enrolVerifiedPartner(t);
  b = await enrolVerifiedPartner(t, { address: { addressLine1: 'Rue Neuve 1', city: 'Bruxelles', postalCode: '1000', country: 'BE' } });
});
afterAll(async () => t?.close());

const call = (method: Method, url: string, headers: Headers, payload?: object | Buffer) => t.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });

/** GET a profile: its body and its ETag. */
async function read(url: string, headers: Headers = a.auth) {
  const res = await call('GET', url, headers);
  expect(res.statusCode, res.body).toBe(200);
  return { body: res.json(), etag: String(res.headers.etag) };
}

/** PUT with the ETag just read. */
async function put(url: string, payload: object, headers: Headers = a.auth) {
  const { etag } = await read(url, headers);
  return call('PUT', url, { ...headers, 'if-match': etag }, payload);
}

/** A user of partner A holding `roles`, signed in with a password of their own. */
async function userWith(roles: string[]) {
  n += 1;
  const email = `profiles.${n}.${Date.now()}@fabrikam.example`;
  const created = await call('POST', '/v1/users', a.auth, { firstName: 'Prof', lastName: `Iles${n}`, email, roles });
  expect(created.statusCode, created.body).toBe(201);
  const tmp = (created.json() as { temporaryPassword: string }).temporaryPassword;
  const first = await signIn(t, email, tmp);
  const password = `une phrase de passe solide numéro ${n}`;
  expect((await call('POST', '/v1/me/password', first.auth, { currentPassword: tmp, newPassword: password })).statusCode).toBe(204);
  return (await signIn(t, email, password)).auth;
}

const legalBody = (over: Record<string, unknown> = {}) => ({
  companyName: a.body.companyName,
  address: a.body.address,
  primaryContact: a.body.primaryContact,
  ...over,
});

const auditCount = () => count(t, 'audit_records');
const documentCount = async () => Number((await t.db.selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const version = async (partnerId: string) => (await t.db.selectFrom('partners').select('legal_version').where('id', '=', partnerId).executeTakeFirstOrThrow()).legal_version;

describe('ETags on every profile', () => {
  const urls = ['/v1/profiles/legalbusiness', '/v1/profiles/billing', '/v1/profiles/organization', '/v1/profiles/support', '/v1/profiles/securitycontact'];

  it.each(urls)('GET %s answers an ETag', async (url) => {
    const { etag } = await read(url);
    expect(etag).toMatch(/^W\/"\d+"$/);
  });

  it('a write without If-Match is refused 428 and a stale one 412; nothing is written', async () => {
    const before = { v: await version(a.partnerId), audit: await auditCount() };
    const none = await call('PUT', '/v1/profiles/legalbusiness', a.auth, legalBody({ phone: '+33 4 72 11 22 33' }));
    expect(none.statusCode).toBe(428);
    expectErrorShape(none.json(), 'PRECONDITION_REQUIRED');
    const stale = await call('PUT', '/v1/profiles/legalbusiness', { ...a.auth, 'if-match': 'W/"999"' }, legalBody({ phone: '+33 4 72 11 22 33' }));
    expect(stale.statusCode).toBe(412);
    expectErrorShape(stale.json(), 'PRECONDITION_FAILED');
    for (const url of urls.slice(1)) {
      const r = await call('PUT', url, a.auth, { email: 'x@fabrikam.example' });
      expect([400, 428], `${url}: ${r.body}`).toContain(r.statusCode);
    }
    const support = await call('PUT', '/v1/profiles/support', a.auth, { email: 'help@fabrikam.example', telephone: '+33 4 72 00 00 01' });
    expect(support.statusCode).toBe(428);
    expect({ v: await version(a.partnerId), audit: await auditCount() }).toEqual(before);
  });

  it('the current ETag succeeds once, bumps the version, and the old ETag is then stale', async () => {
    const { etag } = await read('/v1/profiles/support');
    const ok = await call('PUT', '/v1/profiles/support', { ...a.auth, 'if-match': etag }, { email: 'help@fabrikam.example', telephone: '+33 4 72 00 00 01', website: 'https://help.fabrikam.example' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.headers.etag).not.toBe(etag);
    const again = await call('PUT', '/v1/profiles/support', { ...a.auth, 'if-match': etag }, { email: 'other@fabrikam.example', telephone: '+33 4 72 00 00 01' });
    expect(again.statusCode).toBe(412);
    expect((await read('/v1/profiles/support')).body.email).toBe('help@fabrikam.example');
  });
});

describe('legal business profile', () => {
  it('shows what was enrolled, pending verification of the whole profile', async () => {
    const { body } = await read('/v1/profiles/legalbusiness');
    expect(body).toMatchObject({
      companyName: a.body.companyName,
      country: 'FR',
      currency: 'EUR',
      vettingStatus: 'pending_verification',
      rejectionReason: null,
      pendingFields: ['companyName', 'address', 'primaryContact'],
      companyApprover: null,
      documents: [],
    });
  });

  it('an edit records before/after in the activity log, in the same write', async () => {
    const approver = { firstName: 'Paul', lastName: 'Martin', email: `paul.martin.${Date.now()}@fabrikam.example`, phoneNumber: '04 72 00 00 09' };
    const res = await put('/v1/profiles/legalbusiness', legalBody({ companyApprover: approver }));
    expect(res.statusCode, res.body).toBe(200);
    // National numbers are stored in the international format of the company's country.
    expect(res.json().companyApprover).toMatchObject({ ...approver, phoneNumber: '+33472000009' });
    const rec = await t.db.selectFrom('audit_records').select(['action', 'changes']).where('partner_id', '=', a.partnerId).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(rec.action).toBe('legalprofile.updated');
    expect(rec.changes).toMatchObject({ companyApprover: { before: null, after: { email: approver.email } } });
  });

  it('country and currency never change: 400 FIELD_LOCKED naming the field, nothing written', async () => {
    const before = { v: await version(a.partnerId), audit: await auditCount() };
    const country = await put('/v1/profiles/legalbusiness', legalBody({ address: { ...a.body.address, country: 'BE', postalCode: '1000' } }));
    expect(country.statusCode).toBe(400);
    expectErrorShape(country.json(), 'FIELD_LOCKED');
    expect(country.json().details[0].field).toBe('address.country');
    const currency = await put('/v1/profiles/legalbusiness', legalBody({ currency: 'USD' }));
    expect(currency.statusCode).toBe(400);
    expect(currency.json()).toMatchObject({ code: 'FIELD_LOCKED', details: [{ field: 'currency' }] });
    // Sending the unchanged read-only values back is fine.
    expect((await put('/v1/profiles/legalbusiness', legalBody({ country: 'FR', currency: 'EUR' }))).statusCode).toBe(200);
    expect({ v: await version(a.partnerId), audit: await auditCount() }).toEqual(before);
  });

  it('an invalid postal code or phone number gets a translated 400 naming the field, and nothing is written', async () => {
    const before = { v: await version(a.partnerId), audit: await auditCount() };
    const { etag } = await read('/v1/profiles/legalbusiness');
    const res = await call('PUT', '/v1/profiles/legalbusiness', { ...a.auth, 'if-match': etag, 'accept-language': 'fr' }, legalBody({
      address: { ...a.body.address, postalCode: '6900' },
      primaryContact: { ...a.body.primaryContact, phoneNumber: '+33 12' },
    }));
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expectErrorShape(body, 'VALIDATION_FAILED');
    expect(body.details).toEqual([
      { field: 'address.postalCode', reason: 'invalid_postal_code', message: 'Code postal non valide pour ce pays.' },
      { field: 'primaryContact.phoneNumber', reason: 'invalid_phone', message: expect.stringContaining('Numéro de téléphone non valide') },
    ]);
    expect({ v: await version(a.partnerId), audit: await auditCount() }).toEqual(before);
  });

  it('editing an authorized profile sends only the changed fields back to verification; the legal name is then locked', async () => {
    const p = await enrolVerifiedPartner(t);
    await t.db.updateTable('partners').set({ status: 'authorized', pending_fields: [] }).where('id', '=', p.partnerId).execute();
    const body = { companyName: p.body.companyName, address: p.body.address, primaryContact: p.body.primaryContact };
    // The phone is not a verified field: the profile stays authorized.
    const phone = await put('/v1/profiles/legalbusiness', { ...body, phone: '+33 4 72 99 99 99' }, p.auth);
    expect(phone.json()).toMatchObject({ vettingStatus: 'authorized', pendingFields: [], phone: '+33472999999' });
    const moved = await put('/v1/profiles/legalbusiness', { ...body, address: { ...p.body.address, addressLine1: '2 place Bellecour', postalCode: '69002' } }, p.auth);
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ vettingStatus: 'pending_verification', pendingFields: ['address'] });

    const q = await enrolVerifiedPartner(t);
    await t.db.updateTable('partners').set({ status: 'authorized', pending_fields: [] }).where('id', '=', q.partnerId).execute();
    const audits = await auditCount();
    const renamed = await put('/v1/profiles/legalbusiness', { companyName: 'Renamed SAS', address: q.body.address, primaryContact: q.body.primaryContact }, { ...q.auth, 'accept-language': 'en' });
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json()).toMatchObject({ code: 'FIELD_LOCKED', details: [{ field: 'companyName', reason: 'locked_verified' }] });
    expect(renamed.json().message).toMatch(/support request/);
    expect(await auditCount()).toBe(audits);
  });

  it('a Helpdesk agent can neither read nor change it (403)', async () => {
    const helpdesk = await userWith(['helpdesk-agent']);
    expect((await call('GET', '/v1/profiles/legalbusiness', helpdesk)).statusCode).toBe(403);
    const res = await call('PUT', '/v1/profiles/legalbusiness', { ...helpdesk, 'if-match': 'W/"1"' }, legalBody());
    expect(res.statusCode).toBe(403);
    expectErrorShape(res.json(), 'FORBIDDEN');
  });
});

describe('supporting documents ("Fix now")', () => {
  const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
  const upload = (name: string, bytes: Buffer, headers: Headers = a.auth, contentType = 'application/pdf') =>
    call('POST', `/v1/profiles/legalbusiness/documents?filename=${encodeURIComponent(name)}`, { ...headers, 'content-type': contentType }, bytes);

  it('a PNG named .pdf is stored as a PNG (the content decides) and downloads as one', async () => {
    const res = await upload('statuts.pdf', PNG);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ filename: 'statuts.pdf', contentType: 'image/png', sizeBytes: PNG.length });
    const dl = await call('GET', `/v1/profiles/legalbusiness/documents/${res.json().id}`, a.auth);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('image/png');
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(dl.rawPayload, PNG)).toBe(0);
    expect((await read('/v1/profiles/legalbusiness')).body.documents.map((d: { id: string }) => d.id)).toContain(res.json().id);
  });

  it('a text file named .pdf, an empty file and one over 10 MB are refused, and nothing is stored', async () => {
    const before = { docs: await documentCount(), audit: await auditCount() };
    const text = await upload('kbis.pdf', Buffer.from('this is not a PDF at all, just text\n'));
    expect(text.statusCode).toBe(400);
    expectErrorShape(text.json(), 'FILE_TYPE_REFUSED');
    const empty = await upload('empty.pdf', Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    expectErrorShape(empty.json(), 'FILE_EMPTY');
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(10 * 1024 * 1024 + 10, 0x20)]);
    const large = await upload('big.pdf', big);
    expect(large.statusCode).toBe(413);
    expect(large.json().code).toBe('FILE_TOO_LARGE');
    expect({ docs: await documentCount(), audit: await auditCount() }).toEqual(before);
  });

  it("another company's document answers 404, and a Helpdesk agent cannot upload (403)", async () => {
    const theirs = await upload('bravo.png', PNG, b.auth, 'image/png');
    expect(theirs.statusCode).toBe(201);
    const res = await call('GET', `/v1/profiles/legalbusiness/documents/${theirs.json().id}`, a.auth);
    expect(res.statusCode).toBe(404);
    expectErrorShape(res.json(), 'NOT_FOUND');
    const helpdesk = await userWith(['helpdesk-agent']);
    expect((await upload('x.png', PNG, helpdesk, 'image/png')).statusCode).toBe(403);
  });
});

describe('billing profile', () => {
  const billing = (over: Record<string, unknown> = {}) => ({ address: a.body.address, contact: a.body.primaryContact, ...over });

  it('shows the company name and currency read-only, the address and contact from enrolment', async () => {
    const { body } = await read('/v1/profiles/billing');
    expect(body).toMatchObject({ companyName: a.body.companyName, currency: 'EUR', address: a.body.address, poNumber: null, taxId: null });
    const res = await put('/v1/profiles/billing', billing({ companyName: 'Another name' }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'FIELD_LOCKED', details: [{ field: 'companyName' }] });
  });

  it('a Billing admin changes the contact and PO number but not the address; a Global admin changes the address', async () => {
    const billingAdmin = await userWith(['billing-admin']);
    const contact = { firstName: 'Lucie', lastName: 'Bernard', email: `lucie.${Date.now()}@fabrikam.example` };
    const ok = await put('/v1/profiles/billing', billing({ contact, poNumber: 'PO-2026-001' }), billingAdmin);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ contact, poNumber: 'PO-2026-001' });

    const audits = await auditCount();
    const moved = await put('/v1/profiles/billing', billing({ contact, poNumber: 'PO-2026-001', address: { ...a.body.address, addressLine1: '9 quai Perrache' } }), billingAdmin);
    expect(moved.statusCode).toBe(400);
    expect(moved.json()).toMatchObject({ code: 'FIELD_LOCKED', details: [{ field: 'address', reason: 'locked_global_admin_only' }] });
    expect(await auditCount()).toBe(audits);

    const byAdmin = await put('/v1/profiles/billing', billing({ contact, poNumber: 'PO-2026-001', address: { ...a.body.address, addressLine1: '9 quai Perrache' } }));
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    expect(byAdmin.json().address.addressLine1).toBe('9 quai Perrache');
  });

  it('a Helpdesk agent cannot change it (403)', async () => {
    const helpdesk = await userWith(['helpdesk-agent']);
    const res = await call('PUT', '/v1/profiles/billing', { ...helpdesk, 'if-match': 'W/"1"' }, billing());
    expect(res.statusCode).toBe(403);
  });

  it('the tax id is checked against the country format (invalid_tax_id, nothing written) and stored normalised', async () => {
    const before = await read('/v1/profiles/billing');
    const bad = await call('PUT', '/v1/profiles/billing', { ...a.auth, 'if-match': before.etag, 'accept-language': 'fr' }, { ...before.body, companyName: undefined, currency: undefined, taxId: 'FR123' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'taxId', reason: 'invalid_tax_id', message: 'Numéro d’identification fiscale non valide pour ce pays.' }] });
    expect((await read('/v1/profiles/billing')).etag).toBe(before.etag);
    const good = await call('PUT', '/v1/profiles/billing', { ...a.auth, 'if-match': before.etag }, { address: before.body.address, contact: before.body.contact, poNumber: before.body.poNumber, taxId: 'fr 40 303 265 045' });
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json().taxId).toBe('FR40303265045');
  });
});

describe('organization profile', () => {
  it('keeps language, culture, domain, partner type, size, revenue and markets; refuses unknown values', async () => {
    const body = {
      language: 'fr',
      culture: 'fr-FR',
      notificationEmail: 'notifications@fabrikam.example',
      domain: 'fabrikam.example',
      partnerType: 'managed_services',
      companySize: '51-250',
      revenueBand: '10m_50m',
      marketsServed: ['FR', 'BE', 'FR'],
      marketsTargeted: ['de'],
      defaultAddress: a.body.address,
    };
    const res = await put('/v1/profiles/organization', body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ ...body, marketsServed: ['BE', 'FR'], marketsTargeted: ['DE'] });
    const bad = await put('/v1/profiles/organization', { ...body, partnerType: 'pirate', marketsServed: ['XX'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.map((d: { field: string }) => d.field).sort()).toEqual(['marketsServed.0', 'partnerType']);
  });
});

describe('support profile', () => {
  it('is {email, telephone, website}; a bad email, phone or a non-https website gets 400 naming the field', async () => {
    const before = await read('/v1/profiles/support');
    expect(Object.keys(before.body).sort()).toEqual(['email', 'telephone', 'website']);
    const bad = await call('PUT', '/v1/profiles/support', { ...a.auth, 'if-match': before.etag }, { email: 'not-an-email', telephone: '+33 4 72', website: 'http://help.fabrikam.example' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.map((d: { field: string }) => d.field).sort()).toEqual(['email', 'website']);
    const phone = await call('PUT', '/v1/profiles/support', { ...a.auth, 'if-match': before.etag }, { email: 'help@fabrikam.example', telephone: '+33 4 72' });
    expect(phone.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'telephone', reason: 'invalid_phone' }] });
    expect((await read('/v1/profiles/support')).etag).toBe(before.etag);
  });
});

describe('security contact', () => {
  const contact = { firstName: 'Ada', middleName: 'King', lastName: 'Lovelace', email: 'security@fabrikam.example', phoneNumber: '+33 6 12 34 56 78' };

  it('only a Global admin edits it; an Account admin views it', async () => {
    const accountAdmin = await userWith(['account-admin']);
    const { body, etag } = await read('/v1/profiles/securitycontact', accountAdmin);
    expect(body).toEqual({ firstName: null, middleName: null, lastName: null, email: null, phoneNumber: null });
    const refused = await call('PUT', '/v1/profiles/securitycontact', { ...accountAdmin, 'if-match': etag }, contact);
    expect(refused.statusCode).toBe(403);
    const ok = await put('/v1/profiles/securitycontact', contact);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ ...contact, phoneNumber: '+33612345678' });
    expect((await read('/v1/profiles/securitycontact', accountAdmin)).body.email).toBe('security@fabrikam.example');
  });
});

describe('the home checklist', () => {
  it('profileChecklist reports legal verification, support profile and security contact', async () => {
    const p = await enrolVerifiedPartner(t);
    expect(await profileChecklist(t.db, p.partnerId)).toEqual({ legalVerified: false, supportProfileFilled: false, securityContactSet: false });
    await put('/v1/profiles/support', { email: 'help@fabrikam.example', telephone: '+33 4 72 00 00 01' }, p.auth);
    await put('/v1/profiles/securitycontact', { firstName: 'Ada', lastName: 'Lovelace', email: 'security@fabrikam.example', phoneNumber: '+33 6 12 34 56 78' }, p.auth);
    await t.db.updateTable('partners').set({ status: 'authorized' }).where('id', '=', p.partnerId).execute();
    expect(await profileChecklist(t.db, p.partnerId)).toEqual({ legalVerified: true, supportProfileFilled: true, securityContactSet: true });
  });
});

describe('format tables', () => {
  it.each([
    ['FR', 'FR40303265045', true],
    ['FR', '40 303 265 045', true],
    ['DE', 'DE136695976', true],
    ['BE', 'BE0403170701', true],
    ['NL', 'NL004495445B01', true],
    ['AT', 'ATU13585627', true],
    ['IE', 'IE6388047V', true],
    ['GB', 'GB980780684', true],
    ['CH', 'CHE-116.281.710 MWST', true],
    ['NO', '923609016MVA', true],
    ['US', '12-3456789', true],
    ['ES', 'ESX1234567', false],
    ['IT', 'IT123', false],
    ['SE', 'SE12345678901', false],
  ])('tax id %s %s → %s', (country, id, valid) => {
    expect(normaliseTaxId(country, id) !== null).toBe(valid);
  });

  it.each([
    ['FR', '69001', true],
    ['FR', '6900', false],
    ['NL', '1012 AB', true],
    ['GB', 'SW1A 1AA', true],
    ['PT', '1000-001', true],
    ['US', '9021', false],
    ['ZZ', 'anything', true],
  ])('postal code %s %s → %s', (country, code, valid) => {
    expect(isValidPostalCode(country, code)).toBe(valid);
  });
});

describe('normal forms', () => {
  it('a phone or postal code written differently but meaning the same is not a change (no re-verification)', async () => {
    const p = await enrolVerifiedPartner(t);
    await t.db.updateTable('partners').set({ status: 'authorized', pending_fields: [] }).where('id', '=', p.partnerId).execute();
    const { body } = await read('/v1/profiles/legalbusiness', p.auth);
    const contact = { ...body.primaryContact, phoneNumber: '04 72 00 00 00' };
    const first = await put('/v1/profiles/legalbusiness', { companyName: body.companyName, address: body.address, primaryContact: contact }, p.auth);
    expect(first.json()).toMatchObject({ vettingStatus: 'pending_verification', pendingFields: ['primaryContact'] });
    await t.db.updateTable('partners').set({ status: 'authorized', pending_fields: [] }).where('id', '=', p.partnerId).execute();
    const again = await put('/v1/profiles/legalbusiness', { companyName: body.companyName, address: body.address, primaryContact: { ...contact, phoneNumber: '+33 4 72 00 00 00' } }, p.auth);
    expect(again.json()).toMatchObject({ vettingStatus: 'authorized', pendingFields: [] });
  });
});
