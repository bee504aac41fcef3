import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isPermission, MFA_STEP_UP_PERMISSIONS, type Permission } from '../../shared/permissions';
import type { AppDeps, RequestContext } from './context';
import { AppError, ERROR_STATUS, type ErrorCode, type ErrorDetail } from './errors';
import { DEFAULT_LOCALE, negotiateLocale, t, type Locale } from './i18n';
import { safeEqual } from './tokens';
import type { SessionResolver } from '../modules/auth/session-resolver';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a caller must hold. Every route declares this or `public`. */
    permission?: Permission;
    /** Reachable without a session (enrolment, sign-in, health, the directory). */
    public?: boolean;
    /** Allowed while the user must still replace a temporary password. */
    duringPasswordChange?: boolean;
    /** Allowed after the password but before the second factor (completing MFA, signing out). */
    duringMfa?: boolean;
    /** Needs a session that passed MFA (implied by the step-up permissions). */
    mfa?: boolean;
  }
  interface FastifyRequest {
    ctx: RequestContext;
    auth: { via: 'cookie' | 'bearer' | null; state: 'none' | 'valid' | 'expired' | 'unknown' };
  }
}

export const USER_COOKIE = '__Host-sid';
export const OPERATOR_COOKIE = '__Host-osid';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const STEP_UP: ReadonlySet<string> = new Set(MFA_STEP_UP_PERMISSIONS);

export interface GuardedRoute {
  method: string;
  url: string;
  permission: Permission | null;
  public: boolean;
}

/**
 * Deny by default: a route registered in the guarded scope must declare
 * `config.permission` (a known permission) or `config.public: true`, or the app
 * refuses to start. The table of routes is kept for the authorization tests.
 */
export function enforceRouteDeclarations(app: FastifyInstance, table: GuardedRoute[]): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const cfg = (route.config ?? {}) as { permission?: string; public?: boolean };
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.every((m) => m === 'HEAD' || m === 'OPTIONS')) return;
    if (cfg.public === true && cfg.permission) throw new Error(`Route ${route.url} declares both public and a permission`);
    if (cfg.public !== true) {
      if (!cfg.permission) throw new Error(`Route ${methods.join(',')} ${route.url} declares no permission and is not public: refusing to start`);
      if (!isPermission(cfg.permission)) throw new Error(`Route ${route.url} declares unknown permission ${cfg.permission}`);
    }
    for (const method of methods) {
      if (method === 'HEAD') continue;
      table.push({ method, url: route.url, permission: (cfg.permission as Permission | undefined) ?? null, public: cfg.public === true });
    }
  });
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(h);
  return m ? m[1] : '';
}

/** onRequest: build the request context and resolve the session, if any. API answers are never cached. */
export function contextHook(deps: AppDeps, sessions: SessionResolver) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    reply.header('cache-control', 'no-store');
    const now = deps.clock();
    const headerLocale = negotiateLocale(req.headers['accept-language']);
    req.auth = { via: null, state: 'none' };
    let token = bearer(req);
    if (token !== undefined) req.auth.via = 'bearer';
    else {
      const cookieName = req.url.startsWith('/v1/operator') ? OPERATOR_COOKIE : USER_COOKIE;
      token = req.cookies[cookieName];
      if (token) req.auth.via = 'cookie';
    }
    let principal: RequestContext['principal'] = null;
    if (token) {
      const r = await sessions.resolve(token, now);
      // An API app authenticates with `Authorization: Bearer` only, never a cookie.
      if (r.principal?.kind === 'app' && req.auth.via !== 'bearer') req.auth.state = 'unknown';
      else if (r.principal) {
        principal = r.principal;
        req.auth.state = 'valid';
      } else req.auth.state = r.reason;
    } else if (token === '') req.auth.state = 'unknown';
    // The user's saved language wins; else the request's Accept-Language; else English.
    const locale: Locale = principal?.locale ?? headerLocale ?? DEFAULT_LOCALE;
    req.ctx = {
      requestId: String(req.id),
      locale,
      ip: req.ip,
      userAgent: req.headers['user-agent'] ?? null,
      now,
      principal,
      db: deps.db,
      deps,
      log: req.log,
    };
  };
}

/** preHandler: authentication, permission and CSRF checks, declared per route. */
export async function guardHook(req: FastifyRequest): Promise<void> {
  const cfg = req.routeOptions.config;
  const unsafe = UNSAFE.has(req.method);
  if (unsafe) {
    // Fetch metadata: a browser's cross-site write is refused outright.
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new AppError('CSRF_FAILED');
  }
  if (cfg.public) return;
  const p = req.ctx.principal;
  if (!p) throw new AppError(req.auth.state === 'expired' ? 'SESSION_EXPIRED' : 'UNAUTHENTICATED');
  // The second factor comes first: until it is presented, the password alone opens nothing.
  if (p.kind === 'user' && p.session.mfaPending && !cfg.duringMfa) throw new AppError('MFA_REQUIRED');
  if (p.kind === 'user' && p.mustChangePassword && !cfg.duringPasswordChange) throw new AppError('PASSWORD_CHANGE_REQUIRED');
  if (!cfg.permission || !p.permissions.has(cfg.permission)) {
    req.log.info({ event: 'authz_fail', permission: cfg.permission }, 'permission denied');
    throw new AppError('FORBIDDEN');
  }
  if (p.kind === 'user' && !p.session.mfaPassed && (cfg.mfa || STEP_UP.has(cfg.permission))) throw new AppError('MFA_REQUIRED');
  if (unsafe && req.auth.via === 'cookie') {
    // Cookie-authenticated writes carry the session's synchronizer token.
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !safeEqual(sent, p.session.csrfToken)) throw new AppError('CSRF_FAILED');
  }
}

function translateDetail(locale: Locale, d: ErrorDetail): ErrorDetail {
  return { ...(d.line !== undefined ? { line: d.line } : {}), ...(d.field ? { field: d.field } : {}), reason: d.reason, message: t(locale, `reason.${d.reason}`, d.params ?? {}) };
}

type ZodIssueLike = { code: string; message: string; minimum?: unknown; maximum?: unknown; keys?: string[]; format?: string; expected?: string; origin?: string };

function zodIssueToDetail(v: { keyword: string; instancePath: string; message?: string; params: Record<string, unknown> }, part: string): ErrorDetail {
  const issue = { ...(v.params as object), code: v.keyword, message: v.message ?? '' } as ZodIssueLike;
  const path = v.instancePath.split('/').filter(Boolean).join('.');
  const field = [part === 'body' ? '' : part, path].filter(Boolean).join('.') || undefined;
  switch (issue.code) {
    case 'too_small':
      return { field, reason: issue.origin === 'string' ? 'too_short' : 'too_small', message: '', params: { min: Number(issue.minimum) } };
    case 'too_big':
      return { field, reason: issue.origin === 'string' ? 'too_long' : 'too_big', message: '', params: { max: Number(issue.maximum) } };
    case 'invalid_type':
      return /received undefined$/.test(issue.message)
        ? { field, reason: 'required', message: '' }
        : { field, reason: 'invalid_type', message: '', params: { expected: String(issue.expected ?? '') } };
    case 'unrecognized_keys':
      return { field: [field, issue.keys?.join(', ')].filter(Boolean).join('.'), reason: 'unknown_field', message: '' };
    case 'invalid_format':
      return { field, reason: 'invalid_format', message: '', params: { format: String(issue.format ?? '') } };
    case 'invalid_value':
      return { field, reason: 'invalid_value', message: '' };
    default:
      return { field, reason: 'invalid', message: '' };
  }
}

function send(reply: FastifyReply, locale: Locale, code: ErrorCode, params: Record<string, unknown>, details: ErrorDetail[]) {
  const status = ERROR_STATUS[code];
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .send({ code, message: t(locale, `error.${code}`, params), details: details.map((d) => translateDetail(locale, d)), requestId: reply.request.id });
}

/** Maps every error to `{code, message, details}` in the request's language. */
export function errorHandler(error: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
  const locale = req.ctx?.locale ?? negotiateLocale(req.headers['accept-language']) ?? DEFAULT_LOCALE;
  if (error instanceof AppError) {
    if (error.status >= 500) req.log.error({ err: error }, 'server error');
    if (error.code === 'RATE_LIMITED' && error.params.retryAfterS) reply.header('retry-after', String(error.params.retryAfterS));
    // A stale If-Match (core/etag.ts): the answer carries the current version, so the client can reload or retry against it.
    if (error.code === 'PRECONDITION_FAILED' && error.params.current) reply.header('etag', String(error.params.current));
    return send(reply, locale, error.code, error.params, error.details);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const part = (error as FastifyError).validationContext ?? 'body';
    const details = error.validation.map((v) => zodIssueToDetail(v as never, part));
    return send(reply, locale, 'VALIDATION_FAILED', {}, details);
  }
  if (isResponseSerializationError(error)) {
    req.log.error({ err: error }, 'response did not match its schema');
    return send(reply, locale, 'INTERNAL', {}, []);
  }
  const pg = error as { code?: string; constraint?: string };
  if (pg.code === '23505') {
    const code: ErrorCode =
      pg.constraint === 'users_email_key_uq' ? 'EMAIL_ALREADY_REGISTERED'
      : pg.constraint === 'partners_company_key_uq' ? 'COMPANY_ALREADY_ENROLLED'
      : 'CONFLICT';
    return send(reply, locale, code, {}, []);
  }
  const status = (error as FastifyError).statusCode;
  if (status === 429) return send(reply, locale, 'RATE_LIMITED', {}, []);
  if (status === 413) {
    // A document upload (raw PDF/JPEG/PNG body) over its limit names the file limit.
    const ct = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const isFile = ['application/pdf', 'image/jpeg', 'image/png', 'image/gif', 'application/octet-stream'].includes(ct);
    return isFile ? send(reply, locale, 'FILE_TOO_LARGE', { maxMb: 10 }, []) : send(reply, locale, 'PAYLOAD_TOO_LARGE', {}, []);
  }
  if (status === 415) return send(reply, locale, 'UNSUPPORTED_MEDIA_TYPE', {}, []);
  if (status === 405) return send(reply, locale, 'METHOD_NOT_ALLOWED', {}, []);
  if (status !== undefined && status >= 400 && status < 500) return send(reply, locale, 'MALFORMED_REQUEST', {}, []);
  if (pg.code === 'ECONNREFUSED' || pg.code === '57P01' || pg.code === '57P03') {
    req.log.error({ err: error }, 'database unavailable');
    return send(reply, locale, 'SERVICE_UNAVAILABLE', {}, []);
  }
  req.log.error({ err: error }, 'unhandled error');
  return send(reply, locale, 'INTERNAL', {}, []);
}

export function sendNotFound(req: FastifyRequest, reply: FastifyReply) {
  const locale = req.ctx?.locale ?? negotiateLocale(req.headers['accept-language']) ?? DEFAULT_LOCALE;
  return send(reply, locale, 'NOT_FOUND', {}, []);
}
