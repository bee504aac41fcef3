/** The catalog API's shapes (src/server/modules/catalog/catalog.routes.ts). */

export const SEGMENTS = ['commercial', 'education', 'government', 'nonprofit'] as const;
export type Segment = (typeof SEGMENTS)[number];

export const MAX_PINS = 5;

export interface CatalogOffer {
  id: string;
  productId: string;
  skuId: string;
  productTitle: string;
  skuTitle: string;
  publisher: string;
  segment: Segment;
  category: string;
  endOfSale: boolean;
  pinned: boolean;
  pinPosition: number | null;
}

export interface CatalogOfferPage {
  totalCount: number;
  items: CatalogOffer[];
  links: { self: { uri: string }; next?: { uri: string } };
}

export interface CatalogOfferDetails extends CatalogOffer {
  description: string;
  minLicenses: number | null;
  maxLicenses: number | null;
  assetOwnershipLimit: number | null;
  assetOwnershipLimitType: string | null;
  prerequisites: { id: string; productTitle: string | null; skuTitle: string | null }[];
  allowedCountries: string[];
  priceList: { market: string; month: string } | null;
  terms: { termDuration: string; billingPlan: string; currencies: string[] }[];
  updatedAt: string;
}

export interface CatalogCategories {
  items: { segment: Segment; category: string; count: number }[];
  segments: { segment: Segment; count: number }[];
}

export interface PinnedOffer {
  id: string;
  productTitle: string;
  skuTitle: string;
}

export interface CatalogPins {
  offerIds: string[];
  etag: string;
  offers: PinnedOffer[];
}

/**
 * How a person tells one offer from another (buttons' accessible names, announcements):
 * several SKUs of one product share its title, so the SKU title, with the product's when it
 * does not already say it.
 */
export function offerName(o: { productTitle: string; skuTitle: string }): string {
  return o.skuTitle.startsWith(o.productTitle) ? o.skuTitle : `${o.productTitle} (${o.skuTitle})`;
}
