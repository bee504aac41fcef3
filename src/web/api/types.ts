/** Shapes of the API answers the web app reads (see /openapi.json). */

export type Locale = 'en' | 'fr';
export type PartnerStatus = 'pending_verification' | 'authorized' | 'rejected';

export interface Me {
  user: { id: string; email: string; firstName: string; lastName: string; locale: Locale | null };
  partner: { id: string; companyName: string; country: string; currency: string; status: string };
  roles: { id: string; name: string }[];
  permissions: string[];
  session: { csrfToken: string; expiresAt: string; mfaPassed: boolean; passwordChangeRequired: boolean };
}

export interface SessionAnswer {
  token: string;
  csrfToken: string;
  expiresAt: string;
  userId: string;
  mfaRequired: boolean;
  mfaRegistrationRequired: boolean;
  passwordChangeRequired: boolean;
}

/** GET /v1/sessions/current: what this session still owes. */
export interface CurrentSession {
  csrfToken: string;
  expiresAt: string;
  mfaPassed: boolean;
  mfaPending: 'challenge' | 'register' | null;
  passwordChangeRequired: boolean;
}

export interface TotpRegistration {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

export interface MyMfa {
  state: 'disabled' | 'enabled' | 'enforced';
  registered: boolean;
  companyRequired: boolean;
  sessionPassed: boolean;
  recoveryCodesLeft: number;
}

export interface Address {
  addressLine1: string;
  addressLine2?: string;
  addressLine3?: string;
  city: string;
  state?: string;
  postalCode: string;
  country: string;
  region?: string;
}

export interface Contact {
  firstName: string;
  middleName?: string;
  lastName: string;
  email: string;
  phoneNumber?: string;
}

export interface LegalBusinessProfile {
  companyName: string;
  address: Address;
  primaryContact: Contact;
  phone: string | null;
  website: string | null;
  country: string;
  currency: string;
  vettingStatus: PartnerStatus;
  enrolledAt: string;
}

export interface EnrollmentRequest {
  companyName?: string;
  address: Partial<Address>;
  primaryContact: Partial<Contact>;
  email?: string;
  password?: string;
  phone?: string;
  website?: string;
  locale: Locale;
}

export interface EnrollmentAnswer {
  partner: { id: string; companyName: string; country: string; currency: string; status: string };
  user: { id: string; email: string };
  verification: { sentTo: string; expiresAt: string };
}

export interface OperatorMe {
  id: string;
  email: string;
  displayName: string;
  permissions: string[];
  csrfToken: string;
}

export interface PartnerSummary {
  id: string;
  companyName: string;
  country: string;
  currency: string;
  status: PartnerStatus;
  primaryContact: Contact;
  createdAt: string;
}

export interface Collection<T> {
  totalCount: number;
  items: T[];
  links: { self: { uri: string }; next?: { uri: string } };
}

export type RoleCategory = 'admin' | 'agent' | 'incentives' | 'referrals' | 'reports' | 'compliance' | 'custom' | 'default';

/** A role of GET /v1/roles (`name` is translated by the server). */
export interface Role {
  id: string;
  name: string;
  /** A custom role's description (null for built-in roles). */
  description: string | null;
  category: RoleCategory;
  builtIn: boolean;
  assignable: boolean;
  permissions: string[];
  /** How many users of the company hold it. */
  userCount: number;
}

/** One of my sessions (GET /v1/me/sessions). */
export interface MySession {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  browser: string | null;
  os: string | null;
}

export type UserStatus = 'active' | 'inactive';

/** A user of the company (GET /v1/users, GET /v1/users/{id}). */
export interface PartnerUser {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  roles: string[];
  status: UserStatus;
  createdAt: string;
  lastSignInAt: string | null;
  mfaState: 'disabled' | 'enabled' | 'enforced';
  /** Invited or imported, and has not accepted the invitation yet. */
  invited: boolean;
}

export interface UserCollection extends Collection<PartnerUser> {
  /** Active Global admins in the company. */
  globalAdminCount?: number;
}

/** POST /v1/users: the new user, with a temporary password shown once. */
export interface CreatedUser extends PartnerUser {
  /** Absent when the user was invited by email (POST /v1/users with `invite: true`). */
  temporaryPassword?: string;
}

/** A record of GET /v1/auditrecords. */
export interface AuditRecord {
  id: string;
  at: string;
  actor: { type: string; id: string | null; email: string | null };
  action: string;
  target: { type: string | null; id: string | null };
  outcome: 'success' | 'failure';
  changes: Record<string, { before?: unknown; after?: unknown }> | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export type AuditCollection = Collection<AuditRecord>;

/** An API app of GET /v1/apps (Account settings → App management). */
export interface ApiApp {
  id: string;
  name: string;
  clientId: string;
  roles: string[];
  status: 'active' | 'disabled';
  createdAt: string;
  updatedAt: string;
  secrets: { id: string; hint: string; createdAt: string; expiresAt: string; expired: boolean }[];
}

/** A new app secret: its value is in this answer only. */
export interface NewAppSecret {
  id: string;
  secret: string;
  hint: string;
  expiresAt: string;
}

/** POST /v1/apps: the app and its first secret. */
export interface CreatedApp extends ApiApp {
  secret: NewAppSecret;
}

/** A location account of GET /v1/locations (Account settings → Locations). `etag` goes in If-Match. */
export interface PartnerLocation {
  id: string;
  name: string;
  address: Address;
  contact: Contact;
  etag: string;
  createdAt: string;
  updatedAt: string;
}

export interface LocationCollection extends Collection<PartnerLocation> {
  globalAccount: { id: string; companyName: string; address: Address };
}

/** A notification of GET /v1/notifications: `notification.<kind>` with `params` is its message. */
export interface PartnerNotification {
  id: string;
  kind: string;
  params: Record<string, string>;
  link: string | null;
  createdAt: string;
  read: boolean;
}

/** GET /v1/account/checklist: what remains to complete the company profile. */
export interface AccountChecklist {
  items: { id: string; done: boolean; link: string }[];
  doneCount: number;
  totalCount: number;
}
