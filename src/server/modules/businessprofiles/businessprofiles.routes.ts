import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { etagOf, ifMatchVersion, setEtag } from '../../core/etag';
import { collectionLinks, decodeCursor, encodeCursor, ZLinks, ZPageQuery } from '../../core/pagination';
import { errors, ZAddress, ZCountry, ZEmail, ZIdParams, ZPhone } from '../../core/schemas';
import type { FastifyRequest } from 'fastify';
import {
  createProfile,
  deleteProfile,
  getLogo,
  getProfile,
  listProfilesPage,
  presentProfile,
  profileOptions,
  publishProfile,
  removeLogo,
  replaceLogo,
  unpublishProfile,
  updateProfile,
} from './businessprofiles.service';
import { MAX_LOGO_BYTES } from './logo';
import { ZDirectoryPage } from '../directory/directory.routes';
import { previewDirectoryPartner } from '../directory/directory.service';

const ZLeadContact = z.object({ name: z.string().trim().min(1).max(100), email: ZEmail, phone: ZPhone.nullable().optional() }).strict().meta({ id: 'BusinessProfileLeadContact' });

/** Languages are ISO 639-1 codes; the service counts each text's characters (≤ 2,500). */
const ZDescription = z.record(z.string().regex(/^[a-z]{2}$/), z.string().max(20_000)).refine((d) => Object.keys(d).length <= 30, { message: 'too many languages' });

const httpsUrl = z.string().trim().max(300).pipe(z.url({ protocol: /^https$/, hostname: z.regexes.domain }));
/** An empty string clears a link. */
const ZLink = z.union([z.literal(''), httpsUrl]).nullable();

/** Shapes only; the limits (5 industries, 20 skills, 5 locations…) are the service's, with their own reasons. */
const tags = z.array(z.string().trim().min(1).max(200)).max(100);

const ZProfileFields = z.object({
  description: ZDescription.optional(),
  industries: tags.optional(),
  products: tags.optional(),
  services: tags.optional(),
  skills: z.array(z.string().max(200)).max(100).optional(),
  customerSizes: tags.optional(),
  website: ZLink.optional(),
  linkedIn: ZLink.optional(),
  locations: z.array(ZAddress).max(50).optional(),
  leadContact: ZLeadContact.nullable().optional(),
});

const ZProfileCreate = ZProfileFields.extend({ country: ZCountry }).strict().meta({ id: 'BusinessProfileCreate' });
const ZProfileUpdate = ZProfileFields.strict().meta({ id: 'BusinessProfileUpdate' });

const ZProfile = z
  .object({
    id: z.uuid(),
    country: z.string(),
    status: z.enum(['draft', 'published']),
    /** The legal company name (company profile), shown in the directory. */
    displayName: z.string(),
    description: z.record(z.string(), z.string()),
    industries: z.array(z.string()),
    products: z.array(z.string()),
    services: z.array(z.string()),
    skills: z.array(z.string()),
    customerSizes: z.array(z.string()),
    website: z.string().nullable(),
    linkedIn: z.string().nullable(),
    locations: z.array(ZAddress),
    leadContact: z.object({ name: z.string(), email: z.string(), phone: z.string().nullable() }).nullable(),
    logo: z.object({ url: z.string(), width: z.number().int(), height: z.number().int() }).nullable(),
    /** The same value as the ETag header: send it as If-Match. */
    etag: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    publishedAt: z.string().nullable(),
  })
  .meta({ id: 'BusinessProfile' });

const ZOptions = z
  .object({
    industries: z.array(z.string()),
    services: z.array(z.string()),
    customerSizes: z.array(z.string()),
    products: z.object({ source: z.enum(['catalog', 'managed']), items: z.array(z.string()) }),
    limits: z.object({ descriptionChars: z.number(), industries: z.number(), products: z.number(), skills: z.number(), skillChars: z.number(), locations: z.number() }),
  })
  .meta({ id: 'BusinessProfileOptions' });

const present = (r: Parameters<typeof presentProfile>[0]) => {
  const { version, ...rest } = presentProfile(r);
  return { ...rest, etag: etagOf(version) };
};

/** If-Match is optional on publish, unpublish and delete: checked when sent. */
const optionalIfMatch = (req: FastifyRequest) => (req.headers['if-match'] ? ifMatchVersion(req) : undefined);

const ifMatchHeader = z.looseObject({ 'if-match': z.string().optional() });
const COUNTRY_CURSOR = /^[A-Z]{2}$/;

export const businessProfileRoutes: FastifyPluginAsyncZod = async (app) => {
  // Logo uploads: the raw image as the body. Up to 10 MB is read, so a larger logo gets the
  // clear FILE_TOO_LARGE (2 MB) from the service rather than a generic 413.
  app.addContentTypeParser(['image/png', 'image/jpeg', 'image/gif', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: 10 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.get('/v1/businessprofiles', {
    config: { permission: 'businessprofile.read' },
    schema: {
      tags: ['businessprofiles'],
      summary: "The company's business profiles, one per country, by country",
      querystring: ZPageQuery.strict(),
      response: { 200: z.object({ totalCount: z.number().int(), items: z.array(ZProfile), links: ZLinks }), ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const { size, continuationToken } = req.query;
    const after = decodeCursor(continuationToken, COUNTRY_CURSOR);
    const page = await listProfilesPage(req.ctx, { size, afterCountry: after?.id });
    const last = page.rows.at(-1);
    return {
      totalCount: page.totalCount,
      items: page.rows.map(present),
      links: collectionLinks('/v1/businessprofiles', { size, continuationToken }, page.hasMore && last ? encodeCursor(last.country, last.country) : undefined),
    };
  });

  app.get('/v1/businessprofiles/options', {
    config: { permission: 'businessprofile.read' },
    schema: { tags: ['businessprofiles'], summary: 'The lists expertise tags come from (products: the catalog once imported) and the limits', response: { 200: ZOptions, ...errors(401, 403) } },
  }, async (req) => profileOptions(req.ctx));

  app.post('/v1/businessprofiles', {
    config: { permission: 'businessprofile.manage' },
    schema: {
      tags: ['businessprofiles'],
      summary: 'Create the draft business profile of a country (one per country); any field may follow later',
      body: ZProfileCreate,
      response: { 201: ZProfile, ...errors(400, 401, 403, 409) },
    },
  }, async (req, reply) => {
    const r = await createProfile(req.ctx, req.body);
    setEtag(reply, r.version);
    return reply.code(201).header('location', `/v1/businessprofiles/${r.id}`).send(present(r));
  });

  app.get('/v1/businessprofiles/:id', {
    config: { permission: 'businessprofile.read' },
    schema: { tags: ['businessprofiles'], summary: 'One business profile (ETag header for If-Match)', params: ZIdParams, response: { 200: ZProfile, ...errors(400, 401, 403, 404) } },
  }, async (req, reply) => {
    const r = await getProfile(req.ctx, req.params.id);
    setEtag(reply, r.version);
    return present(r);
  });

  app.put('/v1/businessprofiles/:id', {
    config: { permission: 'businessprofile.manage' },
    schema: {
      tags: ['businessprofiles'],
      summary: 'Change a business profile (needs If-Match); fields left out keep their value; a published profile is updated in the directory at once',
      params: ZIdParams,
      headers: ifMatchHeader,
      body: ZProfileUpdate,
      response: { 200: ZProfile, ...errors(400, 401, 403, 404, 412, 428) },
    },
  }, async (req, reply) => {
    const r = await updateProfile(req.ctx, req.params.id, ifMatchVersion(req), req.body);
    setEtag(reply, r.version);
    return present(r);
  });

  app.delete('/v1/businessprofiles/:id', {
    config: { permission: 'businessprofile.delete' },
    schema: {
      tags: ['businessprofiles'],
      summary: 'Delete a business profile permanently (If-Match checked when sent); it leaves the directory; its leads stay',
      params: ZIdParams,
      headers: ifMatchHeader,
      response: { 204: z.null(), ...errors(400, 401, 403, 404, 412) },
    },
  }, async (req, reply) => {
    await deleteProfile(req.ctx, req.params.id, optionalIfMatch(req));
    return reply.code(204).send(null);
  });

  for (const action of ['publish', 'unpublish'] as const) {
    app.post(`/v1/businessprofiles/:id/${action}`, {
      config: { permission: 'businessprofile.manage' },
      schema: {
        tags: ['businessprofiles'],
        summary:
          action === 'publish'
            ? 'Publish: the profile is in the directory as soon as this answers (needs a French or English description and a lead contact; If-Match checked when sent)'
            : 'Unpublish: the profile leaves the directory at once and is a draft again (If-Match checked when sent)',
        params: ZIdParams,
        headers: ifMatchHeader,
        response: { 200: ZProfile, ...errors(400, 401, 403, 404, 412) },
      },
    }, async (req, reply) => {
      const version = optionalIfMatch(req);
      const r = action === 'publish' ? await publishProfile(req.ctx, req.params.id, version) : await unpublishProfile(req.ctx, req.params.id, version);
      setEtag(reply, r.version);
      return present(r);
    });
  }

  app.get('/v1/businessprofiles/:id/preview', {
    config: { permission: 'businessprofile.read' },
    schema: {
      tags: ['businessprofiles'],
      summary: 'The public directory page this profile would have, draft or published (`lang`: the description shown, default the request’s language)',
      params: ZIdParams,
      querystring: z.object({ lang: z.string().regex(/^[a-z]{2}$/).optional() }).strict(),
      response: { 200: ZDirectoryPage, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => {
    const r = await getProfile(req.ctx, req.params.id); // the caller's own profile, else 404
    const page = await previewDirectoryPartner(req.ctx.db, r.id, req.query.lang ?? req.ctx.locale);
    // The public logo route serves published profiles only: a preview shows the partner-side one.
    return { ...page, logoUrl: presentProfile(r).logo?.url ?? null };
  });

  app.get('/v1/businessprofiles/:id/logo', {
    config: { permission: 'businessprofile.read' },
    schema: {
      tags: ['businessprofiles'],
      summary: 'The stored logo (PNG or JPEG, at most 300 px wide)',
      params: ZIdParams,
      querystring: z.object({ v: z.coerce.number().int().min(0).optional() }).strict(),
      response: { 200: z.any().meta({ description: 'The image' }), ...errors(401, 403, 404) },
    },
  }, async (req, reply) => {
    const logo = await getLogo(req.ctx, req.params.id);
    return reply.headers({ 'content-type': logo.type, 'content-length': String(logo.bytes.length), 'x-content-type-options': 'nosniff', 'content-disposition': 'inline' }).send(logo.bytes);
  });

  app.put('/v1/businessprofiles/:id/logo', {
    config: { permission: 'businessprofile.manage' },
    bodyLimit: 10 * 1024 * 1024,
    schema: {
      tags: ['businessprofiles'],
      summary: `Upload the logo: the raw GIF, JPG or PNG file as the body (≤ ${MAX_LOGO_BYTES / 1024 / 1024} MB, at least 216×216, checked by content); stored at most 300 px wide`,
      params: ZIdParams,
      response: { 200: ZProfile, ...errors(400, 401, 403, 404, 413, 415) },
    },
  }, async (req, reply) => {
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const r = await replaceLogo(req.ctx, req.params.id, bytes);
    setEtag(reply, r.version);
    return present(r);
  });

  app.delete('/v1/businessprofiles/:id/logo', {
    config: { permission: 'businessprofile.manage' },
    schema: { tags: ['businessprofiles'], summary: 'Remove the logo', params: ZIdParams, response: { 200: ZProfile, ...errors(400, 401, 403, 404) } },
  }, async (req, reply) => {
    const r = await removeLogo(req.ctx, req.params.id);
    setEtag(reply, r.version);
    return present(r);
  });
};
