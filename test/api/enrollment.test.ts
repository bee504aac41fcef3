import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeFrom } from '../support/smtp';
import { count, counts, createTestApp, enrolmentBody, expectErrorShape, mailCount, waitForNewMail, type TestApp } from '../support/harness';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const enrol = (payload: unknown, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: '/v1/enrollment', payload: payload as object, headers });

describe('enrolment', () => {
  it('creates a partner pending verification with its first Global admin and mails a 6-digit code', async () => {
    const body = enrolmentBody();
    const res = await enrol(body);
    expect(res.statusCode).toBe(201);
    const json = res.json();
    expect(json.partner).toMatchObject({ companyName: body.companyName, country: 'FR', currency: 'EUR', status: 'pending_verification' });
    const mail = await t.smtp.waitFor(body.email);
    expect(codeFrom(mail)).toMatch(/^\d{6}$/);
    const roles = await t.db.selectFrom('user_roles').select('role_id').where('user_id', '=', json.user.id).execute();
    expect(roles.map((r) => r.role_id)).toEqual(['global-admin']);
  });

  it('fixes the currency from the country at enrolment', async () => {
    const res = await enrol(enrolmentBody({ address: { addressLine1: '1 Main St', city: 'Seattle', state: 'WA', postalCode: '98101', country: 'us' } }));
    expect(res.statusCode).toBe(201);
    expect(res.json().partner).toMatchObject({ country: 'US', currency: 'USD' });
  });

  it('writes the verification mail in the enrolling user’s language', async () => {
    const body = enrolmentBody();
    expect((await enrol(body, { 'accept-language': 'fr-FR,fr;q=0.9' })).statusCode).toBe(201);
    const mail = await t.smtp.waitFor(body.email);
    expect(mail.subject).toContain('Votre code de vérification');
  });

  it('verifies the email with the mailed code, after which the admin can sign in', async () => {
    const body = enrolmentBody();
    await enrol(body);
    const signInBefore = await t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: body.email, password: body.password } });
    expect(signInBefore.statusCode).toBe(403);
    expect(signInBefore.json().code).toBe('EMAIL_NOT_VERIFIED');
    const code = codeFrom(await t.smtp.waitFor(body.email));
    const v = await t.app.inject({ method: 'POST', url: '/v1/enrollment/verify', payload: { email: body.email, code } });
    expect(v.statusCode).toBe(200);
    expect(v.json()).toEqual({ verified: true, partnerStatus: 'pending_verification' });
    const signIn = await t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: body.email, password: body.password } });
    expect(signIn.statusCode).toBe(201);
  });
});

// ---------------------------------------------------------------------------
// Refusals: every refused enrolment is a 4xx with a stable code and writes nothing.

type Res = Awaited<ReturnType<typeof enrol>>;
const err = (res: Res) => res.json() as { code: string; message: string; details: { field?: string; reason: string; message: string }[]; requestId: string };

/** Send an enrolment that must be refused: assert status and code, the error shape, and that no row was written. */
async function refused(payload: unknown, status: number, code: string, headers: Record<string, string> = {}, rawBody?: string) {
  const before = await counts(t);
  const res = rawBody !== undefined
    ? await t.app.inject({ method: 'POST', url: '/v1/enrollment', payload: rawBody, headers: { 'content-type': 'application/json', ...headers } })
    : await enrol(payload, headers);
  expect(res.statusCode, res.body).toBe(status);
  expect(res.statusCode).toBeLessThan(500);
  expectErrorShape(res.json(), code);
  expect(await counts(t)).toEqual(before);
  return err(res);
}

const without = (path: string) => {
  const body = enrolmentBody() as Record<string, unknown>;
  const [head, leaf] = path.includes('.') ? path.split('.') : [undefined, path];
  const obj = head ? { ...(body[head] as object) } as Record<string, unknown> : body;
  delete obj[leaf!];
  if (head) body[head] = obj;
  return body;
};

describe('the enrolling user’s language', () => {
  const storedLocale = async (email: string) =>
    (await t.db.selectFrom('users').select('locale').where('email_key', '=', email.toLowerCase()).executeTakeFirstOrThrow()).locale;

  it('a language chosen in the enrolment form is stored as the user’s preference', async () => {
    const body = enrolmentBody({ locale: 'fr' });
    expect((await enrol(body)).statusCode).toBe(201);
    expect(await storedLocale(body.email)).toBe('fr');
  });

  it('without a choice no preference is stored, whatever the request’s language', async () => {
    const a = enrolmentBody();
    const b = enrolmentBody();
    expect((await enrol(a)).statusCode).toBe(201);
    expect((await enrol(b, { 'accept-language': 'fr' })).statusCode).toBe(201);
    expect(await storedLocale(a.email)).toBeNull();
    expect(await storedLocale(b.email)).toBeNull();
  });
});

describe('enrolment refuses malformed input and writes nothing', () => {
  it('malformed JSON → 400 MALFORMED_REQUEST', async () => {
    await refused(undefined, 400, 'MALFORMED_REQUEST', {}, '{"companyName": "Fabrikam", ');
  });

  it('a JSON body that is not an object → 400', async () => {
    const e = await refused(undefined, 400, 'VALIDATION_FAILED', {}, '[1, 2, 3]');
    expect(e.details.length).toBeGreaterThan(0);
  });

  it('a __proto__ key is refused, not merged', async () => {
    const raw = JSON.stringify(enrolmentBody()).replace(/^\{/, '{"__proto__": {"status": "authorized"}, ');
    await refused(undefined, 400, 'MALFORMED_REQUEST', {}, raw);
  });

  it('wrong types → VALIDATION_FAILED naming each field with reason invalid_type', async () => {
    const e = await refused(enrolmentBody({ companyName: 42, address: 'Lyon' }), 400, 'VALIDATION_FAILED');
    expect(e.details).toEqual(expect.arrayContaining([
      expect.objectContaining({ field: 'companyName', reason: 'invalid_type' }),
      expect.objectContaining({ field: 'address', reason: 'invalid_type' }),
    ]));
  });

  it('an unknown top-level field (mass assignment) → unknown_field', async () => {
    const e = await refused(enrolmentBody({ status: 'authorized' }), 400, 'VALIDATION_FAILED');
    expect(e.details).toEqual([expect.objectContaining({ field: 'status', reason: 'unknown_field', message: 'Unknown field.' })]);
  });

  it('an unknown nested field → unknown_field with its path', async () => {
    const body = enrolmentBody();
    const e = await refused({ ...body, address: { ...body.address, isVerified: true } }, 400, 'VALIDATION_FAILED');
    expect(e.details).toEqual([expect.objectContaining({ field: 'address.isVerified', reason: 'unknown_field' })]);
  });

  type Body = ReturnType<typeof enrolmentBody>;
  it.each([
    { field: 'companyName', max: 200, make: (b: Body) => ({ ...b, companyName: 'C'.repeat(201) }) },
    { field: 'address.addressLine1', max: 200, make: (b: Body) => ({ ...b, address: { ...b.address, addressLine1: 'a'.repeat(201) } }) },
    { field: 'primaryContact.firstName', max: 50, make: (b: Body) => ({ ...b, primaryContact: { ...b.primaryContact, firstName: 'J'.repeat(51) } }) },
    { field: 'primaryContact.lastName', max: 50, make: (b: Body) => ({ ...b, primaryContact: { ...b.primaryContact, lastName: 'D'.repeat(51) } }) },
  ])('an over-long $field (max $max) → too_long', async ({ field, max, make }) => {
    const e = await refused(make(enrolmentBody()), 400, 'VALIDATION_FAILED');
    expect(e.details).toEqual([{ field, reason: 'too_long', message: `At most ${max} characters.` }]);
  });

  it('a company name of exactly 200 characters is accepted', async () => {
    const res = await enrol(enrolmentBody({ companyName: `${'Fabrikam '.repeat(30)}`.slice(0, 186) + randomSuffix(14) }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().partner.companyName).toHaveLength(200);
  });

  it.each(['companyName', 'email', 'password', 'address', 'primaryContact', 'address.city', 'address.postalCode', 'address.country', 'primaryContact.lastName'])(
    'a missing %s → reason required on that path',
    async (path) => {
      const e = await refused(without(path), 400, 'VALIDATION_FAILED');
      expect(e.details).toContainEqual({ field: path, reason: 'required', message: 'Required.' });
    },
  );

  it('an empty company name (after trimming) is refused', async () => {
    const e = await refused(enrolmentBody({ companyName: '   ' }), 400, 'VALIDATION_FAILED');
    expect(e.details).toEqual([expect.objectContaining({ field: 'companyName', reason: 'too_short' })]);
  });

  it.each(['ZZ', 'XX', 'FRA', 'F'])('the country code %j is refused', async (country) => {
    const body = enrolmentBody();
    const e = await refused({ ...body, address: { ...body.address, country } }, 400, 'VALIDATION_FAILED');
    expect(new Set(e.details.map((d) => d.field))).toEqual(new Set(['address.country']));
  });

  it.each(['ftp://fabrikam.example', 'javascript:alert(1)', 'fabrikam.example', 'mailto:x@fabrikam.example'])('the website %j is refused: http(s) only', async (website) => {
    const e = await refused(enrolmentBody({ website }), 400, 'VALIDATION_FAILED');
    expect(e.details.map((d) => d.field)).toEqual(['website']);
  });

  it('an invalid email → VALIDATION_FAILED on email', async () => {
    const e = await refused(enrolmentBody({ email: 'not-an-email' }), 400, 'VALIDATION_FAILED');
    expect(e.details.map((d) => d.field)).toEqual(['email']);
  });
});

describe('enrolment refuses addresses that are not a person’s work email', () => {
  it.each(['gmail.com', 'outlook.com', 'hotmail.com', 'GMAIL.com'])('a personal mailbox at %s → 400 EMAIL_DOMAIN_REFUSED', async (domain) => {
    const e = await refused(enrolmentBody({ email: `jeanne.dupont.${randomSuffix(6)}@${domain}` }), 400, 'EMAIL_DOMAIN_REFUSED');
    expect(e.message).toBe(`Use your work email address: addresses at ${domain.toLowerCase()} are not accepted.`);
    expect(e.details).toEqual([{ field: 'email', reason: 'domain_refused', message: 'Personal and government mailboxes are not accepted.' }]);
  });

  it.each(['x@service.gouv.fr', 'x@agency.gov', 'x@dwp.gov.uk'])('a government address %s → EMAIL_DOMAIN_REFUSED', async (email) => {
    await refused(enrolmentBody({ email }), 400, 'EMAIL_DOMAIN_REFUSED');
  });

  it.each(['info', 'admin', 'marketing', 'email', 'Info'])('the role address %s@ → 400 EMAIL_ROLE_ADDRESS_REFUSED', async (local) => {
    const e = await refused(enrolmentBody({ email: `${local}@fabrikam-${randomSuffix(6)}.example` }), 400, 'EMAIL_ROLE_ADDRESS_REFUSED');
    expect(e.details).toEqual([expect.objectContaining({ field: 'email', reason: 'role_address' })]);
  });

  it('the list of refused domains is configuration', async () => {
    const t2 = await createTestApp({ config: { refusedEmailDomains: ['fabrikam.example'] } });
    try {
      const before = await counts(t2);
      const res = await t2.app.inject({ method: 'POST', url: '/v1/enrollment', payload: enrolmentBody() });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'EMAIL_DOMAIN_REFUSED', message: 'Use your work email address: addresses at fabrikam.example are not accepted.' });
      expect(await counts(t2)).toEqual(before);
      // The configured list replaces the default one.
      const gmail = await t2.app.inject({ method: 'POST', url: '/v1/enrollment', payload: enrolmentBody({ email: `jeanne.${randomSuffix(6)}@gmail.com` }) });
      expect(gmail.statusCode, gmail.body).toBe(201);
    } finally {
      await t2.close();
    }
  });
});

describe('enrolment password policy', () => {
  it('14 characters → PASSWORD_POLICY too_short, and the message says 15', async () => {
    const e = await refused(enrolmentBody({ password: 'vtsc-1987-qwzk' }), 400, 'PASSWORD_POLICY');
    expect(e.message).toBe('This password cannot be used.');
    expect(e.details).toHaveLength(1);
    expect(e.details[0]).toMatchObject({ field: 'password', reason: 'too_short' });
    expect(e.details[0]!.message).toContain('15');
  });

  it('a common password → reason common', async () => {
    const e = await refused(enrolmentBody({ password: 'passwordpassword' }), 400, 'PASSWORD_POLICY');
    expect(e.details).toEqual([{ field: 'password', reason: 'common', message: 'This password is too common.' }]);
  });

  it('a password containing the company name → reason contextual', async () => {
    const body = enrolmentBody({ companyName: `Tailspin Toys ${randomSuffix(6)}` });
    const e = await refused({ ...body, password: 'I love working at tailspin!' }, 400, 'PASSWORD_POLICY');
    expect(e.details).toEqual([expect.objectContaining({ field: 'password', reason: 'contextual' })]);
  });

  it('a password containing the email’s local part → contextual', async () => {
    const body = enrolmentBody({ email: `margaux.${randomSuffix(6)}@fabrikam.example` });
    const e = await refused({ ...body, password: 'margaux rides the blue tram' }, 400, 'PASSWORD_POLICY');
    expect(e.details.map((d) => d.reason)).toEqual(['contextual']);
  });

  it('129 characters → too_long (128 is the limit)', async () => {
    const e = await refused(enrolmentBody({ password: 'violet tramway '.repeat(9).slice(0, 129) }), 400, 'PASSWORD_POLICY');
    expect(e.details).toEqual([expect.objectContaining({ field: 'password', reason: 'too_long' })]);
    expect(e.details[0]!.message).toContain('128');
  });

  it('15 emoji are long enough (length counts code points)', async () => {
    const res = await enrol(enrolmentBody({ password: '🌻🚋🌙🎻🐙🍋🧭🪁🦔🌋🎲🪴🧩🛶🦜' }));
    expect(res.statusCode, res.body).toBe(201);
  });
});

describe('enrolment uniqueness', () => {
  it('an email already registered, in another case → 409 EMAIL_ALREADY_REGISTERED', async () => {
    const first = enrolmentBody();
    expect((await enrol(first)).statusCode).toBe(201);
    const e = await refused(enrolmentBody({ email: first.email.toUpperCase() }), 409, 'EMAIL_ALREADY_REGISTERED');
    expect(e.message).toBe('An account already uses this email address.');
  });

  it('the same company in the same country, written with other case, accents and spaces → 409 COMPANY_ALREADY_ENROLLED', async () => {
    const n = randomSuffix(6);
    expect((await enrol(enrolmentBody({ companyName: `Société Générale Conseil ${n}` }))).statusCode).toBe(201);
    await refused(enrolmentBody({ companyName: `  SOCIETE   generale conseil ${n} ` }), 409, 'COMPANY_ALREADY_ENROLLED');
  });

  it('the same company name in another country is another company', async () => {
    const name = `Contoso Consulting ${randomSuffix(6)}`;
    expect((await enrol(enrolmentBody({ companyName: name }))).statusCode).toBe(201);
    const be = enrolmentBody({ companyName: name, address: { addressLine1: 'Rue Neuve 1', city: 'Bruxelles', postalCode: '1000', country: 'BE' } });
    const res = await enrol(be);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().partner).toMatchObject({ country: 'BE', currency: 'EUR' });
  });

  it('two simultaneous enrolments with one email: exactly one wins, the other gets 409', async () => {
    const email = `race.${randomSuffix(8)}@fabrikam.example`;
    const before = await count(t, 'users');
    const results = await Promise.all([enrol(enrolmentBody({ email })), enrol(enrolmentBody({ email }))]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json().code).toBe('EMAIL_ALREADY_REGISTERED');
    expect(await count(t, 'users')).toBe(before + 1);
  });
});

describe('email verification', () => {
  const verify = (email: string, code: string) => t.app.inject({ method: 'POST', url: '/v1/enrollment/verify', payload: { email, code } });
  const resend = (email: string) => t.app.inject({ method: 'POST', url: '/v1/enrollment/resend', payload: { email } });
  const otherThan = (code: string) => (code === '000000' ? '000001' : '000000');
  const verifiedAt = async (email: string) =>
    (await t.db.selectFrom('users').select('email_verified_at').where('email_key', '=', email.toLowerCase()).executeTakeFirstOrThrow()).email_verified_at;

  async function enrolled() {
    const body = enrolmentBody();
    const seen = mailCount(t, body.email);
    expect((await enrol(body)).statusCode).toBe(201);
    const code = codeFrom(await waitForNewMail(t, body.email, seen));
    return { body, code };
  }

  it('a wrong code → 400 INVALID_VERIFICATION_CODE and the user stays unverified', async () => {
    const { body, code } = await enrolled();
    const res = await verify(body.email, otherThan(code));
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.json(), 'INVALID_VERIFICATION_CODE');
    expect(await verifiedAt(body.email)).toBeNull();
    const signIn = await t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email: body.email, password: body.password } });
    expect(signIn.json().code).toBe('EMAIL_NOT_VERIFIED');
  });

  it('after 5 wrong codes even the right one is refused', async () => {
    const { body, code } = await enrolled();
    for (let i = 0; i < 5; i++) expect((await verify(body.email, otherThan(code))).json().code).toBe('INVALID_VERIFICATION_CODE');
    const res = await verify(body.email, code);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('INVALID_VERIFICATION_CODE');
    expect(await verifiedAt(body.email)).toBeNull();
  });

  it('4 wrong codes still leave the right one usable', async () => {
    const { body, code } = await enrolled();
    for (let i = 0; i < 4; i++) await verify(body.email, otherThan(code));
    expect((await verify(body.email, code)).statusCode).toBe(200);
  });

  it('a code older than 30 minutes → 400 VERIFICATION_CODE_EXPIRED', async () => {
    const { body, code } = await enrolled();
    t.clock.advance(31 * 60 * 1000);
    const res = await verify(body.email, code);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VERIFICATION_CODE_EXPIRED');
    expect(await verifiedAt(body.email)).toBeNull();
  });

  it('resend mails a new code that works, even after the old one expired or was locked', async () => {
    const { body, code } = await enrolled();
    for (let i = 0; i < 5; i++) await verify(body.email, otherThan(code));
    t.clock.advance(31 * 60 * 1000);
    const seen = mailCount(t, body.email);
    const res = await resend(body.email);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: true });
    const fresh = codeFrom(await waitForNewMail(t, body.email, seen));
    if (fresh !== code) expect((await verify(body.email, code)).statusCode).toBe(400);
    expect((await verify(body.email, fresh)).statusCode).toBe(200);
    expect(await verifiedAt(body.email)).not.toBeNull();
  });

  it('resend answers exactly the same for an unknown email, and mails nobody', async () => {
    const known = (await enrolled()).body.email;
    const unknown = `nobody.${randomSuffix(8)}@fabrikam.example`;
    const a = await resend(known);
    const b = await resend(unknown);
    expect([a.statusCode, b.statusCode]).toEqual([202, 202]);
    expect(b.body).toBe(a.body);
    await new Promise((r) => setTimeout(r, 100));
    expect(mailCount(t, unknown)).toBe(0);
  });

  it('verifying twice → 409 ALREADY_VERIFIED', async () => {
    const { body, code } = await enrolled();
    expect((await verify(body.email, code)).statusCode).toBe(200);
    const again = await verify(body.email, code);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ALREADY_VERIFIED');
  });

  it('a code for an unknown email → INVALID_VERIFICATION_CODE, like a wrong code', async () => {
    const res = await verify(`nobody.${randomSuffix(8)}@fabrikam.example`, '123456');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('INVALID_VERIFICATION_CODE');
  });

  it('a code that is not 6 digits → VALIDATION_FAILED', async () => {
    const res = await verify('jeanne@fabrikam.example', '12345a');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'code' })] });
  });
});

describe('error messages follow the request language', () => {
  it('English by default', async () => {
    const e = await refused(enrolmentBody({ email: 'x@gmail.com' }), 400, 'EMAIL_DOMAIN_REFUSED');
    expect(e.message).toBe('Use your work email address: addresses at gmail.com are not accepted.');
  });

  it('French with Accept-Language: fr, details included', async () => {
    const e = await refused(enrolmentBody({ email: 'x@gmail.com' }), 400, 'EMAIL_DOMAIN_REFUSED', { 'accept-language': 'fr' });
    expect(e.message).toBe('Utilisez votre adresse e-mail professionnelle : les adresses gmail.com ne sont pas acceptées.');
    expect(e.details[0]!.message).toBe('Les messageries personnelles et gouvernementales ne sont pas acceptées.');
  });

  it('French validation details, with plurals', async () => {
    const e = await refused(enrolmentBody({ password: 'vtsc-1987-qwzk' }), 400, 'PASSWORD_POLICY', { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' });
    expect(e.message).toBe('Ce mot de passe ne peut pas être utilisé.');
    expect(e.details[0]!.message).toBe('Au moins 15 caractères.');
    const v = await refused(without('address.city'), 400, 'VALIDATION_FAILED', { 'accept-language': 'fr' });
    expect(v.message).toBe('Certains champs ne sont pas valides. Vérifiez-les et réessayez.');
    expect(v.details).toContainEqual({ field: 'address.city', reason: 'required', message: 'Obligatoire.' });
  });

  it('an unsupported language falls back to English', async () => {
    const e = await refused(enrolmentBody({ email: 'x@gmail.com' }), 400, 'EMAIL_DOMAIN_REFUSED', { 'accept-language': 'de-DE, es;q=0.8' });
    expect(e.message).toContain('Use your work email address');
  });
});

function randomSuffix(n: number): string {
  return Math.random().toString(36).slice(2, 2 + n).padEnd(n, 'x');
}
