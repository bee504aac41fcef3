import type { PartnerPermission } from '../../../shared/permissions';
import { PARTNER_PERMISSIONS } from '../../../shared/permissions';

/**
 * The built-in role catalogue, modelled on Partner Center's roles (reference §1.5).
 * It is synchronised into the `roles` table at start-up: roles are data, and this
 * file is the version-controlled fixture for the built-in ones.
 *
 * A user holds at most one role per category. `default-user` is implicit: every
 * user holds it and it is never assigned.
 */
export type RoleCategory = 'default' | 'admin' | 'agent' | 'incentives' | 'referrals' | 'reports' | 'compliance';

export interface BuiltInRole {
  id: string;
  category: RoleCategory;
  permissions: readonly PartnerPermission[];
}

const SUPPORT: PartnerPermission[] = ['support.read', 'support.manage'];
const DEFAULT: PartnerPermission[] = ['account.read', 'me.update'];

export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  { id: 'default-user', category: 'default', permissions: DEFAULT },
  { id: 'global-admin', category: 'admin', permissions: [...PARTNER_PERMISSIONS] },
  {
    id: 'user-management-admin',
    category: 'admin',
    permissions: [...DEFAULT, 'users.read', 'users.manage', 'roles.read', 'legal.read', 'billingprofile.read', 'audit.read', 'pricing.read', ...SUPPORT],
  },
  {
    id: 'billing-admin',
    category: 'admin',
    permissions: [...DEFAULT, 'billing.read', 'billing.manage', 'pricing.read', 'billingprofile.read', 'billingprofile.update', ...SUPPORT],
  },
  {
    id: 'account-admin',
    category: 'admin',
    permissions: [...DEFAULT, 'users.read', 'users.manage', 'roles.read', 'legal.read', 'legal.update', 'businessprofile.read', 'businessprofile.manage', 'locations.manage', ...SUPPORT],
  },
  {
    id: 'partner-programme-admin',
    category: 'admin',
    permissions: [...DEFAULT, 'users.read', 'roles.read', 'legal.read', 'incentives.read', 'reports.read', 'pricing.read', ...SUPPORT],
  },
  {
    id: 'admin-agent',
    category: 'agent',
    permissions: [...DEFAULT, 'customers.read', 'customers.manage', 'subscriptions.manage', 'billing.read', 'billing.manage', 'pricing.read', 'catalog.manage', 'billingprofile.update', ...SUPPORT],
  },
  {
    id: 'sales-agent',
    category: 'agent',
    permissions: [...DEFAULT, 'customers.read', 'customers.manage', 'subscriptions.manage', 'pricing.read', 'referrals.read', ...SUPPORT],
  },
  // Helpdesk agent: search and view customers, support them; no pricing, no billing (reference §1.5 "cannot do").
  { id: 'helpdesk-agent', category: 'agent', permissions: [...DEFAULT, 'customers.read', ...SUPPORT] },
  { id: 'compliance-admin', category: 'compliance', permissions: [...DEFAULT, 'legal.read', 'legal.update', ...SUPPORT] },
  { id: 'business-profile-admin', category: 'referrals', permissions: [...DEFAULT, 'businessprofile.read', 'businessprofile.manage', 'businessprofile.delete', ...SUPPORT] },
  // A Referrals admin edits business profiles but only a Business profile admin (or Global admin) deletes one (issue 5).
  { id: 'referrals-admin', category: 'referrals', permissions: [...DEFAULT, 'referrals.read', 'referrals.update', 'referrals.manage', 'businessprofile.read', 'businessprofile.manage', ...SUPPORT] },
  { id: 'referrals-user', category: 'referrals', permissions: [...DEFAULT, 'referrals.read', 'referrals.update', 'businessprofile.read', ...SUPPORT] },
  { id: 'incentives-admin', category: 'incentives', permissions: [...DEFAULT, 'incentives.read', 'incentives.manage', 'payout.read', 'payout.manage', ...SUPPORT] },
  { id: 'incentives-user', category: 'incentives', permissions: [...DEFAULT, 'incentives.read', 'payout.read', ...SUPPORT] },
  { id: 'executive-report-viewer', category: 'reports', permissions: [...DEFAULT, 'reports.read', 'support.read'] },
  { id: 'report-viewer', category: 'reports', permissions: [...DEFAULT, 'reports.read', 'support.read'] },
];
