import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { openDatabase } from '../../src/server/db/database';
import { taxNumberPurpose } from '../../src/server/modules/tax/tax.service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptField, encryptField } from '../../src/server/core/crypto';
import { bankPurpose } from '../../src/server/modules/banking/banking.service';
import { rotateFieldKey } from '../../src/server/modules/banking/rotate';
import { count, createTestApp, enrolVerifiedPartner, expectErrorShape, mailCount, operatorSession, signIn, waitForNewMail, type TestApp } from '../support/harness';

let t: TestApp;
let a: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let b: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let n = 0;

type H = Record<string, string>;
const req = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, headers: H, payload?: object) =>
  t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

const IBAN = 'FR7630006000011234567890189';
const SEPA = { name: 'Main account', bankCountry: 'FR', paymentMethod: 'sepa', iban: 'FR76 3000 6000 0112 3456 7890 189', bic: 'BNPAFRPPXXX', accountHolderName: 'Fabrikam Conseil SAS' };

async function reauth(s: { auth: H }, password: string) {
  const r = await req('POST', '/v1/sessions/current/reauth', s.auth, { password });
  expect(r.statusCode, r.body).toBe(200);
}

/** A user of partner A holding `roles`, signed in with a password they chose. */
async function userWith(roles: string[]) {
  n += 1;
  const email = `bank${n}.${Date.now()}@fabrikam.example`;
  const created = (await req('POST', '/v1/users', a.auth, { firstName: `Bank${n}`, lastName: 'User', email, roles })).json() as { temporaryPassword: string };
  const first = await signIn(t, email, created.temporaryPassword);
  const password = `un coffre bien gardé ${n} sous la colline`;
  expect((await req('POST', '/v1/me/password', first.auth, { currentPassword: created.temporaryPassword, newPassword: password })).statusCode).toBe(204);
  return { email, password, ...(await signIn(t, email, password)) };
}

const bankCount = async () => Number((await t.db.selectFrom('bank_profiles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  t = await createTestApp();
  a = await enrolVerifiedPartner(t);
  b = await enrolVerifiedPartner(t);
});
afterAll(async () => t?.close());

describe('bank profiles', () => {
  it('a Global admin adds a SEPA bank profile after re-authenticating; listings show the IBAN masked', async () => {
    const refused = await req('POST', '/v1/bankprofiles', a.auth, SEPA);
    expect(refused.statusCode).toBe(401);
    expectErrorShape(refused.json(), 'REAUTH_REQUIRED');

    await reauth(a, a.body.password);
    const res = await req('POST', '/v1/bankprofiles', a.auth, SEPA);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.json()).toMatchObject({ name: 'Main account', bankCountry: 'FR', paymentMethod: 'sepa', account: 'FR76 •••• •••• 0189', bic: 'BNPAFRPPXXX', status: 'pending_validation' });
    expect(res.body).not.toContain(IBAN);
    expect(res.body).not.toContain('30006000011234567890');

    const list = await req('GET', '/v1/bankprofiles', a.auth);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((i: { account: string }) => i.account)).toEqual(['FR76 •••• •••• 0189']);
    expect(list.body).not.toContain('1234567890');
  });

  it('refuses an invalid IBAN or BIC with a translated 400 naming the field, and writes nothing', async () => {
    await reauth(a, a.body.password);
    const before = [await bankCount(), await count(t, 'audit_records')];
    const cases: [object, string, string][] = [
      [{ iban: 'FR7630006000011234567890188' }, 'iban', 'invalid_iban'], // checksum
      [{ iban: 'FR76300060000112345678901' }, 'iban', 'invalid_iban'], // length
      [{ bic: 'BNPAFRP' }, 'bic', 'invalid_bic'],
      [{ bic: 'DEUTDEFF' }, 'bic', 'bic_country_mismatch'],
      [{ iban: 'DE89370400440532013000' }, 'iban', 'iban_country_mismatch'],
      [{ paymentMethod: 'wire' }, 'paymentMethod', 'payment_method_country'],
    ];
    for (const [over, field, reason] of cases) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/bankprofiles', headers: { ...a.auth, 'accept-language': 'fr' }, payload: { ...SEPA, ...over } });
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      expectErrorShape(res.json(), 'VALIDATION_FAILED');
      const d = res.json().details[0];
      expect(d).toMatchObject({ field, reason });
      expect(d.message).not.toBe(`reason.${reason}`);
    }
    const fr = await t.app.inject({ method: 'POST', url: '/v1/bankprofiles', headers: { ...a.auth, 'accept-language': 'fr' }, payload: { ...SEPA, iban: 'FR7630006000011234567890188' } });
    expect(fr.json().details[0].message).toMatch(/IBAN non valide/);
    expect([await bankCount(), await count(t, 'audit_records')]).toEqual(before);
  });

  it('takes the country’s own fields outside SEPA: US routing and account numbers, GB sort code', async () => {
    await reauth(a, a.body.password);
    const us = await req('POST', '/v1/bankprofiles', a.auth, { name: 'US', bankCountry: 'US', paymentMethod: 'wire', routingNumber: '021000021', accountNumber: '000123456789', accountHolderName: 'Fabrikam Inc' });
    expect(us.statusCode, us.body).toBe(201);
    expect(us.json().account).toBe('•••• 6789');
    const badRouting = await req('POST', '/v1/bankprofiles', a.auth, { name: 'US', bankCountry: 'US', paymentMethod: 'wire', routingNumber: '021000022', accountNumber: '000123456789', accountHolderName: 'Fabrikam Inc' });
    expect(badRouting.json().details[0]).toMatchObject({ field: 'routingNumber', reason: 'invalid_routing_number' });
    const gb = await req('POST', '/v1/bankprofiles', a.auth, { name: 'UK', bankCountry: 'GB', paymentMethod: 'wire', sortCode: '40-47-84', accountNumber: '70872490', accountHolderName: 'Fabrikam Ltd' });
    expect(gb.statusCode, gb.body).toBe(201);
    expect(gb.json().account).toBe('•••• 2490');
    const badSort = await req('POST', '/v1/bankprofiles', a.auth, { name: 'UK', bankCountry: 'GB', paymentMethod: 'wire', sortCode: '40-47', accountNumber: '70872490', accountHolderName: 'Fabrikam Ltd' });
    expect(badSort.json().details[0]).toMatchObject({ field: 'sortCode', reason: 'invalid_sort_code' });
  });

  it('stores no account number in clear: every text column of the raw bank_profiles table is searched', async () => {
    const plain = ['30006000011234567890189', '000123456789', '70872490', '021000021', '404784', 'BNPAFRPP'];
    const cols = await sql<{ column_name: string; data_type: string }>`
      select column_name, data_type from information_schema.columns where table_name = 'bank_profiles' and data_type in ('text', 'bytea', 'character varying', 'jsonb')`.execute(t.db);
    const rows = await sql<Record<string, unknown>>`select * from bank_profiles`.execute(t.db);
    expect(rows.rows.length).toBeGreaterThanOrEqual(3);
    let cells = 0;
    const found: string[] = [];
    for (const r of rows.rows) {
      for (const c of cols.rows) {
        const v = r[c.column_name];
        if (v === null || v === undefined) continue;
        cells += 1;
        const text = (Buffer.isBuffer(v) ? v.toString('latin1') : String(v)).replace(/[\s-]/g, '').toUpperCase();
        for (const p of plain) if (text.includes(p)) found.push(`${c.column_name} holds ${p}`);
      }
    }
    console.log(`raw-table check: ${rows.rows.length} bank profiles, ${cols.rows.length} text columns, ${cells} non-null cells searched for ${plain.length} account values: ${found.length} found in clear`);
    expect(found).toEqual([]);
  });

  it('encrypts each field bound to its company and row: the ciphertext decrypts under its own purpose only', async () => {
    const row = await t.db.selectFrom('bank_profiles').select(['id', 'partner_id', 'iban_enc']).where('partner_id', '=', a.partnerId).where('bank_country', '=', 'FR').executeTakeFirstOrThrow();
    const key = t.config.secrets.fieldKey;
    expect(row.iban_enc).toMatch(/^v1\./);
    expect(decryptField(key, bankPurpose('iban', row.partner_id, row.id), row.iban_enc!)).toBe(IBAN);
    expect(() => decryptField(key, bankPurpose('iban', b.partnerId, row.id), row.iban_enc!)).toThrow();
    expect(() => decryptField(key, bankPurpose('account_number', row.partner_id, row.id), row.iban_enc!)).toThrow();
  });

  it('records bank changes in the activity log masked, never the plain account number', async () => {
    await reauth(a, a.body.password);
    const id = (await req('GET', '/v1/bankprofiles', a.auth)).json().items.find((i: { bankCountry: string }) => i.bankCountry === 'FR').id;
    const get = await req('GET', `/v1/bankprofiles/${id}`, a.auth);
    const res = await req('PATCH', `/v1/bankprofiles/${id}`, { ...a.auth, 'if-match': get.headers.etag as string }, { iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX', bankCountry: 'DE' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ account: 'DE89 •••• •••• 3000', status: 'pending_validation', version: 2 });
    const log = await req('GET', '/v1/auditrecords?size=100', a.auth);
    const text = log.body;
    expect(text).toContain('FR76 •••• •••• 0189');
    expect(text).toContain('DE89 •••• •••• 3000');
    expect(text).not.toContain('0532013000');
    expect(text).not.toContain('30006000011234567890');
    const raw = await sql<{ changes: unknown }>`select changes from audit_records where partner_id = ${a.partnerId} and action like 'bankprofile.%'`.execute(t.db);
    expect(JSON.stringify(raw.rows)).not.toMatch(/0532013000|1234567890189/);
  });

  it('editing needs If-Match (428 without, 412 when stale) and a re-authentication from the last 10 minutes', async () => {
    await reauth(a, a.body.password);
    const id = (await req('GET', '/v1/bankprofiles', a.auth)).json().items.find((i: { bankCountry: string }) => i.bankCountry === 'DE').id;
    expect((await req('PATCH', `/v1/bankprofiles/${id}`, a.auth, { name: 'Renamed' })).json().code).toBe('PRECONDITION_REQUIRED');
    const stale = await req('PATCH', `/v1/bankprofiles/${id}`, { ...a.auth, 'if-match': 'W/"1"' }, { name: 'Renamed' });
    expect(stale.statusCode).toBe(412);
    expect((await req('GET', `/v1/bankprofiles/${id}`, a.auth)).json().name).toBe('Main account');
    t.clock.advance(10 * 60 * 1000 + 1000);
    const late = await req('PATCH', `/v1/bankprofiles/${id}`, { ...a.auth, 'if-match': 'W/"2"' }, { name: 'Renamed' });
    expect(late.statusCode).toBe(401);
    expect(late.json().code).toBe('REAUTH_REQUIRED');
    await reauth(a, a.body.password);
    const ok = await req('PATCH', `/v1/bankprofiles/${id}`, { ...a.auth, 'if-match': 'W/"2"' }, { name: 'Renamed' });
    expect(ok.statusCode, ok.body).toBe(200);
    // A name change alone keeps the validation status.
    expect(ok.json()).toMatchObject({ name: 'Renamed', version: 3 });
  });

  it('a wrong password at re-authentication counts like a failed sign-in', async () => {
    const u = await userWith(['incentives-admin']);
    const res = await req('POST', '/v1/sessions/current/reauth', u.auth, { password: 'not my password at all' });
    expect(res.statusCode).toBe(401);
    expectErrorShape(res.json(), 'INVALID_CREDENTIALS');
    const row = await t.db.selectFrom('users').select('failed_sign_ins').where('email', '=', u.email).executeTakeFirstOrThrow();
    expect(row.failed_sign_ins).toBe(1);
    const log = await t.db.selectFrom('audit_records').select(['action', 'outcome']).where('action', '=', 'session.reauth').where('outcome', '=', 'failure').execute();
    expect(log.length).toBeGreaterThan(0);
  });

  it('an Incentives admin creates one; an Incentives user reads them masked but cannot add; a Helpdesk agent gets 403', async () => {
    const admin = await userWith(['incentives-admin']);
    await reauth(admin, admin.password);
    const created = await req('POST', '/v1/bankprofiles', admin.auth, { ...SEPA, name: 'Incentives payouts' });
    expect(created.statusCode, created.body).toBe(201);

    const user = await userWith(['incentives-user']);
    const list = await req('GET', '/v1/bankprofiles', user.auth);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.length).toBeGreaterThan(0);
    expect(list.body).not.toContain('1234567890189');
    await reauth(user, user.password);
    expect((await req('POST', '/v1/bankprofiles', user.auth, SEPA)).statusCode).toBe(403);

    const helpdesk = await userWith(['helpdesk-agent']);
    const refused = await req('GET', '/v1/bankprofiles', helpdesk.auth);
    expect(refused.statusCode).toBe(403);
    expectErrorShape(refused.json(), 'FORBIDDEN');
  });

  it('answers 404 for another partner’s bank profile, and changes nothing of theirs', async () => {
    await reauth(b, b.body.password);
    const theirs = (await req('POST', '/v1/bankprofiles', b.auth, { ...SEPA, name: 'B account' })).json().id as string;
    await reauth(a, a.body.password);
    expect((await req('GET', `/v1/bankprofiles/${theirs}`, a.auth)).statusCode).toBe(404);
    expect((await req('PATCH', `/v1/bankprofiles/${theirs}`, { ...a.auth, 'if-match': 'W/"1"' }, { name: 'Mine now' })).statusCode).toBe(404);
    expect((await req('DELETE', `/v1/bankprofiles/${theirs}`, { ...a.auth, 'if-match': 'W/"1"' })).statusCode).toBe(404);
    expect((await req('GET', `/v1/bankprofiles/${theirs}`, b.auth)).json()).toMatchObject({ name: 'B account', version: 1 });
    expect((await req('GET', '/v1/bankprofiles', a.auth)).json().items.map((i: { id: string }) => i.id)).not.toContain(theirs);
  });
});

describe('the operator’s bank profile queue', () => {
  it('lists pending profiles oldest first with keyset paging; approve and action required notify the partner in-app and by email', async () => {
    const op = await operatorSession(t);
    const first = await req('GET', '/v1/operator/reviews/bankprofiles?size=2', op.auth);
    expect(first.statusCode, first.body).toBe(200);
    const page1 = first.json();
    expect(page1.items).toHaveLength(2);
    expect(page1.totalCount).toBeGreaterThanOrEqual(4);
    expect(first.body).not.toContain('1234567890189');
    const next = await req('GET', page1.links.next.uri, op.auth);
    const ids = [...page1.items, ...next.json().items].map((i: { id: string }) => i.id);
    expect(new Set(ids).size).toBe(ids.length);

    const target = page1.items.find((i: { partnerId: string }) => i.partnerId === a.partnerId) ?? (await req('GET', '/v1/operator/reviews/bankprofiles?size=100', op.auth)).json().items.find((i: { partnerId: string }) => i.partnerId === a.partnerId);
    const seen = mailCount(t, a.body.email);
    expect((await req('POST', `/v1/operator/reviews/bankprofiles/${target.id}/reject`, op.auth, {})).statusCode).toBe(400);
    const rejected = await req('POST', `/v1/operator/reviews/bankprofiles/${target.id}/reject`, op.auth, { reason: 'The account holder does not match the legal name.' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'action_required', reason: 'The account holder does not match the legal name.' });
    const mail = await waitForNewMail(t, a.body.email, seen);
    expect(mail.text).toContain('The account holder does not match the legal name.');
    expect(mail.text).not.toContain('1234567890189');
    const notes = await req('GET', '/v1/notifications', a.auth);
    expect(notes.json().items.some((x: { kind: string }) => x.kind === 'bankprofile.action_required')).toBe(true);
    expect((await req('GET', `/v1/bankprofiles/${target.id}`, a.auth)).json()).toMatchObject({ status: 'action_required', reason: 'The account holder does not match the legal name.' });
    const again = await req('POST', `/v1/operator/reviews/bankprofiles/${target.id}/approve`, op.auth, {});
    expect(again.json().code).toBe('REVIEW_CLOSED');
    const log = await t.db.selectFrom('audit_records').select(['actor_type']).where('partner_id', '=', a.partnerId).where('action', '=', 'bankprofile.action_required').executeTakeFirstOrThrow();
    expect(log.actor_type).toBe('operator');

    const other = (await req('GET', '/v1/operator/reviews/bankprofiles?size=100', op.auth)).json().items.find((i: { partnerId: string }) => i.partnerId === b.partnerId);
    const approved = await req('POST', `/v1/operator/reviews/bankprofiles/${other.id}/approve`, op.auth, {});
    expect(approved.json().status).toBe('approved');
    const bNotes = await req('GET', '/v1/notifications', b.auth);
    expect(bNotes.json().items.some((x: { kind: string }) => x.kind === 'bankprofile.approved')).toBe(true);
    const filtered = await req('GET', '/v1/operator/reviews/bankprofiles?status=approved', op.auth);
    expect(filtered.json().items.map((i: { id: string }) => i.id)).toContain(other.id);
  });

  it('each status’s total follows creations, decisions and deletions exactly', async () => {
    const op = await operatorSession(t);
    const total = async (status: string) => (await req('GET', `/v1/operator/reviews/bankprofiles?size=1&status=${status}`, op.auth)).json().totalCount as number;
    const real = async (status: 'pending_validation' | 'approved' | 'action_required') =>
      Number((await t.db.selectFrom('bank_profiles').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', status).executeTakeFirstOrThrow()).n);
    const check = async () => {
      for (const st of ['pending_validation', 'approved', 'action_required'] as const) expect(await total(st), st).toBe(await real(st));
    };
    await check();
    await reauth(a, a.body.password);
    const created = (await req('POST', '/v1/bankprofiles', a.auth, { ...SEPA, name: `Counted ${Date.now()}` })).json() as { id: string; version: number };
    await check();
    expect((await req('POST', `/v1/operator/reviews/bankprofiles/${created.id}/approve`, op.auth, {})).statusCode).toBe(200);
    await check();
    const current = (await req('GET', `/v1/bankprofiles/${created.id}`, a.auth)).json() as { version: number };
    expect((await req('DELETE', `/v1/bankprofiles/${created.id}`, { ...a.auth, 'if-match': `W/"${current.version}"` })).statusCode).toBe(204);
    await check();
  });

  it('a partner user cannot reach the operator queue', async () => {
    expect((await req('GET', '/v1/operator/reviews/bankprofiles', a.auth)).statusCode).toBe(403);
  });
});

describe('payout assignments', () => {
  it('assigns a bank profile and a tax profile to a programme; another partner’s profile is unknown', async () => {
    const bank = (await req('GET', '/v1/bankprofiles', a.auth)).json().items[0].id as string;
    const tax = await req('POST', '/v1/taxprofiles', a.auth, { country: 'FR', taxRegistrationNumber: 'FR40303265045', taxExempt: false });
    expect(tax.statusCode, tax.body).toBe(201);
    const res = await req('PUT', '/v1/payoutassignments', a.auth, { scopeType: 'programme', scopeId: 'incentives', bankProfileId: bank, taxProfileId: tax.json().id });
    expect(res.statusCode, res.body).toBe(200);
    const list = (await req('GET', '/v1/payoutassignments', a.auth)).json();
    expect(list.items.find((i: { scopeId: string }) => i.scopeId === 'incentives')).toMatchObject({ bankProfileId: bank, taxProfileId: tax.json().id });
    const theirs = (await req('GET', '/v1/bankprofiles', b.auth)).json().items[0].id as string;
    const cross = await req('PUT', '/v1/payoutassignments', a.auth, { scopeType: 'programme', scopeId: 'referrals', bankProfileId: theirs, taxProfileId: null });
    expect(cross.statusCode).toBe(400);
    expect(cross.json().details[0]).toMatchObject({ field: 'bankProfileId', reason: 'unknown_profile' });
    expect((await req('PUT', '/v1/payoutassignments', a.auth, { scopeType: 'programme', scopeId: 'lottery', bankProfileId: null, taxProfileId: null })).statusCode).toBe(400);
  });
});

describe('rotating the field key', () => {
  it('re-encrypts every bank field and TOTP secret under a new key in one transaction; the old key no longer decrypts', async () => {
    const oldKey = t.config.secrets.fieldKey;
    // A TOTP secret, as MFA registration stores it.
    await t.db.updateTable('users').set({ totp_pending_secret: encryptField(oldKey, 'totp', 'JBSWY3DPEHPK3PXP') }).where('id', '=', a.userId).execute();
    const before = await t.db.selectFrom('bank_profiles').select(['id', 'partner_id', 'iban_enc']).where('iban_enc', 'is not', null).execute();
    const newKey = Buffer.alloc(32, 7);
    const r = await rotateFieldKey(t.db, oldKey, newKey);
    expect(r.bankFields).toBeGreaterThanOrEqual(before.length);
    expect(r.totpSecrets).toBeGreaterThanOrEqual(1);
    const after = await t.db.selectFrom('bank_profiles').select(['id', 'partner_id', 'iban_enc']).where('iban_enc', 'is not', null).execute();
    for (const row of after) {
      const prev = before.find((x) => x.id === row.id)!;
      expect(row.iban_enc).not.toBe(prev.iban_enc);
      expect(decryptField(newKey, bankPurpose('iban', row.partner_id, row.id), row.iban_enc!)).toBe(decryptField(oldKey, bankPurpose('iban', prev.partner_id, prev.id), prev.iban_enc!));
      expect(() => decryptField(oldKey, bankPurpose('iban', row.partner_id, row.id), row.iban_enc!)).toThrow();
    }
    const u = await t.db.selectFrom('users').select('totp_pending_secret').where('id', '=', a.userId).executeTakeFirstOrThrow();
    expect(decryptField(newKey, 'totp', u.totp_pending_secret!)).toBe('JBSWY3DPEHPK3PXP');
    // Rotating with a wrong "old" key changes nothing (one transaction).
    const snapshot = await t.db.selectFrom('bank_profiles').select(['id', 'iban_enc']).orderBy('id').execute();
    await expect(rotateFieldKey(t.db, oldKey, Buffer.alloc(32, 9))).rejects.toThrow();
    expect(await t.db.selectFrom('bank_profiles').select(['id', 'iban_enc']).orderBy('id').execute()).toEqual(snapshot);
    await rotateFieldKey(t.db, newKey, oldKey);
  });
});

describe('the CLI command rotate-field-key', () => {
  it('re-encrypts the data of DATA_DIR and writes the new key to DATA_DIR/secrets.json', async () => {
    const run = promisify(execFile);
    const dir = mkdtempSync(join(tmpdir(), 'ps-rotate-'));
    const env = { ...process.env, DATA_DIR: dir, DATABASE_URL: '', FIELD_KEY: '', LOG_LEVEL: 'silent' };
    try {
      await run('node', ['bin/partner-space.mjs', 'seed-demo'], { env });
      const oldKey = Buffer.from((JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as { fieldKey: string }).fieldKey, 'hex');
      let h = await openDatabase({ dataDir: dir });
      const partner = await h.db.selectFrom('partners').select('id').executeTakeFirstOrThrow();
      const id = randomUUID();
      const now = new Date();
      await h.db.insertInto('tax_profiles').values({ id, partner_id: partner.id, country: 'FR', registration_number_enc: encryptField(oldKey, taxNumberPurpose(partner.id, id), 'FR40303265045'), registration_number_hint: 'FR•••••••••45', tax_exempt: false, version: 1, created_at: now, updated_at: now, updated_by: null }).execute();
      await h.close();

      const out = await run('node', ['bin/partner-space.mjs', 'rotate-field-key'], { env });
      expect(out.stdout).toMatch(/Re-encrypted \d+ bank fields, 1 tax numbers/);
      const secrets = JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as Record<string, string>;
      expect(secrets.fieldKeyNext).toBeUndefined();
      const newKey = Buffer.from(secrets.fieldKey!, 'hex');
      expect(newKey.equals(oldKey)).toBe(false);
      h = await openDatabase({ dataDir: dir });
      const row = await h.db.selectFrom('tax_profiles').select('registration_number_enc').where('id', '=', id).executeTakeFirstOrThrow();
      await h.close();
      expect(decryptField(newKey, taxNumberPurpose(partner.id, id), row.registration_number_enc!)).toBe('FR40303265045');
      expect(() => decryptField(oldKey, taxNumberPurpose(partner.id, id), row.registration_number_enc!)).toThrow();

      // With FIELD_KEY from the environment, the new key must be given first (NEW_FIELD_KEY):
      // without it nothing changes; with it the data moves and the file is left alone.
      const envRun = { ...env, FIELD_KEY: secrets.fieldKey! };
      await expect(run('node', ['bin/partner-space.mjs', 'rotate-field-key'], { env: envRun })).rejects.toThrow(/NEW_FIELD_KEY/);
      h = await openDatabase({ dataDir: dir });
      const unchanged = await h.db.selectFrom('tax_profiles').select('registration_number_enc').where('id', '=', id).executeTakeFirstOrThrow();
      await h.close();
      expect(unchanged.registration_number_enc).toBe(row.registration_number_enc);
      const third = 'ab'.repeat(32);
      const envOut = await run('node', ['bin/partner-space.mjs', 'rotate-field-key'], { env: { ...envRun, NEW_FIELD_KEY: third } });
      expect(envOut.stdout).toMatch(/Set FIELD_KEY to the value of NEW_FIELD_KEY/);
      expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')).fieldKey).toBe(secrets.fieldKey);
      h = await openDatabase({ dataDir: dir });
      const moved = await h.db.selectFrom('tax_profiles').select('registration_number_enc').where('id', '=', id).executeTakeFirstOrThrow();
      await h.close();
      expect(decryptField(Buffer.from(third, 'hex'), taxNumberPurpose(partner.id, id), moved.registration_number_enc!)).toBe('FR40303265045');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
