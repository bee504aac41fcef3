import type { Address } from '../../api/types';
import type { DirectoryPartnerPage } from '../directory/model';

/** GET /v1/businessprofiles/{id} (src/server/modules/businessprofiles/businessprofiles.routes.ts). */
export interface BusinessProfile {
  id: string;
  country: string;
  status: 'draft' | 'published';
  displayName: string;
  description: Record<string, string>;
  industries: string[];
  products: string[];
  services: string[];
  skills: string[];
  customerSizes: string[];
  website: string | null;
  linkedIn: string | null;
  locations: Address[];
  leadContact: { name: string; email: string; phone: string | null } | null;
  logo: { url: string; width: number; height: number } | null;
  etag: string;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

export interface BusinessProfileCollection {
  totalCount: number;
  items: BusinessProfile[];
}

/** GET /v1/businessprofiles/options: the lists tags come from, and the limits. */
export interface ProfileOptions {
  industries: string[];
  services: string[];
  customerSizes: string[];
  products: { source: 'catalog' | 'managed'; items: string[] };
  limits: { descriptionChars: number; industries: number; products: number; skills: number; skillChars: number; locations: number };
}

/** GET /v1/businessprofiles/{id}/preview: the public page the directory would show, without the directory's own ids and links. */
export type DirectoryPagePreview = Omit<DirectoryPartnerPage, 'partnerId' | 'slug' | 'url'>;

/** Languages offered for descriptions: French and English always, then these on request. */
export const EXTRA_LANGUAGES = ['de', 'es', 'it', 'nl', 'pt', 'pl', 'sv', 'da', 'fi', 'nb', 'cs', 'ro', 'hu', 'el', 'ja', 'zh', 'ar'] as const;

/** A language's name in the UI language: the directory's helper, so both say the same. */
export { languageName } from '../directory/model';

/** Characters as a person counts them (code points), as the server does. */
export const charCount = (s: string) => [...s.trim()].length;

/** A managed tag's label; catalog product titles are shown as they are. */
export function tagMessageId(list: 'industries' | 'services' | 'products' | 'customerSizes', value: string, known: readonly string[]): string | null {
  return known.includes(value) ? `taxonomy.${list}.${value}` : null;
}
