import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { etagOf, ifMatchVersion, setEtag } from '../../core/etag';
import { AppError } from '../../core/errors';
import { collectionLinks, decodeCursor, encodeCursor, ZLinks, ZPageQuery } from '../../core/pagination';
import { errors, ZCountry, ZEmail, ZIdParams } from '../../core/schemas';
import { CUSTOMER_SIZES } from '../../../shared/taxonomy';
import { exportLeads } from './referrals.export';
import { contactPartner, getLead, listLeadsPage, listTeamCandidates, updateLead } from './referrals.service';

const STATUSES = ['new', 'accepted', 'declined', 'won', 'lost', 'expired'] as const;

/** Contact form limits (issue 5: abuse protection). */
export const CONTACT_LIMITS = { name: 100, company: 150, email: 254, phone: 40, need: 2000, website: 300 } as const;

const line = (max: number) => z.string().trim().min(1).max(max);

const ZContactInput = z
  .object({
    name: line(CONTACT_LIMITS.name),
    company: line(CONTACT_LIMITS.company),
    email: ZEmail,
    phone: line(CONTACT_LIMITS.phone),
    country: ZCountry,
    companySize: z.enum(CUSTOMER_SIZES),
    need: line(CONTACT_LIMITS.need),
    consent: z.boolean(),
    /** The honeypot: leave it out or empty. */
    website: z.string().max(CONTACT_LIMITS.website).optional(),
  })
  .strict()
  .meta({ id: 'ContactPartnerInput' });

const ZMember = z.object({ id: z.uuid(), firstName: z.string(), lastName: z.string(), email: z.string() });

const ZLead = z
  .object({
    id: z.uuid(),
    status: z.enum(STATUSES),
    businessProfileId: z.uuid().nullable(),
    profileCountry: z.string().nullable(),
    customer: z.object({
      name: z.string(),
      company: z.string(),
      /** null once the lead has expired (reference §1.14: expired leads hide contact info). */
      email: z.string().nullable(),
      phone: z.string().nullable(),
      country: z.string(),
      companySize: z.string(),
      need: z.string(),
      consent: z.boolean(),
    }),
    contactHidden: z.boolean(),
    /** New and less than 72 hours old. */
    fresh: z.boolean(),
    reason: z.string().nullable(),
    /** A decimal string, e.g. "12500.00". */
    dealValue: z.string().nullable(),
    currency: z.string().nullable(),
    team: z.array(ZMember),
    /** The same value as the ETag header of `GET /v1/referrals/{id}`: send it as If-Match. */
    etag: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'Lead' });

const ZLeadDetail = ZLead.extend({
  notes: z.array(z.object({ id: z.uuid(), authorId: z.uuid().nullable(), authorName: z.string(), text: z.string(), createdAt: z.string() })),
}).meta({ id: 'LeadDetail' });

const ZLeadFilters = z.object({
  q: z.string().trim().max(200).optional(),
  status: z.enum(STATUSES).optional(),
  country: ZCountry.optional(),
  companySize: z.enum(CUSTOMER_SIZES).optional(),
  assignedTo: z.literal('me').optional(),
  /** Created on or after this day (UTC). */
  createdFrom: z.iso.date().optional(),
  /** Created on or before this day (UTC). */
  createdTo: z.iso.date().optional(),
});

const ZLeadUpdate = z
  .object({
    status: z.enum(STATUSES).optional(),
    reason: z.string().trim().min(1).max(500).optional(),
    /** A decimal amount with at most 2 decimals, as a string ("12500.50") or a number. */
    dealValue: z.union([z.string().max(20), z.number().nonnegative()]).transform((v) => String(v)).optional(),
    currency: z.string().length(3).toUpperCase().optional(),
    teamUserIds: z.array(z.uuid()).max(50).optional(),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'empty' })
  .meta({ id: 'LeadUpdate' });

type Filters = z.infer<typeof ZLeadFilters>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Query filters → repository filter; `createdTo` includes its whole day. */
function filtersOf(f: Filters) {
  const from = f.createdFrom ? new Date(`${f.createdFrom}T00:00:00Z`) : undefined;
  const before = f.createdTo ? new Date(new Date(`${f.createdTo}T00:00:00Z`).getTime() + DAY_MS) : undefined;
  if (from && before && from >= before) throw new AppError('VALIDATION_FAILED', {}, [{ field: 'createdTo', reason: 'before_start', message: '' }]);
  return { q: f.q || undefined, status: f.status, country: f.country, companySize: f.companySize, assignedToMe: f.assignedTo === 'me', createdFrom: from, createdBefore: before };
}

function cursorOf(token: string | undefined) {
  const c = decodeCursor(token);
  if (c && Number.isNaN(new Date(c.key).getTime())) throw new AppError('INVALID_CONTINUATION_TOKEN');
  return c;
}

const withEtag = <T extends { version: number }>(l: T) => {
  const { version, ...rest } = l;
  return { ...rest, etag: etagOf(version) };
};

/** The per-IP limit of the public contact form (CONTACT_RATE_LIMIT per hour, default 5). */
const contactMax = (req: FastifyRequest) => req.ctx.deps.config.contactRateLimitPerHour;

export const referralRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/v1/directory/partners/:id/contact', {
    config: { public: true, rateLimit: { max: contactMax, timeWindow: '1 hour' } },
    schema: {
      tags: ['directory'],
      summary: 'Contact this partner (public): creates a lead in the partner’s Referrals inbox and mails its Referrals admins',
      description:
        'The id is the directory’s partner id (a published business profile). Limits: need ≤ 2,000 characters; consent must be true; ' +
        'a per-IP rate limit (429 RATE_LIMITED). `website` is a honeypot people never fill: filled, the message is refused (400 CONTACT_REFUSED). Nothing about the lead is answered.',
      params: ZIdParams,
      body: ZContactInput,
      response: { 201: z.object({ received: z.literal(true) }), ...errors(400, 404, 429) },
    },
  }, async (req, reply) => {
    await contactPartner(req.ctx, req.params.id, req.body);
    return reply.code(201).send({ received: true as const });
  });

  app.get('/v1/referrals', {
    config: { permission: 'referrals.read' },
    schema: {
      tags: ['referrals'],
      summary: 'The leads inbox, newest first: search (customer name, company, email) and filters; a Referrals user sees the leads whose team they are on',
      querystring: ZPageQuery.extend(ZLeadFilters.shape).strict(),
      response: { 200: z.object({ totalCount: z.number().int(), items: z.array(ZLead), links: ZLinks }), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const { size, continuationToken, ...f } = req.query;
    const page = await listLeadsPage(req.ctx, filtersOf(f), { size, after: cursorOf(continuationToken) });
    const last = page.rows.at(-1);
    return {
      totalCount: page.totalCount,
      items: page.items.map(withEtag),
      links: collectionLinks('/v1/referrals', { size, continuationToken, ...f }, page.hasMore && last ? encodeCursor(last.created_at.toISOString(), last.id) : undefined),
    };
  });

  app.get('/v1/referrals/export', {
    config: { permission: 'referrals.read' },
    schema: {
      tags: ['referrals'],
      summary: 'Export the leads to CSV (LeadId, LeadCreationDateTime, Status, customer, deal, team…), with the inbox filters',
      produces: ['text/csv'],
      querystring: ZLeadFilters.strict(),
      response: { 200: z.string().meta({ description: 'CSV, UTF-8' }), ...errors(400, 401, 403) },
    },
  }, async (req, reply) => {
    const day = req.ctx.now.toISOString().slice(0, 10);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="leads-${day}.csv"`)
      .header('cache-control', 'no-store')
      // A stream is piped as is (the 200 schema documents it; it is not serialised).
      .send(exportLeads(req.ctx, filtersOf(req.query)) as unknown as string);
  });

  app.get('/v1/referrals/members', {
    config: { permission: 'referrals.manage' },
    schema: {
      tags: ['referrals'],
      summary: 'Who can be put on a lead’s team: active users holding referrals.read (Referrals admins, Referrals users, Global admins…), by name; at most 50',
      querystring: z.object({ q: z.string().trim().max(200).optional() }).strict(),
      response: { 200: z.object({ items: z.array(ZMember) }), ...errors(400, 401, 403) },
    },
  }, async (req) => ({ items: await listTeamCandidates(req.ctx, req.query.q || undefined) }));

  app.get('/v1/referrals/:id', {
    config: { permission: 'referrals.read' },
    schema: { tags: ['referrals'], summary: 'One lead with its team and notes (ETag header for If-Match)', params: ZIdParams, response: { 200: ZLeadDetail, ...errors(400, 401, 403, 404) } },
  }, async (req, reply) => {
    const l = await getLead(req.ctx, req.params.id);
    setEtag(reply, l.version);
    return withEtag(l);
  });

  app.patch('/v1/referrals/:id', {
    config: { permission: 'referrals.update' },
    schema: {
      tags: ['referrals'],
      summary: 'Work on a lead (needs If-Match): change its status, its team (Referrals admin) and/or add a note',
      description:
        'Transitions: new → accepted; new → declined (reason); accepted → won (dealValue and currency); accepted → lost (reason). Any other is 409 LEAD_TRANSITION_INVALID. ' +
        '`teamUserIds` replaces the team (needs referrals.manage; members are active users holding referrals.read). `note` appends a note to the thread.',
      params: ZIdParams,
      body: ZLeadUpdate,
      response: { 200: ZLeadDetail, ...errors(400, 401, 403, 404, 409, 412, 428) },
    },
  }, async (req, reply) => {
    const l = await updateLead(req.ctx, req.params.id, ifMatchVersion(req), req.body);
    setEtag(reply, l.version);
    return withEtag(l);
  });
};
