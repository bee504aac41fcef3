import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZLinks } from '../../core/pagination';
import { errors, ZAddress, ZCountry, ZIdParams } from '../../core/schemas';
import { CUSTOMER_SIZES, INDUSTRIES, SERVICES } from '../../../shared/taxonomy';
import { DEFAULT_PAGE_SIZE, getDirectoryLogo, getDirectoryPartner, MAX_PAGE, MAX_PAGE_SIZE, searchDirectory } from './directory.service';

const ZLang = z.string().regex(/^[a-z]{2}$/);

const ZFilters = z.object({
  q: z.string().trim().max(200).optional(),
  country: ZCountry.optional(),
  city: z.string().trim().min(1).max(100).optional(),
  industry: z.enum(INDUSTRIES).optional(),
  /** A managed product, or a product title of the operator's catalog. */
  product: z.string().trim().min(1).max(200).optional(),
  service: z.enum(SERVICES).optional(),
  size: z.enum(CUSTOMER_SIZES).optional(),
  /** A language the partner's description is written in (ISO 639-1). */
  language: ZLang.optional(),
});

const ZSearchQuery = ZFilters.extend({
  page: z.coerce.number().int().min(1).max(MAX_PAGE).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  /** Which description to show; default: the request's Accept-Language. */
  lang: ZLang.optional(),
}).strict();

const ZTags = {
  industries: z.array(z.string()),
  products: z.array(z.string()),
  services: z.array(z.string()),
  skills: z.array(z.string()),
  customerSizes: z.array(z.string()),
};

/** Who the partner is: the same on the search results and the page. */
const ZIdentity = {
  /** The directory's partner id (the published business profile's id): the page, its logo and its contact form use it. */
  id: z.uuid(),
  partnerId: z.uuid(),
  /** The legal company name. */
  name: z.string(),
  slug: z.string(),
  country: z.string(),
};

const ZDirectoryItem = z
  .object({
    ...ZIdentity,
    /** The first lines of the description in the visitor's language, else another. */
    excerpt: z.string(),
    descriptionLanguage: z.string().nullable(),
    ...ZTags,
    cities: z.array(z.string()),
    logoUrl: z.string().nullable(),
    /** The page's clean URL in the web app. */
    url: z.string(),
  })
  .meta({ id: 'DirectoryPartner' });

export const ZDirectoryPage = z
  .object({
    ...ZIdentity,
    description: z.string(),
    descriptionLanguage: z.string().nullable(),
    /** The languages the description is written in. */
    languages: z.array(z.string()),
    ...ZTags,
    locations: z.array(ZAddress),
    support: z.object({ email: z.string().nullable(), telephone: z.string().nullable(), website: z.string().nullable() }).nullable(),
    website: z.string().nullable(),
    linkedIn: z.string().nullable(),
    logoUrl: z.string().nullable(),
    url: z.string(),
    publishedAt: z.string(),
  })
  .meta({ id: 'DirectoryPartnerPage' });

const langOf = (req: FastifyRequest, lang: string | undefined) => lang ?? req.ctx.locale;

/** Modest per-IP limit on the public search (DIRECTORY_RATE_LIMIT per minute, default 300). */
const searchMax = (req: FastifyRequest) => req.ctx.deps.config.directoryRateLimitPerMinute;

export const directoryRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/directory/partners', {
    config: { public: true, rateLimit: { max: searchMax, timeWindow: '1 minute' } },
    schema: {
      tags: ['directory'],
      summary: 'Find a partner (public): free text over names, descriptions and tags, with filters; by relevance, paged',
      description:
        'French and English stemming, accent-insensitive ("hébergement" finds "héberger"); typos in names and tags are tolerated ("Contosso" finds Contoso). ' +
        'Filters combine (AND). Ordered by relevance, then name and id. `lang` (default: Accept-Language) picks the description shown, falling back to English, then French.',
      querystring: ZSearchQuery,
      response: { 200: z.object({ totalCount: z.number().int(), items: z.array(ZDirectoryItem), links: ZLinks }), ...errors(400, 429) },
    },
  }, async (req) => {
    const { page, pageSize, lang, ...filters } = req.query;
    const r = await searchDirectory(req.ctx, { ...filters, page, pageSize, lang: langOf(req, lang) });
    const link = (p: number) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...filters, lang, page: p, pageSize })) if (v !== undefined && v !== '') params.set(k, String(v));
      return { uri: `/v1/directory/partners?${params.toString()}`, method: 'GET' as const };
    };
    return { totalCount: r.totalCount, items: r.items, links: { self: link(page), ...(r.hasMore ? { next: link(page + 1) } : {}) } };
  });

  app.get('/v1/directory/partners/:id', {
    config: { public: true },
    schema: {
      tags: ['directory'],
      summary: 'A partner’s public page (public): description, tags, locations, support contacts, links, logo',
      params: ZIdParams,
      querystring: z.object({ lang: ZLang.optional() }).strict(),
      response: { 200: ZDirectoryPage, ...errors(400, 404) },
    },
  }, async (req) => getDirectoryPartner(req.ctx, req.params.id, langOf(req, req.query.lang)));

  app.get('/v1/directory/partners/:id/logo', {
    config: { public: true },
    schema: {
      tags: ['directory'],
      summary: 'A partner’s logo (public); cacheable for a year when asked with its current version (`?v=`, as `logoUrl` gives it)',
      params: ZIdParams,
      querystring: z.object({ v: z.coerce.number().int().min(0).optional() }).strict(),
      response: { 200: z.any(), 304: z.null(), ...errors(400, 404) },
    },
  }, async (req, reply) => {
    const logo = await getDirectoryLogo(req.ctx, req.params.id);
    const etag = `"logo-${req.params.id}-${logo.logo_version}"`;
    // The URL carries the version: a new logo gets a new URL, so the current one may be kept for a year.
    // Without it (or with an old one), caches must revalidate.
    const current = req.query.v === logo.logo_version;
    reply.header('cache-control', current ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate');
    reply.header('etag', etag);
    reply.header('x-content-type-options', 'nosniff');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send(null);
    return reply.type(logo.logo_type).send(logo.logo);
  });
};
