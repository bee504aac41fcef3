import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuardedRoute } from '../../src/server/core/http';
import { BUILT_IN_ROLES } from '../../src/server/modules/roles/catalogue';
import { insertOffers } from '../support/catalog-fixtures';
import { insertLeadFixture } from '../support/lead-fixtures';
import { createTestApp, enrolVerifiedPartner, mailCount, operatorSession, signIn, type TestApp } from '../support/harness';

/**
 * The authorization matrix: every guarded route (from the server's own route table, so a
 * new route is in the matrix as soon as it exists) against every kind of principal —
 * one user per built-in role, the default user (no role), a user holding a custom role,
 * two API apps and an operator.
 *
 * - A call the principal's permissions allow never gets 403 (nor a 5xx, nor a 401 other
 *   than the MFA step-up). Path parameters name nothing and write bodies are `{}`, so an
 *   allowed call answers 400/404/409…: the guard runs before validation.
 * - A call they do not allow gets 403 FORBIDDEN.
 * - Another partner's object, named in the path, gets 404 NOT_FOUND and is left as it was.
 */

type Headers = Record<string, string>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The users' own password: long, common-list-free, and sharing no word with their names, emails or company. */
const PASSPHRASE = 'amber kestrel crosses the quiet harbour tonight';

/** Every partner user holds these (the implicit default-user role), whatever their roles. */
const DEFAULT_PERMISSIONS = ['account.read', 'me.update'];

/**
 * What an API app never holds, whatever its roles: the default user's "me" permissions
 * (an app has no profile, password or sessions of its own) and `apps.manage` (no app
 * mints credentials). This is the rule of src/server/modules/auth/session-resolver.ts
 * (NOT_FOR_APPS), written here independently so the test is a second opinion, not a copy:
 * an app's expected set = the permissions of its roles, as `GET /v1/roles` reports them, minus these.
 */
const NOT_FOR_APPS = new Set([...DEFAULT_PERMISSIONS, 'apps.manage']);

/**
 * Routes that serve people only (the handler calls `requireUser`): an API app is refused
 * 403 FORBIDDEN even when its roles grant the declared permission. Routes whose permission
 * an app can never hold (account.read, me.update, apps.manage) need no entry: the guard
 * already refuses them. The Global-admin app below holds every other permission, so each
 * entry is exercised: a stale entry (the route now serves apps) shows as a mismatch.
 *
 * The refusal comes from the handler, after validation, so the app sends a valid body
 * (`{}` would get 400 first and prove nothing).
 */
const PEOPLE_ONLY: Record<string, { why: string; body?: object }> = {
  'GET /v1/account/security': { why: 'company security settings are a Global admin’s, in person' },
  'PATCH /v1/account/security': { why: 'company security settings are a Global admin’s, in person', body: { selfServicePasswordReset: true } },
  'POST /v1/roles': { why: 'custom roles are built by people', body: { name: 'Built by an app', permissions: ['audit.read'] } },
  'PATCH /v1/roles/:id': { why: 'custom roles are changed by people', body: { name: 'Renamed by an app' } },
  'DELETE /v1/roles/:id': { why: 'custom roles are deleted by people' },
  'PUT /v1/users/:id/mfa': { why: 'a user’s MFA requirement is set by a Global admin in person', body: { state: 'enabled' } },
  'DELETE /v1/users/:id/mfa': { why: 'a user’s MFA is reset by a Global admin in person' },
  // Bank details change only after a person re-enters their password (an app has none).
  'POST /v1/bankprofiles': { why: 'bank details are changed by a person who has just re-authenticated', body: { name: 'By an app', bankCountry: 'FR', paymentMethod: 'sepa', iban: 'FR7630006000011234567890189', bic: 'BNPAFRPP', accountHolderName: 'App' } },
  'PATCH /v1/bankprofiles/:id': { why: 'bank details are changed by a person who has just re-authenticated', body: { name: 'By an app' } },
  'DELETE /v1/bankprofiles/:id': { why: 'bank details are deleted by a person who has just re-authenticated' },
};

/** Path parameters that are not UUIDs: a well-formed id that names nothing. Others get a random UUID. */
const MISSING_IDS: Record<string, string> = { '/v1/roles/:id': 'custom-00000000-0000-4000-8000-000000000000', '/v1/catalog/offers/:id': 'MATRIX0NONE0:0001' };

/**
 * Partner routes whose path parameter names a SHARED object, owned by no partner: a catalog
 * offer is the operator's (one offer matrix for everyone), so there is no "partner B's offer"
 * to hide and a cross-tenant 404 would be wrong. Instead (test "shared objects" below): both
 * companies' admins get the same object, and the answer shows only the caller's own state
 * (the offer's pin position is the caller's company's). `params` names the shared object.
 */
const SHARED_OBJECTS: Record<string, { why: string; params: () => Record<string, string> }> = {
  'GET /v1/catalog/offers/:id': { why: 'catalog offers are the operator’s, the same for every partner', params: () => ({ id: SHARED_OFFER_ID }) },
};
const SHARED_OFFER_ID = 'MATRIX0OFFER:0001';

/** The objects a cross-tenant call names: partner B's (expect 404), or partner A's own (the control). */
interface Objects {
  userId: string;
  invitedUserId: string;
  roleId: string;
  appId: string;
  secretId: string;
  sessionId: string;
  notificationId: string;
  /** A supporting document of the legal business profile (set after the others). */
  legalDocumentId?: string;
  locationId: string;
  /** Payout and tax objects (set after the others): a bank profile, a tax profile, a tax exemption and its document. */
  bankProfileId?: string;
  taxProfileId?: string;
  taxExemptionId?: string;
  taxDocumentId?: string;
  /** A lead in the company's Referrals inbox (set after the others). */
  leadId?: string;
  /** A publishable business profile (set after the others). */
  businessProfileId?: string;
}

interface Fixture {
  params: (o: Objects) => Record<string, string>;
  /** A valid body, so that the answer is about ownership, not input (the control run proves it valid). */
  body?: object;
  /** Extra request headers (If-Match for the ETag-guarded writes). */
  headers?: Headers;
}

/** A minimal PDF (a supporting document of a tax exemption). */
const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** A 216×216 PNG: the smallest logo a business profile accepts. */
const LOGO_PNG_216 =
  'iVBORw0KGgoAAAANSUhEUgAAANgAAADYCAMAAAC+/t3fAAAAA1BMVEUAqlXok8zCAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAARElEQVR42u3BAQ0AAADCoPdPbQ43oAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAHgytxgAAZOs5boAAAAASUVORK5CYII=';

/** A business profile ready to publish (a description and a lead contact); answers its id. */
async function businessProfileOf(auth: Headers): Promise<string> {
  const body = { country: 'SE', description: { en: 'Matrix profile' }, leadContact: { name: 'Greta Lind', email: 'greta.lind@fabrikam.example' } };
  const res = await t.app.inject({ method: 'POST', url: '/v1/businessprofiles', headers: auth, payload: body });
  if (res.statusCode !== 201) throw new Error(`business profile: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}

/** A valid location (for the cross-tenant location fixtures). */
const LOCATION = {
  name: 'Matrix location',
  address: { addressLine1: 'Kungsgatan 1', city: 'Stockholm', postalCode: '111 43', country: 'SE' },
  contact: { firstName: 'Greta', lastName: 'Lind', email: 'greta.lind@fabrikam.example' },
};

/**
 * Every guarded partner route with a path parameter: how to name the other partner's
 * object, and a valid body. A route with a path parameter and no entry fails the suite.
 * The order is the order of the calls: deletions last for each kind of object.
 */
const CROSS_TENANT: Record<string, Fixture> = {
  'GET /v1/roles/:id': { params: (o) => ({ id: o.roleId }) },
  'PATCH /v1/roles/:id': { params: (o) => ({ id: o.roleId }), body: { name: 'Renamed by another company', permissions: ['audit.read', 'users.read'] } },
  'DELETE /v1/roles/:id': { params: (o) => ({ id: o.roleId }) },
  'DELETE /v1/me/sessions/:id': { params: (o) => ({ id: o.sessionId }) },
  'GET /v1/users/:id': { params: (o) => ({ id: o.userId }) },
  'PATCH /v1/users/:id': { params: (o) => ({ id: o.userId }), body: { firstName: 'Mallory', roles: ['helpdesk-agent'] } },
  'POST /v1/users/:id/resetpassword': { params: (o) => ({ id: o.userId }) },
  'POST /v1/users/:id/invitation': { params: (o) => ({ id: o.invitedUserId }) },
  'PUT /v1/users/:id/mfa': { params: (o) => ({ id: o.userId }), body: { state: 'enabled' } },
  'DELETE /v1/users/:id/mfa': { params: (o) => ({ id: o.userId }) },
  'DELETE /v1/users/:id': { params: (o) => ({ id: o.userId }) },
  'GET /v1/apps/:id': { params: (o) => ({ id: o.appId }) },
  'PATCH /v1/apps/:id': { params: (o) => ({ id: o.appId }), body: { name: 'Renamed by another company' } },
  'POST /v1/apps/:id/secrets': { params: (o) => ({ id: o.appId }), body: { expiresInDays: 30 } },
  'DELETE /v1/apps/:id/secrets/:secretId': { params: (o) => ({ id: o.appId, secretId: o.secretId }) },
  'DELETE /v1/apps/:id': { params: (o) => ({ id: o.appId }) },
  'POST /v1/notifications/:id/read': { params: (o) => ({ id: o.notificationId }) },
  'GET /v1/profiles/legalbusiness/documents/:id': { params: (o) => ({ id: o.legalDocumentId! }) },
  // A new location is at version 1; the control run's PUT makes it 2, which its DELETE then names.
  'GET /v1/locations/:id': { params: (o) => ({ id: o.locationId }) },
  'PUT /v1/locations/:id': { params: (o) => ({ id: o.locationId }), headers: { 'if-match': 'W/"1"' }, body: { name: 'Renamed by another company', address: LOCATION.address, contact: LOCATION.contact } },
  'DELETE /v1/locations/:id': { params: (o) => ({ id: o.locationId }), headers: { 'if-match': 'W/"2"' } },
  // Payout and tax: new profiles are at version 1; the control run's PATCH/PUT makes them 2, which DELETE then names.
  'GET /v1/bankprofiles/:id': { params: (o) => ({ id: o.bankProfileId! }) },
  'PATCH /v1/bankprofiles/:id': { params: (o) => ({ id: o.bankProfileId! }), headers: { 'if-match': 'W/"1"' }, body: { name: 'Renamed by another company' } },
  'DELETE /v1/bankprofiles/:id': { params: (o) => ({ id: o.bankProfileId! }), headers: { 'if-match': 'W/"2"' } },
  'GET /v1/taxprofiles/:id': { params: (o) => ({ id: o.taxProfileId! }) },
  'PUT /v1/taxprofiles/:id': { params: (o) => ({ id: o.taxProfileId! }), headers: { 'if-match': 'W/"1"' }, body: { taxExempt: true } },
  'GET /v1/taxexemptions/:id': { params: (o) => ({ id: o.taxExemptionId! }) },
  'POST /v1/taxexemptions/:id/documents': { params: (o) => ({ id: o.taxExemptionId! }), headers: { 'content-type': 'application/pdf' }, body: PDF_BYTES },
  'GET /v1/taxexemptions/:id/documents/:documentId': { params: (o) => ({ id: o.taxExemptionId!, documentId: o.taxDocumentId! }) },
  // Leads: a new lead is at version 1; adding a note is a valid change on one's own lead.
  'GET /v1/referrals/:id': { params: (o) => ({ id: o.leadId! }) },
  'PATCH /v1/referrals/:id': { params: (o) => ({ id: o.leadId! }), headers: { 'if-match': 'W/"1"' }, body: { note: 'Written by another company' } },
  // Business profiles: a new one is at version 1 (PUT names it); publish, unpublish and the logo follow; deletion last.
  'GET /v1/businessprofiles/:id': { params: (o) => ({ id: o.businessProfileId! }) },
  'PUT /v1/businessprofiles/:id': { params: (o) => ({ id: o.businessProfileId! }), headers: { 'if-match': 'W/"1"' }, body: { skills: ['Changed by another company'] } },
  'POST /v1/businessprofiles/:id/publish': { params: (o) => ({ id: o.businessProfileId! }) },
  'POST /v1/businessprofiles/:id/unpublish': { params: (o) => ({ id: o.businessProfileId! }) },
  'PUT /v1/businessprofiles/:id/logo': { params: (o) => ({ id: o.businessProfileId! }), headers: { 'content-type': 'image/png' }, body: Buffer.from(LOGO_PNG_216, 'base64') },
  'GET /v1/businessprofiles/:id/logo': { params: (o) => ({ id: o.businessProfileId! }) },
  'GET /v1/businessprofiles/:id/preview': { params: (o) => ({ id: o.businessProfileId! }) },
  'DELETE /v1/businessprofiles/:id/logo': { params: (o) => ({ id: o.businessProfileId! }) },
  'DELETE /v1/businessprofiles/:id': { params: (o) => ({ id: o.businessProfileId! }) },
};

interface Principal {
  name: string;
  kind: 'user' | 'app' | 'operator';
  headers: Headers;
  /** The permissions the server should enforce for this principal. */
  permissions: ReadonlySet<string>;
}

interface RoleView {
  id: string;
  name: string;
  builtIn: boolean;
  assignable: boolean;
  permissions: string[];
}

let t: TestApp;
let a: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let b: Awaited<ReturnType<typeof enrolVerifiedPartner>>;
let roles: RoleView[];
const principals: Principal[] = [];
let theirs: Objects;
let mine: Objects;
/** Partner B's objects as B's admin sees them, and the secrets that prove they still work. */
let bUser: { email: string; password: string };
let bInvitedEmail: string;
let bAppCredentials: { clientId: string; secret: string };

const key = (r: Pick<GuardedRoute, 'method' | 'url'>) => `${r.method} ${r.url}`;

/** A notification of a company, written as the services that announce outcomes write them. */
async function notificationFor(partnerId: string): Promise<string> {
  const id = randomUUID();
  await t.db.insertInto('notifications').values({ id, partner_id: partnerId, kind: 'test.matrix', params: '{}', link: null, created_at: t.clock.now() }).execute();
  return id;
}
/** A supporting document of a company's legal business profile ("Fix now"), uploaded by its admin. */
async function legalDocumentOf(admin: Headers): Promise<string> {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
  const res = await t.app.inject({ method: 'POST', url: '/v1/profiles/legalbusiness/documents?filename=matrix.png', headers: { ...admin, 'content-type': 'image/png' }, payload: png });
  if (res.statusCode !== 201) throw new Error(`document upload: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}
/**
 * A company's payout and tax objects, made by its Global admin (who re-authenticates, as bank
 * edits need): a SEPA bank profile, the FR tax profile, a tax exemption with one PDF.
 */
async function payoutObjectsOf(admin: { auth: Headers; password: string }) {
  await ok('POST', '/v1/sessions/current/reauth', admin.auth, { password: admin.password });
  const bank = await ok<{ id: string }>('POST', '/v1/bankprofiles', admin.auth, { name: 'Matrix bank', bankCountry: 'FR', paymentMethod: 'sepa', iban: 'FR7630006000011234567890189', bic: 'BNPAFRPP', accountHolderName: 'Matrix SAS' });
  const tax = await ok<{ id: string }>('POST', '/v1/taxprofiles', admin.auth, { country: 'FR', taxExempt: false });
  const exemption = await ok<{ id: string }>('POST', '/v1/taxexemptions', admin.auth, { country: 'FR', certificateNumber: 'MATRIX-1' });
  const doc = await t.app.inject({ method: 'POST', url: `/v1/taxexemptions/${exemption.id}/documents?filename=matrix.pdf`, headers: { ...admin.auth, 'content-type': 'application/pdf' }, payload: PDF_BYTES });
  if (doc.statusCode !== 201) throw new Error(`tax document upload: ${doc.statusCode} ${doc.body}`);
  return { bankProfileId: bank.id, taxProfileId: tax.id, taxExemptionId: exemption.id, taxDocumentId: (doc.json() as { documents: { id: string }[] }).documents[0]!.id };
}
const isOperatorRoute = (r: GuardedRoute) => r.url.startsWith('/v1/operator/');
const guarded = () => t.routes.filter((r) => !r.public);
const partnerRoutesWithParams = () => guarded().filter((r) => !isOperatorRoute(r) && /:\w+/.test(r.url));

const call = (method: string, url: string, headers: Headers, payload?: object) =>
  t.app.inject({ method: method as Method, url, headers, ...(payload !== undefined ? { payload } : {}) });

async function ok<T>(method: Method, url: string, headers: Headers, payload?: object, status = [200, 201, 204]): Promise<T> {
  const res = await call(method, url, headers, payload);
  if (!status.includes(res.statusCode)) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return (res.body ? res.json() : null) as T;
}

let n = 0;
/**
 * A user of the partner whose admin is `admin`, holding `roleIds`, signed in with a password
 * they chose (the temporary one must be replaced first).
 */
async function newUser(admin: Headers, roleIds: string[], label: string) {
  n += 1;
  const email = `${label}.${n}.${randomUUID().slice(0, 6)}@fabrikam.example`;
  const created = await ok<{ id: string; temporaryPassword: string }>('POST', '/v1/users', admin, { firstName: 'Matrix', lastName: label, email, roles: roleIds });
  const first = await signIn(t, email, created.temporaryPassword);
  await ok('POST', '/v1/me/password', first.auth, { currentPassword: created.temporaryPassword, newPassword: PASSPHRASE });
  const session = await signIn(t, email, PASSPHRASE);
  return { id: created.id, email, password: PASSPHRASE, auth: session.auth };
}

/** An API app with `roleIds`, and a bearer token from the client-credentials exchange. */
async function newApp(admin: Headers, roleIds: string[], name: string) {
  const created = await ok<{ id: string; clientId: string; secret: { id: string; secret: string } }>('POST', '/v1/apps', admin, { name, roles: roleIds });
  const token = await ok<{ accessToken: string }>('POST', '/v1/apps/token', {}, { clientId: created.clientId, clientSecret: created.secret.secret });
  return { id: created.id, clientId: created.clientId, secretId: created.secret.id, secret: created.secret.secret, auth: { authorization: `Bearer ${token.accessToken}` } };
}

/** The current session's id, as `GET /v1/me/sessions` lists it. */
async function currentSessionId(auth: Headers) {
  const list = await ok<{ items: { id: string; current: boolean }[] }>('GET', '/v1/me/sessions', auth);
  return list.items.find((s) => s.current)!.id;
}

const permissionsOf = (roleIds: string[]) => roleIds.flatMap((id) => roles.find((r) => r.id === id)!.permissions);

beforeAll(async () => {
  t = await createTestApp();
  [a, b] = await Promise.all([enrolVerifiedPartner(t), enrolVerifiedPartner(t)]);

  // What the server enforces: the roles and their permissions, as data.
  roles = (await ok<{ items: RoleView[] }>('GET', '/v1/roles', a.auth)).items;

  // Partner A: a custom role, then one user per assignable built-in role, the default user and a custom-role user.
  const custom = await ok<RoleView>('POST', '/v1/roles', a.auth, { name: 'Matrix auditors', permissions: ['audit.read', 'users.read'] });
  roles.push(custom);
  const assignable = roles.filter((r) => r.builtIn && r.assignable);
  const users = await Promise.all([
    ...assignable.map(async (r) => ({ name: r.id, roleIds: [r.id], user: await newUser(a.auth, [r.id], r.id) })),
    (async () => ({ name: 'default-user (no role)', roleIds: [] as string[], user: await newUser(a.auth, [], 'default') }))(),
    (async () => ({ name: 'custom role (audit.read, users.read)', roleIds: [custom.id], user: await newUser(a.auth, [custom.id], 'custom') }))(),
  ]);
  for (const u of users) {
    principals.push({ name: `user: ${u.name}`, kind: 'user', headers: u.user.auth, permissions: new Set([...DEFAULT_PERMISSIONS, ...permissionsOf(u.roleIds)]) });
  }
  for (const roleId of ['user-management-admin', 'global-admin']) {
    const app = await newApp(a.auth, [roleId], `Matrix app ${roleId}`);
    principals.push({ name: `app: ${roleId}`, kind: 'app', headers: app.auth, permissions: new Set(permissionsOf([roleId]).filter((p) => !NOT_FOR_APPS.has(p))) });
  }
  const op = await operatorSession(t);
  const opMe = await ok<{ permissions: string[] }>('GET', '/v1/operator/me', op.auth);
  principals.push({ name: 'operator', kind: 'operator', headers: op.auth, permissions: new Set(opMe.permissions) });

  // Partner B's objects, made by B's Global admin: a user who signs in, an invited user,
  // a custom role, an app with a secret, and B's admin's own session.
  const bu = await newUser(b.auth, ['helpdesk-agent'], 'bravo');
  bUser = { email: bu.email, password: bu.password };
  bInvitedEmail = `bravo.invited.${randomUUID().slice(0, 6)}@fabrikam.example`;
  const invited = await ok<{ id: string }>('POST', '/v1/users', b.auth, { firstName: 'Invited', lastName: 'Bravo', email: bInvitedEmail, roles: [], invite: true });
  const bRole = await ok<RoleView>('POST', '/v1/roles', b.auth, { name: 'Bravo auditors', permissions: ['audit.read'] });
  const bApp = await ok<{ id: string; clientId: string; secret: { id: string; secret: string } }>('POST', '/v1/apps', b.auth, { name: 'Bravo sync', roles: ['helpdesk-agent'] });
  bAppCredentials = { clientId: bApp.clientId, secret: bApp.secret.secret };
  theirs = { userId: bu.id, invitedUserId: invited.id, roleId: bRole.id, appId: bApp.id, secretId: bApp.secret.id, sessionId: await currentSessionId(b.auth), notificationId: await notificationFor(b.partnerId), locationId: (await ok<{ id: string }>('POST', '/v1/locations', b.auth, LOCATION)).id };
  theirs.legalDocumentId = await legalDocumentOf(b.auth);
  Object.assign(theirs, await payoutObjectsOf({ auth: b.auth, password: b.body.password }));
  theirs.leadId = await insertLeadFixture(t.db, b.partnerId, t.clock.now());
  theirs.businessProfileId = await businessProfileOf(b.auth);

  // Partner A's own counterparts, for the control run (the same calls on one's own objects succeed).
  const au = await newUser(a.auth, ['helpdesk-agent'], 'alpha');
  const aInvited = await ok<{ id: string }>('POST', '/v1/users', a.auth, { firstName: 'Invited', lastName: 'Alpha', email: `alpha.invited.${randomUUID().slice(0, 6)}@fabrikam.example`, roles: [], invite: true });
  const aRole = await ok<RoleView>('POST', '/v1/roles', a.auth, { name: 'Alpha auditors', permissions: ['audit.read'] });
  const aApp = await ok<{ id: string; secret: { id: string } }>('POST', '/v1/apps', a.auth, { name: 'Alpha sync', roles: ['helpdesk-agent'] });
  // A second session of A's admin, to be ended by the control run (the first one carries on).
  const second = await signIn(t, a.body.email, a.body.password);
  mine = { userId: au.id, invitedUserId: aInvited.id, roleId: aRole.id, appId: aApp.id, secretId: aApp.secret.id, sessionId: await currentSessionId(second.auth), notificationId: await notificationFor(a.partnerId), locationId: (await ok<{ id: string }>('POST', '/v1/locations', a.auth, LOCATION)).id };
  mine.legalDocumentId = await legalDocumentOf(a.auth);
  Object.assign(mine, await payoutObjectsOf({ auth: a.auth, password: a.body.password }));
  mine.leadId = await insertLeadFixture(t.db, a.partnerId, t.clock.now());
  mine.businessProfileId = await businessProfileOf(a.auth);
  // The shared catalog offer (offers are global, written by the operator's import).
  await insertOffers(t.db, [{ productId: 'MATRIX0OFFER', skuId: '0001', productTitle: 'Matrix offer' }]);
});
afterAll(async () => t?.close());

/** Does the server owe `p` access to route `r`? The declared permission, and the people-only list for apps. */
function allowed(p: Principal, r: GuardedRoute): boolean {
  if (!r.permission || !p.permissions.has(r.permission)) return false;
  return !(p.kind === 'app' && key(r) in PEOPLE_ONLY);
}

/** The URL with every path parameter naming nothing: a random UUID, or a well-formed id for non-UUID parameters. */
const matrixUrl = (r: GuardedRoute) => r.url.replace(/:(\w+)/g, (_m, name: string) => (name === 'id' && MISSING_IDS[r.url]) || randomUUID());

/** A call that ends the caller's own session (sign-out): run after every other call of that principal. */
const endsOwnSession = (r: GuardedRoute) => r.method === 'DELETE' && /\/sessions\/current$/.test(r.url);

describe('the authorization matrix', () => {
  it('covers every built-in role of the catalogue, the default user, a custom role, API apps and an operator', () => {
    const builtIn = roles.filter((r) => r.builtIn).map((r) => r.id).sort();
    expect(builtIn).toEqual(BUILT_IN_ROLES.map((r) => r.id).sort());
    for (const r of roles.filter((x) => x.builtIn && x.assignable)) expect(principals.map((p) => p.name)).toContain(`user: ${r.id}`);
    expect(roles.find((r) => r.id === 'default-user')?.assignable).toBe(false);
    expect(principals.filter((p) => p.kind === 'app')).toHaveLength(2);
    expect(principals.filter((p) => p.kind === 'operator')).toHaveLength(1);
    // The people-only list names real routes.
    const keys = guarded().map(key);
    for (const k of Object.keys(PEOPLE_ONLY)) expect(keys, k).toContain(k);
  });

  it('every guarded route × every principal: an allowed call never gets 403 (nor 5xx), a forbidden one gets 403 FORBIDDEN', async () => {
    const routes = guarded();
    const mismatches: string[] = [];
    const allowedTo = new Map<string, number>();
    const refusedTo = new Map<string, number>();
    let calls = 0;
    let allowedCalls = 0;
    for (const p of principals) {
      // Sign-out last, so every other call runs with a live session.
      const ordered = [...routes].sort((x, y) => Number(endsOwnSession(x) && allowed(p, x)) - Number(endsOwnSession(y) && allowed(p, y)));
      for (const r of ordered) {
        const expectAllowed = allowed(p, r);
        const peopleOnly = p.kind === 'app' ? PEOPLE_ONLY[key(r)] : undefined;
        const res = await call(r.method, matrixUrl(r), p.headers, r.method === 'GET' ? undefined : (peopleOnly?.body ?? {}));
        calls += 1;
        let code: unknown;
        try {
          code = (res.json() as { code?: unknown }).code;
        } catch {
          code = undefined;
        }
        const tally = expectAllowed ? allowedTo : refusedTo;
        tally.set(key(r), (tally.get(key(r)) ?? 0) + 1);
        const what = `${p.name} → ${key(r)} [${r.permission}]: ${res.statusCode} ${String(code ?? '')}`;
        if (expectAllowed) {
          allowedCalls += 1;
          // 401 only for the MFA step-up (a second factor, not a missing permission); anything else means the session broke.
          if (res.statusCode === 403 || res.statusCode >= 500 || (res.statusCode === 401 && code !== 'MFA_REQUIRED')) mismatches.push(`${what}, expected allowed`);
        } else if (res.statusCode !== 403 || code !== 'FORBIDDEN') {
          mismatches.push(`${what}, expected 403 FORBIDDEN`);
        }
      }
    }
    console.log(
      `authorization matrix: ${routes.length} routes × ${principals.length} principals = ${calls} calls, ${mismatches.length} mismatches` +
        ` (${allowedCalls} allowed, ${calls - allowedCalls} forbidden)`,
    );
    expect(mismatches).toEqual([]);
    expect(calls).toBe(routes.length * principals.length);
    // The matrix means something: every route is allowed to someone and refused to someone.
    for (const r of routes) {
      expect(allowedTo.get(key(r)) ?? 0, `${key(r)} allowed to nobody`).toBeGreaterThan(0);
      expect(refusedTo.get(key(r)) ?? 0, `${key(r)} refused to nobody`).toBeGreaterThan(0);
    }
    // Thousands of calls (every route × every principal): give it room on a busy 2-core machine.
  }, 180_000);
});

describe('another partner’s objects', () => {
  const urlFor = (r: GuardedRoute, o: Objects) => {
    const params = CROSS_TENANT[key(r)]!.params(o);
    return r.url.replace(/:(\w+)/g, (_m, name: string) => {
      const v = params[name];
      if (!v) throw new Error(`cross-tenant fixture ${key(r)} gives no value for :${name}`);
      return v;
    });
  };
  /** The routes in the fixture's order (deletions last). */
  const ordered = () => {
    const routes = partnerRoutesWithParams();
    return Object.keys(CROSS_TENANT).map((k) => routes.find((r) => key(r) === k)).filter((r): r is GuardedRoute => !!r);
  };

  it('every guarded partner route with a path parameter has a cross-tenant fixture', () => {
    const routes = partnerRoutesWithParams();
    expect(routes.length).toBeGreaterThan(0);
    const missing = routes.filter((r) => !(key(r) in CROSS_TENANT) && !(key(r) in SHARED_OBJECTS)).map((r) => `route ${key(r)} has a path parameter but no cross-tenant fixture`);
    for (const k of Object.keys(SHARED_OBJECTS)) {
      if (!routes.some((r) => key(r) === k)) missing.push(`shared-object entry ${k} names no guarded partner route with a path parameter`);
      if (k in CROSS_TENANT) missing.push(`${k} is both a tenant's object and a shared one`);
    }
    const stale = Object.keys(CROSS_TENANT)
      .filter((k) => !routes.some((r) => key(r) === k))
      .map((k) => `cross-tenant fixture ${k} names no guarded partner route with a path parameter`);
    expect([...missing, ...stale]).toEqual([]);
  });

  it('a Global admin naming another partner’s user, role, app, secret or session gets 404 NOT_FOUND, and that partner’s objects are unchanged', async () => {
    const snapshot = async () => ({
      user: await ok('GET', `/v1/users/${theirs.userId}`, b.auth),
      invited: await ok('GET', `/v1/users/${theirs.invitedUserId}`, b.auth),
      role: await ok('GET', `/v1/roles/${theirs.roleId}`, b.auth),
      app: await ok('GET', `/v1/apps/${theirs.appId}`, b.auth),
      location: await ok('GET', `/v1/locations/${theirs.locationId}`, b.auth),
      lead: await ok('GET', `/v1/referrals/${theirs.leadId}`, b.auth),
      businessProfile: await ok('GET', `/v1/businessprofiles/${theirs.businessProfileId}`, b.auth),
      sessions: (await ok<{ items: { id: string }[] }>('GET', '/v1/me/sessions', b.auth)).items.map((s) => s.id).sort(),
      auditRecords: Number(
        (await t.db.selectFrom('audit_records').select((eb) => eb.fn.countAll<number>().as('n')).where('partner_id', '=', b.partnerId).executeTakeFirstOrThrow()).n,
      ),
      invitationMails: mailCount(t, bInvitedEmail),
    });
    const before = await snapshot();

    const routes = ordered();
    const mismatches: string[] = [];
    for (const r of routes) {
      const res = await call(r.method, urlFor(r, theirs), { ...a.auth, ...CROSS_TENANT[key(r)]!.headers }, CROSS_TENANT[key(r)]!.body);
      const code = res.statusCode < 500 && res.body ? (res.json() as { code?: string }).code : undefined;
      if (res.statusCode !== 404 || code !== 'NOT_FOUND') mismatches.push(`${key(r)} with partner B's ids: ${res.statusCode} ${code ?? res.body}`);
    }
    // An own app with another partner's secret id is not found either.
    const ownApp = await ok<{ id: string }>('POST', '/v1/apps', a.auth, { name: 'Alpha mixed', roles: ['helpdesk-agent'] });
    const mixed = await call('DELETE', `/v1/apps/${ownApp.id}/secrets/${theirs.secretId}`, a.auth);
    if (mixed.statusCode !== 404) mismatches.push(`DELETE /v1/apps/<A's app>/secrets/<B's secret>: ${mixed.statusCode}`);
    console.log(`cross-tenant: ${routes.length} routes with a path parameter, called by partner A's Global admin with partner B's ids = ${routes.length + 1} calls, ${mismatches.length} not 404 NOT_FOUND`);
    expect(mismatches).toEqual([]);

    // Nothing of B's changed, nothing was written to B's activity log, no invitation was sent.
    expect(await snapshot()).toEqual(before);
    // B's user still signs in with their password, without a new MFA requirement.
    const signin = await call('POST', '/v1/sessions', {}, { email: bUser.email, password: bUser.password });
    expect(signin.statusCode, signin.body).toBe(201);
    expect(signin.json()).toMatchObject({ mfaRequired: false });
    // B's app still exchanges its secret for a token, and B's admin's session still works.
    expect((await call('POST', '/v1/apps/token', {}, { clientId: bAppCredentials.clientId, clientSecret: bAppCredentials.secret })).statusCode).toBe(200);
    expect((await call('GET', '/v1/me', b.auth)).statusCode).toBe(200);
  });

  it('the same calls, with the same bodies, succeed on the caller’s own objects (so the 404s are about ownership, not input)', async () => {
    const failures: string[] = [];
    for (const r of ordered()) {
      const res = await call(r.method, urlFor(r, mine), { ...a.auth, ...CROSS_TENANT[key(r)]!.headers }, CROSS_TENANT[key(r)]!.body);
      if (res.statusCode < 200 || res.statusCode > 299) failures.push(`${key(r)} on partner A's own object: ${res.statusCode} ${res.body}`);
    }
    expect(failures).toEqual([]);
  });

  it('another partner’s custom role cannot be assigned: 400 UNKNOWN_ROLE, and it is not listed', async () => {
    const attempts: [Method, string, object][] = [
      ['POST', '/v1/users', { firstName: 'Eve', lastName: 'Cross', email: `eve.${randomUUID().slice(0, 6)}@fabrikam.example`, roles: [theirs.roleId] }],
      ['POST', '/v1/apps', { name: 'Cross app', roles: [theirs.roleId] }],
      ['PATCH', `/v1/users/${a.userId}`, { roles: ['global-admin', theirs.roleId] }],
    ];
    for (const [method, url, payload] of attempts) {
      const res = await call(method, url, a.auth, payload);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(400);
      expect(res.json().code).toBe('UNKNOWN_ROLE');
    }
    const list = await ok<{ items: RoleView[] }>('GET', '/v1/roles', a.auth);
    expect(list.items.map((r) => r.id)).not.toContain(theirs.roleId);
    expect((await ok<{ roles: string[] }>('GET', `/v1/users/${a.userId}`, a.auth)).roles).toEqual(['global-admin']);
  });
});

describe('shared objects (owned by no partner)', () => {
  it('both companies’ admins get the same shared object, each with only their own company’s state', async () => {
    // Partner A pins the shared offer; B must see the offer, but not A's pin.
    await ok('PUT', '/v1/catalog/pins', a.auth, { offerIds: [SHARED_OFFER_ID] });
    for (const [k, entry] of Object.entries(SHARED_OBJECTS)) {
      const url = k.split(' ')[1]!.replace(/:(\w+)/g, (_m, name: string) => entry.params()[name]!);
      const [ofA, ofB] = await Promise.all([ok<Record<string, unknown>>('GET', url, a.auth), ok<Record<string, unknown>>('GET', url, b.auth)]);
      const { pinned: pinnedA, pinPosition: posA, ...restA } = ofA;
      const { pinned: pinnedB, pinPosition: posB, ...restB } = ofB;
      expect(restB, `${k} (${entry.why})`).toEqual(restA);
      expect([pinnedA, posA, pinnedB, posB]).toEqual([true, 1, false, null]);
      expect(JSON.stringify(ofB)).not.toContain(a.partnerId);
    }
    await ok('PUT', '/v1/catalog/pins', a.auth, { offerIds: [] });
  });
});

describe('an allowed call on a real object', () => {
  it('an API app with users.manage resends the invitation of a user whose roles it holds (204, not 403), and not of one whose roles it lacks', async () => {
    // The app holds User management admin's permissions but, as every app, not the default user's.
    const app = await newApp(a.auth, ['user-management-admin'], 'Matrix inviter');
    const invite = async (roleIds: string[]) =>
      ok<{ id: string }>('POST', '/v1/users', a.auth, { firstName: 'Invited', lastName: 'Matrix', email: `invited.${randomUUID().slice(0, 8)}@fabrikam.example`, roles: roleIds, invite: true });
    const manageable = await invite(['user-management-admin']);
    const res = await call('POST', `/v1/users/${manageable.id}/invitation`, app.auth);
    expect(res.statusCode, res.body).toBe(204);
    // Anti-escalation still holds: Referrals user grants referrals.read, which the app lacks.
    const beyond = await invite(['referrals-user']);
    const refused = await call('POST', `/v1/users/${beyond.id}/invitation`, app.auth);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('ROLE_ESCALATION');
  });
});
