import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject, validatorCompiler } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AppDeps } from './core/context';
import { securityHeaders } from './core/security-headers';
import { serializerCompiler } from './core/serializer';
import { contextHook, enforceRouteDeclarations, errorHandler, guardHook, sendNotFound, type GuardedRoute } from './core/http';
import { IpFailureBucket } from './modules/auth/ip-failures';
import { SessionResolver } from './modules/auth/session-resolver';
import { sessionRoutes } from './modules/auth/sessions.routes';
import { enrollmentRoutes } from './modules/enrollment/enrollment.routes';
import { healthRoutes } from './modules/health/health.routes';
import { meRoutes } from './modules/me/me.routes';
import { mfaRoutes } from './modules/mfa/mfa.routes';
import { notificationRoutes } from './modules/notifications/notifications.routes';
import { taxRoutes } from './modules/tax/tax.routes';
import { bankingRoutes } from './modules/banking/banking.routes';
import { payoutReviewRoutes } from './modules/banking/reviews.routes';
import { locationRoutes } from './modules/locations/locations.routes';
import { checklistRoutes } from './modules/checklist/checklist.routes';
import { mySessionRoutes } from './modules/me/my-sessions.routes';
import { operatorRoutes } from './modules/operators/operators.routes';
import { profileRoutes } from './modules/profiles/profiles.routes';
import { verificationRoutes } from './modules/profiles/verifications.routes';
import { auditRoutes } from './modules/audit/audit.routes';
import { appRoutes } from './modules/apps/apps.routes';
import { passwordResetRoutes } from './modules/passwordresets/passwordresets.routes';
import { roleRoutes } from './modules/roles/roles.routes';
import { userRoutes } from './modules/users/users.routes';
import { userBulkRoutes } from './modules/users/users.bulk.routes';
import { invitationRoutes } from './modules/invitations/invitations.routes';
import { businessProfileRoutes } from './modules/businessprofiles/businessprofiles.routes';
import { directoryRoutes } from './modules/directory/directory.routes';
import { referralRoutes } from './modules/referrals/referrals.routes';
import { catalogRoutes } from './modules/catalog/catalog.routes';
import { priceListRoutes } from './modules/pricing/pricelists.routes';
import { priceImportRoutes } from './modules/pricing/imports.routes';
import { promotionRoutes } from './modules/pricing/promotions.routes';

export interface BuiltApp {
  app: FastifyInstance;
  /** Every route of the API with the permission it declares (authorization tests read this). */
  routes: GuardedRoute[];
  sessions: SessionResolver;
}

/** The built web app; `PS_WEB_DIST` points elsewhere (parallel work builds into its own folder). */
export const WEB_DIST = process.env.PS_WEB_DIST ? resolve(process.env.PS_WEB_DIST) : resolve(import.meta.dirname, '../../dist/web');

/** Build the HTTP application without listening (tests use inject()). */
export async function buildApp(
  deps: AppDeps,
  /** `plugins` are registered inside the guarded scope after the product's routes (tests use it to exercise the guard). */
  opts: { logger?: boolean | object; plugins?: FastifyPluginAsync[] } = {},
): Promise<BuiltApp> {
  const { config } = deps;
  const app = Fastify({
    logger: opts.logger ?? {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
    },
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 256 * 1024,
    trustProxy: process.env.TRUST_PROXY ?? false,
    routerOptions: { ignoreTrailingSlash: true },
  });
  // JSON only (security baseline V2, H1b): Fastify also parses text/plain by default, a
  // content type a cross-site form can send; without a parser it is answered 415.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(async (req, reply) => {
    const isApi = /^\/(v1|healthz|readyz|openapi\.json|docs)(\/|$|\?)/.test(req.url);
    if (!isApi && req.method === 'GET' && existsSync(`${WEB_DIST}/index.html`) && config.serveWeb) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html', WEB_DIST);
    }
    return sendNotFound(req, reply);
  });

  const headers = securityHeaders();
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Partner Space API',
        version: '1.0.0',
        description: 'Every route declares the permission it needs. Errors are `{code, message, details}` with stable codes, translated by `Accept-Language` (fr, en).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // swagger-ui's own policy, tightened to ours where it does not need more.
    transformStaticCSP: (header) =>
      header.replace("base-uri 'self'", "base-uri 'none'").replace("frame-ancestors 'self'", "frame-ancestors 'none'").replace(/img-src [^;]*/, "img-src 'self' data:"),
    uiConfig: { docExpansion: 'list', deepLinking: true, validatorUrl: null },
  });

  if (config.serveWeb && existsSync(WEB_DIST)) {
    await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', index: false, wildcard: false, maxAge: '1y', immutable: true });
  }

  const sessions = new SessionResolver(deps.db, config.sessionCacheMs);
  const routes: GuardedRoute[] = [];
  const ipFailures = new IpFailureBucket(config.loginFailuresPerIp, (24 * 60 * 60 * 1000) / config.loginFailuresPerIp);
  const shared = { sessions, cookieSecure: config.cookieSecure, authRateLimit: config.authRateLimitPerMinute };

  // Everything we serve below is guarded: deny by default, checked at registration.
  await app.register(async (api) => {
    enforceRouteDeclarations(api, routes);
    api.addHook('onRequest', contextHook(deps, sessions));
    // Before validation: an anonymous or unauthorised caller learns nothing about the schema.
    api.addHook('preValidation', guardHook);
    await api.register(healthRoutes);
    await api.register(enrollmentRoutes, { authRateLimit: shared.authRateLimit });
    await api.register(sessionRoutes, { ...shared, ipFailures });
    await api.register(meRoutes, { sessions });
    await api.register(mfaRoutes, { sessions });
    await api.register(notificationRoutes);
    await api.register(taxRoutes);
    await api.register(bankingRoutes);
    await api.register(payoutReviewRoutes);
    await api.register(locationRoutes);
    await api.register(checklistRoutes);
    await api.register(mySessionRoutes, { sessions, cookieSecure: shared.cookieSecure });
    await api.register(profileRoutes);
    await api.register(verificationRoutes);
    await api.register(roleRoutes, { sessions });
    await api.register(userRoutes, { sessions });
    await api.register(userBulkRoutes);
    await api.register(invitationRoutes, { sessions, authRateLimit: shared.authRateLimit });
    await api.register(auditRoutes);
    await api.register(appRoutes, { sessions, authRateLimit: shared.authRateLimit });
    await api.register(passwordResetRoutes, { sessions, authRateLimit: shared.authRateLimit });
    await api.register(operatorRoutes, shared);
    // Issue 5: business profiles, the public directory and its contact form, leads.
    await api.register(businessProfileRoutes);
    await api.register(directoryRoutes);
    await api.register(referralRoutes);
    // Issue 6: catalog and pins, price lists, the operator's imports and promotions.
    await api.register(catalogRoutes);
    await api.register(priceListRoutes);
    await api.register(priceImportRoutes);
    await api.register(promotionRoutes);
    for (const plugin of opts.plugins ?? []) await api.register(plugin);
  });

  return { app, routes, sessions };
}
