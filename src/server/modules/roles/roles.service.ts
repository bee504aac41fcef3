import type { RequestContext } from '../../core/context';
import { AppError, type ErrorDetail } from '../../core/errors';
import { t } from '../../core/i18n';
import type { Db } from '../../db/database';

export interface RoleRow {
  id: string;
  category: string;
  built_in: boolean;
  name: string | null;
  permissions: string[];
}

/** The roles a partner can see: the built-in catalogue (and, later, its custom roles). */
export function listRoles(db: Db, partnerId: string): Promise<RoleRow[]> {
  return db
    .selectFrom('roles')
    .select(['id', 'category', 'built_in', 'name', 'permissions'])
    .where((eb) => eb.or([eb('partner_id', 'is', null), eb('partner_id', '=', partnerId)]))
    .orderBy('category')
    .orderBy('id')
    .execute();
}

export function presentRole(ctx: RequestContext, r: RoleRow) {
  return {
    id: r.id,
    name: r.built_in ? t(ctx.locale, `role.${r.id}`) : (r.name ?? r.id),
    category: r.category,
    builtIn: r.built_in,
    assignable: r.category !== 'default',
    permissions: [...r.permissions].sort(),
  };
}

/**
 * Validate a set of role ids to assign: known, assignable, at most one per category, and
 * (anti-escalation) made only of permissions the actor holds. Returns them with their category.
 */
export async function checkAssignableRoles(ctx: RequestContext, partnerId: string, roleIds: string[], actorPermissions: ReadonlySet<string>) {
  const known = new Map((await listRoles(ctx.db, partnerId)).map((r) => [r.id, r]));
  const unknown = roleIds.filter((id) => !known.get(id) || known.get(id)!.category === 'default');
  if (unknown.length) {
    throw new AppError('UNKNOWN_ROLE', {}, unknown.map((id): ErrorDetail => ({ field: 'roles', reason: 'unknown_role', message: '', params: { id } })));
  }
  const roles = [...new Set(roleIds)].map((id) => known.get(id)!);
  const seen = new Set<string>();
  for (const r of roles) {
    if (seen.has(r.category)) throw new AppError('ROLE_CATEGORY_CONFLICT', {}, [{ field: 'roles', reason: 'category_conflict', message: '' }]);
    seen.add(r.category);
  }
  if (roles.some((r) => r.permissions.some((p) => !actorPermissions.has(p)))) throw new AppError('ROLE_ESCALATION');
  return roles.map((r) => ({ id: r.id, category: r.category, permissions: r.permissions }));
}

/** The union of the permissions a set of role ids grants. */
export async function permissionsOfRoles(db: Db, roleIds: string[]): Promise<Set<string>> {
  if (!roleIds.length) return new Set();
  const rows = await db.selectFrom('roles').select('permissions').where('id', 'in', roleIds).execute();
  return new Set(rows.flatMap((r) => r.permissions));
}
