import { sql, type Kysely } from 'kysely';

/**
 * The public "Find a partner" directory (issue 5): one denormalised row per PUBLISHED
 * business profile, written by `syncDirectoryEntry` in the transaction of every profile
 * change (so a publish is searchable as soon as it commits), and kept fresh by triggers
 * when what it copies from elsewhere changes:
 *
 * - `display_name` is the legal name (`partners.company_name`): trigger
 *   `directory_entries_legal_name` on `partners` rewrites the name, its key and the search
 *   vector of the partner's entries when the legal name changes, whichever code path
 *   changes it (legal profile edit, operator, CLI).
 * - `support` is the partner's support profile (`partner_profiles`, kind `support`):
 *   trigger `directory_entries_support` copies it on every write.
 *
 * Search:
 * - `search`: weighted tsvector (A name, B tags and skills, C descriptions) with French and
 *   English stemming through two accent-insensitive configurations (`ps_french`,
 *   `ps_english` = french/english + unaccent), so "hébergement", "héberger" and
 *   "hebergement" meet. GIN index.
 * - `name_key` / `tag_key`: lower(unaccent()) of the name and of the tag words, with
 *   pg_trgm GIN indexes for typo tolerance ("Contosso" → Contoso) with `<%`.
 * - `facets`: every filter value of the row as `kind:value` text (`c:FR`, `i:banking`,
 *   `city:lyon`, `l:fr`…), also in the search vector as lexemes (`directory_facet_lexemes`):
 *   the same GIN index answers free text and filters in one scan. Measured on 100,000
 *   entries (PostgreSQL, busy machine), "hébergement" & country & industry: 6–7 ms this
 *   way vs 28–42 ms with a separate GIN index on `facets` and a BitmapAnd.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists unaccent`.execute(db);
  await sql`create text search configuration ps_french (copy = french)`.execute(db);
  await sql`alter text search configuration ps_french alter mapping for hword, hword_part, word with unaccent, french_stem`.execute(db);
  await sql`create text search configuration ps_english (copy = english)`.execute(db);
  await sql`alter text search configuration ps_english alter mapping for hword, hword_part, word with unaccent, english_stem`.execute(db);

  // The filters as lexemes of the search vector, so that one GIN index answers free text and
  // filters together: GIN's AND scan then walks the rare lists and skips through the common
  // ones. Each facet alone, and each facet paired with the country ('c:FR|i:banking'), whose
  // lists are short; as 'f' + 16 hex digits of md5 (safe in a tsquery, whatever the value).
  await sql`
    create function directory_facet_lexemes(facets text[]) returns tsvector
    language sql immutable as $fn$
      select array_to_tsvector(array(
        select distinct 'f' || left(md5(t), 16) from (
          select unnest(facets) as t
          union all
          select c || '|' || f from unnest(facets) c, unnest(facets) f where c like 'c:%' and f not like 'c:%'
        ) x))
    $fn$`.execute(db);

  // One definition of the vector, used by the sync and by the legal-name trigger.
  // French and English descriptions get their own stemming; other languages 'simple'.
  await sql`
    create function directory_search_vector(name text, descriptions jsonb, tag_words text, facets text[]) returns tsvector
    language sql stable as $fn$
      select setweight(to_tsvector('ps_french', coalesce(name, '')), 'A')
          || setweight(to_tsvector('ps_english', coalesce(name, '')), 'A')
          || setweight(to_tsvector('ps_french', coalesce(tag_words, '')), 'B')
          || setweight(to_tsvector('ps_english', coalesce(tag_words, '')), 'B')
          || setweight(to_tsvector('ps_french', coalesce(descriptions ->> 'fr', '')), 'C')
          || setweight(to_tsvector('ps_english', coalesce(descriptions ->> 'en', '')), 'C')
          || setweight(to_tsvector('simple', coalesce((select string_agg(value, ' ') from jsonb_each_text(descriptions) where key not in ('fr', 'en')), '')), 'C')
          || directory_facet_lexemes(facets)
    $fn$`.execute(db);

  await sql`
    create table directory_entries (
      profile_id uuid primary key references business_profiles (id) on delete cascade,
      partner_id uuid not null references partners (id) on delete cascade,
      country char(2) not null,
      display_name text not null,
      name_key text not null,
      descriptions jsonb not null default '{}',
      languages text[] not null default '{}',
      industries text[] not null default '{}',
      products text[] not null default '{}',
      services text[] not null default '{}',
      skills text[] not null default '{}',
      customer_sizes text[] not null default '{}',
      locations jsonb not null default '[]',
      cities text[] not null default '{}',
      website text,
      linkedin text,
      has_logo boolean not null default false,
      logo_version integer not null default 0,
      support jsonb,
      tag_words text not null default '',
      tag_key text not null default '',
      facets text[] not null default '{}',
      search tsvector not null,
      published_at timestamptz not null,
      updated_at timestamptz not null
    )`.execute(db);
  await sql`create index directory_entries_search_idx on directory_entries using gin (search)`.execute(db);
  await sql`create index directory_entries_name_trgm_idx on directory_entries using gin (name_key gin_trgm_ops)`.execute(db);
  await sql`create index directory_entries_tag_trgm_idx on directory_entries using gin (tag_key gin_trgm_ops)`.execute(db);
  // Browsing without a query: alphabetical, keyed by (name_key, profile_id).
  await sql`create index directory_entries_name_idx on directory_entries (name_key, profile_id)`.execute(db);
  // The triggers below find a partner's entries.
  await sql`create index directory_entries_partner_idx on directory_entries (partner_id)`.execute(db);

  await sql`
    create function directory_entries_legal_name() returns trigger language plpgsql as $fn$
    begin
      update directory_entries
         set display_name = new.company_name,
             name_key = lower(unaccent(new.company_name)),
             search = directory_search_vector(new.company_name, descriptions, tag_words, facets)
       where partner_id = new.id;
      return null;
    end $fn$`.execute(db);
  await sql`
    create trigger directory_entries_legal_name after update of company_name on partners
    for each row when (old.company_name is distinct from new.company_name)
    execute function directory_entries_legal_name()`.execute(db);

  await sql`
    create function directory_entries_support() returns trigger language plpgsql as $fn$
    begin
      update directory_entries set support = new.data where partner_id = new.partner_id;
      return null;
    end $fn$`.execute(db);
  await sql`
    create trigger directory_entries_support after insert or update of data on partner_profiles
    for each row when (new.kind = 'support')
    execute function directory_entries_support()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('0018_directory cannot be reverted');
}
