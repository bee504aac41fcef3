import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { collectionLinks, collectionSchema } from '../../core/pagination';
import { errors, ZIdParams } from '../../core/schemas';
import type { SessionResolver } from '../auth/session-resolver';
import { addSecret, createApp, deleteApp, getApp, issueToken, listAppsOfPartner, revokeSecret, updateApp } from './apps.service';

const ZName = z.string().trim().min(1).max(100);
const ZRoleIds = z.array(z.string().min(1).max(64)).min(1).max(10);

const ZAppSecret = z
  .object({ id: z.uuid(), hint: z.string(), createdAt: z.string(), expiresAt: z.string(), expired: z.boolean() })
  .meta({ id: 'AppSecret' });

/** The secret itself: in the answer that creates it, and never again. */
const ZNewAppSecret = z.object({ id: z.uuid(), secret: z.string(), hint: z.string(), expiresAt: z.string() }).meta({ id: 'NewAppSecret' });

const ZApp = z
  .object({
    id: z.uuid(),
    name: z.string(),
    clientId: z.string(),
    roles: z.array(z.string()),
    status: z.enum(['active', 'disabled']),
    createdAt: z.string(),
    updatedAt: z.string(),
    secrets: z.array(ZAppSecret),
  })
  .meta({ id: 'App' });

const ZToken = z.object({ accessToken: z.string(), tokenType: z.literal('Bearer'), expiresIn: z.number().int() }).meta({ id: 'AppToken' });

const ZTokenRequest = z
  .object({
    clientId: z.string().min(1).max(100),
    clientSecret: z.string().min(1).max(200),
    grantType: z.literal('client_credentials').optional(),
  })
  .strict()
  .meta({ id: 'AppTokenRequest' });

/** OAuth 2.0 form field names (RFC 6749 §4.4) → the JSON body's. */
const FORM_FIELDS: Record<string, string> = { grant_type: 'grantType', client_id: 'clientId', client_secret: 'clientSecret' };

export const appRoutes: FastifyPluginAsyncZod<{ sessions: SessionResolver; authRateLimit: number }> = async (app, opts) => {
  /** An app's cached tokens are dropped when its roles, status or secrets change. */
  const evictApp = (appId: string) => opts.sessions.evictApp(appId);

  // The token endpoint, in its own scope: the only route that also reads an OAuth-style form body.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
      const out: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(body as string)) out[FORM_FIELDS[k] ?? k] = v;
      done(null, out);
    });
    scope.withTypeProvider<ZodTypeProvider>().post('/v1/apps/token', {
      config: { public: true, rateLimit: { max: opts.authRateLimit, timeWindow: '1 minute' } },
      bodyLimit: 4096,
      schema: {
        tags: ['apps'],
        summary: 'Exchange an app’s client id and secret for a 60-minute bearer token',
        description:
          'JSON `{clientId, clientSecret}`, or the OAuth 2.0 client-credentials form (`grant_type=client_credentials&client_id=…&client_secret=…`). ' +
          'An unknown client, a wrong, revoked or expired secret and a disabled app all answer 401 INVALID_CLIENT. Send the token as `Authorization: Bearer`.',
        security: [],
        body: ZTokenRequest,
        response: { 200: ZToken, ...errors(400, 401, 429) },
      },
    }, async (req, reply) => reply.header('pragma', 'no-cache').send(await issueToken(req.ctx, req.body)));
  });

  app.get('/v1/apps', {
    config: { permission: 'apps.manage' },
    schema: { tags: ['apps'], summary: 'The API apps of my company, with their roles and secrets (never the secret values)', response: { 200: collectionSchema(ZApp), ...errors(401, 403) } },
  }, async (req) => {
    const items = await listAppsOfPartner(req.ctx);
    return { totalCount: items.length, items, links: collectionLinks('/v1/apps', {}, undefined) };
  });

  app.post('/v1/apps', {
    config: { permission: 'apps.manage' },
    schema: {
      tags: ['apps'],
      summary: 'Register an app; the answer carries its first secret, this once only',
      body: z.object({ name: ZName, roles: ZRoleIds }).strict(),
      response: { 201: ZApp.extend({ secret: ZNewAppSecret }), ...errors(400, 401, 403) },
    },
  }, async (req, reply) => reply.code(201).send(await createApp(req.ctx, req.body)));

  app.get('/v1/apps/:id', {
    config: { permission: 'apps.manage' },
    schema: { tags: ['apps'], summary: 'One app of my company', params: ZIdParams, response: { 200: ZApp, ...errors(400, 401, 403, 404) } },
  }, async (req) => getApp(req.ctx, req.params.id));

  app.patch('/v1/apps/:id', {
    config: { permission: 'apps.manage' },
    schema: {
      tags: ['apps'],
      summary: 'Change an app: name, roles, or status (disabling ends its tokens)',
      params: ZIdParams,
      body: z.object({ name: ZName.optional(), roles: ZRoleIds.optional(), status: z.enum(['active', 'disabled']).optional() }).strict(),
      response: { 200: ZApp, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => updateApp(req.ctx, req.params.id, req.body, evictApp));

  app.delete('/v1/apps/:id', {
    config: { permission: 'apps.manage' },
    schema: { tags: ['apps'], summary: 'Delete an app: its secrets and tokens stop working', params: ZIdParams, response: { 204: z.null(), ...errors(400, 401, 403, 404) } },
  }, async (req, reply) => {
    await deleteApp(req.ctx, req.params.id, evictApp);
    return reply.code(204).send(null);
  });

  app.post('/v1/apps/:id/secrets', {
    config: { permission: 'apps.manage' },
    schema: {
      tags: ['apps'],
      summary: 'Add a secret (shown once); at most two valid secrets, for rotation',
      params: ZIdParams,
      // The body is optional: without one, the secret is valid for a year.
      body: z.object({ expiresInDays: z.number().int().min(1).max(730).optional() }).strict().nullish(),
      response: { 201: ZNewAppSecret, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => reply.code(201).send(await addSecret(req.ctx, req.params.id, req.body ?? {})));

  app.delete('/v1/apps/:id/secrets/:secretId', {
    config: { permission: 'apps.manage' },
    schema: {
      tags: ['apps'],
      summary: 'Revoke a secret: the tokens obtained with it stop working',
      params: z.object({ id: z.uuid(), secretId: z.uuid() }).strict(),
      response: { 204: z.null(), ...errors(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    await revokeSecret(req.ctx, req.params.id, req.params.secretId, evictApp);
    return reply.code(204).send(null);
  });
};
