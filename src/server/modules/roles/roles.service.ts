import { randomUUID } from 'node:crypto';
import { PARTNER_PERMISSIONS } from '../../../shared/permissions';
import { audit } from '../../core/audit';
import { inTransaction, requirePartnerActor, requireUser, type RequestContext } from '../../core/context';
import { AppError, type ErrorDetail } from '../../core/errors';
import { t } from '../../core/i18n';
import type { Db } from '../../db/database';
import { lockPartner } from '../users/users.repo';
import { deleteCustomRole, findRole, insertCustomRole, roleHolderCounts, roleNameTaken, updateCustomRole } from './roles.repo';

export interface RoleRow {
  id: string;
  category: string;
  built_in: boolean;
  name: string | null;
  description: string | null;
  permissions: string[];
}

/** Every user holds these (the default user role); a custom role always includes them. */
const DEFAULT_PERMISSIONS = ['account.read', 'me.update'];

/** The roles a partner can see: the built-in catalogue and its own custom roles. */
export function listRoles(db: Db, partnerId: string): Promise<RoleRow[]> {
  return db
    .selectFrom('roles')
    .select(['id', 'category', 'built_in', 'name', 'description', 'permissions'])
    .where((eb) => eb.or([eb('partner_id', 'is', null), eb('partner_id', '=', partnerId)]))
    .orderBy('category')
    .orderBy('id')
    .execute();
}

export function presentRole(ctx: RequestContext, r: RoleRow, holders?: ReadonlyMap<string, number>) {
  return {
    id: r.id,
    name: r.built_in ? t(ctx.locale, `role.${r.id}`) : (r.name ?? r.id),
    description: r.built_in ? null : r.description,
    category: r.category,
    builtIn: r.built_in,
    assignable: r.category !== 'default',
    permissions: [...r.permissions].sort(),
    userCount: holders?.get(r.id) ?? 0,
  };
}

export type PresentedRole = ReturnType<typeof presentRole>;

/** The roles of my company with how many users hold each. */
export async function listPresentedRoles(ctx: RequestContext): Promise<PresentedRole[]> {
  const p = requirePartnerActor(ctx);
  const [rows, holders] = await Promise.all([listRoles(ctx.db, p.partnerId), roleHolderCounts(ctx.db, p.partnerId)]);
  // Built-in roles first (catalogue order by category), then custom roles by name.
  const builtIn = rows.filter((r) => r.built_in);
  const custom = rows.filter((r) => !r.built_in).sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '', ctx.locale) || a.id.localeCompare(b.id));
  return [...builtIn, ...custom].map((r) => presentRole(ctx, r, holders));
}

export async function getRole(ctx: RequestContext, roleId: string): Promise<PresentedRole> {
  const p = requirePartnerActor(ctx);
  const r = await findRole(ctx.db, p.partnerId, roleId);
  if (!r) throw new AppError('NOT_FOUND');
  return presentRole(ctx, r, await roleHolderCounts(ctx.db, p.partnerId));
}

/** Display names of role ids (built-in ones translated, custom ones as named by the partner). */
export async function roleNames(ctx: RequestContext, partnerId: string, roleIds: string[]): Promise<{ id: string; name: string }[]> {
  const custom = roleIds.filter((id) => id.startsWith('custom-'));
  const names = new Map<string, string>();
  if (custom.length) {
    const rows = await ctx.db.selectFrom('roles').select(['id', 'name']).where('partner_id', '=', partnerId).where('id', 'in', custom).execute();
    for (const r of rows) names.set(r.id, r.name ?? r.id);
  }
  return roleIds.map((id) => ({ id, name: names.get(id) ?? t(ctx.locale, `role.${id}`) }));
}

/**
 * Validate a set of role ids to assign: known, assignable, at most one per category, and
 * (anti-escalation) made only of permissions the actor holds. Returns them with their category.
 * Custom roles share the category `custom`, so a user holds at most one of them.
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
  if (roles.some((r) => !holdsAll(actorPermissions, r.permissions))) throw new AppError('ROLE_ESCALATION');
  return roles.map((r) => ({ id: r.id, category: r.category, permissions: r.permissions }));
}

/** Every user holds the default user's permissions; an API app does not, and must not be refused for that. */
const EVERYONE: ReadonlySet<string> = new Set(['account.read', 'me.update']);

/** Anti-escalation: the actor holds every one of `permissions` (the default user's aside). */
export function holdsAll(actorPermissions: ReadonlySet<string>, permissions: Iterable<string>): boolean {
  for (const perm of permissions) if (!EVERYONE.has(perm) && !actorPermissions.has(perm)) return false;
  return true;
}

/** The union of the permissions a set of role ids grants. */
export async function permissionsOfRoles(db: Db, roleIds: string[]): Promise<Set<string>> {
  if (!roleIds.length) return new Set();
  const rows = await db.selectFrom('roles').select('permissions').where('id', 'in', roleIds).execute();
  return new Set(rows.flatMap((r) => r.permissions));
}

/**
 * A custom role's permissions: known partner permissions only (else UNKNOWN_PERMISSION),
 * each held by the actor (else ROLE_ESCALATION), plus the implicit default ones; in
 * registry order, without duplicates.
 */
function checkPermissions(actor: ReadonlySet<string>, requested: string[]): string[] {
  const registry = PARTNER_PERMISSIONS as readonly string[];
  const unknown = [...new Set(requested.filter((p) => !registry.includes(p)))];
  if (unknown.length) {
    throw new AppError('UNKNOWN_PERMISSION', {}, unknown.map((p): ErrorDetail => ({ field: 'permissions', reason: 'unknown_permission', message: '', params: { permission: p } })));
  }
  const wanted = new Set([...DEFAULT_PERMISSIONS, ...requested]);
  if ([...wanted].some((p) => !actor.has(p))) throw new AppError('ROLE_ESCALATION');
  return registry.filter((p) => wanted.has(p));
}

/** A custom role is changed or deleted only by someone who holds every permission it grants. */
function assertCanManageRole(actor: ReadonlySet<string>, role: RoleRow): void {
  if (role.built_in) throw new AppError('ROLE_BUILT_IN');
  if (role.permissions.some((p) => !actor.has(p))) throw new AppError('ROLE_ESCALATION');
}

const nameTaken = () => new AppError('ROLE_NAME_TAKEN', {}, [{ field: 'name', reason: 'taken', message: '' }]);

export interface RoleInput {
  name: string;
  description?: string | null | undefined;
  permissions: string[];
}

export async function createRole(ctx: RequestContext, input: RoleInput): Promise<PresentedRole> {
  const p = requireUser(ctx);
  const permissions = checkPermissions(p.permissions, input.permissions);
  const id = `custom-${randomUUID()}`;
  const description = input.description || null;
  return inTransaction(ctx, async (tx) => {
    await lockPartner(tx.db, p.partnerId);
    if (await roleNameTaken(tx.db, p.partnerId, input.name)) throw nameTaken();
    await insertCustomRole(tx.db, { id, partnerId: p.partnerId, name: input.name, description, permissions, now: tx.now });
    await audit(tx, {
      partnerId: p.partnerId,
      action: 'role.created',
      targetType: 'role',
      targetId: id,
      changes: { name: { after: input.name }, description: { after: description }, permissions: { after: permissions } },
    });
    return getRole(tx, id);
  });
}

/** Change a custom role; its holders get the new permissions at once (`onHoldersChanged` evicts cached sessions). */
export async function updateRole(
  ctx: RequestContext,
  roleId: string,
  input: Partial<RoleInput>,
  onHoldersChanged: (partnerId: string, roleId: string) => void,
): Promise<PresentedRole> {
  const p = requireUser(ctx);
  const presented = await inTransaction(ctx, async (tx) => {
    await lockPartner(tx.db, p.partnerId);
    const before = await findRole(tx.db, p.partnerId, roleId);
    if (!before) throw new AppError('NOT_FOUND');
    assertCanManageRole(p.permissions, before);
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    const set: { name?: string; description?: string | null; permissions?: string[]; now: Date } = { now: tx.now };
    if (input.name !== undefined && input.name !== before.name) {
      if (await roleNameTaken(tx.db, p.partnerId, input.name, roleId)) throw nameTaken();
      set.name = input.name;
      changes.name = { before: before.name, after: input.name };
    }
    if (input.description !== undefined && (input.description || null) !== before.description) {
      set.description = input.description || null;
      changes.description = { before: before.description, after: set.description };
    }
    if (input.permissions !== undefined) {
      const next = checkPermissions(p.permissions, input.permissions);
      if ([...next].sort().join() !== [...before.permissions].sort().join()) {
        set.permissions = next;
        changes.permissions = { before: before.permissions, after: next };
      }
    }
    if (Object.keys(changes).length) {
      await updateCustomRole(tx.db, p.partnerId, roleId, set);
      await audit(tx, { partnerId: p.partnerId, action: 'role.updated', targetType: 'role', targetId: roleId, changes });
    }
    return getRole(tx, roleId);
  });
  onHoldersChanged(p.partnerId, roleId);
  return presented;
}

/** Delete a custom role; refused while a user holds it. */
export async function deleteRole(ctx: RequestContext, roleId: string): Promise<void> {
  const p = requireUser(ctx);
  await inTransaction(ctx, async (tx) => {
    await lockPartner(tx.db, p.partnerId);
    const role = await findRole(tx.db, p.partnerId, roleId);
    if (!role) throw new AppError('NOT_FOUND');
    assertCanManageRole(p.permissions, role);
    const holders = (await roleHolderCounts(tx.db, p.partnerId)).get(roleId) ?? 0;
    if (holders > 0) throw new AppError('ROLE_IN_USE', { count: holders });
    await deleteCustomRole(tx.db, p.partnerId, roleId);
    await audit(tx, { partnerId: p.partnerId, action: 'role.deleted', targetType: 'role', targetId: roleId, changes: { name: { before: role.name }, permissions: { before: role.permissions } } });
  });
}
