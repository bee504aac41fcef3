import { sql } from 'kysely';
import type { Db } from '../../db/database';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so reads stay reads. */
export const LAST_SEEN_RESOLUTION_MS = 60 * 1000;

export interface NewSession {
  tokenHash: string;
  kind: 'user' | 'operator';
  userId?: string;
  partnerId?: string;
  operatorId?: string;
  csrfToken: string;
  mfaPassed: boolean;
  /** A second factor still due before the session may do anything else. */
  mfaPending?: 'challenge' | 'register' | null;
  ip: string | null;
  userAgent: string | null;
  now: Date;
  /** Shorter than the absolute timeout for a session that still owes its second factor. */
  ttlMs?: number;
}

export async function insertSession(db: Db, s: NewSession): Promise<Date> {
  const expiresAt = new Date(s.now.getTime() + (s.ttlMs ?? ABSOLUTE_TIMEOUT_MS));
  await db
    .insertInto('sessions')
    .values({
      token_hash: s.tokenHash,
      principal_kind: s.kind,
      user_id: s.userId ?? null,
      partner_id: s.partnerId ?? null,
      operator_id: s.operatorId ?? null,
      csrf_token: s.csrfToken,
      mfa_passed: s.mfaPassed,
      mfa_pending: s.mfaPending ?? null,
      ip: s.ip,
      user_agent: s.userAgent?.slice(0, 512) ?? null,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: expiresAt,
    })
    .execute();
  return expiresAt;
}

/** One round trip: the session, its user, the partner, role ids and the union of role permissions. */
export function findUserSession(db: Db, tokenHash: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('partners as p', 'p.id', 's.partner_id')
    .where('s.token_hash', '=', tokenHash)
    .where('s.principal_kind', '=', 'user')
    .select([
      's.token_hash', 's.csrf_token', 's.mfa_passed', 's.mfa_pending', 's.created_at', 's.last_seen_at', 's.expires_at', 's.partner_id',
      'u.id as user_id', 'u.email', 'u.first_name', 'u.last_name', 'u.locale', 'u.status as user_status', 'u.must_change_password',
      sql<string[]>`array(select ur.role_id from user_roles ur where ur.partner_id = s.partner_id and ur.user_id = u.id order by ur.role_id)`.as('roles'),
      sql<string[]>`array(select distinct perm from user_roles ur join roles r on r.id = ur.role_id, unnest(r.permissions) perm where ur.partner_id = s.partner_id and ur.user_id = u.id)`.as('permissions'),
    ])
    .executeTakeFirst();
}

export function findOperatorSession(db: Db, tokenHash: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('operators as o', 'o.id', 's.operator_id')
    .where('s.token_hash', '=', tokenHash)
    .where('s.principal_kind', '=', 'operator')
    .select([
      's.token_hash', 's.csrf_token', 's.mfa_passed', 's.created_at', 's.last_seen_at', 's.expires_at',
      'o.id as operator_id', 'o.email', 'o.display_name', 'o.locale',
    ])
    .executeTakeFirst();
}

/** An API app's token: the app (active only), its role ids and the union of their permissions. */
export function findAppSession(db: Db, tokenHash: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('api_apps as a', (j) => j.onRef('a.id', '=', 's.app_id').onRef('a.partner_id', '=', 's.partner_id'))
    .where('s.token_hash', '=', tokenHash)
    .where('s.principal_kind', '=', 'app')
    .where('a.status', '=', 'active')
    .select([
      's.created_at', 's.last_seen_at', 's.expires_at', 's.partner_id', 'a.id as app_id', 'a.name',
      sql<string[]>`array(select ar.role_id from api_app_roles ar where ar.partner_id = s.partner_id and ar.app_id = a.id order by ar.role_id)`.as('roles'),
      sql<string[]>`array(select distinct perm from api_app_roles ar join roles r on r.id = ar.role_id, unnest(r.permissions) perm where ar.partner_id = s.partner_id and ar.app_id = a.id)`.as('permissions'),
    ])
    .executeTakeFirst();
}

export async function findSessionKind(db: Db, tokenHash: string) {
  const row = await db.selectFrom('sessions').select('principal_kind').where('token_hash', '=', tokenHash).executeTakeFirst();
  return row?.principal_kind;
}

export async function touchSession(db: Db, tokenHash: string, now: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}
