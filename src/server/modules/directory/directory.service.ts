import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import type { Db } from '../../db/database';
import type { AddressJson } from '../../db/schema';
import { PRODUCTS } from '../../../shared/taxonomy';
import { draftEntry, entriesByIds, findEntry, findLogo, productKnown, searchIds, type EntryRow, type SearchQuery } from './directory.repo';

/**
 * The public "Find a partner" directory (issue 5): search and partner pages, no sign-in.
 * Reads `directory_entries` only, which holds published profiles only: a draft, an
 * unpublished or a deleted profile is simply not there (404).
 */

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 50;
/** Deep pages cost a sort of every hit; nobody reads past page 50 of a directory. */
export const MAX_PAGE = 50;
const EXCERPT_CHARS = 280;

export interface DirectoryFilters {
  q?: string | undefined;
  country?: string | undefined;
  city?: string | undefined;
  industry?: string | undefined;
  product?: string | undefined;
  service?: string | undefined;
  size?: string | undefined;
  language?: string | undefined;
}

/** The `kind:value` facets of the filters (see migration 0018); cities compare lower-case without accents, like the stored keys. */
export function facetsOf(f: DirectoryFilters): string[] {
  const out: string[] = [];
  if (f.country) out.push(`c:${f.country.toUpperCase()}`);
  if (f.city) out.push(`city:${cityKey(f.city)}`);
  if (f.industry) out.push(`i:${f.industry}`);
  if (f.product) out.push(`p:${f.product}`);
  if (f.service) out.push(`s:${f.service}`);
  if (f.size) out.push(`z:${f.size}`);
  if (f.language) out.push(`l:${f.language}`);
  return out;
}

/** lower(unaccent()) in JavaScript: NFD, then drop the combining marks (what unaccent does for Latin letters). */
export function cityKey(city: string): string {
  return city.trim().normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** A URL-friendly form of the name for the page's clean URL (`/partners/<id>/<slug>`); the id alone identifies the page. */
export function slugOf(name: string): string {
  return (
    name
      .normalize('NFD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'partner'
  );
}

/** The visitor's language if the partner wrote it, else English, else French, else the first there is. */
export function pickDescription(descriptions: Record<string, string>, lang: string): { text: string; language: string | null } {
  for (const l of [lang, 'en', 'fr']) if (descriptions[l]) return { text: descriptions[l], language: l };
  const first = Object.keys(descriptions).sort()[0];
  return first ? { text: descriptions[first]!, language: first } : { text: '', language: null };
}

/** The first lines of a description, cut at a word. */
export function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= EXCERPT_CHARS) return flat;
  const cut = flat.slice(0, EXCERPT_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > EXCERPT_CHARS / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–-]+$/, '')}…`;
}

const logoUrl = (e: EntryRow) => (e.has_logo ? `/v1/directory/partners/${e.profile_id}/logo?v=${e.logo_version}` : null);

function tagsOf(e: EntryRow) {
  return { industries: e.industries, products: e.products, services: e.services, skills: e.skills, customerSizes: e.customer_sizes };
}

/** Who the partner is: the same on the search results and the page. */
function identityOf(e: EntryRow) {
  return { id: e.profile_id, partnerId: e.partner_id, name: e.display_name, slug: slugOf(e.display_name), country: e.country.trim() };
}

export function presentItem(e: EntryRow, lang: string) {
  const d = pickDescription(e.descriptions, lang);
  const who = identityOf(e);
  return {
    ...who,
    excerpt: excerptOf(d.text),
    descriptionLanguage: d.language,
    ...tagsOf(e),
    cities: [...new Set(e.locations.map((l) => l.city).filter(Boolean))],
    logoUrl: logoUrl(e),
    url: `/partners/${who.id}/${who.slug}`,
  };
}

/** The public page of one partner (also the editor's preview: same shape, from a draft). */
export function presentPage(e: EntryRow, lang: string) {
  const d = pickDescription(e.descriptions, lang);
  const who = identityOf(e);
  const s = e.support;
  return {
    ...who,
    description: d.text,
    descriptionLanguage: d.language,
    languages: e.languages,
    ...tagsOf(e),
    locations: e.locations as AddressJson[],
    support: s && (s.email || s.telephone || s.website) ? { email: s.email ?? null, telephone: s.telephone ?? null, website: s.website ?? null } : null,
    website: e.website,
    linkedIn: e.linkedin,
    logoUrl: logoUrl(e),
    url: `/partners/${who.id}/${who.slug}`,
    publishedAt: e.published_at.toISOString(),
  };
}

export type DirectoryItem = ReturnType<typeof presentItem>;
export type DirectoryPage = ReturnType<typeof presentPage>;

/** A product filter is a managed product or, once the operator imported a catalog, one of its product titles. */
async function checkProduct(db: Db, product: string | undefined) {
  if (!product || (PRODUCTS as readonly string[]).includes(product) || (await productKnown(db, product))) return;
  throw new AppError('VALIDATION_FAILED', {}, [{ field: 'querystring.product', reason: 'invalid_value', message: '' }]);
}

export async function searchDirectory(
  ctx: RequestContext,
  f: DirectoryFilters & { page: number; pageSize: number; lang: string },
  opts: { typo?: SearchQuery['typo'] } = {},
) {
  await checkProduct(ctx.db, f.product);
  const query: SearchQuery = {
    q: (f.q ?? '').trim(),
    facets: facetsOf(f),
    limit: f.pageSize,
    offset: (f.page - 1) * f.pageSize,
    typo: opts.typo ?? 'fallback',
  };
  const { hits, total } = await searchIds(ctx.db, query);
  const byId = new Map((await entriesByIds(ctx.db, hits.map((h) => h.profile_id))).map((e) => [e.profile_id, e]));
  // An entry unpublished between the two reads is left out rather than shown stale.
  const items = hits.flatMap((h) => {
    const e = byId.get(h.profile_id);
    return e ? [presentItem(e, f.lang)] : [];
  });
  return { totalCount: total, items, hasMore: query.offset + hits.length < total && f.page < MAX_PAGE };
}

export async function getDirectoryPartner(ctx: RequestContext, id: string, lang: string): Promise<DirectoryPage> {
  const e = await findEntry(ctx.db, id);
  if (!e) throw new AppError('NOT_FOUND');
  return presentPage(e, lang);
}

export async function getDirectoryLogo(ctx: RequestContext, id: string) {
  const logo = await findLogo(ctx.db, id);
  if (!logo) throw new AppError('NOT_FOUND');
  return logo;
}

/**
 * The public page a business profile would have, computed from the profile as it is now
 * (draft or published): the editor's preview. The caller checks the profile is its tenant's.
 */
export async function previewDirectoryPartner(db: Db, profileId: string, lang = 'en'): Promise<DirectoryPage> {
  const e = await draftEntry(db, profileId);
  if (!e) throw new AppError('NOT_FOUND');
  return presentPage(e, lang);
}

/** For the contact form (leads): the partner behind a published directory entry, or undefined. */
export async function publishedPartnerOf(db: Db, id: string): Promise<{ partnerId: string; profileId: string; name: string } | undefined> {
  const e = await findEntry(db, id);
  return e ? { partnerId: e.partner_id, profileId: e.profile_id, name: e.display_name } : undefined;
}
