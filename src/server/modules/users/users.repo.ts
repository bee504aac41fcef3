import { sql } from 'kysely';
import type { Db } from '../../db/database';

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export interface NewUser {
  id: string;
  partnerId: string;
  email: string;
  firstName: string;
  lastName: string;
  passwordHash: string;
  emailVerified: boolean;
  locale: 'fr' | 'en' | null;
  now: Date;
}

export async function insertUser(db: Db, u: NewUser): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: u.id,
      partner_id: u.partnerId,
      email: u.email.trim(),
      email_key: emailKey(u.email),
      first_name: u.firstName,
      last_name: u.lastName,
      password_hash: u.passwordHash,
      email_verified_at: u.emailVerified ? u.now : null,
      locale: u.locale,
      created_at: u.now,
      updated_at: u.now,
    })
    .execute();
}

export async function emailTaken(db: Db, email: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('email_key', '=', emailKey(email)).executeTakeFirst();
  return row !== undefined;
}

/** Sign-in looks a user up by email across tenants: the email is globally unique. */
export function findUserForSignIn(db: Db, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'partner_id', 'email', 'password_hash', 'status', 'email_verified_at', 'must_change_password', 'temp_password_expires_at', 'failed_sign_ins', 'last_failed_sign_in_at', 'locked_until', 'mfa_state', 'totp_secret', 'recent_failed_fingerprints'])
    .where('email_key', '=', emailKey(email))
    .executeTakeFirst();
}

export async function assignRole(db: Db, a: { partnerId: string; userId: string; roleId: string; category: string }): Promise<void> {
  await db.insertInto('user_roles').values({ partner_id: a.partnerId, user_id: a.userId, role_id: a.roleId, category: a.category, location_id: null }).execute();
}

export async function setUserLocale(db: Db, partnerId: string, userId: string, locale: 'fr' | 'en', now: Date): Promise<void> {
  await db.updateTable('users').set({ locale, updated_at: now }).where('partner_id', '=', partnerId).where('id', '=', userId).execute();
}

const userColumns = ['u.id', 'u.first_name', 'u.last_name', 'u.email', 'u.status', 'u.created_at', 'u.last_sign_in_at', 'u.mfa_state', 'u.invited_at'] as const;

function rolesOf() {
  return sql<string[]>`array(select ur.role_id from user_roles ur where ur.partner_id = u.partner_id and ur.user_id = u.id order by ur.role_id)`.as('roles');
}

/** Tenant-scoped: another partner's user is simply not found. */
export function findUser(db: Db, partnerId: string, userId: string) {
  return db
    .selectFrom('users as u')
    .where('u.partner_id', '=', partnerId)
    .where('u.id', '=', userId)
    .select([...userColumns, 'u.password_hash', 'u.must_change_password', rolesOf()])
    .executeTakeFirst();
}

export interface UserListQuery {
  size: number;
  search?: string | undefined;
  role?: string | undefined;
  sort: 'name' | 'email';
  after?: { key: string; id: string } | undefined;
}

/** The users list: keyset paging on (sort key, id) inside the partner, using the matching index. */
export async function listUsers(db: Db, partnerId: string, q: UserListQuery) {
  const sortCol = q.sort === 'email' ? 'u.email_key' : 'u.sort_name';
  let base = db.selectFrom('users as u').where('u.partner_id', '=', partnerId);
  if (q.search) {
    const like = `%${q.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base = base.where((eb) => eb.or([eb('u.sort_name', 'like', like), eb('u.email_key', 'like', like)]));
  }
  if (q.role) {
    const role = q.role;
    base = base.where(({ exists, selectFrom }) =>
      exists(selectFrom('user_roles as ur').select('ur.user_id').whereRef('ur.partner_id', '=', 'u.partner_id').whereRef('ur.user_id', '=', 'u.id').where('ur.role_id', '=', role)),
    );
  }
  let page = base.select([...userColumns, sql<string>`${sql.ref(sortCol)}`.as('sort_key'), rolesOf()]);
  if (q.after) page = page.where(sql<boolean>`(${sql.ref(sortCol)}, u.id) > (${q.after.key}, ${q.after.id}::uuid)`);
  page = page.orderBy(sql.ref(sortCol)).orderBy('u.id').limit(q.size + 1);
  // The total without counting the whole company on every page: the unfiltered total is the
  // counter kept on the partner row (migration 0010), a role filter counts that role's index
  // entries, and only a text search counts the matching rows.
  const total =
    !q.search && !q.role
      ? sql<number>`(select user_count from partners where id = ${partnerId})`
      : !q.search && q.role
        ? sql<number>`(select count(*) from user_roles where partner_id = ${partnerId} and role_id = ${q.role})`
        : sql<number>`(${base.select((eb) => eb.fn.countAll<number>().as('n'))})`;
  // One statement, one row: the page as JSON, the total and the Global admin count. On the
  // embedded database a round trip and per-row decoding cost more than the query itself.
  const r = await sql<{ rows: Array<Record<string, unknown>>; total: number | string; ga: number | string | null }>`
    select coalesce(json_agg(p order by p.sort_key, p.id), '[]'::json) as rows, ${total} as total, ${activeGlobalAdmins(partnerId)} as ga
    from (${page}) p`.execute(db);
  const row = r.rows[0]!;
  const rows = row.rows.map((x) => ({
    ...(x as Omit<ListedUser, 'created_at' | 'last_sign_in_at'>),
    created_at: new Date(x.created_at as string),
    last_sign_in_at: x.last_sign_in_at ? new Date(x.last_sign_in_at as string) : null,
  })) as ListedUser[];
  return { rows: rows.slice(0, q.size), hasMore: rows.length > q.size, totalCount: Number(row.total), globalAdminCount: Number(row.ga ?? 0) };
}

type ListedUser = {
  id: string;
  first_name: string;
  last_name: string;
  email: string;
  status: 'active' | 'inactive';
  created_at: Date;
  last_sign_in_at: Date | null;
  mfa_state: 'disabled' | 'enabled' | 'enforced';
  invited_at: Date | null;
  sort_key: string;
  roles: string[];
};

/** Active Global admins, as an expression (see countActiveGlobalAdmins). */
function activeGlobalAdmins(partnerId: string) {
  return sql<number | string | null>`(select sum((select 1 from users x where x.id = ur.user_id and x.status = 'active')) from user_roles ur where ur.partner_id = ${partnerId} and ur.role_id = 'global-admin')`;
}

/**
 * Active Global admins of a company. Driven from the (partner, role) index and checking
 * each holder's status by primary key: a join lets the planner hash-scan every user of
 * the programme when its estimates are off.
 */
export async function countActiveGlobalAdmins(db: Db, partnerId: string): Promise<number> {
  const r = await sql<{ n: number | string | null }>`select ${activeGlobalAdmins(partnerId)} as n`.execute(db).then((x) => x.rows[0]!);
  return Number(r.n ?? 0);
}

export async function replaceRoles(db: Db, partnerId: string, userId: string, roles: { id: string; category: string }[]): Promise<void> {
  await db.deleteFrom('user_roles').where('partner_id', '=', partnerId).where('user_id', '=', userId).execute();
  if (roles.length) {
    await db
      .insertInto('user_roles')
      .values(roles.map((r) => ({ partner_id: partnerId, user_id: userId, role_id: r.id, category: r.category, location_id: null })))
      .execute();
  }
}

/** Serialise user-management writes of one partner (last-Global-admin checks must not race). */
export async function lockPartner(db: Db, partnerId: string): Promise<void> {
  await db.selectFrom('partners').select('id').where('id', '=', partnerId).forUpdate().execute();
}
