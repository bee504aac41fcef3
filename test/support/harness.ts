import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import pg from 'pg';
import { expect, inject } from 'vitest';
import { buildApp } from '../../src/server/app';
import { loadConfig, type Config } from '../../src/server/core/config';
import { createMailer } from '../../src/server/core/mailer';
import { openDatabase, type DatabaseHandle } from '../../src/server/db/database';
import { createOperator } from '../../src/server/modules/operators/operators.service';
import { codeFrom, startSmtp } from './smtp';
import { currentTotp } from '../../src/server/modules/mfa/totp';

const TEMPLATE_DB = 'ps_test_template';

/** A fresh, migrated database for one test file: PGlite by default, PostgreSQL with TEST_DATABASE_URL. */
export async function freshDatabase(): Promise<DatabaseHandle & { engine: string }> {
  const adminUrl = process.env.TEST_DATABASE_URL ? inject('pgAdminUrl') : undefined;
  if (adminUrl) {
    const name = `ps_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name} template ${TEMPLATE_DB}`);
    await admin.end();
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    const h = await openDatabase({ databaseUrl: u.toString(), poolSize: 4 });
    return {
      ...h,
      engine: 'postgres',
      close: async () => {
        await h.close();
        const a = new pg.Client({ connectionString: adminUrl });
        await a.connect();
        await a.query(`drop database if exists ${name} with (force)`);
        await a.end();
      },
    };
  }
  const dump = readFileSync(inject('pgliteDump'));
  const h = await openDatabase({ inMemory: true, loadDataDir: new Blob([dump]) });
  return { ...h, engine: 'pglite' };
}

export interface TestAppOptions {
  config?: Partial<Config>;
  /** Extra routes inside the guarded scope (to exercise the guard on a route the product does not have yet). */
  plugins?: FastifyPluginAsync[];
}

/**
 * The real application on a fresh database, a real SMTP server on loopback, and a
 * clock the test can move.
 */
export async function createTestApp(opts: TestAppOptions = {}) {
  const handle = await freshDatabase();
  const smtp = await startSmtp();
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-data-'));
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, SMTP_URL: smtp.url, PUBLIC_URL: 'http://localhost:3000' }, {
    logLevel: 'silent',
    authRateLimitPerMinute: 1000,
    loginFailuresPerIp: 1000,
    sessionCacheMs: 0,
    serveWeb: false,
    ...opts.config,
  });
  let now = new Date('2026-11-24T09:00:00Z');
  const clock = {
    now: () => now,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
  const mailer = createMailer({ smtpUrl: config.smtpUrl, dataDir, from: config.mailFrom });
  const built = await buildApp({ config, db: handle.db, dbKind: handle.kind, mailer, clock: clock.now }, { logger: false, plugins: opts.plugins ?? [] });
  await built.app.ready();
  return {
    ...built,
    db: handle.db,
    engine: handle.engine,
    config,
    smtp,
    clock,
    async close() {
      await built.app.close();
      mailer.close();
      await smtp.close();
      await handle.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

let counter = 0;
/** A valid enrolment body; override any field. Each call gets a unique company and email. */
export function enrolmentBody(overrides: Record<string, unknown> = {}) {
  counter += 1;
  const n = `${process.pid}-${counter}-${randomUUID().slice(0, 6)}`;
  return {
    companyName: `Fabrikam Conseil ${n}`,
    address: { addressLine1: '1 rue de la République', city: 'Lyon', postalCode: '69001', country: 'FR' },
    primaryContact: { firstName: 'Jeanne', lastName: 'Dupont', email: `jeanne.dupont.${n}@fabrikam.example` },
    email: `jeanne.dupont.${n}@fabrikam.example`,
    password: 'violet tramway sur la colline 1987',
    phone: '+33 4 72 00 00 00',
    website: 'https://fabrikam.example',
    ...overrides,
  };
}

/**
 * Enrol a company, read the code from the mail, verify it and sign in.
 *
 * New companies require MFA (the product default, tested in mfa.test.ts). Most suites are
 * about something else, so this switches the requirement off for the company before the
 * first sign-in, unless `{ mfaRequired: true }` is passed.
 */
export async function enrolVerifiedPartner(t: TestApp, overrides: Record<string, unknown> = {}, opts: { mfaRequired?: boolean } = {}) {
  const body = enrolmentBody(overrides);
  const res = await t.app.inject({ method: 'POST', url: '/v1/enrollment', payload: body });
  if (res.statusCode !== 201) throw new Error(`enrolment failed: ${res.statusCode} ${res.body}`);
  const enrolled = res.json() as { partner: { id: string }; user: { id: string } };
  const code = codeFrom(await t.smtp.waitFor(body.email));
  const v = await t.app.inject({ method: 'POST', url: '/v1/enrollment/verify', payload: { email: body.email, code } });
  if (v.statusCode !== 200) throw new Error(`verification failed: ${v.statusCode} ${v.body}`);
  if (!opts.mfaRequired) await t.db.updateTable('partners').set({ mfa_required: false }).where('id', '=', enrolled.partner.id).execute();
  const session = await signIn(t, body.email, body.password);
  return { body, partnerId: enrolled.partner.id, userId: enrolled.user.id, ...session };
}

/** The authenticator apps of the test users: email → TOTP secret, as registered through the API. */
export const authenticators = new Map<string, string>();

/**
 * Sign in with email and password and, when a second factor is due, present it as the
 * user would: register an authenticator app (its secret is kept in `authenticators`) or
 * enter the current code from the one registered.
 */
export async function signIn(t: TestApp, email: string, password: string, opts: { completeMfa?: boolean } = {}) {
  const res = await t.app.inject({ method: 'POST', url: '/v1/sessions', payload: { email, password } });
  if (res.statusCode !== 201) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const s = res.json() as { token: string; csrfToken: string; mfaRequired: boolean; mfaRegistrationRequired: boolean };
  const cookie = res.cookies.find((c) => c.name === '__Host-sid');
  const auth = { authorization: `Bearer ${s.token}` };
  if (s.mfaRequired && opts.completeMfa !== false) {
    if (s.mfaRegistrationRequired) await registerAuthenticator(t, email, auth);
    else {
      const secret = authenticators.get(email.toLowerCase());
      if (!secret) throw new Error(`no authenticator registered by this harness for ${email}`);
      // A code works once: move to the next 30-second step, as a person would wait for the next code.
      t.clock.advance(30_000);
      const r = await t.app.inject({ method: 'POST', url: '/v1/sessions/current/mfa', headers: auth, payload: { code: currentTotp(secret, t.clock.now()) } });
      if (r.statusCode !== 200) throw new Error(`MFA challenge failed: ${r.statusCode} ${r.body}`);
    }
  }
  return { token: s.token, csrfToken: s.csrfToken, cookie: `__Host-sid=${cookie?.value ?? ''}`, auth, mfaRequired: s.mfaRequired, mfaRegistrationRequired: s.mfaRegistrationRequired };
}

/** Register an authenticator app for the signed-in user; answers its secret and the recovery codes. */
export async function registerAuthenticator(t: TestApp, email: string, auth: Record<string, string>) {
  const start = await t.app.inject({ method: 'POST', url: '/v1/me/mfa/totp', headers: auth });
  if (start.statusCode !== 200) throw new Error(`MFA registration failed: ${start.statusCode} ${start.body}`);
  const { secret } = start.json() as { secret: string };
  const v = await t.app.inject({ method: 'POST', url: '/v1/me/mfa/totp/verify', headers: auth, payload: { code: currentTotp(secret, t.clock.now()) } });
  if (v.statusCode !== 200) throw new Error(`MFA verification failed: ${v.statusCode} ${v.body}`);
  authenticators.set(email.toLowerCase(), secret);
  return { secret, recoveryCodes: (v.json() as { recoveryCodes: string[] }).recoveryCodes };
}

/** Create an operator directly (as the CLI does) and sign in. */
export async function operatorSession(t: TestApp) {
  const email = `op-${randomUUID().slice(0, 8)}@operator.example`;
  const op = await t.db.transaction().execute((tx) => createOperator(tx, t.config.secrets.pepper, { email, displayName: 'Test operator' }));
  const res = await t.app.inject({ method: 'POST', url: '/v1/operator/sessions', payload: { email, password: op.password } });
  if (res.statusCode !== 201) throw new Error(`operator sign-in failed: ${res.statusCode} ${res.body}`);
  const s = res.json() as { token: string; csrfToken: string };
  return { id: op.id, email, password: op.password, token: s.token, csrfToken: s.csrfToken, auth: { authorization: `Bearer ${s.token}` } };
}

export async function count(t: TestApp, table: 'partners' | 'users' | 'user_roles' | 'sessions' | 'email_verifications' | 'audit_records') {
  const r = await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** How many mails `address` has received so far (pass it to `waitForNewMail`). */
export function mailCount(t: TestApp, address: string): number {
  const want = address.toLowerCase();
  return t.smtp.inbox.filter((m) => m.to.includes(want)).length;
}

/** The first mail to `address` after the first `seen` ones, waiting for it to arrive. */
export async function waitForNewMail(t: TestApp, address: string, seen: number, ms = 5000) {
  const want = address.toLowerCase();
  const deadline = Date.now() + ms;
  for (;;) {
    const mails = t.smtp.inbox.filter((m) => m.to.includes(want));
    if (mails.length > seen) return mails[seen]!;
    if (Date.now() > deadline) throw new Error(`no new mail to ${address} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export type CountedTable = 'partners' | 'users' | 'user_roles' | 'sessions' | 'email_verifications' | 'audit_records';

/** Row counts of the tables a request could write to; compare before and after a refused request. */
export async function counts(t: TestApp, tables: CountedTable[] = ['partners', 'users', 'user_roles', 'sessions', 'email_verifications', 'audit_records']) {
  const out: Partial<Record<CountedTable, number>> = {};
  for (const table of tables) out[table] = await count(t, table);
  return out;
}

/** Every error body is `{code, message, details, requestId}` and nothing else (no stack, no internals). */
export function expectErrorShape(body: unknown, code?: string): void {
  expect(body).toBeTypeOf('object');
  const b = body as Record<string, unknown>;
  expect(Object.keys(b).sort()).toEqual(['code', 'details', 'message', 'requestId']);
  expect(b.message).toBeTypeOf('string');
  expect(Array.isArray(b.details)).toBe(true);
  if (code) expect(b.code).toBe(code);
}
