import type { Address, Contact, LegalBusinessProfile } from '../../../api/types';

export interface ProfileDocument {
  id: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
  createdAt: string;
}

/** GET /v1/profiles/legalbusiness, with its verification state. */
export interface LegalProfile extends LegalBusinessProfile {
  companyApprover: Contact | null;
  rejectionReason: string | null;
  pendingFields: string[];
  verificationComment: string | null;
  submittedAt: string;
  documents: ProfileDocument[];
}

export interface BillingProfile {
  companyName: string;
  currency: string;
  address: Address;
  contact: Contact;
  poNumber: string | null;
  taxId: string | null;
}

export interface OrganizationProfile {
  language: string | null;
  culture: string | null;
  defaultAddress: Address | null;
  notificationEmail: string | null;
  domain: string | null;
  partnerType: string | null;
  companySize: string | null;
  revenueBand: string | null;
  marketsServed: string[];
  marketsTargeted: string[];
}

export interface SupportProfile {
  email: string | null;
  telephone: string | null;
  website: string | null;
}

export interface SecurityContact {
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
  email: string | null;
  phoneNumber: string | null;
}

export const PARTNER_TYPES = ['direct_reseller', 'indirect_reseller', 'indirect_provider', 'managed_services', 'software_vendor', 'services', 'other'] as const;
export const COMPANY_SIZES = ['1-10', '11-50', '51-250', '251-1000', '1001-5000', '5001+'] as const;
export const REVENUE_BANDS = ['under_1m', '1m_10m', '10m_50m', '50m_250m', 'over_250m'] as const;
export const LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'nl', 'pt'] as const;
