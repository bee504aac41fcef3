import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { audit } from '../../core/audit';
import { inTransaction, requirePartnerActor, type RequestContext } from '../../core/context';
import { decryptField, encryptField } from '../../core/crypto';
import { AppError } from '../../core/errors';
import { assertVersion } from '../../core/etag';
import type { Db } from '../../db/database';
import { listDocuments, readDocument, storeDocument } from '../documents/documents.service';
import { maskTaxNumber, normaliseTaxNumber } from './vat';

/**
 * Tax (reference §1.1 Tax, "Payout, banking and tax profiles"): a tax profile per country
 * with its registration number (VAT in the EU, checked by format; stored encrypted, shown
 * masked) and a tax-exempt flag; tax exemptions filed with a certificate number and
 * supporting documents, reviewed by the operator (submitted → approved | rejected, with the reason).
 */

/** The purpose (AES-GCM associated data) of a registration number: bound to the tenant and the row. */
export const taxNumberPurpose = (partnerId: string, id: string) => `tax.registration:${partnerId}:${id}`;

const actorId = (ctx: RequestContext) => {
  const p = requirePartnerActor(ctx);
  return p.kind === 'user' ? p.userId : null;
};

type TaxProfileRow = {
  id: string;
  country: string;
  registration_number_hint: string | null;
  tax_exempt: boolean;
  version: number;
  updated_at: Date;
};

export function taxProfileView(r: TaxProfileRow) {
  return { id: r.id, country: r.country, taxRegistrationNumber: r.registration_number_hint, taxExempt: r.tax_exempt, version: r.version, updatedAt: r.updated_at.toISOString() };
}

const profileColumns = ['id', 'country', 'registration_number_hint', 'tax_exempt', 'version', 'updated_at'] as const;

export function listTaxProfiles(ctx: RequestContext, partnerId: string) {
  return ctx.db.selectFrom('tax_profiles').select(profileColumns).where('partner_id', '=', partnerId).orderBy('country').execute();
}

export async function getTaxProfile(ctx: RequestContext, partnerId: string, id: string, forUpdate = false) {
  const q = ctx.db.selectFrom('tax_profiles').select(profileColumns).where('partner_id', '=', partnerId).where('id', '=', id);
  const row = await (forUpdate ? q.forUpdate() : q).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

function checkedNumber(country: string, value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  if (!value.trim()) return null;
  const n = normaliseTaxNumber(country, value);
  if (!n) throw new AppError('VALIDATION_FAILED', {}, [{ field: 'taxRegistrationNumber', reason: 'invalid_tax_number', message: '', params: { country } }]);
  return n;
}

export async function createTaxProfile(ctx: RequestContext, partnerId: string, input: { country: string; taxRegistrationNumber?: string | null | undefined; taxExempt: boolean }) {
  const number = checkedNumber(input.country, input.taxRegistrationNumber) ?? null;
  const id = randomUUID();
  return inTransaction(ctx, async (tx) => {
    const inserted = await tx.db
      .insertInto('tax_profiles')
      .values({
        id,
        partner_id: partnerId,
        country: input.country,
        registration_number_enc: number ? encryptField(ctx.deps.config.secrets.fieldKey, taxNumberPurpose(partnerId, id), number) : null,
        registration_number_hint: number ? maskTaxNumber(number) : null,
        tax_exempt: input.taxExempt,
        version: 1,
        created_at: tx.now,
        updated_at: tx.now,
        updated_by: actorId(ctx),
      })
      .onConflict((oc) => oc.columns(['partner_id', 'country']).doNothing())
      .returning(profileColumns)
      .executeTakeFirst();
    if (!inserted) throw new AppError('TAX_PROFILE_EXISTS', { country: input.country }, [{ field: 'country', reason: 'taken', message: '' }]);
    await audit(tx, {
      partnerId,
      action: 'taxprofile.created',
      targetType: 'taxprofile',
      targetId: id,
      changes: { country: { after: input.country }, taxRegistrationNumber: { after: inserted.registration_number_hint }, taxExempt: { after: input.taxExempt } },
    });
    return inserted;
  });
}

export async function updateTaxProfile(
  ctx: RequestContext,
  partnerId: string,
  id: string,
  expectedVersion: number,
  input: { taxRegistrationNumber?: string | null | undefined; taxExempt?: boolean | undefined },
) {
  return inTransaction(ctx, async (tx) => {
    const before = await getTaxProfile(tx, partnerId, id, true);
    assertVersion(expectedVersion, before.version);
    const number = checkedNumber(before.country, input.taxRegistrationNumber);
    const set: Record<string, unknown> = {};
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    if (number !== undefined) {
      const hint = number ? maskTaxNumber(number) : null;
      set.registration_number_enc = number ? encryptField(ctx.deps.config.secrets.fieldKey, taxNumberPurpose(partnerId, id), number) : null;
      set.registration_number_hint = hint;
      changes.taxRegistrationNumber = { before: before.registration_number_hint, after: hint };
    }
    if (input.taxExempt !== undefined && input.taxExempt !== before.tax_exempt) {
      set.tax_exempt = input.taxExempt;
      changes.taxExempt = { before: before.tax_exempt, after: input.taxExempt };
    }
    if (!Object.keys(changes).length) return before;
    const after = await tx.db
      .updateTable('tax_profiles')
      .set({ ...set, version: before.version + 1, updated_at: tx.now, updated_by: actorId(ctx) })
      .where('partner_id', '=', partnerId)
      .where('id', '=', id)
      .returning(profileColumns)
      .executeTakeFirstOrThrow();
    await audit(tx, { partnerId, action: 'taxprofile.updated', targetType: 'taxprofile', targetId: id, changes });
    return after;
  });
}

/** The plain registration number (for the operator or an export); never listed. */
export async function revealTaxNumber(ctx: RequestContext, partnerId: string, id: string): Promise<string | null> {
  const row = await ctx.db.selectFrom('tax_profiles').select('registration_number_enc').where('partner_id', '=', partnerId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND');
  return row.registration_number_enc ? decryptField(ctx.deps.config.secrets.fieldKey, taxNumberPurpose(partnerId, id), row.registration_number_enc) : null;
}

// ---- Tax exemptions -------------------------------------------------------------------------

export const exemptionDocPurpose = (id: string) => `taxexemption:${id}`;

const exemptionColumns = ['id', 'partner_id', 'country', 'certificate_number', 'comment', 'status', 'reason', 'submitted_at', 'reviewed_at', 'created_at'] as const;
export type ExemptionRow = { id: string; partner_id: string; country: string; certificate_number: string; comment: string; status: 'submitted' | 'approved' | 'rejected'; reason: string | null; submitted_at: Date; reviewed_at: Date | null; created_at: Date };

export function exemptionView(r: ExemptionRow, documents: { id: string; filename: string; content_type: string; size_bytes: number; created_at: Date }[] = []) {
  return {
    id: r.id,
    country: r.country,
    certificateNumber: r.certificate_number,
    comment: r.comment,
    status: r.status,
    reason: r.reason,
    submittedAt: r.submitted_at.toISOString(),
    reviewedAt: r.reviewed_at?.toISOString() ?? null,
    documents: documents.map((d) => ({ id: d.id, filename: d.filename, contentType: d.content_type, sizeBytes: d.size_bytes, createdAt: d.created_at.toISOString() })),
  };
}

export async function listExemptions(ctx: RequestContext, partnerId: string) {
  const rows = await ctx.db.selectFrom('tax_exemptions').select(exemptionColumns).where('partner_id', '=', partnerId).orderBy('submitted_at', 'desc').orderBy('id', 'desc').limit(500).execute();
  const docs = rows.length
    ? await ctx.db
        .selectFrom('documents')
        .select(['id', 'purpose', 'filename', 'content_type', 'size_bytes', 'created_at'])
        .where('partner_id', '=', partnerId)
        .where('purpose', 'in', rows.map((r) => exemptionDocPurpose(r.id)))
        .orderBy('created_at')
        .execute()
    : [];
  return rows.map((r) => exemptionView(r, docs.filter((d) => d.purpose === exemptionDocPurpose(r.id))));
}

export async function getExemption(ctx: RequestContext, partnerId: string, id: string, forUpdate = false) {
  const q = ctx.db.selectFrom('tax_exemptions').select(exemptionColumns).where('partner_id', '=', partnerId).where('id', '=', id);
  const row = await (forUpdate ? q.forUpdate() : q).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

export async function exemptionWithDocuments(ctx: RequestContext, partnerId: string, id: string) {
  const row = await getExemption(ctx, partnerId, id);
  return exemptionView(row, (await listDocuments(ctx, partnerId, exemptionDocPurpose(id))).reverse());
}

export async function fileExemption(ctx: RequestContext, partnerId: string, input: { country: string; certificateNumber: string; comment?: string | undefined }) {
  const id = randomUUID();
  await inTransaction(ctx, async (tx) => {
    await tx.db
      .insertInto('tax_exemptions')
      .values({
        id,
        partner_id: partnerId,
        country: input.country,
        certificate_number: input.certificateNumber,
        comment: input.comment ?? '',
        status: 'submitted',
        reason: null,
        submitted_at: tx.now,
        reviewed_at: null,
        reviewed_by: null,
        created_by: actorId(ctx),
        created_at: tx.now,
        updated_at: tx.now,
      })
      .execute();
    await audit(tx, { partnerId, action: 'taxexemption.submitted', targetType: 'taxexemption', targetId: id, changes: { country: { after: input.country }, certificateNumber: { after: input.certificateNumber } } });
  });
  return exemptionWithDocuments(ctx, partnerId, id);
}

/** Attach a supporting document; a rejected exemption goes back to the operator (submitted). */
export async function attachExemptionDocument(ctx: RequestContext, partnerId: string, id: string, file: { filename: string; bytes: Buffer | undefined }) {
  await inTransaction(ctx, async (tx) => {
    const row = await getExemption(tx, partnerId, id, true);
    if (row.status === 'approved') throw new AppError('REVIEW_CLOSED');
    const doc = await storeDocument(tx, { partnerId, purpose: exemptionDocPurpose(id), filename: file.filename, bytes: file.bytes ?? Buffer.alloc(0), uploadedBy: actorId(ctx) });
    const changes: Record<string, { before?: unknown; after?: unknown }> = { document: { after: doc.filename } };
    if (row.status === 'rejected') {
      await tx.db.updateTable('tax_exemptions').set({ status: 'submitted', reason: null, submitted_at: tx.now, updated_at: tx.now }).where('partner_id', '=', partnerId).where('id', '=', id).execute();
      changes.status = { before: 'rejected', after: 'submitted' };
    }
    await audit(tx, { partnerId, action: 'taxexemption.document_added', targetType: 'taxexemption', targetId: id, changes });
  });
  return exemptionWithDocuments(ctx, partnerId, id);
}

export async function exemptionDocument(ctx: RequestContext, partnerId: string, id: string, documentId: string) {
  await getExemption(ctx, partnerId, id);
  const doc = await readDocument(ctx, partnerId, documentId);
  if (doc.purpose !== exemptionDocPurpose(id)) throw new AppError('NOT_FOUND');
  return doc;
}

// ---- Checklist -------------------------------------------------------------------------------

/**
 * The home checklist's "tax settled" (H3 reads it): the company has a tax profile for its own
 * country, no tax exemption is waiting for the operator, and a profile marked tax-exempt has
 * an approved exemption for its country.
 */
export async function taxSettled(db: Db, partnerId: string): Promise<boolean> {
  const r = await sql<{ settled: boolean }>`
    select
      exists (select 1 from tax_profiles tp join partners p on p.id = tp.partner_id where tp.partner_id = ${partnerId} and tp.country = trim(p.country))
      and not exists (select 1 from tax_exemptions e where e.partner_id = ${partnerId} and e.status = 'submitted')
      and not exists (
        select 1 from tax_profiles tp where tp.partner_id = ${partnerId} and tp.tax_exempt
          and not exists (select 1 from tax_exemptions e where e.partner_id = tp.partner_id and e.country = tp.country and e.status = 'approved')
      ) as settled`.execute(db);
  return r.rows[0]?.settled === true;
}
