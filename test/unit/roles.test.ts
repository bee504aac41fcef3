import { describe, expect, it } from 'vitest';
import { BUILT_IN_ROLES } from '../../src/server/modules/roles/catalogue';
import { ACCOUNT_SETTINGS_PAGES, isPermission, OPERATOR_PERMISSIONS, PARTNER_PERMISSIONS, WORKSPACES } from '../../src/shared/permissions';

const role = (id: string) => BUILT_IN_ROLES.find((r) => r.id === id)!;

describe('the built-in role catalogue', () => {
  it('role ids are unique', () => {
    const ids = BUILT_IN_ROLES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every role grants only known partner permissions, never an operator one', () => {
    for (const r of BUILT_IN_ROLES) {
      for (const p of r.permissions) {
        expect(isPermission(p), `${r.id}: ${p}`).toBe(true);
        expect((OPERATOR_PERMISSIONS as readonly string[]).includes(p), `${r.id}: ${p}`).toBe(false);
      }
    }
  });

  it('Global admin holds every partner permission, so it covers every other role', () => {
    expect([...role('global-admin').permissions].sort()).toEqual([...PARTNER_PERMISSIONS].sort());
  });

  it('every role includes the default user’s permissions', () => {
    for (const r of BUILT_IN_ROLES) expect(r.permissions, r.id).toEqual(expect.arrayContaining([...role('default-user').permissions]));
  });

  it('no role but Global admin holds every permission (no second super-role)', () => {
    const all = (r: (typeof BUILT_IN_ROLES)[number]) => PARTNER_PERMISSIONS.every((p) => r.permissions.includes(p));
    expect(BUILT_IN_ROLES.filter(all).map((r) => r.id)).toEqual(['global-admin']);
  });

  it('the Helpdesk agent sees customers but has no pricing or billing (reference §1.5)', () => {
    const p = role('helpdesk-agent').permissions;
    expect(p).toContain('customers.read');
    expect(p.filter((x) => x.startsWith('pricing.') || x.startsWith('billing.'))).toEqual([]);
  });

  it('workspaces and account settings pages are gated by known partner permissions', () => {
    for (const w of [...WORKSPACES, ...ACCOUNT_SETTINGS_PAGES]) expect((PARTNER_PERMISSIONS as readonly string[]).includes(w.permission), w.id).toBe(true);
  });
});
