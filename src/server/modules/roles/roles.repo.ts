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
