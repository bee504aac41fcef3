import type { Db } from '../../db/database';
import type { AddressJson } from '../../db/schema';

/** Every column but the logo's bytes (read only by the logo route). */
const columns = [
  'business_profiles.id',
  'business_profiles.country',
  'business_profiles.status',
  'business_profiles.description',
  'business_profiles.industries',
  'business_profiles.products',
  'business_profiles.services',
  'business_profiles.skills',
  'business_profiles.customer_sizes',
  'business_profiles.website',
  'business_profiles.linkedin',
  'business_profiles.locations',
  'business_profiles.lead_contact',
  'business_profiles.logo_type',
  'business_profiles.logo_width',
  'business_profiles.logo_height',
  'business_profiles.logo_version',
  'business_profiles.version',
  'business_profiles.created_at',
  'business_profiles.updated_at',
  'business_profiles.published_at',
] as const;

function base(db: Db, partnerId: string) {
  return db
    .selectFrom('business_profiles')
    .innerJoin('partners', 'partners.id', 'business_profiles.partner_id')
    .select([...columns, 'partners.company_name'])
    .where('business_profiles.partner_id', '=', partnerId);
}

/** Tenant-scoped: another partner's profile is simply not found. */
export function findProfile(db: Db, partnerId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = base(db, partnerId).where('business_profiles.id', '=', id);
  // Lock the profile row only (the partner row is read, not locked).
  if (opts.forUpdate) q = q.forUpdate(['business_profiles']);
  return q.executeTakeFirst();
}

export type ProfileRow = NonNullable<Awaited<ReturnType<typeof findProfile>>>;

/** One page by country (one profile per country, so the country is the keyset). */
export async function listProfiles(db: Db, partnerId: string, q: { size: number; afterCountry?: string | undefined }) {
  let page = base(db, partnerId);
  if (q.afterCountry) page = page.where('business_profiles.country', '>', q.afterCountry);
  const [rows, total] = await Promise.all([
    page.orderBy('business_profiles.country', 'asc').limit(q.size + 1).execute(),
    db.selectFrom('business_profiles').select((eb) => eb.fn.countAll<number>().as('n')).where('partner_id', '=', partnerId).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.slice(0, q.size), hasMore: rows.length > q.size, totalCount: Number(total.n) };
}

export function profileInCountry(db: Db, partnerId: string, country: string) {
  return db.selectFrom('business_profiles').select('id').where('partner_id', '=', partnerId).where('country', '=', country).executeTakeFirst();
}

export interface ProfileFields {
  description: Record<string, string>;
  industries: string[];
  products: string[];
  services: string[];
  skills: string[];
  customerSizes: string[];
  website: string | null;
  linkedIn: string | null;
  locations: AddressJson[];
  leadContact: { name: string; email: string; phone?: string | null } | null;
}

function row(f: ProfileFields) {
  return {
    description: JSON.stringify(f.description),
    industries: f.industries,
    products: f.products,
    services: f.services,
    skills: f.skills,
    customer_sizes: f.customerSizes,
    website: f.website,
    linkedin: f.linkedIn,
    locations: JSON.stringify(f.locations),
    lead_contact: f.leadContact ? JSON.stringify(f.leadContact) : null,
  };
}

export async function insertProfile(db: Db, p: { id: string; partnerId: string; country: string; fields: ProfileFields; now: Date }) {
  await db
    .insertInto('business_profiles')
    .values({ id: p.id, partner_id: p.partnerId, country: p.country, ...row(p.fields), version: 1, created_at: p.now, updated_at: p.now })
    .execute();
}

export async function updateProfileRow(db: Db, partnerId: string, id: string, v: { fields: ProfileFields; version: number; now: Date }) {
  await db
    .updateTable('business_profiles')
    .set({ ...row(v.fields), version: v.version, updated_at: v.now })
    .where('partner_id', '=', partnerId)
    .where('id', '=', id)
    .execute();
}

export async function setStatus(db: Db, partnerId: string, id: string, v: { status: 'draft' | 'published'; version: number; now: Date }) {
  await db
    .updateTable('business_profiles')
    .set({ status: v.status, version: v.version, updated_at: v.now, ...(v.status === 'published' ? { published_at: v.now } : {}) })
    .where('partner_id', '=', partnerId)
    .where('id', '=', id)
    .execute();
}

export async function setLogo(db: Db, partnerId: string, id: string, v: { logo: { bytes: Buffer; type: string; width: number; height: number } | null; version: number; logoVersion: number; now: Date }) {
  await db
    .updateTable('business_profiles')
    .set({
      logo: v.logo?.bytes ?? null,
      logo_type: v.logo?.type ?? null,
      logo_width: v.logo?.width ?? null,
      logo_height: v.logo?.height ?? null,
      logo_version: v.logoVersion,
      version: v.version,
      updated_at: v.now,
    })
    .where('partner_id', '=', partnerId)
    .where('id', '=', id)
    .execute();
}

export function readLogo(db: Db, partnerId: string, id: string) {
  return db.selectFrom('business_profiles').select(['logo', 'logo_type', 'logo_version']).where('partner_id', '=', partnerId).where('id', '=', id).executeTakeFirst();
}

export async function deleteProfileRow(db: Db, partnerId: string, id: string) {
  await db.deleteFrom('business_profiles').where('partner_id', '=', partnerId).where('id', '=', id).execute();
}

/** Whether the operator has imported a catalog: then products are its offers' product titles. */
export async function catalogHasOffers(db: Db): Promise<boolean> {
  return (await db.selectFrom('offers').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** The catalog's product titles among `titles` (index offers_product_title_idx, migration 0021). */
export async function knownProductTitles(db: Db, titles: string[]): Promise<Set<string>> {
  if (titles.length === 0) return new Set();
  const rows = await db.selectFrom('offers').select('product_title').distinct().where('product_title', 'in', titles).execute();
  return new Set(rows.map((r) => r.product_title));
}

/** Every product title of the catalog, for the editor's picker (a loose index scan would be nicer; the catalog is thousands of rows, not millions). */
export async function allProductTitles(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('offers').select('product_title').distinct().orderBy('product_title').execute();
  return rows.map((r) => r.product_title);
}
