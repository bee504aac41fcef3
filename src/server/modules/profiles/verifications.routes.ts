import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { collectionLinks, collectionSchema, decodeCursor, encodeCursor, ZPageQuery } from '../../core/pagination';
import { errors } from '../../core/schemas';
import { documentHeaders, readDocument } from '../documents/documents.service';
import { findPartner } from '../partners/partners.repo';
import { AppError } from '../../core/errors';
import { ZLegalBusinessProfile } from './profiles.routes';
import { decideVerification, verificationDetail, verificationQueue } from './verifications.service';

const STATUS = z.enum(['pending_verification', 'authorized', 'rejected']);

const ZVerificationItem = z
  .object({
    partnerId: z.uuid(),
    companyName: z.string(),
    country: z.string(),
    status: STATUS,
    submittedAt: z.string(),
    pendingFields: z.array(z.string()),
    rejectionReason: z.string().nullable(),
  })
  .meta({ id: 'VerificationReviewItem' });

const ZQueueQuery = ZPageQuery.extend({
  status: STATUS.default('pending_verification'),
  search: z.string().trim().max(200).optional(),
}).strict();

const ZPartnerParams = z.object({ partnerId: z.uuid() }).strict();
const ZOutcome = z.object({ partnerId: z.uuid(), status: STATUS, rejectionReason: z.string().nullable() }).meta({ id: 'VerificationOutcome' });

/** The operator's review queue for partner verifications (legal business profiles). */
export const verificationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/operator/reviews/verifications', {
    config: { permission: 'operator.reviews' },
    schema: {
      tags: ['operator'],
      summary: 'Partner verifications to review: filter by status, oldest submission first, keyset paging',
      querystring: ZQueueQuery,
      response: { 200: collectionSchema(ZVerificationItem), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const { size, status, search, continuationToken } = req.query;
    const page = await verificationQueue(req.ctx, { size, status, search, after: decodeCursor(continuationToken) });
    const last = page.rows.at(-1);
    return {
      totalCount: page.totalCount,
      items: page.rows.map((r) => ({
        partnerId: r.id,
        companyName: r.company_name,
        country: r.country.trim(),
        status: r.status,
        submittedAt: new Date(r.submitted_at).toISOString(),
        pendingFields: r.pending_fields ?? [],
        rejectionReason: r.rejection_reason ?? null,
      })),
      links: collectionLinks('/v1/operator/reviews/verifications', { size, status, search, continuationToken }, page.hasMore && last ? encodeCursor(new Date(last.submitted_at).toISOString(), last.id) : undefined),
    };
  });

  app.get('/v1/operator/reviews/verifications/:partnerId', {
    config: { permission: 'operator.reviews' },
    schema: {
      tags: ['operator'],
      summary: "One partner's verification: the legal business profile, the fields to check, the documents",
      params: ZPartnerParams,
      response: { 200: ZLegalBusinessProfile.extend({ partnerId: z.uuid() }), ...errors(401, 403, 404) },
    },
  }, async (req) => verificationDetail(req.ctx, req.params.partnerId));

  app.post('/v1/operator/reviews/verifications/:partnerId/approve', {
    config: { permission: 'operator.reviews' },
    schema: {
      tags: ['operator'],
      summary: 'Approve a pending verification: the partner is authorized, notified in-app and by email',
      params: ZPartnerParams,
      body: z.object({}).strict().optional(),
      response: { 200: ZOutcome, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    const o = await decideVerification(req.ctx, req.params.partnerId, { approve: true });
    return { partnerId: req.params.partnerId, status: o.status, rejectionReason: null };
  });

  app.post('/v1/operator/reviews/verifications/:partnerId/reject', {
    config: { permission: 'operator.reviews' },
    schema: {
      tags: ['operator'],
      summary: 'Reject a pending verification with a reason the partner sees (in-app and by email)',
      params: ZPartnerParams,
      body: z.object({ reason: z.string().trim().min(1).max(1000) }).strict(),
      response: { 200: ZOutcome, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    const o = await decideVerification(req.ctx, req.params.partnerId, { approve: false, reason: req.body.reason });
    return { partnerId: req.params.partnerId, status: o.status, rejectionReason: o.reason };
  });

  // Operators download any review's supporting document (verifications, tax exemptions, bank profiles).
  app.get('/v1/operator/partners/:id/documents/:documentId', {
    config: { permission: 'operator.reviews' },
    schema: {
      tags: ['operator'],
      summary: "Download a partner's supporting document",
      params: z.object({ id: z.uuid(), documentId: z.uuid() }).strict(),
      response: { 200: z.any().meta({ description: 'The file (PDF, JPEG or PNG)' }), ...errors(401, 403, 404) },
    },
  }, async (req, reply) => {
    if (!(await findPartner(req.ctx.db, req.params.id))) throw new AppError('NOT_FOUND');
    const row = await readDocument(req.ctx, req.params.id, req.params.documentId);
    return reply.headers(documentHeaders(row)).send(row.content);
  });
};
