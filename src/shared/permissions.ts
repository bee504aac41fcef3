/**
 * The permission registry: every `resource.action` string the product knows.
 *
 * Routes declare one of these next to their handler; roles (rows in the `roles`
 * table) map to sets of them. The web app reads the effective set from `GET /v1/me`
 * to decide which workspaces and options to show.
 */
export const PARTNER_PERMISSIONS = [
  // Everyone (the default user): their own profile and the account overview.
  'account.read',
  'me.update',
  // Account settings
  'users.read',
  'users.manage',
  'roles.read',
  // Build, edit and delete custom roles: Global admin only among the built-in roles.
  'roles.manage',
  'legal.read',
  'legal.update',
  'billingprofile.read',
  'billingprofile.update',
  'securitycontact.update',
  'audit.read',
  // Company-wide security settings (self-service reset, MFA requirement): Global admin only.
  'security.manage',
  'apps.manage',
  'payout.read',
  'payout.manage',
  // File tax exemptions (reference §1.1 Tax: a Global admin files them).
  'tax.manage',
  // Business (marketing) profiles, reference §1.8: read; create, edit, publish; delete (Business profile admin and Global admin only).
  'businessprofile.read',
  'businessprofile.manage',
  'businessprofile.delete',
  // Create, edit and delete the company's location accounts (reading them needs legal.read).
  'locations.manage',
  // Workspaces
  'customers.read',
  'customers.manage',
  'subscriptions.manage',
  'billing.read',
  'billing.manage',
  'pricing.read',
  // Sell → Catalog: browse offers (pricing.read) and pin up to 5 for the whole company.
  'catalog.manage',
  // Leads: read (a Referrals user sees the leads whose team they are on), work on them, and see and assign all of them.
  'referrals.read',
  'referrals.update',
  'referrals.manage',
  'incentives.read',
  'incentives.manage',
  'support.read',
  'support.manage',
  'reports.read',
] as const;

/**
 * Step-up: routes needing one of these answer 401 MFA_REQUIRED to a session that has not
 * passed multi-factor authentication, as Partner Center does for its Customers and
 * Billing workspaces. (Support → customer requests routes declare `mfa: true` themselves.)
 */
export const MFA_STEP_UP_PERMISSIONS: readonly PartnerPermission[] = ['customers.read', 'customers.manage', 'subscriptions.manage', 'billing.read', 'billing.manage'];

export const OPERATOR_PERMISSIONS = ['operator.session', 'operator.partners.read', 'operator.partners.verify', 'operator.reviews', 'operator.catalog'] as const;

export type PartnerPermission = (typeof PARTNER_PERMISSIONS)[number];
export type OperatorPermission = (typeof OPERATOR_PERMISSIONS)[number];
export type Permission = PartnerPermission | OperatorPermission;

export const ALL_PERMISSIONS: readonly Permission[] = [...PARTNER_PERMISSIONS, ...OPERATOR_PERMISSIONS];

export function isPermission(value: string): value is Permission {
  return (ALL_PERMISSIONS as readonly string[]).includes(value);
}

/**
 * The top-bar workspaces and the permission that makes each one appear; `alsoWith` lists
 * other permissions that make it appear too (a Business profile admin has no lead to read
 * but works in Referrals → Business profiles).
 */
export const WORKSPACES = [
  { id: 'home', path: '/', permission: 'account.read' },
  { id: 'customers', path: '/customers', permission: 'customers.read' },
  { id: 'billing', path: '/billing', permission: 'billing.read' },
  { id: 'catalog', path: '/catalog', permission: 'pricing.read' },
  { id: 'pricing', path: '/pricing', permission: 'pricing.read' },
  { id: 'referrals', path: '/referrals', permission: 'referrals.read', alsoWith: ['businessprofile.read'] },
  { id: 'incentives', path: '/incentives', permission: 'incentives.read' },
  { id: 'support', path: '/support', permission: 'support.read' },
] as const satisfies readonly { id: string; path: string; permission: PartnerPermission; alsoWith?: readonly PartnerPermission[] }[];

/** Whether someone holding `can` sees a workspace. */
export function seesWorkspace(w: (typeof WORKSPACES)[number], can: (p: PartnerPermission) => boolean): boolean {
  return can(w.permission) || ('alsoWith' in w && w.alsoWith.some(can));
}

/** The Account settings left-hand pane. */
export const ACCOUNT_SETTINGS_PAGES = [
  { id: 'overview', permission: 'account.read' },
  { id: 'legal', permission: 'legal.read' },
  { id: 'locations', permission: 'legal.read' },
  { id: 'payout', permission: 'payout.read' },
  { id: 'users', permission: 'users.read' },
  { id: 'activity', permission: 'audit.read' },
  { id: 'apps', permission: 'apps.manage' },
] as const satisfies readonly { id: string; permission: PartnerPermission }[];
