/** The leads API's shapes (GET/PATCH /v1/referrals…), as the web app reads them. */
export type LeadStatus = 'new' | 'accepted' | 'declined' | 'won' | 'lost' | 'expired';

export const LEAD_STATUSES: readonly LeadStatus[] = ['new', 'accepted', 'declined', 'won', 'lost', 'expired'];
export const COMPANY_SIZES = ['small', 'medium', 'large'] as const;

export interface TeamMember {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
}

export interface Lead {
  id: string;
  status: LeadStatus;
  businessProfileId: string | null;
  profileCountry: string | null;
  customer: { name: string; company: string; email: string | null; phone: string | null; country: string; companySize: string; need: string; consent: boolean };
  contactHidden: boolean;
  fresh: boolean;
  reason: string | null;
  dealValue: string | null;
  currency: string | null;
  team: TeamMember[];
  etag: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
}

export interface LeadDetail extends Lead {
  notes: { id: string; authorId: string | null; authorName: string; text: string; createdAt: string }[];
}

export interface LeadCollection {
  totalCount: number;
  items: Lead[];
  links: { self: { uri: string }; next?: { uri: string } };
}

export interface LeadFilters {
  q: string;
  status: LeadStatus | '';
  companySize: string;
  mine: boolean;
}

/** The query string of the inbox and of its CSV export (the same filters). */
export function filterQuery(f: LeadFilters): URLSearchParams {
  const q = new URLSearchParams();
  if (f.q) q.set('q', f.q);
  if (f.status) q.set('status', f.status);
  if (f.companySize) q.set('companySize', f.companySize);
  if (f.mine) q.set('assignedTo', 'me');
  return q;
}

/** Badge colours per status. */
export const STATUS_COLOR: Record<LeadStatus, 'brand' | 'success' | 'danger' | 'informative' | 'warning' | 'subtle'> = {
  new: 'brand',
  accepted: 'informative',
  won: 'success',
  lost: 'warning',
  declined: 'subtle',
  expired: 'subtle',
};

/** A deal value (decimal string) in the UI's language with its currency; never through a float for the digits that matter. */
export function formatDeal(locale: string, value: string, currency: string): string {
  try {
    // Intl accepts a decimal string exactly (no float rounding) since ES2023.
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(value as unknown as number);
  } catch {
    return `${value} ${currency}`;
  }
}
