import { sql } from 'kysely';
import { audit } from '../../core/audit';
import { inTransaction, requireOperator, type RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { listDocuments } from '../documents/documents.service';
import { notify } from '../notifications/notifications.service';
import { exemptionDocPurpose, exemptionView } from '../tax/tax.service';
import { mailPartner } from '../notifications/partner-mail';
import { bankView, type BankRow } from './banking.service';

/**
 * The operator's review queues for tax exemptions and bank profiles: by status, oldest
 * submission first, keyset paging on (submitted_at, id) — the indexes `*_review_idx` of
 * migration 0013 serve exactly that order. An outcome is audited (operator actor) in the
 * partner's log, announced in-app (`notify`) in the same transaction, and mailed after.
 */

const PAYOUT_PAGE = '/account/payout';

type After = { key: string; id: string } | undefined;

function keyset<T extends { submitted_at: Date; id: string }>(rows: T[], size: number) {
  return { rows: rows.slice(0, size), hasMore: rows.length > size };
}

const afterClause = (after: After) => (after ? sql`and (t.submitted_at, t.id) > (${new Date(after.key)}::timestamptz, ${after.id}::uuid)` : sql``);

/** How many items wait in a queue's status: the counter kept by triggers (migration 0016), not a count of the rows. */
async function queueCount(ctx: RequestContext, queue: 'bankprofiles' | 'taxexemptions', status: string): Promise<{ n: number }> {
  const r = await ctx.db.selectFrom('review_counts').select('n').where('queue', '=', queue).where('status', '=', status).executeTakeFirst();
  return { n: r?.n ?? 0 };
}

export async function exemptionQueue(ctx: RequestContext, q: { status: 'submitted' | 'approved' | 'rejected'; size: number; after: After }) {
  const [rows, total] = await Promise.all([
    sql<{ id: string; partner_id: string; company_name: string; country: string; certificate_number: string; comment: string; status: 'submitted' | 'approved' | 'rejected'; reason: string | null; submitted_at: Date; reviewed_at: Date | null; created_at: Date; documents: number }>`
      select t.id, t.partner_id, p.company_name, t.country, t.certificate_number, t.comment, t.status, t.reason, t.submitted_at, t.reviewed_at, t.created_at,
        (select count(*)::int from documents d where d.partner_id = t.partner_id and d.purpose = 'taxexemption:' || t.id::text) as documents
      from tax_exemptions t join partners p on p.id = t.partner_id
      where t.status = ${q.status} ${afterClause(q.after)}
      order by t.submitted_at, t.id
      limit ${q.size + 1}`.execute(ctx.db),
    queueCount(ctx, 'taxexemptions', q.status),
  ]);
  return { ...keyset(rows.rows, q.size), totalCount: Number(total.n) };
}

export async function bankQueue(ctx: RequestContext, q: { status: 'pending_validation' | 'approved' | 'action_required'; size: number; after: After }) {
  const [rows, total] = await Promise.all([
    sql<BankRow & { company_name: string }>`
      select t.id, t.partner_id, p.company_name, t.name, t.bank_country, t.payment_method, t.account_holder_name, t.bank_name, t.account_hint, t.status, t.reason,
        t.version, t.submitted_at, t.reviewed_at, t.created_at, t.updated_at, t.bic_enc
      from bank_profiles t join partners p on p.id = t.partner_id
      where t.status = ${q.status} ${afterClause(q.after)}
      order by t.submitted_at, t.id
      limit ${q.size + 1}`.execute(ctx.db),
    queueCount(ctx, 'bankprofiles', q.status),
  ]);
  return { ...keyset(rows.rows, q.size), totalCount: Number(total.n) };
}

async function exemptionForReview(ctx: RequestContext, id: string, forUpdate = false) {
  const q = ctx.db
    .selectFrom('tax_exemptions as t')
    .innerJoin('partners as p', 'p.id', 't.partner_id')
    .select(['t.id', 't.partner_id', 'p.company_name', 't.country', 't.certificate_number', 't.comment', 't.status', 't.reason', 't.submitted_at', 't.reviewed_at', 't.created_at'])
    .where('t.id', '=', id);
  const row = await (forUpdate ? q.forUpdate() : q).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

export async function exemptionReviewDetail(ctx: RequestContext, id: string) {
  const row = await exemptionForReview(ctx, id);
  const docs = await listDocuments(ctx, row.partner_id, exemptionDocPurpose(id));
  return { ...exemptionView(row, docs.reverse()), partnerId: row.partner_id, companyName: row.company_name };
}

export async function decideExemption(ctx: RequestContext, id: string, d: { approve: boolean; reason?: string }) {
  const op = requireOperator(ctx);
  const out = await inTransaction(ctx, async (tx) => {
    const row = await exemptionForReview(tx, id, true);
    if (row.status !== 'submitted') throw new AppError('REVIEW_CLOSED');
    const status = d.approve ? 'approved' : 'rejected';
    const reason = d.approve ? null : d.reason!;
    await tx.db.updateTable('tax_exemptions').set({ status, reason, reviewed_at: tx.now, reviewed_by: op.operatorId, updated_at: tx.now }).where('id', '=', id).execute();
    await audit(tx, {
      partnerId: row.partner_id,
      action: `taxexemption.${status}`,
      targetType: 'taxexemption',
      targetId: id,
      changes: { status: { before: row.status, after: status }, ...(reason ? { reason: { after: reason } } : {}) },
    });
    const params = { country: row.country, certificateNumber: row.certificate_number, ...(reason ? { reason } : {}) };
    await notify(tx, { partnerId: row.partner_id, kind: `taxexemption.${status}`, params, link: '/account/payout' });
    return { partnerId: row.partner_id, status, reason, params };
  });
  await mailPartner(ctx, out.partnerId, `taxexemption.${out.status}`, out.params, PAYOUT_PAGE);
  return exemptionReviewDetail(ctx, id);
}

async function bankForReview(ctx: RequestContext, id: string, forUpdate = false) {
  const q = ctx.db
    .selectFrom('bank_profiles as t')
    .innerJoin('partners as p', 'p.id', 't.partner_id')
    .select([
      't.id', 't.partner_id', 'p.company_name', 't.name', 't.bank_country', 't.payment_method', 't.account_holder_name', 't.bank_name', 't.account_hint', 't.status', 't.reason',
      't.version', 't.submitted_at', 't.reviewed_at', 't.created_at', 't.updated_at', 't.bic_enc',
    ])
    .where('t.id', '=', id);
  const row = await (forUpdate ? q.forUpdate('t') : q).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

export function bankReviewView(fieldKey: Buffer, r: BankRow & { company_name: string }) {
  return { ...bankView(fieldKey, r), partnerId: r.partner_id, companyName: r.company_name };
}

export async function bankReviewDetail(ctx: RequestContext, id: string) {
  return bankReviewView(ctx.deps.config.secrets.fieldKey, await bankForReview(ctx, id));
}

export async function decideBank(ctx: RequestContext, id: string, d: { approve: boolean; reason?: string }) {
  const op = requireOperator(ctx);
  const out = await inTransaction(ctx, async (tx) => {
    const row = await bankForReview(tx, id, true);
    if (row.status !== 'pending_validation') throw new AppError('REVIEW_CLOSED');
    const status = d.approve ? 'approved' : 'action_required';
    const reason = d.approve ? null : d.reason!;
    await tx.db.updateTable('bank_profiles').set({ status, reason, reviewed_at: tx.now, reviewed_by: op.operatorId, updated_at: tx.now }).where('id', '=', id).execute();
    await audit(tx, {
      partnerId: row.partner_id,
      action: `bankprofile.${status}`,
      targetType: 'bankprofile',
      targetId: id,
      changes: { status: { before: row.status, after: status }, ...(reason ? { reason: { after: reason } } : {}) },
    });
    const params = { name: row.name, account: row.account_hint, ...(reason ? { reason } : {}) };
    await notify(tx, { partnerId: row.partner_id, kind: `bankprofile.${status}`, params, link: '/account/payout' });
    return { partnerId: row.partner_id, status, params };
  });
  await mailPartner(ctx, out.partnerId, `bankprofile.${out.status}`, out.params, PAYOUT_PAGE);
  return bankReviewDetail(ctx, id);
}
