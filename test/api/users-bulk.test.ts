import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { verifyChain } from '../../src/server/core/audit';
import { counts, createTestApp, enrolVerifiedPartner, expectErrorShape, signIn, waitForNewMail, type TestApp } from '../support/harness';

let t: TestApp;
let a: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let b: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let n = 0;

beforeAll(async () => {
  t = await createTestApp();
  a = await enrolVerifiedPartner(t);
  b = await enrolVerifiedPartner(t);
});
afterAll(async () => t?.close());

type Auth = { authorization: string };
const uniq = () => `${++n}.${Date.now()}`;

const importCsv = (by: Auth, csv: string, lang = 'en') =>
  t.app.inject({ method: 'POST', url: '/v1/users/import', headers: { ...by, 'content-type': 'text/csv', 'accept-language': lang }, payload: csv });

const exportCsv = (by: Auth, query = '') => t.app.inject({ method: 'GET', url: `/v1/users/export${query}`, headers: by });

/** The exported file as records (header first), read the way a spreadsheet would. */
const records = (body: string) => parse(body, { bom: true }) as string[][];

/** A user of partner A holding `roles`, who has chosen a password and is signed in. */
async function activeUser(roles: string[]) {
  const email = `member${uniq()}@fabrikam.example`;
  const res = await t.app.inject({ method: 'POST', url: '/v1/users', headers: a.auth, payload: { firstName: 'Max', lastName: 'Mustermann', email, roles } });
  expect(res.statusCode).toBe(201);
  const first = await signIn(t, email, res.json().temporaryPassword);
  const password = `un nouveau mot de passe solide ${n}`;
  const ch = await t.app.inject({ method: 'POST', url: '/v1/me/password', headers: first.auth, payload: { currentPassword: res.json().temporaryPassword, newPassword: password } });
  expect(ch.statusCode).toBe(204);
  return { email, ...(await signIn(t, email, password)) };
}

describe('importing users from CSV', () => {
  it('a Global admin imports a file: every user is created with their roles, invited by email, and audited', async () => {
    const id = uniq();
    const emails = [`ana.${id}@contoso.example`, `bea.${id}@contoso.example`, `chloe.${id}@contoso.example`];
    const csv = [
      'firstName,lastName,email,roles',
      `Ana,Lima,${emails[0]},helpdesk-agent`,
      `"Béa","D'Arc, Jeanne",${emails[1]},billing-admin;report-viewer`,
      `Chloé,Zed,${emails[2]},`,
    ].join('\r\n');
    const before = await counts(t, ['users', 'user_roles', 'audit_records']);
    const res = await importCsv(a.auth, csv);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ imported: 3 });
    const after = await counts(t, ['users', 'user_roles', 'audit_records']);
    expect(after.users! - before.users!).toBe(3);
    expect(after.user_roles! - before.user_roles!).toBe(3);
    expect(after.audit_records! - before.audit_records!).toBe(3);
    expect((await verifyChain(t.db, a.partnerId)).verified).toBe(true);

    const list = await t.app.inject({ method: 'GET', url: `/v1/users?search=${id}`, headers: a.auth });
    const items = list.json().items as { email: string; lastName: string; roles: string[] }[];
    expect(items.map((u) => [u.email, u.lastName, u.roles])).toEqual([
      [emails[1], "D'Arc, Jeanne", ['billing-admin', 'report-viewer']],
      [emails[0], 'Lima', ['helpdesk-agent']],
      [emails[2], 'Zed', []],
    ]);
    for (const email of emails) {
      const mail = await waitForNewMail(t, email, 0);
      expect(mail.subject).toContain('invites you');
      expect(mail.text).toMatch(/\/invitation\?token=[A-Za-z0-9_-]{43}/);
    }
    // Imported users have no usable password until they accept their invitation.
    const guessed = await t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: emails[0], password: 'partner-space-timing-equaliser-not-a-password' } });
    expect(guessed.statusCode).toBe(401);
  });

  it('a file with 3 bad rows reports each with its line and reason, and creates nobody', async () => {
    const id = uniq();
    const taken = a.body.email;
    const csv = [
      'firstName,lastName,email,roles',
      `Ok,One,ok1.${id}@contoso.example,`,
      `,NoFirst,nofirst.${id}@contoso.example,`,
      '',
      `Bad,Email,not-an-email,helpdesk-agent`,
      `Ok,Two,ok2.${id}@contoso.example,helpdesk-agent`,
      `Taken,Email,${taken},`,
    ].join('\n');
    const before = await counts(t);
    const res = await importCsv(a.auth, csv);
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.json(), 'IMPORT_INVALID');
    expect(res.json().message).toBe('3 lines of the file cannot be imported. Nothing was imported: correct the file and import it again.');
    expect(res.json().details).toEqual([
      { line: 3, field: 'firstName', reason: 'required', message: 'Required.' },
      { line: 5, field: 'email', reason: 'invalid_format', message: 'Invalid format (email).' },
      { line: 7, field: 'email', reason: 'taken', message: 'Already in use.' },
    ]);
    expect(await counts(t)).toEqual(before);
    expect(t.smtp.inbox.some((m) => m.to.includes(`ok1.${id}@contoso.example`))).toBe(false);
  });

  it('checks roles as Add user does (known, one per category), in French for a French admin', async () => {
    const before = await counts(t);
    const res = await importCsv(a.auth, 'firstName,lastName,email,roles\nA,B,x@y.example,no-such-role\nC,D,z@y.example,helpdesk-agent;sales-agent\n', 'fr');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('2 lignes du fichier ne peuvent pas être importées. Rien n’a été importé : corrigez le fichier et importez-le de nouveau.');
    expect(res.json().details).toEqual([
      { line: 2, field: 'roles', reason: 'unknown_role', message: 'Rôle inconnu.' },
      { line: 3, field: 'roles', reason: 'category_conflict', message: 'Au plus un rôle par catégorie.' },
    ]);
    expect(await counts(t)).toEqual(before);
  });

  it('a duplicate email inside the file is reported on its second line, pointing at the first', async () => {
    const id = uniq();
    const before = await counts(t);
    const res = await importCsv(a.auth, `firstName,lastName,email,roles\nA,B,dup.${id}@contoso.example,\nC,D,other.${id}@contoso.example,\nE,F,DUP.${id}@Contoso.example,\n`);
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ line: 4, field: 'email', reason: 'duplicate_in_file', message: 'This email address is already on line 2.' }]);
    expect(await counts(t)).toEqual(before);
  });

  it('a User management admin cannot grant in a row a role with permissions they lack: the whole file is refused', async () => {
    const uma = await activeUser(['user-management-admin']);
    const id = uniq();
    const before = await counts(t);
    const res = await importCsv(uma.auth, `firstName,lastName,email,roles\nA,B,fine.${id}@contoso.example,\nC,D,boss.${id}@contoso.example,global-admin\nE,F,agent.${id}@contoso.example,helpdesk-agent\n`);
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([
      { line: 3, field: 'roles', reason: 'role_escalation', message: 'You cannot grant roles with permissions you do not hold yourself.' },
      { line: 4, field: 'roles', reason: 'role_escalation', message: 'You cannot grant roles with permissions you do not hold yourself.' },
    ]);
    expect(await counts(t)).toEqual(before);
    const ok = await importCsv(uma.auth, `firstName,lastName,email,roles\nA,B,fine.${id}@contoso.example,\n`);
    expect(ok.json()).toEqual({ imported: 1 });
  });

  it('refuses a wrong header, a malformed line, an empty file and too many rows, writing nothing', async () => {
    const before = await counts(t);
    const header = await importCsv(a.auth, 'firstName,surname,email,roles\nA,B,c@d.example,\n');
    expect(header.json().details).toEqual([
      { line: 1, field: 'lastName', reason: 'missing_column', message: 'This column is missing from the header.' },
      { line: 1, field: 'surname', reason: 'unknown_column', message: 'Unknown or repeated column.' },
    ]);
    const malformed = await importCsv(a.auth, 'firstName,lastName,email,roles\nA,"B,c@d.example,\n');
    expect([malformed.statusCode, malformed.json().code, malformed.json().details[0].reason]).toEqual([400, 'IMPORT_INVALID', 'csv_malformed']);
    const short = await importCsv(a.auth, 'firstName,lastName,email,roles\nA,B\n');
    expect(short.json().details).toEqual([{ line: 2, reason: 'column_count', message: 'This line has 2 values; the header has 4.' }]);
    const empty = await importCsv(a.auth, 'firstName,lastName,email,roles\n');
    expect(empty.json().details[0].reason).toBe('empty_file');
    const rows = Array.from({ length: 10_001 }, (_, i) => `A,B,many${i}@contoso.example,`);
    const tooMany = await importCsv(a.auth, ['firstName,lastName,email,roles', ...rows].join('\n'));
    expect([tooMany.statusCode, tooMany.json().code]).toEqual([400, 'IMPORT_TOO_MANY_ROWS']);
    expect(tooMany.json().message).toBe('The file has 10001 users; import at most 10000 at a time. Split the file and import each part.');
    const tooBig = await importCsv(a.auth, 'firstName,lastName,email,roles\n' + 'x'.repeat(6 * 1024 * 1024));
    expect([tooBig.statusCode, tooBig.json().code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(await counts(t)).toEqual(before);
  });

  it('accepts only text/csv; text/plain stays refused', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/users/import', headers: { ...a.auth, 'content-type': 'text/plain' }, payload: 'firstName,lastName,email,roles\n' });
    expect([res.statusCode, res.json().code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it('a user without users.manage gets 403 and nothing is imported', async () => {
    const helpdesk = await activeUser(['helpdesk-agent']);
    const before = await counts(t);
    const res = await importCsv(helpdesk.auth, `firstName,lastName,email,roles\nA,B,no.${uniq()}@contoso.example,\n`);
    expect([res.statusCode, res.json().code]).toEqual([403, 'FORBIDDEN']);
    expect(await counts(t)).toEqual(before);
  });
});

describe('exporting users to CSV', () => {
  it('streams a CSV with a header and every user of my company, and nobody else’s', async () => {
    const res = await exportCsv(b.auth);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="users-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = records(res.body);
    expect(rows[0]).toEqual(['firstName', 'lastName', 'email', 'roles', 'status', 'createdAt', 'lastSignInAt']);
    expect(rows.slice(1)).toEqual([[b.body.primaryContact.firstName, b.body.primaryContact.lastName, b.body.email, 'global-admin', 'active', expect.any(String), expect.any(String)]]);
    const all = records((await exportCsv(a.auth)).body);
    const list = await t.app.inject({ method: 'GET', url: '/v1/users?size=1', headers: a.auth });
    expect(all.length - 1).toBe(list.json().totalCount);
    expect(all.map((r) => r[2])).not.toContain(b.body.email);
  });

  it('exports more users than one page, in constant-size batches, with the search and role filters', async () => {
    const id = uniq();
    const csv = ['firstName,lastName,email,roles', ...Array.from({ length: 2100 }, (_, i) => `P${i},Batch${id},p${i}.${id}@bulk.example,${i % 3 === 0 ? 'report-viewer' : ''}`)].join('\n');
    expect((await importCsv(b.auth, csv)).json()).toEqual({ imported: 2100 });
    const all = records((await exportCsv(b.auth, `?search=${id}`)).body).slice(1);
    expect(all).toHaveLength(2100);
    expect(new Set(all.map((r) => r[2])).size).toBe(2100);
    expect(all.every((r) => r[4] === 'invited')).toBe(true);
    const viewers = records((await exportCsv(b.auth, `?search=${id}&role=report-viewer`)).body).slice(1);
    expect(viewers).toHaveLength(700);
    expect(viewers.every((r) => r[3] === 'report-viewer')).toBe(true);
  });

  it('a cell that a spreadsheet would run as a formula is neutralised', async () => {
    const id = uniq();
    const csv = `firstName,lastName,email,roles\n"=HYPERLINK(""http://evil.example"",""x"")",@SUM(A1),f.${id}@contoso.example,\n+cmd,-2+3,g.${id}@contoso.example,\n`;
    expect((await importCsv(a.auth, csv)).json()).toEqual({ imported: 2 });
    const rows = records((await exportCsv(a.auth, `?search=${id}`)).body).slice(1).sort((x, y) => x[2]!.localeCompare(y[2]!));
    expect(rows.map((r) => [r[0], r[1]])).toEqual([
      ["'=HYPERLINK(\"http://evil.example\",\"x\")", "'@SUM(A1)"],
      ["'+cmd", "'-2+3"],
    ]);
  });

  it('a user without users.read gets 403', async () => {
    const helpdesk = await activeUser(['report-viewer']);
    const res = await exportCsv(helpdesk.auth);
    expect([res.statusCode, res.json().code]).toEqual([403, 'FORBIDDEN']);
  });
});
