import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { USER_COOKIE } from '../../core/http';
import { errors, ZEmail } from '../../core/schemas';
import type { IpFailureBucket } from './ip-failures';
import type { SessionResolver } from './session-resolver';
import { signIn, signOut, type IssuedSession } from './sessions.service';

export const ZSignInRequest = z.object({ email: ZEmail, password: z.string().min(1).max(1024) }).strict().meta({ id: 'SignInRequest' });

const ZSessionResponse = z
  .object({
    token: z.string(),
    csrfToken: z.string(),
    expiresAt: z.string(),
    userId: z.uuid(),
    mfaRequired: z.boolean(),
    /** The second factor due is a new registration (the company or an admin requires MFA). */
    mfaRegistrationRequired: z.boolean(),
    passwordChangeRequired: z.boolean(),
  })
  .meta({ id: 'Session' });

export function setSessionCookie(reply: FastifyReply, name: string, s: IssuedSession, secure: boolean) {
  reply.setCookie(name, s.token, { path: '/', httpOnly: true, secure, sameSite: 'lax', expires: s.expiresAt });
}

export const sessionRoutes: FastifyPluginAsyncZod<{ sessions: SessionResolver; cookieSecure: boolean; authRateLimit: number; ipFailures: IpFailureBucket }> = async (app, opts) => {
  app.post('/v1/sessions', {
    config: { public: true, rateLimit: { max: opts.authRateLimit, timeWindow: '1 minute' } },
    schema: {
      tags: ['sessions'],
      summary: 'Sign in with email and password',
      description: 'Returns an opaque bearer token (also set as an HttpOnly cookie for the browser) and the CSRF token that cookie-authenticated writes must send as `X-CSRF-Token`.',
      body: ZSignInRequest,
      response: { 201: ZSessionResponse, ...errors(400, 401, 403, 429) },
    },
  }, async (req, reply) => {
    const s = await signIn(req.ctx, req.body, opts.ipFailures);
    setSessionCookie(reply, USER_COOKIE, s, opts.cookieSecure);
    return reply.code(201).send({ ...s, expiresAt: s.expiresAt.toISOString() });
  });

  app.delete('/v1/sessions/current', {
    config: { permission: 'account.read', duringPasswordChange: true, duringMfa: true },
    schema: { tags: ['sessions'], summary: 'Sign out: the session ends on the server', response: { 204: z.null(), ...errors(401, 403) } },
  }, async (req, reply) => {
    await signOut(req.ctx);
    if (req.ctx.principal) opts.sessions.evict(req.ctx.principal.session.tokenHash);
    reply.clearCookie(USER_COOKIE, { path: '/', httpOnly: true, secure: opts.cookieSecure, sameSite: 'lax' });
    return reply.code(204).send(null);
  });
};
