import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { collectionLinks, collectionSchema, decodeCursor, encodeCursor, ZPageQuery } from '../../core/pagination';
import { errors, ZIdParams } from '../../core/schemas';
import { exemptionView } from '../tax/tax.service';
import { ZTaxExemption } from '../tax/tax.routes';
import { ZBankProfile } from './banking.routes';
import { bankQueue, bankReviewDetail, bankReviewView, decideBank, decideExemption, exemptionQueue, exemptionReviewDetail } from './reviews.service';

const ZExemptionReview = ZTaxExemption.extend({ partnerId: z.uuid(), companyName: z.string() }).meta({ id: 'TaxExemptionReview' });
const ZExemptionReviewItem = ZTaxExemption.omit({ documents: true }).extend({ partnerId: z.uuid(), companyName: z.string(), documentCount: z.number().int() }).meta({ id: 'TaxExemptionReviewItem' });
const ZBankReview = ZBankProfile.extend({ partnerId: z.uuid(), companyName: z.string() }).meta({ id: 'BankProfileReview' });
const ZReject = z.object({ reason: z.string().trim().min(1).max(1000) }).strict();

/** The operator's review queues: tax exemptions and bank profiles. */
export const payoutReviewRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/operator/reviews/taxexemptions', {
    config: { permission: 'operator.reviews' },
    schema: {
      tags: ['operator'],
      summary: 'Tax exemptions to review: filter by status (submitted by default), oldest first, keyset paging',
      querystring: ZPageQuery.extend({ status: z.enum(['submitted', 'approved', 'rejected']).default('submitted') }).strict(),
      response: { 200: collectionSchema(ZExemptionReviewItem), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const { size, status, continuationToken } = req.query;
    const page = await exemptionQueue(req.ctx, { size, status, after: decodeCursor(continuationToken) });
    const last = page.rows.at(-1);
    return {
      totalCount: page.totalCount,
      items: page.rows.map((r) => {
        const { documents: _d, ...v } = exemptionView(r);
        return { ...v, partnerId: r.partner_id, companyName: r.company_name, documentCount: r.documents };
      }),
      links: collectionLinks('/v1/operator/reviews/taxexemptions', { size, status, continuationToken }, page.hasMore && last ? encodeCursor(new Date(last.submitted_at).toISOString(), last.id) : undefined),
    };
  });

  app.get('/v1/operator/reviews/taxexemptions/:id', {
    config: { permission: 'operator.reviews' },
    schema: {
      tags: ['operator'],
      summary: 'One tax exemption with its documents (download them with GET /v1/operator/partners/{partnerId}/documents/{id})',
      params: ZIdParams,
      response: { 200: ZExemptionReview, ...errors(401, 403, 404) },
    },
  }, async (req) => exemptionReviewDetail(req.ctx, req.params.id));

  app.post('/v1/operator/reviews/taxexemptions/:id/approve', {
    config: { permission: 'operator.reviews' },
    schema: {
      tags: ['operator'],
      summary: 'Approve a submitted tax exemption; the partner is notified in-app and by email',
      params: ZIdParams,
      body: z.object({}).strict().optional(),
      response: { 200: ZExemptionReview, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => decideExemption(req.ctx, req.params.id, { approve: true }));

  app.post('/v1/operator/reviews/taxexemptions/:id/reject', {
    config: { permission: 'operator.reviews' },
    schema: {
      tags: ['operator'],
      summary: 'Reject a submitted tax exemption with the reason the partner sees',
      params: ZIdParams,
      body: ZReject,
      response: { 200: ZExemptionReview, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => decideExemption(req.ctx, req.params.id, { approve: false, reason: req.body.reason }));

  app.get('/v1/operator/reviews/bankprofiles', {
    config: { permission: 'operator.reviews' },
    schema: {
      tags: ['operator'],
      summary: 'Bank profiles to validate: filter by status (pending_validation by default), oldest first, keyset paging; accounts masked',
      querystring: ZPageQuery.extend({ status: z.enum(['pending_validation', 'approved', 'action_required']).default('pending_validation') }).strict(),
      response: { 200: collectionSchema(ZBankReview), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const { size, status, continuationToken } = req.query;
    const page = await bankQueue(req.ctx, { size, status, after: decodeCursor(continuationToken) });
    const last = page.rows.at(-1);
    return {
      totalCount: page.totalCount,
      items: page.rows.map((r) => bankReviewView(req.ctx.deps.config.secrets.fieldKey, r)),
      links: collectionLinks('/v1/operator/reviews/bankprofiles', { size, status, continuationToken }, page.hasMore && last ? encodeCursor(new Date(last.submitted_at).toISOString(), last.id) : undefined),
    };
  });

  app.get('/v1/operator/reviews/bankprofiles/:id', {
    config: { permission: 'operator.reviews' },
    schema: { tags: ['operator'], summary: 'One bank profile to validate (account masked)', params: ZIdParams, response: { 200: ZBankReview, ...errors(401, 403, 404) } },
  }, async (req) => bankReviewDetail(req.ctx, req.params.id));

  app.post('/v1/operator/reviews/bankprofiles/:id/approve', {
    config: { permission: 'operator.reviews' },
    schema: {
      tags: ['operator'],
      summary: 'Approve a bank profile; the partner is notified in-app and by email',
      params: ZIdParams,
      body: z.object({}).strict().optional(),
      response: { 200: ZBankReview, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => decideBank(req.ctx, req.params.id, { approve: true }));

  app.post('/v1/operator/reviews/bankprofiles/:id/reject', {
    config: { permission: 'operator.reviews' },
    schema: {
      tags: ['operator'],
      summary: 'Send a bank profile back to the partner (action required) with the reason they see',
      params: ZIdParams,
      body: ZReject,
      response: { 200: ZBankReview, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => decideBank(req.ctx, req.params.id, { approve: false, reason: req.body.reason }));
};
