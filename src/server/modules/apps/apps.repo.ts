import { sql } from 'kysely';
import type { Db } from '../../db/database';

const appColumns = [
  'a.id', 'a.partner_id', 'a.name', 'a.client_id', 'a.status', 'a.created_at', 'a.updated_at',
  sql<string[]>`array(select ar.role_id from api_app_roles ar where ar.partner_id = a.partner_id and ar.app_id = a.id order by ar.role_id)`.as('roles'),
] as const;

/** The apps of a partner, by name. */
export function listApps(db: Db, partnerId: string) {
  return db.selectFrom('api_apps as a').select(appColumns).where('a.partner_id', '=', partnerId).orderBy(sql`lower(a.name)`).orderBy('a.id').execute();
}

export function findApp(db: Db, partnerId: string, appId: string, opts: { forUpdate?: boolean } = {}) {
  const q = db.selectFrom('api_apps as a').select(appColumns).where('a.partner_id', '=', partnerId).where('a.id', '=', appId);
  return (opts.forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

export type AppRow = NonNullable<Awaited<ReturnType<typeof findApp>>>;

/** Secrets of some apps (never their hash), oldest first. */
export function listSecrets(db: Db, partnerId: string, appIds: string[]) {
  if (!appIds.length) return Promise.resolve([]);
  return db
    .selectFrom('api_app_secrets')
    .select(['id', 'app_id', 'hint', 'created_at', 'expires_at'])
    .where('partner_id', '=', partnerId)
    .where('app_id', 'in', appIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export type SecretRow = Awaited<ReturnType<typeof listSecrets>>[number];

export async function insertApp(db: Db, a: { id: string; partnerId: string; name: string; clientId: string; now: Date }): Promise<void> {
  await db.insertInto('api_apps').values({ id: a.id, partner_id: a.partnerId, name: a.name, client_id: a.clientId, created_at: a.now, updated_at: a.now }).execute();
}

export async function replaceAppRoles(db: Db, partnerId: string, appId: string, roles: { id: string; category: string }[]): Promise<void> {
  await db.deleteFrom('api_app_roles').where('partner_id', '=', partnerId).where('app_id', '=', appId).execute();
  if (roles.length) {
    await db.insertInto('api_app_roles').values(roles.map((r) => ({ partner_id: partnerId, app_id: appId, role_id: r.id, category: r.category }))).execute();
  }
}

export async function insertSecret(db: Db, s: { id: string; partnerId: string; appId: string; secretHash: string; hint: string; now: Date; expiresAt: Date }): Promise<void> {
  await db
    .insertInto('api_app_secrets')
    .values({ id: s.id, partner_id: s.partnerId, app_id: s.appId, secret_hash: s.secretHash, hint: s.hint, created_at: s.now, expires_at: s.expiresAt })
    .execute();
}

export async function countLiveSecrets(db: Db, partnerId: string, appId: string, now: Date): Promise<number> {
  const r = await db
    .selectFrom('api_app_secrets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('partner_id', '=', partnerId)
    .where('app_id', '=', appId)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Delete one secret; its tokens go with it (cascade). Returns the deleted secret, if any. */
export function deleteSecret(db: Db, partnerId: string, appId: string, secretId: string) {
  return db
    .deleteFrom('api_app_secrets')
    .where('partner_id', '=', partnerId)
    .where('app_id', '=', appId)
    .where('id', '=', secretId)
    .returning(['id', 'hint'])
    .executeTakeFirst();
}

/** End every live token of an app. */
export async function deleteAppTokens(db: Db, partnerId: string, appId: string): Promise<void> {
  await db.deleteFrom('sessions').where('principal_kind', '=', 'app').where('partner_id', '=', partnerId).where('app_id', '=', appId).execute();
}

/** Token exchange: the app by its client id, and the secret matching the presented one, if any. */
export async function findCredentials(db: Db, clientId: string, secretHash: string) {
  const app = await db.selectFrom('api_apps').select(['id', 'partner_id', 'status']).where('client_id', '=', clientId).executeTakeFirst();
  if (!app) return undefined;
  const secret = await db
    .selectFrom('api_app_secrets')
    .select(['id', 'expires_at'])
    .where('app_id', '=', app.id)
    .where('secret_hash', '=', secretHash)
    .executeTakeFirst();
  return { app, secret };
}

export async function insertAppToken(db: Db, t: { tokenHash: string; partnerId: string; appId: string; secretId: string; ip: string | null; userAgent: string | null; now: Date; expiresAt: Date }): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      token_hash: t.tokenHash,
      principal_kind: 'app',
      user_id: null,
      operator_id: null,
      partner_id: t.partnerId,
      app_id: t.appId,
      app_secret_id: t.secretId,
      csrf_token: '',
      mfa_passed: true,
      mfa_pending: null,
      ip: t.ip,
      user_agent: t.userAgent?.slice(0, 512) ?? null,
      created_at: t.now,
      last_seen_at: t.now,
      expires_at: t.expiresAt,
    })
    .execute();
}
