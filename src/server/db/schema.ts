import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface AddressJson {
  addressLine1: string;
  addressLine2?: string | undefined;
  addressLine3?: string | undefined;
  city: string;
  state?: string | undefined;
  postalCode: string;
  country: string;
  region?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  phoneNumber?: string | undefined;
}

export interface ContactJson {
  firstName: string;
  middleName?: string | undefined;
  lastName: string;
  email: string;
  phoneNumber?: string | undefined;
}

export interface PartnersTable {
  id: string;
  company_name: string;
  company_name_key: string;
  country: string;
  currency: string;
  address: ColumnType<AddressJson, string, string>;
  primary_contact: ColumnType<ContactJson, string, string>;
  phone: string | null;
  website: string | null;
  status: 'pending_verification' | 'authorized' | 'rejected';
  mfa_required: Generated<boolean>;
  self_service_password_reset: Generated<boolean>;
  /** Maintained by triggers (migration 0010). */
  user_count: Generated<number>;
  /** Legal business profile (migration 0012): ETag version, approver, verification state. */
  legal_version: Generated<number>;
  company_approver: ColumnType<ContactJson | null, string | null | undefined, string | null>;
  rejection_reason: ColumnType<string | null, string | null | undefined, string | null>;
  pending_fields: ColumnType<string[], string[] | undefined, string[]>;
  verification_comment: ColumnType<string | null, string | null | undefined, string | null>;
  submitted_at: GeneratedTimestamp;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface UsersTable {
  id: string;
  partner_id: string;
  email: string;
  email_key: string;
  first_name: string;
  last_name: string;
  password_hash: string;
  status: Generated<'active' | 'inactive'>;
  email_verified_at: Timestamp | null;
  locale: 'fr' | 'en' | null;
  must_change_password: Generated<boolean>;
  temp_password_expires_at: Timestamp | null;
  last_sign_in_at: Timestamp | null;
  sort_name: ColumnType<string, never, never>;
  failed_sign_ins: Generated<number>;
  last_failed_sign_in_at: Timestamp | null;
  locked_until: Timestamp | null;
  /** Set while an invitation is pending (no usable password yet); cleared on acceptance. */
  invited_at: Timestamp | null;
  mfa_state: Generated<'disabled' | 'enabled' | 'enforced'>;
  /** Encrypted (core/crypto.ts, purpose 'totp'). */
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_last_step: ColumnType<number | null, number | null, number | null>;
  /** Keyed fingerprints of the last three wrong passwords (a repeat is not counted). */
  recent_failed_fingerprints: ColumnType<string[], string[] | undefined, string[]>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface MfaRecoveryCodesTable {
  user_id: string;
  code_hash: string;
  used_at: Timestamp | null;
}

export interface RolesTable {
  id: string;
  partner_id: string | null;
  category: string;
  built_in: boolean;
  name: string | null;
  description: ColumnType<string | null, string | null | undefined, string | null>;
  permissions: ColumnType<string[], string[], string[]>;
  updated_at: GeneratedTimestamp;
}

export interface UserRolesTable {
  partner_id: string;
  user_id: string;
  role_id: string;
  category: string;
  location_id: string | null;
  created_at: GeneratedTimestamp;
}

export interface EmailVerificationsTable {
  user_id: string;
  code_hash: string;
  expires_at: Timestamp;
  attempts: Generated<number>;
  created_at: GeneratedTimestamp;
}

export interface OperatorsTable {
  id: string;
  email: string;
  email_key: string;
  display_name: string;
  password_hash: string;
  locale: 'fr' | 'en' | null;
  created_at: GeneratedTimestamp;
}

export interface SessionsTable {
  token_hash: string;
  /** Public, non-secret id (a user lists and ends their sessions by it). */
  id: Generated<string>;
  principal_kind: 'user' | 'operator' | 'app';
  user_id: string | null;
  partner_id: string | null;
  operator_id: string | null;
  /** An API app's bearer token: the app and the secret it was exchanged for. */
  app_id: ColumnType<string | null, string | null | undefined, string | null>;
  app_secret_id: ColumnType<string | null, string | null | undefined, string | null>;
  csrf_token: string;
  mfa_passed: Generated<boolean>;
  mfa_pending: 'challenge' | 'register' | null;
  mfa_attempts: Generated<number>;
  /** The last password re-authentication in this session (migration 0013; bank profile edits need a fresh one). */
  reauth_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  ip: string | null;
  user_agent: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface AuditRecordsTable {
  id: Generated<string>;
  partner_id: string | null;
  at: GeneratedTimestamp;
  actor_type: 'user' | 'operator' | 'system' | 'anonymous' | 'app';
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: 'success' | 'failure';
  changes: ColumnType<unknown, string | null, string | null> | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  seq: ColumnType<number | null, string | null, string | null>;
  prev_hash: string | null;
  hash: string | null;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  expires_at: Timestamp;
  created_at: Timestamp;
}

export interface InvitationsTable {
  token_hash: string;
  partner_id: string;
  user_id: string;
  expires_at: Timestamp;
  created_at: Timestamp;
}

export interface ApiAppsTable {
  id: string;
  partner_id: string;
  name: string;
  client_id: string;
  status: Generated<'active' | 'disabled'>;
  created_at: GeneratedTimestamp;
  updated_at: GeneratedTimestamp;
}

export interface ApiAppRolesTable {
  partner_id: string;
  app_id: string;
  role_id: string;
  category: string;
  created_at: GeneratedTimestamp;
}

export interface ApiAppSecretsTable {
  id: string;
  partner_id: string;
  app_id: string;
  secret_hash: string;
  hint: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface DocumentsTable {
  id: string;
  partner_id: string;
  purpose: string;
  filename: string;
  content_type: 'application/pdf' | 'image/jpeg' | 'image/png';
  size_bytes: number;
  sha256: string;
  content: Buffer;
  uploaded_by: string | null;
  created_at: Timestamp;
}

export interface NotificationsTable {
  id: string;
  partner_id: string;
  kind: string;
  params: ColumnType<Record<string, string>, string, string>;
  link: string | null;
  created_at: Timestamp;
}

/** A location account of a partner (migration 0014). */
export interface LocationsTable {
  id: string;
  partner_id: string;
  name: string;
  address: ColumnType<AddressJson, string, string>;
  contact: ColumnType<ContactJson, string, string>;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Who has read which notification (migration 0014): read state is per user. */
export interface NotificationReadsTable {
  notification_id: string;
  user_id: string;
  read_at: Timestamp;
}

/** Billing, organization, support and security-contact profiles (migration 0012): one JSON document each. */
export interface PartnerProfilesTable {
  partner_id: string;
  kind: 'billing' | 'organization' | 'support' | 'securitycontact';
  data: ColumnType<Record<string, unknown>, string, string>;
  version: number;
  updated_at: Timestamp;
  updated_by: string | null;
}

/** A tax profile per country (migration 0013); the registration number is encrypted ('tax.registration'). */
export interface TaxProfilesTable {
  id: string;
  partner_id: string;
  country: string;
  registration_number_enc: string | null;
  registration_number_hint: string | null;
  tax_exempt: boolean;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  updated_by: string | null;
}

/** A tax exemption filed by a partner and reviewed by the operator (migration 0013). */
export interface TaxExemptionsTable {
  id: string;
  partner_id: string;
  country: string;
  certificate_number: string;
  comment: string;
  status: 'submitted' | 'approved' | 'rejected';
  reason: string | null;
  submitted_at: Timestamp;
  reviewed_at: Timestamp | null;
  reviewed_by: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A company-level bank profile (migration 0013): account fields only as ciphertext (`*_enc`) and a masked hint. */
export interface BankProfilesTable {
  id: string;
  partner_id: string;
  name: string;
  bank_country: string;
  payment_method: 'sepa' | 'wire';
  account_holder_name: string;
  iban_enc: string | null;
  bic_enc: string | null;
  account_number_enc: string | null;
  routing_number_enc: string | null;
  sort_code_enc: string | null;
  bank_name: string | null;
  account_hint: string;
  status: 'pending_validation' | 'approved' | 'action_required';
  reason: string | null;
  version: number;
  submitted_at: Timestamp;
  reviewed_at: Timestamp | null;
  reviewed_by: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Which bank profile and tax profile (country) pay a programme or a location (migration 0013). */
export interface PayoutAssignmentsTable {
  partner_id: string;
  scope_type: 'programme' | 'location';
  scope_id: string;
  bank_profile_id: string | null;
  tax_profile_id: string | null;
  updated_at: Timestamp;
  updated_by: string | null;
}

/** Items per review queue and status, kept by triggers (migration 0016). */
export interface ReviewCountsTable {
  queue: 'bankprofiles' | 'taxexemptions';
  status: string;
  n: number;
}

export interface MetaTable {
  key: string;
  value: string;
}

/** Migration 0017. */
export interface BusinessProfilesTable {
  id: string;
  partner_id: string;
  country: string;
  status: Generated<'draft' | 'published'>;
  description: ColumnType<Record<string, string>, string | undefined, string>;
  industries: ColumnType<string[], string[] | undefined, string[]>;
  products: ColumnType<string[], string[] | undefined, string[]>;
  services: ColumnType<string[], string[] | undefined, string[]>;
  skills: ColumnType<string[], string[] | undefined, string[]>;
  customer_sizes: ColumnType<string[], string[] | undefined, string[]>;
  website: string | null;
  linkedin: string | null;
  locations: ColumnType<AddressJson[], string | undefined, string>;
  lead_contact: ColumnType<{ name: string; email: string; phone?: string | null } | null, string | null | undefined, string | null>;
  logo: Buffer | null;
  logo_type: string | null;
  logo_width: number | null;
  logo_height: number | null;
  logo_version: Generated<number>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  published_at: Date | null;
}

/** Migration 0018: the public directory's search table (written by modules/directory; read with raw SQL there). */
export interface DirectoryEntriesTable {
  profile_id: string;
  partner_id: string;
  country: string;
  display_name: string;
  name_key: string;
  descriptions: ColumnType<Record<string, string>, string, string>;
  languages: string[];
  industries: string[];
  products: string[];
  services: string[];
  skills: string[];
  customer_sizes: string[];
  locations: ColumnType<AddressJson[], string, string>;
  cities: string[];
  website: string | null;
  linkedin: string | null;
  has_logo: boolean;
  logo_version: number;
  support: ColumnType<{ email: string | null; telephone: string | null; website: string | null } | null, string | null, string | null>;
  tag_words: string;
  tag_key: string;
  facets: string[];
  search: string;
  published_at: Date;
  updated_at: Date;
}

/** Migration 0020. */
export interface OffersTable {
  id: string;
  product_id: string;
  sku_id: string;
  product_title: string;
  sku_title: string;
  publisher: Generated<string>;
  provisioning_id: string | null;
  provisioning_string: string | null;
  min_licenses: number | null;
  max_licenses: number | null;
  asset_ownership_limit: number | null;
  asset_ownership_limit_type: string | null;
  prerequisites: ColumnType<string[], string[] | undefined, string[]>;
  conversions: ColumnType<string[], string[] | undefined, string[]>;
  description: Generated<string>;
  allowed_countries: ColumnType<string[], string[] | undefined, string[]>;
  segment: Generated<'commercial' | 'education' | 'government' | 'nonprofit'>;
  category: Generated<string>;
  end_of_sale: Generated<boolean>;
  updated_at: Timestamp;
}

export interface PriceListVersionsTable {
  id: string;
  market: string;
  /** First day of the month (a `date`, read as 'YYYY-MM-DD' text). */
  month: string;
  status: 'importing' | 'ready' | 'failed';
  file_name: string | null;
  row_count: Generated<number>;
  deleted_count: Generated<number>;
  previous_version_id: string | null;
  imported_by: string | null;
  started_at: Timestamp;
  completed_at: Date | null;
  /** 0024: the import's outcome ({ADD, CHG, DEL, UNC}), its refusal report and heartbeat. */
  counts: ColumnType<Record<string, number>, string | undefined, string>;
  error_count: Generated<number>;
  errors: ColumnType<ImportReport | null, string | null | undefined, string | null>;
  heartbeat_at: Date | null;
}

/** 0024: an import's refusal report (the first problems, and how many there were). */
export interface ImportReport {
  code: string;
  details: { line?: number; field?: string; reason: string; params?: Record<string, string | number> }[];
  total: number;
}

export interface OfferImportsTable {
  id: string;
  status: 'importing' | 'ready' | 'failed';
  file_name: string | null;
  row_count: Generated<number>;
  counts: ColumnType<Record<string, number>, string | undefined, string>;
  error_count: Generated<number>;
  errors: ColumnType<ImportReport | null, string | null | undefined, string | null>;
  imported_by: string | null;
  started_at: Timestamp;
  heartbeat_at: Date | null;
  completed_at: Date | null;
}

export interface PriceRowsTable {
  version_id: string;
  row_no: number;
  imported: Generated<boolean>;
  product_id: string;
  sku_id: string;
  product_title: string;
  sku_title: string;
  publisher: string;
  sku_description: Generated<string>;
  unit_of_measure: Generated<string>;
  term_duration: string;
  billing_plan: string;
  market: string;
  currency: string;
  /** numeric: read as a decimal string, never a float. */
  unit_price: string;
  erp_price: string | null;
  tier_min: number | null;
  tier_max: number | null;
  effective_start_date: string;
  effective_end_date: string | null;
  end_of_sale_date: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  change_flag: 'ADD' | 'CHG' | 'DEL' | 'UNC';
}

export interface PromotionsTable {
  id: string;
  name: string;
  percent: string;
  markets: ColumnType<string[], string[] | undefined, string[]>;
  product_ids: ColumnType<string[], string[] | undefined, string[]>;
  sku_ids: ColumnType<string[], string[] | undefined, string[]>;
  terms: ColumnType<string[], string[] | undefined, string[]>;
  starts_on: string;
  ends_on: string;
  version: Generated<number>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CatalogPinsTable {
  partner_id: string;
  position: number;
  offer_id: string;
}

/** Migration 0019: leads from "Contact this partner", their team and notes. */
export type LeadStatus = 'new' | 'accepted' | 'declined' | 'won' | 'lost' | 'expired';

export interface LeadsTable {
  id: string;
  partner_id: string;
  business_profile_id: string | null;
  profile_country: string | null;
  customer_name: string;
  customer_company: string;
  customer_email: string;
  customer_phone: string;
  customer_country: string;
  company_size: string;
  need: string;
  consent: boolean;
  status: Generated<LeadStatus>;
  reason: string | null;
  /** numeric: read as a decimal string, never a float. */
  deal_value: string | null;
  currency: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  expires_at: Timestamp;
  search_text: ColumnType<string, never, never>;
}

export interface LeadTeamTable {
  partner_id: string;
  lead_id: string;
  user_id: string;
  added_at: Timestamp;
}

export interface LeadNotesTable {
  id: string;
  partner_id: string;
  lead_id: string;
  author_id: string | null;
  author_name: string;
  text: string;
  created_at: Timestamp;
}

export interface Database {
  partners: PartnersTable;
  users: UsersTable;
  roles: RolesTable;
  user_roles: UserRolesTable;
  email_verifications: EmailVerificationsTable;
  operators: OperatorsTable;
  sessions: SessionsTable;
  audit_records: AuditRecordsTable;
  meta: MetaTable;
  password_resets: PasswordResetsTable;
  api_apps: ApiAppsTable;
  api_app_roles: ApiAppRolesTable;
  api_app_secrets: ApiAppSecretsTable;
  invitations: InvitationsTable;
  mfa_recovery_codes: MfaRecoveryCodesTable;
  documents: DocumentsTable;
  notifications: NotificationsTable;
  review_counts: ReviewCountsTable;
  tax_profiles: TaxProfilesTable;
  tax_exemptions: TaxExemptionsTable;
  bank_profiles: BankProfilesTable;
  payout_assignments: PayoutAssignmentsTable;
  partner_profiles: PartnerProfilesTable;
  locations: LocationsTable;
  notification_reads: NotificationReadsTable;
  business_profiles: BusinessProfilesTable;
  directory_entries: DirectoryEntriesTable;
  offers: OffersTable;
  price_list_versions: PriceListVersionsTable;
  price_rows: PriceRowsTable;
  promotions: PromotionsTable;
  catalog_pins: CatalogPinsTable;
  offer_imports: OfferImportsTable;
  leads: LeadsTable;
  lead_team: LeadTeamTable;
  lead_notes: LeadNotesTable;
}
