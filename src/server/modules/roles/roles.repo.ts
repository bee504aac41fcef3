import { sql } from 'kysely';
import type { Db } from '../../db/database';
import { BUILT_IN_ROLES } from './catalogue';

/** Upsert the built-in roles from the catalogue: the code's fixture is the truth for them. */
export async function syncBuiltInRoles(db: Db): Promise<void> {
  await db
    .insertInto('roles')
    .values(BUILT_IN_ROLES.map((r) => ({ id: r.id, partner_id: null, category: r.category, built_in: true, name: null, permissions: [...r.permissions] })))
    .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ category: eb.ref('excluded.category'), permissions: eb.ref('excluded.permissions') })))
    .execute();
}

export function roleCategory(roleId: string): string {
  const r = BUILT_IN_ROLES.find((x) => x.id === roleId);
  if (!r) throw new Error(`Unknown built-in role ${roleId}`);
  return r.category;
}

export const CUSTOM_CATEGORY = 'custom';

const roleColumns = ['id', 'category', 'built_in', 'name', 'description', 'permissions'] as const;

/** One role a partner can see: a built-in one, or one of its own custom roles (another partner's is not found). */
export function findRole(db: Db, partnerId: string, roleId: string) {
  return db
    .selectFrom('roles')
    .select(roleColumns)
    .where('id', '=', roleId)
    .where((eb) => eb.or([eb('partner_id', 'is', null), eb('partner_id', '=', partnerId)]))
    .executeTakeFirst();
}

/** Is the name (case-insensitive) already used by another custom role of the partner? */
export async function roleNameTaken(db: Db, partnerId: string, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('roles').select('id').where('partner_id', '=', partnerId).where(sql<boolean>`lower(name) = lower(${name})`);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function insertCustomRole(db: Db, r: { id: string; partnerId: string; name: string; description: string | null; permissions: string[]; now: Date }): Promise<void> {
  await db
    .insertInto('roles')
    .values({ id: r.id, partner_id: r.partnerId, category: CUSTOM_CATEGORY, built_in: false, name: r.name, description: r.description, permissions: r.permissions, updated_at: r.now })
    .execute();
}

export async function updateCustomRole(db: Db, partnerId: string, roleId: string, set: { name?: string; description?: string | null; permissions?: string[]; now: Date }): Promise<void> {
  const { now, ...rest } = set;
  await db.updateTable('roles').set({ ...rest, updated_at: now }).where('partner_id', '=', partnerId).where('id', '=', roleId).where('built_in', '=', false).execute();
}

export async function deleteCustomRole(db: Db, partnerId: string, roleId: string): Promise<void> {
  await db.deleteFrom('roles').where('partner_id', '=', partnerId).where('id', '=', roleId).where('built_in', '=', false).execute();
}

/** How many users of the partner hold each role. */
export async function roleHolderCounts(db: Db, partnerId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('user_roles')
    .select(['role_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('partner_id', '=', partnerId)
    .groupBy('role_id')
    .execute();
  return new Map(rows.map((r) => [r.role_id, Number(r.n)]));
}
