import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireOperator } from '../../core/context';
import { OPERATOR_COOKIE } from '../../core/http';
import { collectionLinks, collectionSchema, decodeCursor, encodeCursor, ZPageQuery } from '../../core/pagination';
import { errors, ZContact, ZIdParams } from '../../core/schemas';
import type { SessionResolver } from '../auth/session-resolver';
import { setSessionCookie, ZSignInRequest } from '../auth/sessions.routes';
import { signOut } from '../auth/sessions.service';
import { findPartner, listPartners } from '../partners/partners.repo';
import { verifyChain } from '../../core/audit';
import { AppError } from '../../core/errors';
import { operatorSignIn } from './operators.service';

const ZPartnerItem = z
  .object({
    id: z.uuid(),
    companyName: z.string(),
    country: z.string(),
    currency: z.string(),
    status: z.enum(['pending_verification', 'authorized', 'rejected']),
    primaryContact: ZContact,
    createdAt: z.string(),
  })
  .meta({ id: 'PartnerSummary' });

const ZPartnerListQuery = ZPageQuery.extend({
  search: z.string().trim().max(200).optional(),
  status: z.enum(['pending_verification', 'authorized', 'rejected']).optional(),
}).strict();

export const operatorRoutes: FastifyPluginAsyncZod<{ sessions: SessionResolver; cookieSecure: boolean; authRateLimit: number }> = async (app, opts) => {
  app.post('/v1/operator/sessions', {
    config: { public: true, rateLimit: { max: opts.authRateLimit, timeWindow: '1 minute' } },
    schema: {
      tags: ['operator'],
      summary: 'Operator sign-in',
      body: ZSignInRequest,
      response: { 201: z.object({ token: z.string(), csrfToken: z.string(), expiresAt: z.string() }), ...errors(400, 401, 429) },
    },
  }, async (req, reply) => {
    const s = await operatorSignIn(req.ctx, req.body);
    setSessionCookie(reply, OPERATOR_COOKIE, s, opts.cookieSecure);
    return reply.code(201).send({ token: s.token, csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString() });
  });

  app.delete('/v1/operator/sessions/current', {
    config: { permission: 'operator.session' },
    schema: { tags: ['operator'], summary: 'Operator sign-out', response: { 204: z.null(), ...errors(401, 403) } },
  }, async (req, reply) => {
    await signOut(req.ctx);
    if (req.ctx.principal) opts.sessions.evict(req.ctx.principal.session.tokenHash);
    reply.clearCookie(OPERATOR_COOKIE, { path: '/', httpOnly: true, secure: opts.cookieSecure, sameSite: 'lax' });
    return reply.code(204).send(null);
  });

  app.get('/v1/operator/me', {
    config: { permission: 'operator.session' },
    schema: {
      tags: ['operator'],
      summary: 'The signed-in operator',
      response: { 200: z.object({ id: z.uuid(), email: z.string(), displayName: z.string(), permissions: z.array(z.string()), csrfToken: z.string() }), ...errors(401, 403) },
    },
  }, async (req) => {
    const o = requireOperator(req.ctx);
    return { id: o.operatorId, email: o.email, displayName: o.displayName, permissions: [...o.permissions].sort(), csrfToken: o.session.csrfToken };
  });

  app.get('/v1/operator/partners/:id/auditchain', {
    config: { permission: 'operator.partners.read' },
    schema: {
      tags: ['operator'],
      summary: "Verify a partner's activity-log hash chain and report the first broken link",
      params: ZIdParams,
      response: { 200: z.object({ verified: z.boolean(), records: z.number().int(), firstBrokenSeq: z.string().nullable() }), ...errors(401, 403, 404) },
    },
  }, async (req) => {
    const partner = await findPartner(req.ctx.db, req.params.id);
    if (!partner) throw new AppError('NOT_FOUND');
    return verifyChain(req.ctx.db, partner.id);
  });

  app.get('/v1/operator/partners', {
    config: { permission: 'operator.partners.read' },
    schema: {
      tags: ['operator'],
      summary: 'All enrolled partners: search by company name, keyset paging',
      querystring: ZPartnerListQuery,
      response: { 200: collectionSchema(ZPartnerItem), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const { size, search, status, continuationToken } = req.query;
    const page = await listPartners(req.ctx.db, { size, search, status, after: decodeCursor(continuationToken) });
    const last = page.rows.at(-1);
    return {
      totalCount: page.totalCount,
      items: page.rows.map((r) => ({
        id: r.id,
        companyName: r.company_name,
        country: r.country.trim(),
        currency: r.currency.trim(),
        status: r.status,
        primaryContact: r.primary_contact,
        createdAt: r.created_at.toISOString(),
      })),
      links: collectionLinks('/v1/operator/partners', { size, search, status, continuationToken }, page.hasMore && last ? encodeCursor(last.company_name_key, last.id) : undefined),
    };
  });
};

