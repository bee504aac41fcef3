import { useEffect } from 'react';
import type { Address } from '../../api/types';
import { CUSTOMER_SIZES, INDUSTRIES, PRODUCTS, SERVICES } from '../../../shared/taxonomy';

/** GET /v1/directory/partners items. */
export interface DirectoryItem {
  id: string;
  partnerId: string;
  name: string;
  slug: string;
  country: string;
  excerpt: string;
  descriptionLanguage: string | null;
  industries: string[];
  products: string[];
  services: string[];
  skills: string[];
  customerSizes: string[];
  cities: string[];
  logoUrl: string | null;
  url: string;
}

export interface DirectorySearchResult {
  totalCount: number;
  items: DirectoryItem[];
  links: { self: { uri: string }; next?: { uri: string } };
}

/** GET /v1/directory/partners/{id}: the public page (also the business profile editor's preview). */
export interface DirectoryPartnerPage {
  id: string;
  partnerId?: string;
  name: string;
  slug?: string;
  country: string;
  description: string;
  descriptionLanguage: string | null;
  languages: string[];
  industries: string[];
  products: string[];
  services: string[];
  skills: string[];
  customerSizes: string[];
  locations: Address[];
  support: { email: string | null; telephone: string | null; website: string | null } | null;
  website: string | null;
  linkedIn: string | null;
  logoUrl: string | null;
  url?: string;
}

export const TAG_LISTS = { industries: INDUSTRIES, products: PRODUCTS, services: SERVICES, customerSizes: CUSTOMER_SIZES } as const;
export type TagList = keyof typeof TAG_LISTS | 'skills';

/** The filters of the search page, as URL parameters (shareable, and the back button works). */
export const FILTERS = ['country', 'city', 'industry', 'product', 'service', 'size', 'language'] as const;
export type FilterName = (typeof FILTERS)[number];

/** Languages a description may be written in (the language filter). */
export const DESCRIPTION_LANGUAGES = ['fr', 'en', 'de', 'es', 'it', 'nl', 'pt'] as const;

const displayNames = new Map<string, Intl.DisplayNames | null>();
/** A language's name in the UI language, e.g. "anglais" for en in French. */
export function languageName(uiLocale: string, code: string): string {
  if (!displayNames.has(uiLocale)) {
    try {
      displayNames.set(uiLocale, new Intl.DisplayNames([uiLocale], { type: 'language' }));
    } catch {
      displayNames.set(uiLocale, null);
    }
  }
  return displayNames.get(uiLocale)?.of(code) ?? code;
}

/** One line of a postal address. */
export function addressLine(a: Address): string {
  return [a.addressLine1, a.addressLine2, [a.postalCode, a.city].filter(Boolean).join(' '), a.state].filter(Boolean).join(', ');
}

/**
 * The page's title and meta description, in the visitor's language. Set after the
 * LocaleProvider's own title effect (parents' effects run after children's), so the
 * page's title wins when the language changes.
 */
export function usePageMeta(title: string, description: string): void {
  useEffect(() => {
    const timer = window.setTimeout(() => {
      document.title = title;
      let meta = document.querySelector<HTMLMetaElement>('meta[name="description"]');
      if (!meta) {
        meta = document.createElement('meta');
        meta.name = 'description';
        document.head.appendChild(meta);
      }
      meta.content = description;
    }, 0);
    return () => window.clearTimeout(timer);
  }, [title, description]);
}
