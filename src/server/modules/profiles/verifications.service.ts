import { audit } from '../../core/audit';
import { inTransaction, requireOperator, type RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import { notify } from '../notifications/notifications.service';
import { findPartner } from '../partners/partners.repo';
import { mailPartner } from '../notifications/partner-mail';
import { listVerificationQueue, lockPartner, type QueueQuery } from './profiles.repo';
import { presentLegal } from './profiles.service';

/** The page of the partner app that shows the verification and its "Fix now". */
export const LEGAL_PAGE_LINK = '/account/legal';

export function verificationQueue(ctx: RequestContext, q: QueueQuery) {
  requireOperator(ctx);
  return listVerificationQueue(ctx.db, q);
}

/** One partner's verification as the operator reviews it: the profile, the pending fields, the documents. */
export async function verificationDetail(ctx: RequestContext, partnerId: string) {
  requireOperator(ctx);
  const row = await findPartner(ctx.db, partnerId);
  if (!row) throw new AppError('NOT_FOUND');
  return { partnerId: row.id, ...(await presentLegal(ctx, row)) };
}

/**
 * The operator's decision. Only a profile waiting for verification can be decided
 * (409 REVIEW_NOT_PENDING otherwise). One transaction: status, audit (operator actor) and
 * the in-app notification; the email to the company's Global admins follows the commit.
 */
export async function decideVerification(ctx: RequestContext, partnerId: string, decision: { approve: true } | { approve: false; reason: string }) {
  requireOperator(ctx);
  const outcome = await inTransaction(ctx, async (tx) => {
    const row = await lockPartner(tx.db, partnerId);
    if (!row) throw new AppError('NOT_FOUND');
    if (row.status !== 'pending_verification') throw new AppError('REVIEW_NOT_PENDING', { status: row.status });
    const status = decision.approve ? ('authorized' as const) : ('rejected' as const);
    const reason = decision.approve ? null : decision.reason.trim();
    await tx.db
      .updateTable('partners')
      .set({
        status,
        rejection_reason: reason,
        // Approved: nothing is left to verify. Rejected: the same fields stay to fix.
        ...(decision.approve ? { pending_fields: [] } : {}),
        legal_version: row.legal_version + 1,
        updated_at: tx.now,
      })
      .where('id', '=', partnerId)
      .execute();
    const changes: Record<string, { before: unknown; after: unknown }> = { vettingStatus: { before: row.status, after: status } };
    if (reason) changes.rejectionReason = { before: row.rejection_reason, after: reason };
    if (decision.approve) changes.pendingFields = { before: row.pending_fields, after: [] };
    await audit(tx, { partnerId, action: decision.approve ? 'verification.approved' : 'verification.rejected', targetType: 'partner', targetId: partnerId, changes });
    await notify(tx, {
      partnerId,
      kind: decision.approve ? 'verification.approved' : 'verification.rejected',
      params: decision.approve ? { companyName: row.company_name } : { companyName: row.company_name, reason: reason! },
      link: LEGAL_PAGE_LINK,
    });
    return { companyName: row.company_name, status, reason };
  });
  await mailOutcome(ctx, partnerId, outcome);
  return outcome;
}

function mailOutcome(ctx: RequestContext, partnerId: string, o: { companyName: string; status: string; reason: string | null }) {
  const key = o.status === 'authorized' ? 'verificationApproved' : 'verificationRejected';
  return mailPartner(ctx, partnerId, key, { company: o.companyName, reason: o.reason ?? '' }, LEGAL_PAGE_LINK);
}
