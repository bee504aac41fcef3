import { createHash } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database';
import type { AddressJson } from '../../db/schema';
import { TAG_WORDS } from './directory.tags';

/**
 * SQL of the public directory (migration 0018). The directory is not tenant data: every
 * query reads published entries only, whoever asks.
 */

const ENTRY_COLUMNS = [
  'profile_id', 'partner_id', 'country', 'display_name', 'name_key', 'descriptions', 'languages', 'industries', 'products', 'services', 'skills',
  'customer_sizes', 'locations', 'cities', 'website', 'linkedin', 'has_logo', 'logo_version', 'support', 'tag_words', 'tag_key', 'facets', 'search',
  'published_at', 'updated_at',
] as const;

/**
 * The directory row of the business profiles selected by `where` (on `bp`), computed from
 * the profile, the legal name and the support profile: the one definition used by the
 * sync (one row), the bulk generator (set-based) and the editor's preview (a draft).
 * Descriptions keep only non-empty languages; cities and the `city:` facets are
 * lower(unaccent()) keys so that "Lyon", "lyon" and "LYON" filter alike.
 */
export function entrySource(where: RawBuilder<unknown>) {
  return sql`
    select bp.id as profile_id, bp.partner_id, bp.country, p.company_name as display_name, lower(unaccent(p.company_name)) as name_key,
      d.descriptions, d.languages, bp.industries, bp.products, bp.services, bp.skills, bp.customer_sizes, bp.locations, c.cities,
      bp.website, bp.linkedin, bp.logo_type is not null as has_logo, bp.logo_version, sp.data as support,
      t.tag_words, lower(unaccent(t.tag_words)) as tag_key, f.facets,
      directory_search_vector(p.company_name, d.descriptions, t.tag_words, f.facets) as search,
      coalesce(bp.published_at, bp.updated_at) as published_at, bp.updated_at
    from business_profiles bp
    join partners p on p.id = bp.partner_id
    left join partner_profiles sp on sp.partner_id = bp.partner_id and sp.kind = 'support'
    cross join lateral (
      select coalesce(jsonb_object_agg(key, btrim(value)), '{}'::jsonb) as descriptions,
        coalesce(array_agg(key order by key), '{}'::text[]) as languages
      from jsonb_each_text(bp.description) where btrim(value) <> ''
    ) d
    cross join lateral (
      select coalesce(array_agg(distinct lower(unaccent(btrim(l ->> 'city')))) filter (where btrim(coalesce(l ->> 'city', '')) <> ''), '{}'::text[]) as cities
      from jsonb_array_elements(bp.locations) l
    ) c
    cross join lateral (
      select concat_ws(' ',
        (select string_agg(coalesce(${JSON.stringify(TAG_WORDS)}::jsonb ->> x, replace(x, '-', ' ')), ' ') from unnest(bp.industries || bp.products || bp.services) x),
        array_to_string(bp.skills, ' ')) as tag_words
    ) t
    cross join lateral (
      select array['c:' || bp.country]
        || array(select 'city:' || x from unnest(c.cities) x)
        || array(select 'i:' || x from unnest(bp.industries) x)
        || array(select 'p:' || x from unnest(bp.products) x)
        || array(select 's:' || x from unnest(bp.services) x)
        || array(select 'z:' || x from unnest(bp.customer_sizes) x)
        || array(select 'l:' || x from unnest(d.languages) x) as facets
    ) f
    where ${where}`;
}

/** Upsert the entry of a published profile, remove it otherwise: one statement each, in the caller's transaction. */
export async function syncEntry(db: Db, profileId: string): Promise<void> {
  await upsertEntries(db, sql`bp.id = ${profileId}::uuid and bp.status = 'published'`);
  await sql`
    delete from directory_entries
    where profile_id = ${profileId}::uuid
      and not exists (select 1 from business_profiles where id = ${profileId}::uuid and status = 'published')`.execute(db);
}

/** Set-based: (re)write the entries of every published profile `where` selects. Returns the rows written. */
export async function upsertEntries(db: Db, where: RawBuilder<unknown>): Promise<number> {
  const cols = sql.join(ENTRY_COLUMNS.map((c) => sql.id(c)));
  const updates = sql.join(ENTRY_COLUMNS.filter((c) => c !== 'profile_id').map((c) => sql`${sql.id(c)} = excluded.${sql.id(c)}`));
  const r = await sql`
    insert into directory_entries (${cols})
    select ${cols} from (${entrySource(where)}) s
    on conflict (profile_id) do update set ${updates}`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

export interface EntryRow {
  profile_id: string;
  partner_id: string;
  country: string;
  display_name: string;
  descriptions: Record<string, string>;
  languages: string[];
  industries: string[];
  products: string[];
  services: string[];
  skills: string[];
  customer_sizes: string[];
  locations: AddressJson[];
  cities: string[];
  website: string | null;
  linkedin: string | null;
  has_logo: boolean;
  logo_version: number;
  support: { email?: string | null; telephone?: string | null; website?: string | null } | null;
  published_at: Date;
}

const PAGE_COLUMNS = sql`e.profile_id, e.partner_id, e.country, e.display_name, e.descriptions, e.languages, e.industries, e.products, e.services, e.skills,
  e.customer_sizes, e.locations, e.cities, e.website, e.linkedin, e.has_logo, e.logo_version, e.support, e.published_at`;

export async function findEntry(db: Db, profileId: string): Promise<EntryRow | undefined> {
  const r = await sql<EntryRow>`select ${PAGE_COLUMNS} from directory_entries e where e.profile_id = ${profileId}::uuid`.execute(db);
  return r.rows[0];
}

/** The same row computed from the business profile itself, published or not (the editor's preview). */
export async function draftEntry(db: Db, profileId: string): Promise<EntryRow | undefined> {
  const r = await sql<EntryRow>`select ${PAGE_COLUMNS} from (${entrySource(sql`bp.id = ${profileId}::uuid`)}) e`.execute(db);
  return r.rows[0];
}

export async function findLogo(db: Db, profileId: string) {
  const r = await sql<{ logo: Buffer; logo_type: string; logo_version: number }>`
    select bp.logo, bp.logo_type, bp.logo_version
    from directory_entries e join business_profiles bp on bp.id = e.profile_id
    where e.profile_id = ${profileId}::uuid and bp.logo is not null`.execute(db);
  return r.rows[0];
}

// ------------------------------------------------------------------ search

export interface SearchQuery {
  /** Free text, already trimmed; '' = browse. */
  q: string;
  /** `kind:value` facets that must all be present (see migration 0018). */
  facets: string[];
  limit: number;
  offset: number;
  /**
   * Typo tolerance: 'fallback' runs the trigram match (names and tags) only when the full
   * text search finds fewer than `FALLBACK_BELOW` entries; 'or' always ORs it in.
   */
  typo: 'fallback' | 'or';
}

export interface SearchHit {
  profile_id: string;
  rank: number;
  total: number;
}

/** Below this many full-text hits, the typo-tolerant match is added (mode 'fallback'). */
export const FALLBACK_BELOW = 3;
const MAX_TERMS = 8;

/**
 * The words of the query as a tsquery: each word stemmed in French OR English, the words
 * AND-ed, so a mixed query ("hosting sécurité") matches an entry whose English text has
 * one and French text the other. Words are parsed by PostgreSQL (plainto_tsquery), so any
 * punctuation is harmless.
 */
export function queryTerms(q: string): string[] {
  return q
    .split(/[\s,;:!?()"'«»/\\|&<>*+=.]+/u)
    .map((w) => w.trim())
    .filter((w) => w.length > 0)
    .slice(0, MAX_TERMS);
}

function tsquery(words: string[]) {
  const parts = words.map((w) => sql`(plainto_tsquery('ps_french', ${w}) || plainto_tsquery('ps_english', ${w}))`);
  return parts.length ? sql.join(parts, sql` && `) : sql`''::tsquery`;
}

/**
 * The filters as a tsquery over the facet lexemes of the search vector (migration 0018,
 * `directory_facet_lexemes`): with a country, each other filter paired with it (short
 * posting lists); else each filter alone.
 */
export function facetLexemes(facets: string[]): string[] {
  const country = facets.find((f) => f.startsWith('c:'));
  const others = facets.filter((f) => !f.startsWith('c:'));
  const tokens = country ? (others.length ? others.map((f) => `${country}|${f}`) : [country]) : others;
  return tokens.map((t) => `f${createHash('md5').update(t, 'utf8').digest('hex').slice(0, 16)}`);
}

const facetQuery = (facets: string[]) => {
  const lexemes = facetLexemes(facets);
  return lexemes.length ? sql`${lexemes.join(' & ')}::tsquery` : null;
};

/** One page of entry ids with their rank, and the total, ordered by relevance then (name, id). */
export async function searchIds(db: Db, s: SearchQuery): Promise<{ hits: SearchHit[]; total: number }> {
  const filters = facetQuery(s.facets);
  const where = filters ? sql`e.search @@ ${filters}` : sql`true`;
  const words = queryTerms(s.q);
  if (words.length === 0) return browse(db, where, s);
  // Scalar subqueries: computed once per statement (InitPlans), and usable as index conditions.
  // Matching uses text and filters together (one GIN scan); the rank, the text alone.
  const tsq = sql`(select ${tsquery(words)})`;
  const matchq = filters ? sql`(select ${tsquery(words)} && ${filters})` : tsq;
  const key = sql`(select lower(unaccent(${s.q})))`;
  const fts = sql`select e.profile_id, e.name_key, ts_rank(e.search, ${tsq}) as rank from directory_entries e where e.search @@ ${matchq}`;
  // Trigram hits rank below any full-text hit of the same query: ts_rank is in (0, 1], this in [-1, 0).
  const fuzzy = sql`
    select e.profile_id, e.name_key, greatest(word_similarity(${key}, e.name_key), 0.8 * word_similarity(${key}, e.tag_key)) - 1 as rank
    from directory_entries e where ${where} and (${key} <% e.name_key or ${key} <% e.tag_key)`;
  if (s.typo === 'or') {
    return page(db, sql`select profile_id, name_key, max(rank) as rank from (${fts} union all ${fuzzy}) u group by profile_id, name_key`, s);
  }
  const first = await page(db, fts, s);
  if (first.total >= FALLBACK_BELOW) return first;
  if (first.total === 0) return page(db, fuzzy, s);
  return page(db, sql`select profile_id, name_key, max(rank) as rank from (${fts} union all ${fuzzy}) u group by profile_id, name_key`, s);
}

async function page(db: Db, hits: RawBuilder<unknown>, s: SearchQuery): Promise<{ hits: SearchHit[]; total: number }> {
  const r = await sql<SearchHit>`
    select profile_id, rank, count(*) over () as total
    from (${hits}) h
    order by rank desc, name_key, profile_id
    limit ${s.limit} offset ${s.offset}`.execute(db);
  if (r.rows.length > 0) return { hits: r.rows.map((h) => ({ ...h, total: Number(h.total), rank: Number(h.rank) })), total: Number(r.rows[0]!.total) };
  if (s.offset === 0) return { hits: [], total: 0 };
  // Past the last page: the total still tells the visitor how many there are.
  const c = await sql<{ n: number }>`select count(*) as n from (${hits}) h`.execute(db);
  return { hits: [], total: Number(c.rows[0]?.n ?? 0) };
}

/**
 * No query: alphabetical. The page walks the (name_key, profile_id) index and the total is a
 * separate count (a window count over every row would make the page read them all).
 */
async function browse(db: Db, where: RawBuilder<unknown>, s: SearchQuery): Promise<{ hits: SearchHit[]; total: number }> {
  const [rows, count] = await Promise.all([
    sql<{ profile_id: string }>`select e.profile_id from directory_entries e where ${where} order by e.name_key, e.profile_id limit ${s.limit} offset ${s.offset}`.execute(db),
    sql<{ n: number }>`select count(*) as n from directory_entries e where ${where}`.execute(db),
  ]);
  return { hits: rows.rows.map((r) => ({ profile_id: r.profile_id, rank: 0, total: Number(count.rows[0]?.n ?? 0) })), total: Number(count.rows[0]?.n ?? 0) };
}

/** The display columns of the entries of one page (in no particular order). */
export async function entriesByIds(db: Db, ids: string[]): Promise<EntryRow[]> {
  if (ids.length === 0) return [];
  const r = await sql<EntryRow>`select ${PAGE_COLUMNS} from directory_entries e where e.profile_id = any(${ids}::uuid[])`.execute(db);
  return r.rows;
}

export async function productKnown(db: Db, product: string): Promise<boolean> {
  const r = await sql<{ one: number }>`select 1 as one from offers where product_title = ${product} limit 1`.execute(db);
  return r.rows.length > 0;
}
