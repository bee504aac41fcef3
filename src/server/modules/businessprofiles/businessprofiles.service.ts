import { randomUUID } from 'node:crypto';
import { audit, canonicalJson } from '../../core/audit';
import { inTransaction, requirePartnerActor, type RequestContext } from '../../core/context';
import { assertVersion } from '../../core/etag';
import { AppError } from '../../core/errors';
import type { AddressJson } from '../../db/schema';
import { CUSTOMER_SIZES, INDUSTRIES, MAX_DESCRIPTION_CHARS, MAX_INDUSTRIES, MAX_LOCATIONS_PER_PROFILE, PRODUCTS, SERVICES } from '../../../shared/taxonomy';
import { syncDirectoryEntry } from '../directory/directory.sync';
import { checkAddress, FieldProblems, normalisePhone } from '../profiles/validation';
import {
  allProductTitles,
  catalogHasOffers,
  deleteProfileRow,
  findProfile,
  insertProfile,
  knownProductTitles,
  listProfiles,
  profileInCountry,
  readLogo,
  setLogo,
  setStatus,
  updateProfileRow,
  type ProfileFields,
  type ProfileRow,
} from './businessprofiles.repo';
import { processLogo } from './logo';

/**
 * Business profiles (reference §1.8, issue 5): how a partner presents itself in the public
 * directory, one profile per country. Drafts may be incomplete; publishing needs a
 * description in French or English and a lead contact, and a published profile keeps
 * needing them. Every change is audited in its transaction, and every change a visitor could
 * see (publish, unpublish, an edit or logo of a published profile, a deletion) updates the
 * directory in that same transaction (`syncDirectoryEntry`), so it is searchable on commit.
 */

export const MAX_SERVICES = SERVICES.length;
export const MAX_PRODUCTS = 20;
export const MAX_SKILLS = 20;
export const MAX_SKILL_CHARS = 50;

export interface ProfileInput {
  description?: Record<string, string> | undefined;
  industries?: string[] | undefined;
  products?: string[] | undefined;
  services?: string[] | undefined;
  skills?: string[] | undefined;
  customerSizes?: string[] | undefined;
  website?: string | null | undefined;
  linkedIn?: string | null | undefined;
  locations?: AddressJson[] | undefined;
  leadContact?: { name: string; email: string; phone?: string | null | undefined } | null | undefined;
}

const dedupe = (xs: string[]) => [...new Set(xs)];

function checkTags(problems: FieldProblems, field: string, values: string[], allowed: ReadonlySet<string>, max: number): string[] {
  const out = dedupe(values);
  if (out.length > max) problems.details.push({ field, reason: 'too_many_tags', message: '', params: { max } });
  out.forEach((v, i) => {
    if (!allowed.has(v)) problems.details.push({ field: `${field}.${i}`, reason: 'unknown_tag', message: '', params: { value: v } });
  });
  return out;
}

async function checkProducts(ctx: RequestContext, problems: FieldProblems, values: string[]): Promise<string[]> {
  const out = dedupe(values);
  if (out.length > MAX_PRODUCTS) problems.details.push({ field: 'products', reason: 'too_many_tags', message: '', params: { max: MAX_PRODUCTS } });
  // Once the operator has imported a catalog, its product titles are the list; until then, the managed list.
  const known = (await catalogHasOffers(ctx.db)) ? await knownProductTitles(ctx.db, out) : new Set<string>(PRODUCTS);
  out.forEach((v, i) => {
    if (!known.has(v)) problems.details.push({ field: `products.${i}`, reason: 'unknown_tag', message: '', params: { value: v } });
  });
  return out;
}

function checkDescription(problems: FieldProblems, d: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [lang, raw] of Object.entries(d)) {
    const text = raw.trim();
    if (!text) continue; // an emptied language is removed
    // Counted in characters as a person sees them (code points), like the editor's counter.
    if ([...text].length > MAX_DESCRIPTION_CHARS) problems.details.push({ field: `description.${lang}`, reason: 'too_long', message: '', params: { max: MAX_DESCRIPTION_CHARS } });
    out[lang] = text;
  }
  return out;
}

function checkSkills(problems: FieldProblems, skills: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  skills.forEach((raw, i) => {
    const s = raw.trim().replace(/\s+/g, ' ');
    if (!s) return;
    if ([...s].length > MAX_SKILL_CHARS) problems.details.push({ field: `skills.${i}`, reason: 'too_long', message: '', params: { max: MAX_SKILL_CHARS } });
    const key = s.toLocaleLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(s);
    }
  });
  if (out.length > MAX_SKILLS) problems.details.push({ field: 'skills', reason: 'too_many_tags', message: '', params: { max: MAX_SKILLS } });
  return out;
}

function checkLinkedIn(problems: FieldProblems, url: string | null): string | null {
  if (!url) return null;
  const host = new URL(url).hostname.toLowerCase();
  if (host !== 'linkedin.com' && !host.endsWith('.linkedin.com')) problems.add('linkedIn', 'not_linkedin');
  return url;
}

function checkLocations(problems: FieldProblems, country: string, locations: AddressJson[]): AddressJson[] {
  if (locations.length > MAX_LOCATIONS_PER_PROFILE) problems.details.push({ field: 'locations', reason: 'too_many_locations', message: '', params: { max: MAX_LOCATIONS_PER_PROFILE } });
  return locations.map((a, i) => {
    if (a.country !== country) problems.details.push({ field: `locations.${i}.country`, reason: 'location_country', message: '', params: { country } });
    return checkAddress(problems, `locations.${i}`, a);
  });
}

function checkLeadContact(problems: FieldProblems, country: string, c: ProfileInput['leadContact']): ProfileFields['leadContact'] {
  if (!c) return null;
  const out: NonNullable<ProfileFields['leadContact']> = { name: c.name.trim(), email: c.email.trim() };
  if (c.phone) {
    const p = normalisePhone(c.phone, country);
    if (!p) problems.add('leadContact.phone', 'invalid_phone');
    else out.phone = p;
  }
  return out;
}

/** What a visitor must find on a published profile: something to read, and someone to reach. */
function checkPublishable(problems: FieldProblems, f: ProfileFields): void {
  if (!f.description.fr && !f.description.en) problems.add('description', 'required_to_publish');
  if (!f.leadContact) problems.add('leadContact', 'required_to_publish');
}

/** The stored fields after applying `input` over `current` (absent keys keep their value), checked; throws 400 naming every problem. */
async function validated(ctx: RequestContext, country: string, current: ProfileFields, input: ProfileInput, opts: { published: boolean }): Promise<ProfileFields> {
  const problems = new FieldProblems();
  const industrySet = new Set<string>(INDUSTRIES);
  const fields: ProfileFields = {
    description: input.description !== undefined ? checkDescription(problems, input.description) : current.description,
    industries: input.industries !== undefined ? checkTags(problems, 'industries', input.industries, industrySet, MAX_INDUSTRIES) : current.industries,
    products: input.products !== undefined ? await checkProducts(ctx, problems, input.products) : current.products,
    services: input.services !== undefined ? checkTags(problems, 'services', input.services, new Set<string>(SERVICES), MAX_SERVICES) : current.services,
    skills: input.skills !== undefined ? checkSkills(problems, input.skills) : current.skills,
    customerSizes: input.customerSizes !== undefined ? checkTags(problems, 'customerSizes', input.customerSizes, new Set<string>(CUSTOMER_SIZES), CUSTOMER_SIZES.length) : current.customerSizes,
    website: input.website !== undefined ? input.website || null : current.website,
    linkedIn: input.linkedIn !== undefined ? checkLinkedIn(problems, input.linkedIn || null) : current.linkedIn,
    locations: input.locations !== undefined ? checkLocations(problems, country, input.locations) : current.locations,
    leadContact: input.leadContact !== undefined ? checkLeadContact(problems, country, input.leadContact) : current.leadContact,
  };
  if (opts.published) checkPublishable(problems, fields);
  problems.throwIfAny();
  return fields;
}

const EMPTY: ProfileFields = { description: {}, industries: [], products: [], services: [], skills: [], customerSizes: [], website: null, linkedIn: null, locations: [], leadContact: null };

function fieldsOf(r: ProfileRow): ProfileFields {
  return {
    description: r.description,
    industries: r.industries,
    products: r.products,
    services: r.services,
    skills: r.skills,
    customerSizes: r.customer_sizes,
    website: r.website,
    linkedIn: r.linkedin,
    locations: r.locations,
    leadContact: r.lead_contact,
  };
}

export function presentProfile(r: ProfileRow) {
  return {
    id: r.id,
    country: r.country,
    status: r.status,
    displayName: r.company_name,
    ...fieldsOf(r),
    leadContact: r.lead_contact ? { name: r.lead_contact.name, email: r.lead_contact.email, phone: r.lead_contact.phone ?? null } : null,
    logo: r.logo_type && r.logo_width && r.logo_height ? { url: `/v1/businessprofiles/${r.id}/logo?v=${r.logo_version}`, width: r.logo_width, height: r.logo_height } : null,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    publishedAt: r.published_at ? r.published_at.toISOString() : null,
  };
}

async function load(ctx: RequestContext, partnerId: string, id: string, forUpdate = false): Promise<ProfileRow> {
  const r = await findProfile(ctx.db, partnerId, id, { forUpdate });
  if (!r) throw new AppError('NOT_FOUND');
  return r;
}

export async function listProfilesPage(ctx: RequestContext, q: { size: number; afterCountry?: string | undefined }) {
  const p = requirePartnerActor(ctx);
  return listProfiles(ctx.db, p.partnerId, q);
}

export async function getProfile(ctx: RequestContext, id: string): Promise<ProfileRow> {
  return load(ctx, requirePartnerActor(ctx).partnerId, id);
}

/** The lists the editor offers: the managed ones, and products from the catalog once there is one. */
export async function profileOptions(ctx: RequestContext) {
  const fromCatalog = await catalogHasOffers(ctx.db);
  return {
    industries: [...INDUSTRIES],
    services: [...SERVICES],
    customerSizes: [...CUSTOMER_SIZES],
    products: { source: fromCatalog ? ('catalog' as const) : ('managed' as const), items: fromCatalog ? await allProductTitles(ctx.db) : [...PRODUCTS] },
    limits: { descriptionChars: MAX_DESCRIPTION_CHARS, industries: MAX_INDUSTRIES, products: MAX_PRODUCTS, skills: MAX_SKILLS, skillChars: MAX_SKILL_CHARS, locations: MAX_LOCATIONS_PER_PROFILE },
  };
}

export async function createProfile(ctx: RequestContext, input: ProfileInput & { country: string }): Promise<ProfileRow> {
  const p = requirePartnerActor(ctx);
  const fields = await validated(ctx, input.country, EMPTY, input, { published: false });
  if (await profileInCountry(ctx.db, p.partnerId, input.country)) throw new AppError('BUSINESS_PROFILE_EXISTS', { country: input.country });
  const id = randomUUID();
  try {
    return await inTransaction(ctx, async (tx) => {
      await insertProfile(tx.db, { id, partnerId: p.partnerId, country: input.country, fields, now: tx.now });
      const after = Object.fromEntries(Object.entries({ country: input.country, ...fields }).map(([k, v]) => [k, { after: v }]));
      await audit(tx, { partnerId: p.partnerId, action: 'businessprofile.created', targetType: 'businessprofile', targetId: id, changes: after });
      return load(tx, p.partnerId, id);
    });
  } catch (e) {
    // Two creations for one country at once: the unique key decides, the loser gets the same 409.
    if ((e as { code?: string }).code === '23505') throw new AppError('BUSINESS_PROFILE_EXISTS', { country: input.country });
    throw e;
  }
}

/** jsonb does not keep key order: compare canonically. */
const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

export async function updateProfile(ctx: RequestContext, id: string, expectedVersion: number, input: ProfileInput): Promise<ProfileRow> {
  const p = requirePartnerActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const current = await load(tx, p.partnerId, id, true);
    assertVersion(expectedVersion, current.version);
    const before = fieldsOf(current);
    const next = await validated(tx, current.country, before, input, { published: current.status === 'published' });
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    for (const k of Object.keys(next) as (keyof ProfileFields)[]) if (!same(before[k], next[k])) changes[k] = { before: before[k], after: next[k] };
    // Nothing changed: no new version, no audit record.
    if (Object.keys(changes).length === 0) return current;
    await updateProfileRow(tx.db, p.partnerId, id, { fields: next, version: current.version + 1, now: tx.now });
    await audit(tx, { partnerId: p.partnerId, action: 'businessprofile.updated', targetType: 'businessprofile', targetId: id, changes });
    if (current.status === 'published') await syncDirectoryEntry(tx.db, id);
    return load(tx, p.partnerId, id);
  });
}

/** Publish (again): a published profile's publication date moves to now. `expectedVersion` is checked when the client sends one. */
export async function publishProfile(ctx: RequestContext, id: string, expectedVersion: number | undefined): Promise<ProfileRow> {
  return changeStatus(ctx, id, expectedVersion, 'published');
}

export async function unpublishProfile(ctx: RequestContext, id: string, expectedVersion: number | undefined): Promise<ProfileRow> {
  return changeStatus(ctx, id, expectedVersion, 'draft');
}

async function changeStatus(ctx: RequestContext, id: string, expectedVersion: number | undefined, status: 'draft' | 'published'): Promise<ProfileRow> {
  const p = requirePartnerActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const current = await load(tx, p.partnerId, id, true);
    if (expectedVersion !== undefined) assertVersion(expectedVersion, current.version);
    if (status === 'draft' && current.status === 'draft') return current;
    if (status === 'published') {
      const problems = new FieldProblems();
      checkPublishable(problems, fieldsOf(current));
      problems.throwIfAny();
    }
    await setStatus(tx.db, p.partnerId, id, { status, version: current.version + 1, now: tx.now });
    await audit(tx, {
      partnerId: p.partnerId,
      action: status === 'published' ? 'businessprofile.published' : 'businessprofile.unpublished',
      targetType: 'businessprofile',
      targetId: id,
      changes: { status: { before: current.status, after: status } },
    });
    await syncDirectoryEntry(tx.db, id);
    return load(tx, p.partnerId, id);
  });
}

/** Permanent. Leads that came through the profile stay (they keep its id, without a foreign key). */
export async function deleteProfile(ctx: RequestContext, id: string, expectedVersion: number | undefined): Promise<void> {
  const p = requirePartnerActor(ctx);
  await inTransaction(ctx, async (tx) => {
    const current = await load(tx, p.partnerId, id, true);
    if (expectedVersion !== undefined) assertVersion(expectedVersion, current.version);
    await deleteProfileRow(tx.db, p.partnerId, id);
    await audit(tx, { partnerId: p.partnerId, action: 'businessprofile.deleted', targetType: 'businessprofile', targetId: id, changes: { country: { before: current.country }, status: { before: current.status } } });
    await syncDirectoryEntry(tx.db, id);
  });
}

/** Replace the logo: checked and resized before the transaction, so a refused file changes nothing. */
export async function replaceLogo(ctx: RequestContext, id: string, bytes: Buffer): Promise<ProfileRow> {
  const p = requirePartnerActor(ctx);
  await load(ctx, p.partnerId, id); // another partner's profile: 404 before reading the file
  const logo = await processLogo(bytes);
  return inTransaction(ctx, async (tx) => {
    const current = await load(tx, p.partnerId, id, true);
    await setLogo(tx.db, p.partnerId, id, { logo, version: current.version + 1, logoVersion: current.logo_version + 1, now: tx.now });
    await audit(tx, {
      partnerId: p.partnerId,
      action: 'businessprofile.logo.updated',
      targetType: 'businessprofile',
      targetId: id,
      changes: {
        logo: {
          before: current.logo_type ? { type: current.logo_type, width: current.logo_width, height: current.logo_height } : null,
          after: { type: logo.type, width: logo.width, height: logo.height, sourceType: logo.sourceType, sourceWidth: logo.sourceWidth, sourceHeight: logo.sourceHeight },
        },
      },
    });
    if (current.status === 'published') await syncDirectoryEntry(tx.db, id);
    return load(tx, p.partnerId, id);
  });
}

export async function removeLogo(ctx: RequestContext, id: string): Promise<ProfileRow> {
  const p = requirePartnerActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const current = await load(tx, p.partnerId, id, true);
    if (!current.logo_type) return current;
    await setLogo(tx.db, p.partnerId, id, { logo: null, version: current.version + 1, logoVersion: current.logo_version + 1, now: tx.now });
    await audit(tx, {
      partnerId: p.partnerId,
      action: 'businessprofile.logo.updated',
      targetType: 'businessprofile',
      targetId: id,
      changes: { logo: { before: { type: current.logo_type, width: current.logo_width, height: current.logo_height }, after: null } },
    });
    if (current.status === 'published') await syncDirectoryEntry(tx.db, id);
    return load(tx, p.partnerId, id);
  });
}

export async function getLogo(ctx: RequestContext, id: string) {
  const r = await readLogo(ctx.db, requirePartnerActor(ctx).partnerId, id);
  if (!r || !r.logo || !r.logo_type) throw new AppError('NOT_FOUND');
  return { bytes: r.logo, type: r.logo_type };
}
