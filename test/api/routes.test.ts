import Fastify from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enforceRouteDeclarations, type GuardedRoute } from '../../src/server/core/http';
import { isPermission } from '../../src/shared/permissions';
import { insertOffers } from '../support/catalog-fixtures';
import { seedMarket } from '../support/pricing-fixtures';
import { insertLeadFixture } from '../support/lead-fixtures';
import { createTestApp, enrolVerifiedPartner, expectErrorShape, operatorSession, type TestApp } from '../support/harness';

/**
 * The reviewed authorization table: every route of the API and what it needs.
 * Adding a route makes this suite fail until the route is listed here.
 */
const EXPECTED: Record<string, string> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'POST /v1/enrollment': 'public',
  'POST /v1/enrollment/verify': 'public',
  'POST /v1/enrollment/resend': 'public',
  'POST /v1/sessions': 'public',
  'DELETE /v1/sessions/current': 'account.read',
  'GET /v1/me': 'account.read',
  'PATCH /v1/me': 'me.update',
  'GET /v1/profiles/legalbusiness': 'legal.read',
  'PUT /v1/profiles/legalbusiness': 'legal.update',
  'POST /v1/profiles/legalbusiness/documents': 'legal.update',
  'GET /v1/profiles/legalbusiness/documents/:id': 'legal.read',
  'GET /v1/profiles/billing': 'billingprofile.read',
  'PUT /v1/profiles/billing': 'billingprofile.update',
  'GET /v1/profiles/organization': 'legal.read',
  'PUT /v1/profiles/organization': 'legal.update',
  'GET /v1/profiles/support': 'legal.read',
  'PUT /v1/profiles/support': 'legal.update',
  'GET /v1/profiles/securitycontact': 'legal.read',
  'PUT /v1/profiles/securitycontact': 'securitycontact.update',
  'GET /v1/roles': 'roles.read',
  'POST /v1/roles': 'roles.manage',
  'GET /v1/roles/:id': 'roles.read',
  'PATCH /v1/roles/:id': 'roles.manage',
  'DELETE /v1/roles/:id': 'roles.manage',
  'GET /v1/me/sessions': 'account.read',
  'DELETE /v1/me/sessions/:id': 'me.update',
  'DELETE /v1/me/sessions': 'me.update',
  'GET /v1/users': 'users.read',
  'POST /v1/users': 'users.manage',
  'GET /v1/users/:id': 'users.read',
  'PATCH /v1/users/:id': 'users.manage',
  'DELETE /v1/users/:id': 'users.manage',
  'POST /v1/users/:id/resetpassword': 'users.manage',
  'POST /v1/users/import': 'users.manage',
  'GET /v1/users/export': 'users.read',
  'POST /v1/users/:id/invitation': 'users.manage',
  'POST /v1/invitations/accept': 'public',
  'POST /v1/me/password': 'me.update',
  'GET /v1/sessions/current': 'account.read',
  'POST /v1/sessions/current/mfa': 'account.read',
  'GET /v1/me/mfa': 'account.read',
  'POST /v1/me/mfa/totp': 'me.update',
  'POST /v1/me/mfa/totp/verify': 'me.update',
  'POST /v1/me/mfa/recoverycodes': 'me.update',
  'PUT /v1/users/:id/mfa': 'security.manage',
  'DELETE /v1/users/:id/mfa': 'security.manage',
  'GET /v1/auditrecords': 'audit.read',
  'GET /v1/notifications': 'account.read',
  'GET /v1/notifications/unreadcount': 'account.read',
  'POST /v1/notifications/:id/read': 'account.read',
  'POST /v1/notifications/read': 'account.read',
  'GET /v1/taxprofiles': 'payout.read',
  'POST /v1/taxprofiles': 'payout.manage',
  'GET /v1/taxprofiles/:id': 'payout.read',
  'PUT /v1/taxprofiles/:id': 'payout.manage',
  'GET /v1/taxexemptions': 'payout.read',
  'POST /v1/taxexemptions': 'tax.manage',
  'GET /v1/taxexemptions/:id': 'payout.read',
  'POST /v1/taxexemptions/:id/documents': 'tax.manage',
  'GET /v1/taxexemptions/:id/documents/:documentId': 'payout.read',
  'POST /v1/sessions/current/reauth': 'account.read',
  'GET /v1/bankprofiles': 'payout.read',
  'POST /v1/bankprofiles': 'payout.manage',
  'GET /v1/bankprofiles/:id': 'payout.read',
  'PATCH /v1/bankprofiles/:id': 'payout.manage',
  'DELETE /v1/bankprofiles/:id': 'payout.manage',
  'GET /v1/payoutassignments': 'payout.read',
  'PUT /v1/payoutassignments': 'payout.manage',
  'GET /v1/operator/reviews/taxexemptions': 'operator.reviews',
  'GET /v1/operator/reviews/taxexemptions/:id': 'operator.reviews',
  'POST /v1/operator/reviews/taxexemptions/:id/approve': 'operator.reviews',
  'POST /v1/operator/reviews/taxexemptions/:id/reject': 'operator.reviews',
  'GET /v1/operator/reviews/bankprofiles': 'operator.reviews',
  'GET /v1/operator/reviews/bankprofiles/:id': 'operator.reviews',
  'POST /v1/operator/reviews/bankprofiles/:id/approve': 'operator.reviews',
  'POST /v1/operator/reviews/bankprofiles/:id/reject': 'operator.reviews',
  'GET /v1/locations': 'legal.read',
  'POST /v1/locations': 'locations.manage',
  'GET /v1/locations/:id': 'legal.read',
  'PUT /v1/locations/:id': 'locations.manage',
  'DELETE /v1/locations/:id': 'locations.manage',
  // Referrals → Business profiles (issue 5): reading, managing (edit, publish, logo), deleting.
  'GET /v1/businessprofiles': 'businessprofile.read',
  'GET /v1/businessprofiles/options': 'businessprofile.read',
  'POST /v1/businessprofiles': 'businessprofile.manage',
  'GET /v1/businessprofiles/:id': 'businessprofile.read',
  'PUT /v1/businessprofiles/:id': 'businessprofile.manage',
  'DELETE /v1/businessprofiles/:id': 'businessprofile.delete',
  'POST /v1/businessprofiles/:id/publish': 'businessprofile.manage',
  'POST /v1/businessprofiles/:id/unpublish': 'businessprofile.manage',
  'GET /v1/businessprofiles/:id/logo': 'businessprofile.read',
  'GET /v1/businessprofiles/:id/preview': 'businessprofile.read',
  'PUT /v1/businessprofiles/:id/logo': 'businessprofile.manage',
  'DELETE /v1/businessprofiles/:id/logo': 'businessprofile.manage',
  // The public "Find a partner" directory (issue 5): no sign-in.
  'GET /v1/directory/partners': 'public',
  'GET /v1/directory/partners/:id': 'public',
  'GET /v1/directory/partners/:id/logo': 'public',
  // "Contact this partner" (public, rate-limited) and the leads inbox (issue 5).
  'POST /v1/directory/partners/:id/contact': 'public',
  'GET /v1/referrals': 'referrals.read',
  'GET /v1/referrals/export': 'referrals.read',
  'GET /v1/referrals/members': 'referrals.manage',
  'GET /v1/referrals/:id': 'referrals.read',
  'PATCH /v1/referrals/:id': 'referrals.update',
  // Sell → Catalog (issue 6): browsing needs pricing.read, pins catalog.manage.
  'GET /v1/catalog/offers': 'pricing.read',
  'GET /v1/catalog/categories': 'pricing.read',
  'GET /v1/catalog/offers/:id': 'pricing.read',
  'GET /v1/catalog/pins': 'pricing.read',
  'PUT /v1/catalog/pins': 'catalog.manage',
  // Pricing and offers (issue 6): partners read with pricing.read; the operator manages promotions.
  'GET /v1/pricelists': 'pricing.read',
  'GET /v1/pricelists/markets': 'pricing.read',
  'GET /v1/pricelists/months': 'pricing.read',
  'GET /v1/pricelists/changes': 'pricing.read',
  'GET /v1/pricelists/facets': 'pricing.read',
  'GET /v1/pricelists/download': 'pricing.read',
  'GET /v1/pricelists/price': 'pricing.read',
  'GET /v1/promotions': 'pricing.read',
  'GET /v1/operator/promotions': 'operator.catalog',
  'POST /v1/operator/promotions': 'operator.catalog',
  'GET /v1/operator/promotions/:id': 'operator.catalog',
  'PUT /v1/operator/promotions/:id': 'operator.catalog',
  'DELETE /v1/operator/promotions/:id': 'operator.catalog',
  // The operator's imports (issue 6): price lists by market and month, the offer matrix.
  'POST /v1/operator/pricelists/imports': 'operator.catalog',
  'GET /v1/operator/pricelists/imports/:id': 'operator.catalog',
  'GET /v1/operator/pricelists/versions': 'operator.catalog',
  'POST /v1/operator/offers/imports': 'operator.catalog',
  'GET /v1/operator/offers/imports': 'operator.catalog',
  'GET /v1/operator/offers/imports/:id': 'operator.catalog',
  'GET /v1/account/checklist': 'account.read',
  'POST /v1/apps/token': 'public',
  'GET /v1/apps': 'apps.manage',
  'POST /v1/apps': 'apps.manage',
  'GET /v1/apps/:id': 'apps.manage',
  'PATCH /v1/apps/:id': 'apps.manage',
  'DELETE /v1/apps/:id': 'apps.manage',
  'POST /v1/apps/:id/secrets': 'apps.manage',
  'DELETE /v1/apps/:id/secrets/:secretId': 'apps.manage',
  'POST /v1/passwordresets': 'public',
  'POST /v1/passwordresets/confirm': 'public',
  'GET /v1/account/security': 'security.manage',
  'PATCH /v1/account/security': 'security.manage',
  'POST /v1/operator/sessions': 'public',
  'DELETE /v1/operator/sessions/current': 'operator.session',
  'GET /v1/operator/me': 'operator.session',
  'GET /v1/operator/partners': 'operator.partners.read',
  'GET /v1/operator/partners/:id/auditchain': 'operator.partners.read',
  'GET /v1/operator/reviews/verifications': 'operator.reviews',
  'GET /v1/operator/reviews/verifications/:partnerId': 'operator.reviews',
  'POST /v1/operator/reviews/verifications/:partnerId/approve': 'operator.reviews',
  'POST /v1/operator/reviews/verifications/:partnerId/reject': 'operator.reviews',
  'GET /v1/operator/partners/:id/documents/:documentId': 'operator.reviews',
};

/** The smallest valid PNG (1×1), as a supporting document. */
const PNG_BYTES = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const LOCATION = {
  name: 'Routes location',
  address: { addressLine1: '1 Main Street', city: 'Dublin', postalCode: 'D02 X285', country: 'IE' },
  contact: { firstName: 'Ada', lastName: 'Byron', email: 'ada.byron@routes.example' },
};

/** A valid request body for the guarded write routes, so the answer is about authorization, not input. */
const PAYLOADS: Record<string, object> = {
  'PATCH /v1/me': { locale: 'en' },
  'POST /v1/users': { firstName: 'Ada', lastName: 'Lovelace', email: 'ada.lovelace@routes.example', roles: [] },
  'PATCH /v1/users/:id': { firstName: 'Ada' },
  'POST /v1/me/password': { currentPassword: 'x', newPassword: 'y' },
  'PATCH /v1/account/security': { selfServicePasswordReset: true },
  'POST /v1/apps': { name: 'Routes app', roles: ['helpdesk-agent'] },
  'PATCH /v1/apps/:id': { name: 'Routes app' },
  'POST /v1/sessions/current/mfa': { code: '123456' },
  'POST /v1/me/mfa/totp/verify': { code: '123456' },
  'PUT /v1/users/:id/mfa': { state: 'enabled' },
  'POST /v1/roles': { name: 'Routes role', permissions: [] },
  'PATCH /v1/roles/:id': { name: 'Routes role' },
  'POST /v1/taxprofiles': { country: 'FR', taxExempt: false },
  'PUT /v1/taxprofiles/:id': { taxExempt: true },
  'POST /v1/taxexemptions': { country: 'FR', certificateNumber: 'ROUTES-1' },
  'POST /v1/sessions/current/reauth': { password: 'x' },
  'POST /v1/bankprofiles': { name: 'Routes bank', bankCountry: 'FR', paymentMethod: 'sepa', iban: 'FR7630006000011234567890189', bic: 'BNPAFRPP', accountHolderName: 'Routes SAS' },
  'PATCH /v1/bankprofiles/:id': { name: 'Routes bank' },
  'PUT /v1/payoutassignments': { scopeType: 'programme', scopeId: 'reseller', bankProfileId: null, taxProfileId: null },
  'POST /v1/operator/reviews/taxexemptions/:id/reject': { reason: 'Routes' },
  'POST /v1/operator/reviews/bankprofiles/:id/reject': { reason: 'Routes' },
  'PUT /v1/profiles/legalbusiness': {
    companyName: 'Alpine Ski House CANARY-A',
    address: { addressLine1: '1 rue de la République', city: 'Lyon', postalCode: '69001', country: 'FR' },
    primaryContact: { firstName: 'Jeanne', lastName: 'Dupont', email: 'jeanne.dupont@routes.example' },
  },
  'PUT /v1/profiles/billing': {
    address: { addressLine1: '1 rue de la République', city: 'Lyon', postalCode: '69001', country: 'FR' },
    contact: { firstName: 'Jeanne', lastName: 'Dupont', email: 'jeanne.dupont@routes.example' },
  },
  'PUT /v1/profiles/organization': { language: 'fr' },
  'PUT /v1/profiles/support': { email: 'support@routes.example', telephone: '+33 4 72 00 00 00', website: 'https://routes.example' },
  'PUT /v1/profiles/securitycontact': { firstName: 'Ada', lastName: 'Lovelace', email: 'security@routes.example', phoneNumber: '+33 4 72 00 00 00' },
  'POST /v1/operator/reviews/verifications/:partnerId/reject': { reason: 'Routes test' },
  'POST /v1/locations': LOCATION,
  'PUT /v1/locations/:id': LOCATION,
  'PUT /v1/catalog/pins': { offerIds: [] },
};

let t: TestApp;
let a: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let b: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let op: Awaited<ReturnType<typeof operatorSession>>;

beforeAll(async () => {
  t = await createTestApp();
  a = await enrolVerifiedPartner(t, { companyName: 'Alpine Ski House CANARY-A' });
  b = await enrolVerifiedPartner(t, {
    companyName: 'Wide World Importers CANARY-B',
    address: { addressLine1: 'Rue Neuve 1', city: 'Bruxelles', postalCode: '1000', country: 'BE' },
    website: 'https://canary-b.example',
  });
  op = await operatorSession(t);
  // An API app of partner A, so the /v1/apps/:id routes have something to find.
  const app = await t.app.inject({ method: 'POST', url: '/v1/apps', headers: a.auth, payload: { name: 'Routes app', roles: ['helpdesk-agent'] } });
  PATH_IDS['/v1/apps/:id'] = (app.json() as { id: string }).id;
  // A supporting document of partner A's legal business profile, so its download route has something to find.
  const doc = await t.app.inject({ method: 'POST', url: '/v1/profiles/legalbusiness/documents?filename=routes.png', headers: { ...a.auth, 'content-type': 'image/png' }, payload: PNG_BYTES });
  PATH_IDS['/v1/profiles/legalbusiness/documents/:id'] = (doc.json() as { id: string }).id;
  // A location of partner A, so the /v1/locations/:id routes have something to find.
  const location = await t.app.inject({ method: 'POST', url: '/v1/locations', headers: a.auth, payload: LOCATION });
  PATH_IDS['/v1/locations/:id'] = (location.json() as { id: string }).id;
  // A business profile of partner A with a logo, so the /v1/businessprofiles/:id routes have something to find.
  const bp = await t.app.inject({ method: 'POST', url: '/v1/businessprofiles', headers: a.auth, payload: { country: 'FR' } });
  const bpId = (bp.json() as { id: string }).id;
  const logo = await sharp({ create: { width: 240, height: 240, channels: 3, background: '#0a5' } }).png().toBuffer();
  await t.app.inject({ method: 'PUT', url: `/v1/businessprofiles/${bpId}/logo`, headers: { ...a.auth, 'content-type': 'image/png' }, payload: logo });
  for (const p of ['', '/publish', '/unpublish', '/logo', '/preview']) PATH_IDS[`/v1/businessprofiles/:id${p}`] = bpId;
  // An offer of the (global) catalog, so GET /v1/catalog/offers/:id has something to find.
  PATH_IDS['/v1/catalog/offers/:id'] = (await insertOffers(t.db, [{ productId: 'ROUTES0OFFER', skuId: '0001', productTitle: 'Routes offer' }]))[0]!;
  // A lead of partner A, so GET /v1/referrals/:id has something to find.
  PATH_IDS['/v1/referrals/:id'] = await insertLeadFixture(t.db, a.partnerId, t.clock.now());
  // A French price list, so the /v1/pricelists routes (called with QUERIES) have something to find.
  await seedMarket(t.db, t.clock.now());
  // Partner A's payout and tax objects: a bank profile (after re-authenticating), a tax profile, a tax exemption with a document.
  await t.app.inject({ method: 'POST', url: '/v1/sessions/current/reauth', headers: a.auth, payload: { password: a.body.password } });
  const bank = await t.app.inject({ method: 'POST', url: '/v1/bankprofiles', headers: a.auth, payload: PAYLOADS['POST /v1/bankprofiles'] });
  PATH_IDS['/v1/bankprofiles/:id'] = (bank.json() as { id: string }).id;
  const tax = await t.app.inject({ method: 'POST', url: '/v1/taxprofiles', headers: a.auth, payload: { country: 'DE', taxExempt: false } });
  PATH_IDS['/v1/taxprofiles/:id'] = (tax.json() as { id: string }).id;
  const exemption = await t.app.inject({ method: 'POST', url: '/v1/taxexemptions', headers: a.auth, payload: { country: 'DE', certificateNumber: 'ROUTES-0' } });
  const exemptionId = (exemption.json() as { id: string }).id;
  PATH_IDS['/v1/taxexemptions/:id'] = exemptionId;
  PATH_IDS['/v1/taxexemptions/:id/documents'] = exemptionId;
  const taxDoc = await t.app.inject({ method: 'POST', url: `/v1/taxexemptions/${exemptionId}/documents?filename=routes.png`, headers: { ...a.auth, 'content-type': 'image/png' }, payload: PNG_BYTES });
  PATH_IDS['/v1/taxexemptions/:id/documents/:documentId'] = exemptionId;
  PATH_IDS['/v1/taxexemptions/:id/documents/:documentId#documentId'] = (taxDoc.json() as { documents: { id: string }[] }).documents[0]!.id;
});
afterAll(async () => t?.close());

const key = (r: Pick<GuardedRoute, 'method' | 'url'>) => `${r.method} ${r.url}`;
/** Routes whose :id is not a user: the id to call them with. */
const PATH_IDS: Record<string, string> = { '/v1/roles/:id': 'global-admin' };
const guarded = () => t.routes.filter((r) => !r.public);
const isOperatorRoute = (r: GuardedRoute) => r.url.startsWith('/v1/operator/');
/** The query string a GET route needs to answer 200 (required parameters). */
const QUERIES: Record<string, string> = {
  'GET /v1/pricelists': '?market=FR',
  'GET /v1/pricelists/months': '?market=FR',
  'GET /v1/pricelists/changes': '?market=FR',
  'GET /v1/pricelists/facets': '?market=FR',
  'GET /v1/pricelists/download': '?market=FR',
  'GET /v1/pricelists/price': '?market=FR&skuId=0001&termDuration=P1Y&billingPlan=Annual',
};
const call = (r: GuardedRoute, headers: Record<string, string> = {}) =>
  // Path parameters name the caller's own user, so an allowed call can succeed.
  t.app.inject({ method: r.method as 'GET', url: r.url.replace(':id', PATH_IDS[r.url] ?? a.userId).replace(':documentId', PATH_IDS[`${r.url}#documentId`] ?? a.userId) + (QUERIES[key(r)] ?? ''), headers, ...(PAYLOADS[key(r)] ? { payload: PAYLOADS[key(r)] } : {}) });

describe('the route table', () => {
  it('lists exactly the reviewed routes, each with its permission or public', () => {
    const actual = Object.fromEntries(t.routes.map((r) => [key(r), r.public ? 'public' : r.permission]));
    expect(actual).toEqual(EXPECTED);
    expect(t.routes).toHaveLength(Object.keys(EXPECTED).length);
  });

  it('every declared permission is a known one, and public routes declare none', () => {
    for (const r of t.routes) {
      if (r.public) expect(r.permission, key(r)).toBeNull();
      else expect(isPermission(r.permission ?? ''), key(r)).toBe(true);
    }
  });

  it('every route the server answers is in the guarded table, except the API documentation', () => {
    // Fastify's own listing of everything registered, guarded or not.
    const tree = t.app.printRoutes({ commonPrefix: false }).split('\n');
    const parents: string[] = [];
    const served: string[] = [];
    for (const line of tree) {
      const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?) \(([^)]+)\)$/.exec(line);
      if (!m) continue;
      const depth = m[1]!.length / 4;
      const path = (parents[depth - 1] ?? '') + m[2]!;
      parents[depth] = path;
      for (const method of m[3]!.split(', ')) if (method !== 'HEAD' && method !== 'OPTIONS') served.push(`${method} ${path}`);
    }
    expect(served.length).toBeGreaterThan(Object.keys(EXPECTED).length);
    const unguarded = served.filter((s) => !(s in EXPECTED));
    const allowed = (s: string) => s === 'GET /openapi.json' || /^GET \/docs(\/|\*|$)/.test(s);
    expect(unguarded.filter((s) => !allowed(s))).toEqual([]);
    // And everything in the table is really served.
    for (const k of Object.keys(EXPECTED)) expect(served, k).toContain(k);
  });
});

describe('deny by default', () => {
  it.each(Object.keys(EXPECTED).filter((k) => EXPECTED[k] !== 'public'))('%s without a session → 401 UNAUTHENTICATED', async (k) => {
    const r = t.routes.find((x) => key(x) === k)!;
    const res = await call(r);
    expect(res.statusCode).toBe(401);
    expectErrorShape(res.json(), 'UNAUTHENTICATED');
  });

  it('authorization comes before validation: an anonymous write with a bad body gets 401, and a forbidden one 403, not 400', async () => {
    const anon = await t.app.inject({ method: 'PATCH', url: '/v1/me', payload: { locale: 'de', junk: 1 } });
    expect(anon.statusCode).toBe(401);
    const forbidden = await t.app.inject({ method: 'GET', url: '/v1/operator/partners?size=100000', headers: a.auth });
    expect(forbidden.statusCode).toBe(403);
  });

  it('every operator route (except sign-in) → 403 FORBIDDEN to a partner Global admin', async () => {
    const routes = guarded().filter(isOperatorRoute);
    expect(routes.length).toBeGreaterThanOrEqual(3);
    for (const r of routes) {
      const res = await call(r, a.auth);
      expect(res.statusCode, key(r)).toBe(403);
      expect(res.json().code, key(r)).toBe('FORBIDDEN');
    }
    // The refused sign-out did not end the admin's session.
    expect((await t.app.inject({ method: 'GET', url: '/v1/me', headers: a.auth })).statusCode).toBe(200);
  });

  it('every partner route → 403 FORBIDDEN to an operator', async () => {
    const routes = guarded().filter((r) => !isOperatorRoute(r));
    expect(routes.length).toBeGreaterThanOrEqual(4);
    for (const r of routes) {
      const res = await call(r, op.auth);
      expect(res.statusCode, key(r)).toBe(403);
      expect(res.json().code, key(r)).toBe('FORBIDDEN');
    }
    expect((await t.app.inject({ method: 'GET', url: '/v1/operator/me', headers: op.auth })).statusCode).toBe(200);
  });

  it('a partner Global admin is allowed on every partner route', async () => {
    for (const r of guarded().filter((x) => !isOperatorRoute(x) && x.method === 'GET')) {
      const res = await call(r, a.auth);
      expect(res.statusCode, key(r)).toBe(200);
    }
  });

  it('the partner session cookie is not read on operator routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/operator/me', headers: { cookie: a.cookie } });
    expect(res.statusCode).toBe(401);
  });

  it('a tenant cannot be chosen by the client: an unknown query parameter or header changes nothing', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/profiles/legalbusiness', headers: { ...a.auth, 'x-partner-id': b.partnerId, 'x-tenant-id': b.partnerId } });
    expect(res.statusCode).toBe(200);
    expect(res.json().companyName).toBe('Alpine Ski House CANARY-A');
  });
});

describe('another partner’s data is never visible', () => {
  it.each([
    ['A', () => a, () => b, 'Alpine Ski House CANARY-A', 'CANARY-B'],
    ['B', () => b, () => a, 'Wide World Importers CANARY-B', 'CANARY-A'],
  ])('partner %s’s admin sees only its own company', async (_n, self, other, ownName, foreignCanary) => {
    const me = await t.app.inject({ method: 'GET', url: '/v1/me', headers: self().auth });
    expect(me.statusCode).toBe(200);
    expect(me.json().partner).toMatchObject({ id: self().partnerId, companyName: ownName });
    const profile = await t.app.inject({ method: 'GET', url: '/v1/profiles/legalbusiness', headers: self().auth });
    expect(profile.statusCode).toBe(200);
    expect(profile.json().companyName).toBe(ownName);
    for (const body of [me.body, profile.body]) {
      expect(body).not.toContain(foreignCanary);
      expect(body).not.toContain(other().partnerId);
      expect(body).not.toContain(other().userId);
      expect(body).not.toContain(other().body.email);
    }
  });

  it('the legal business profile returns what was enrolled', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/profiles/legalbusiness', headers: b.auth });
    expect(res.json()).toMatchObject({
      companyName: 'Wide World Importers CANARY-B',
      address: { addressLine1: 'Rue Neuve 1', city: 'Bruxelles', postalCode: '1000', country: 'BE' },
      primaryContact: b.body.primaryContact,
      website: 'https://canary-b.example',
      country: 'BE',
      currency: 'EUR',
      vettingStatus: 'pending_verification',
      enrolledAt: t.clock.now().toISOString(),
    });
  });
});

describe('route declarations are enforced at start-up', () => {
  async function boot(register: (app: ReturnType<typeof Fastify>) => void) {
    const app = Fastify({ logger: false });
    const table: GuardedRoute[] = [];
    try {
      await app.register(async (scope) => {
        enforceRouteDeclarations(scope, table);
        register(scope);
      });
      await app.ready();
      return table;
    } finally {
      await app.close().catch(() => undefined);
    }
  }
  const ok = async () => 'ok';

  it('a route that declares neither a permission nor public stops the start', async () => {
    await expect(boot((app) => app.get('/v1/forgotten', ok))).rejects.toThrow(/declares no permission and is not public/);
    await expect(boot((app) => app.post('/v1/forgotten', { config: {} }, ok))).rejects.toThrow(/refusing to start/);
    await expect(boot((app) => app.get('/v1/forgotten', { config: { public: false } }, ok))).rejects.toThrow(/declares no permission/);
  });

  it('an unknown permission string stops the start', async () => {
    await expect(boot((app) => app.get('/v1/x', { config: { permission: 'partners.everything' as never } }, ok))).rejects.toThrow(/unknown permission partners\.everything/);
  });

  it('public together with a permission stops the start', async () => {
    await expect(boot((app) => app.get('/v1/x', { config: { public: true, permission: 'account.read' } }, ok))).rejects.toThrow(/both public and a permission/);
  });

  it('declared routes start and are listed with their permission (HEAD is not listed)', async () => {
    const table = await boot((app) => {
      app.get('/v1/a', { config: { permission: 'account.read' } }, ok);
      app.route({ method: ['GET', 'POST'], url: '/v1/b', config: { public: true }, handler: ok });
    });
    expect(table).toEqual([
      { method: 'GET', url: '/v1/a', permission: 'account.read', public: false },
      { method: 'GET', url: '/v1/b', permission: null, public: true },
      { method: 'POST', url: '/v1/b', permission: null, public: true },
    ]);
  });
});
