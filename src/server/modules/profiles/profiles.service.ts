import { audit, canonicalJson } from '../../core/audit';
import { inTransaction, requirePartnerActor, type RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { assertVersion } from '../../core/etag';
import type { Db } from '../../db/database';
import type { AddressJson, ContactJson } from '../../db/schema';
import { listDocuments, readDocument, storeDocument } from '../documents/documents.service';
import { companyExists } from '../partners/partners.repo';
import { findProfile, lockPartner, lockProfile, saveProfile, type ProfileKind } from './profiles.repo';
import { checkAddress, checkContact, checkPhone, FieldProblems, normalisePhone, normaliseTaxId } from './validation';

/** Documents supporting the legal business profile's verification ("Fix now"). */
export const LEGAL_DOCUMENT_PURPOSE = 'legal_verification';

/** The legal fields an operator verifies: changing one sends an authorized profile back to pending. */
export const VERIFIED_FIELDS = ['companyName', 'address', 'primaryContact', 'companyApprover'] as const;

/**
 * What the home page checklist needs (H3 reads it): legal profile verified, support profile
 * filled, security contact set.
 */
export async function profileChecklist(db: Db, partnerId: string): Promise<{ legalVerified: boolean; supportProfileFilled: boolean; securityContactSet: boolean }> {
  const [partner, rows] = await Promise.all([
    db.selectFrom('partners').select('status').where('id', '=', partnerId).executeTakeFirst(),
    db.selectFrom('partner_profiles').select(['kind', 'data']).where('partner_id', '=', partnerId).where('kind', 'in', ['support', 'securitycontact']).execute(),
  ]);
  const data = (kind: string) => rows.find((r) => r.kind === kind)?.data as Record<string, unknown> | undefined;
  const support = data('support');
  const security = data('securitycontact');
  return {
    legalVerified: partner?.status === 'authorized',
    supportProfileFilled: !!(support?.email && support?.telephone),
    securityContactSet: !!(security?.email && security?.lastName),
  };
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);
const locked = (field: string, reason: 'never' | 'verified' | 'global_admin_only') =>
  new AppError('FIELD_LOCKED', { field, reason }, [{ field, reason: `locked_${reason}`, message: '' }]);
const isGlobalAdmin = (ctx: RequestContext) => requirePartnerActor(ctx).roles.includes('global-admin');
const actorId = (ctx: RequestContext) => {
  const p = requirePartnerActor(ctx);
  return p.kind === 'user' ? p.userId : null;
};

// ---------------------------------------------------------------- legal business profile

type PartnerRow = NonNullable<Awaited<ReturnType<typeof lockPartner>>>;

export async function presentLegal(ctx: RequestContext, row: PartnerRow) {
  const docs = await listDocuments(ctx, row.id, LEGAL_DOCUMENT_PURPOSE);
  return {
    companyName: row.company_name,
    address: row.address,
    primaryContact: row.primary_contact,
    companyApprover: row.company_approver ?? null,
    phone: row.phone,
    website: row.website,
    country: row.country.trim(),
    currency: row.currency.trim(),
    vettingStatus: row.status,
    rejectionReason: row.rejection_reason ?? null,
    pendingFields: row.pending_fields ?? [],
    verificationComment: row.verification_comment ?? null,
    submittedAt: new Date(row.submitted_at).toISOString(),
    documents: docs.map(presentDocument),
    enrolledAt: row.created_at.toISOString(),
  };
}

export function presentDocument(d: { id: string; filename: string; content_type: string; size_bytes: number; created_at: Date }) {
  return { id: d.id, filename: d.filename, contentType: d.content_type, sizeBytes: d.size_bytes, createdAt: new Date(d.created_at).toISOString() };
}

export async function getLegal(ctx: RequestContext) {
  const p = requirePartnerActor(ctx);
  const row = await ctx.db.selectFrom('partners').selectAll().where('id', '=', p.partnerId).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND');
  return { profile: await presentLegal(ctx, row), version: row.legal_version };
}

export interface LegalInput {
  companyName: string;
  address: AddressJson;
  primaryContact: ContactJson;
  companyApprover?: ContactJson | null | undefined;
  phone?: string | null | undefined;
  website?: string | null | undefined;
  country?: string | undefined;
  currency?: string | undefined;
}

export async function updateLegal(ctx: RequestContext, expectedVersion: number, input: LegalInput) {
  const p = requirePartnerActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await lockPartner(tx.db, p.partnerId);
    if (!row) throw new AppError('NOT_FOUND');
    assertVersion(expectedVersion, row.legal_version);
    const country = row.country.trim();
    if (input.country !== undefined && input.country.toUpperCase() !== country) throw locked('country', 'never');
    if (input.currency !== undefined && input.currency.toUpperCase() !== row.currency.trim()) throw locked('currency', 'never');
    if (input.address.country !== country) throw locked('address.country', 'never');
    // The stored values in the same normal form as the input (E.164 phones, upper-case postal
    // codes), so that a value written differently but meaning the same is not a change.
    const asIs = new FieldProblems();
    const before = {
      companyName: row.company_name,
      address: checkAddress(asIs, 'address', row.address),
      primaryContact: checkContact(asIs, 'primaryContact', row.primary_contact, country),
      companyApprover: row.company_approver ? checkContact(asIs, 'companyApprover', row.company_approver, country) : null,
      phone: row.phone ? (normalisePhone(row.phone, country) ?? row.phone) : null,
      website: row.website,
    };
    const problems = new FieldProblems();
    // The optional fields left out of the body keep their value (null clears them).
    const after = {
      companyName: input.companyName.trim(),
      address: checkAddress(problems, 'address', input.address),
      primaryContact: checkContact(problems, 'primaryContact', input.primaryContact, country),
      companyApprover:
        input.companyApprover === undefined ? before.companyApprover : input.companyApprover ? checkContact(problems, 'companyApprover', input.companyApprover, country) : null,
      phone: input.phone === undefined ? before.phone : input.phone ? checkPhone(problems, 'phone', input.phone, country) : null,
      website: input.website === undefined ? row.website : input.website || null,
    };
    const changed = (Object.keys(after) as (keyof typeof after)[]).filter((k) => !same(before[k], after[k]));
    if (changed.includes('companyName') && row.status === 'authorized') throw locked('companyName', 'verified');
    problems.throwIfAny();
    if (changed.length === 0) return { profile: await presentLegal(tx, row), version: row.legal_version };
    if (changed.includes('companyName') && (await companyExists(tx.db, country, after.companyName)) && before.companyName.toLowerCase() !== after.companyName.toLowerCase()) {
      throw new AppError('COMPANY_ALREADY_ENROLLED', {}, [{ field: 'companyName', reason: 'taken', message: '' }]);
    }
    const reverify = changed.filter((f) => (VERIFIED_FIELDS as readonly string[]).includes(f));
    const status = row.status === 'authorized' && reverify.length ? 'pending_verification' : row.status;
    const pendingFields = [...new Set([...(row.pending_fields ?? []), ...reverify])];
    const version = row.legal_version + 1;
    await tx.db
      .updateTable('partners')
      .set({
        company_name: after.companyName,
        address: JSON.stringify(after.address),
        primary_contact: JSON.stringify(after.primaryContact),
        company_approver: after.companyApprover ? JSON.stringify(after.companyApprover) : null,
        phone: after.phone,
        website: after.website,
        status,
        pending_fields: pendingFields,
        ...(status !== row.status ? { submitted_at: tx.now, rejection_reason: null } : {}),
        legal_version: version,
        updated_at: tx.now,
      })
      .where('id', '=', p.partnerId)
      .execute();
    const changes: Record<string, { before: unknown; after: unknown }> = Object.fromEntries(changed.map((k) => [k, { before: before[k], after: after[k] }]));
    if (status !== row.status) changes.vettingStatus = { before: row.status, after: status };
    await audit(tx, { partnerId: p.partnerId, action: 'legalprofile.updated', targetType: 'partner', targetId: p.partnerId, changes });
    const fresh = (await tx.db.selectFrom('partners').selectAll().where('id', '=', p.partnerId).executeTakeFirstOrThrow()) as PartnerRow;
    return { profile: await presentLegal(tx, fresh), version };
  });
}

/**
 * "Fix now": a supporting document (checked by content) with a comment. A rejected profile
 * goes back to pending verification; the version is bumped (the status changed).
 */
export async function uploadLegalDocument(ctx: RequestContext, input: { filename: string; comment?: string | undefined; bytes: Buffer }) {
  const p = requirePartnerActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await lockPartner(tx.db, p.partnerId);
    if (!row) throw new AppError('NOT_FOUND');
    const doc = await storeDocument(tx, { partnerId: p.partnerId, purpose: LEGAL_DOCUMENT_PURPOSE, filename: input.filename, bytes: input.bytes, uploadedBy: actorId(tx) });
    const status = row.status === 'rejected' ? 'pending_verification' : row.status;
    await tx.db
      .updateTable('partners')
      .set({
        status,
        verification_comment: input.comment?.trim() || row.verification_comment,
        ...(status !== row.status ? { submitted_at: tx.now } : {}),
        legal_version: row.legal_version + 1,
        updated_at: tx.now,
      })
      .where('id', '=', p.partnerId)
      .execute();
    const changes: Record<string, { before?: unknown; after?: unknown }> = { document: { after: doc.filename } };
    if (input.comment) changes.comment = { before: row.verification_comment, after: input.comment.trim() };
    if (status !== row.status) changes.vettingStatus = { before: row.status, after: status };
    await audit(tx, { partnerId: p.partnerId, action: 'legalprofile.document_added', targetType: 'document', targetId: doc.id, changes });
    return { id: doc.id, filename: doc.filename, contentType: doc.contentType, sizeBytes: doc.sizeBytes, createdAt: doc.createdAt, vettingStatus: status };
  });
}

/** One of the legal profile's documents (not another module's, not another partner's). */
export async function readLegalDocument(ctx: RequestContext, partnerId: string, id: string) {
  const row = await readDocument(ctx, partnerId, id);
  if (row.purpose !== LEGAL_DOCUMENT_PURPOSE) throw new AppError('NOT_FOUND');
  return row;
}

// ---------------------------------------------------------------- the other profiles

export interface BillingData {
  address: AddressJson;
  contact: ContactJson;
  poNumber: string | null;
  taxId: string | null;
}
export interface OrganizationData {
  language: string | null;
  culture: string | null;
  defaultAddress: AddressJson | null;
  notificationEmail: string | null;
  domain: string | null;
  partnerType: string | null;
  companySize: string | null;
  revenueBand: string | null;
  marketsServed: string[];
  marketsTargeted: string[];
}
export interface SupportData {
  email: string | null;
  telephone: string | null;
  website: string | null;
}
export interface SecurityContactData {
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
  email: string | null;
  phoneNumber: string | null;
}

type Partner = { company_name: string; currency: string; country: string; address: AddressJson; primary_contact: ContactJson };

function initial(kind: ProfileKind, partner: Partner): Record<string, unknown> {
  switch (kind) {
    case 'billing':
      return { address: partner.address, contact: partner.primary_contact, poNumber: null, taxId: null } satisfies BillingData;
    case 'organization':
      return { language: null, culture: null, defaultAddress: null, notificationEmail: null, domain: null, partnerType: null, companySize: null, revenueBand: null, marketsServed: [], marketsTargeted: [] } satisfies OrganizationData;
    case 'support':
      return { email: null, telephone: null, website: null } satisfies SupportData;
    case 'securitycontact':
      return { firstName: null, middleName: null, lastName: null, email: null, phoneNumber: null } satisfies SecurityContactData;
  }
}

async function partnerOf(db: Db, partnerId: string): Promise<Partner> {
  const row = await db.selectFrom('partners').select(['company_name', 'currency', 'country', 'address', 'primary_contact']).where('id', '=', partnerId).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND');
  return { ...row, country: row.country.trim(), currency: row.currency.trim() };
}

/** A profile's data and version (version 0 and the defaults while it was never saved). */
export async function getProfile(ctx: RequestContext, kind: ProfileKind) {
  const p = requirePartnerActor(ctx);
  const partner = await partnerOf(ctx.db, p.partnerId);
  const row = await findProfile(ctx.db, p.partnerId, kind);
  const data = { ...initial(kind, partner), ...(row?.data ?? {}) };
  return { data, version: row?.version ?? 0, partner };
}

/**
 * The one write path of these profiles: lock the row, compare versions, let `apply` check
 * the input against the current data (it throws 400s), then save, bump, audit.
 */
async function writeProfile<T extends Record<string, unknown>>(
  ctx: RequestContext,
  kind: ProfileKind,
  expectedVersion: number,
  apply: (current: T, partner: Partner, problems: FieldProblems) => T,
) {
  const p = requirePartnerActor(ctx);
  return inTransaction(ctx, async (tx) => {
    const partner = await partnerOf(tx.db, p.partnerId);
    const defaults = initial(kind, partner);
    const row = await lockProfile(tx.db, p.partnerId, kind, defaults, tx.now);
    assertVersion(expectedVersion, row.version);
    const current = { ...defaults, ...row.data } as T;
    const problems = new FieldProblems();
    const next = apply(current, partner, problems);
    problems.throwIfAny();
    const changed = Object.keys(next).filter((k) => !same(current[k], next[k]));
    if (changed.length === 0) return { data: current, version: row.version, partner };
    const version = row.version + 1;
    await saveProfile(tx.db, p.partnerId, kind, next, version, tx.now, actorId(tx));
    await audit(tx, {
      partnerId: p.partnerId,
      action: `${kind}profile.updated`,
      targetType: `${kind}profile`,
      targetId: p.partnerId,
      changes: Object.fromEntries(changed.map((k) => [k, { before: current[k] ?? null, after: next[k] ?? null }])),
    });
    return { data: next, version, partner };
  });
}

export interface BillingInput {
  address: AddressJson;
  contact: ContactJson;
  poNumber?: string | null | undefined;
  taxId?: string | null | undefined;
  companyName?: string | undefined;
  currency?: string | undefined;
}

export function updateBilling(ctx: RequestContext, expectedVersion: number, input: BillingInput) {
  const globalAdmin = isGlobalAdmin(ctx);
  return writeProfile<BillingData & Record<string, unknown>>(ctx, 'billing', expectedVersion, (current, partner, problems) => {
    if (input.companyName !== undefined && input.companyName !== partner.company_name) throw locked('companyName', 'never');
    if (input.currency !== undefined && input.currency.toUpperCase() !== partner.currency) throw locked('currency', 'never');
    const address = checkAddress(problems, 'address', input.address);
    if (!same(address, current.address) && !same(input.address, current.address) && !globalAdmin) throw locked('address', 'global_admin_only');
    // Optional fields left out of the body keep their value (null clears them).
    let taxId: string | null = input.taxId === undefined ? current.taxId : null;
    if (input.taxId) {
      taxId = normaliseTaxId(address.country, input.taxId);
      if (!taxId) problems.add('taxId', 'invalid_tax_id');
    }
    const poNumber = input.poNumber === undefined ? current.poNumber : input.poNumber?.trim() || null;
    return { address, contact: checkContact(problems, 'contact', input.contact, partner.country), poNumber, taxId };
  });
}

export function updateOrganization(ctx: RequestContext, expectedVersion: number, input: OrganizationData) {
  return writeProfile<OrganizationData & Record<string, unknown>>(ctx, 'organization', expectedVersion, (_current, _partner, problems) => ({
    ...input,
    defaultAddress: input.defaultAddress ? checkAddress(problems, 'defaultAddress', input.defaultAddress) : null,
    domain: input.domain ? input.domain.toLowerCase() : null,
    marketsServed: [...new Set(input.marketsServed)].sort(),
    marketsTargeted: [...new Set(input.marketsTargeted)].sort(),
  }));
}

export function updateSupport(ctx: RequestContext, expectedVersion: number, input: { email: string; telephone: string; website?: string | null | undefined }) {
  return writeProfile<SupportData & Record<string, unknown>>(ctx, 'support', expectedVersion, (_current, partner, problems) => ({
    email: input.email,
    telephone: checkPhone(problems, 'telephone', input.telephone, partner.country),
    website: input.website || null,
  }));
}

export function updateSecurityContact(ctx: RequestContext, expectedVersion: number, input: { firstName: string; middleName?: string | null | undefined; lastName: string; email: string; phoneNumber: string }) {
  return writeProfile<SecurityContactData & Record<string, unknown>>(ctx, 'securitycontact', expectedVersion, (_current, partner, problems) => ({
    firstName: input.firstName,
    middleName: input.middleName || null,
    lastName: input.lastName,
    email: input.email,
    phoneNumber: checkPhone(problems, 'phoneNumber', input.phoneNumber, partner.country),
  }));
}
