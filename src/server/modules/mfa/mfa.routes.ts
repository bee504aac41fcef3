import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../../core/context';
import { errors, ZIdParams } from '../../core/schemas';
import type { SessionResolver } from '../auth/session-resolver';
import { completeChallenge, myMfaStatus, regenerateRecoveryCodes, resetUserMfa, setUserMfaState, startTotpRegistration, verifyTotpRegistration } from './mfa.service';

const ZCode = z.object({ code: z.string().trim().min(6).max(20) }).strict();
const ZRecoveryCodes = z.array(z.string());
/** Reachable between the password and the second factor, and before a temporary password is replaced. */
const HALF_SIGNED_IN = { duringMfa: true, duringPasswordChange: true } as const;

export const mfaRoutes: FastifyPluginAsyncZod<{ sessions: SessionResolver }> = async (app, opts) => {
  const evictCurrent = (tokenHash: string) => opts.sessions.evict(tokenHash);

  app.get('/v1/sessions/current', {
    config: { permission: 'account.read', ...HALF_SIGNED_IN },
    schema: {
      tags: ['sessions'],
      summary: 'This session: what it still owes (a second factor, a new password) and when it ends',
      response: {
        200: z.object({ csrfToken: z.string(), expiresAt: z.string(), mfaPassed: z.boolean(), mfaPending: z.enum(['challenge', 'register']).nullable(), passwordChangeRequired: z.boolean() }).meta({ id: 'CurrentSession' }),
        ...errors(401, 403),
      },
    },
  }, async (req) => {
    const p = requireUser(req.ctx);
    return { csrfToken: p.session.csrfToken, expiresAt: p.session.expiresAt.toISOString(), mfaPassed: p.session.mfaPassed, mfaPending: p.session.mfaPending ?? null, passwordChangeRequired: p.mustChangePassword };
  });

  app.post('/v1/sessions/current/mfa', {
    config: { permission: 'account.read', ...HALF_SIGNED_IN },
    schema: {
      tags: ['sessions'],
      summary: 'Complete sign-in with the second factor: a code from the authenticator app, or a recovery code',
      description: 'A TOTP code works once. After 5 wrong codes the session ends; wrong codes also count towards the account lockout.',
      body: ZCode,
      response: { 200: z.object({ passwordChangeRequired: z.boolean(), recoveryCodesLeft: z.number().int() }), ...errors(400, 401, 403, 409) },
    },
  }, async (req) => {
    try {
      return await completeChallenge(req.ctx, req.body.code);
    } finally {
      evictCurrent(requireUser(req.ctx).session.tokenHash);
    }
  });

  app.get('/v1/me/mfa', {
    config: { permission: 'account.read' },
    schema: {
      tags: ['me'],
      summary: 'My multi-factor authentication: state, whether a factor is registered, recovery codes left',
      response: {
        200: z.object({ state: z.enum(['disabled', 'enabled', 'enforced']), registered: z.boolean(), companyRequired: z.boolean(), sessionPassed: z.boolean(), recoveryCodesLeft: z.number().int() }).meta({ id: 'MyMfa' }),
        ...errors(401, 403),
      },
    },
  }, async (req) => myMfaStatus(req.ctx));

  app.post('/v1/me/mfa/totp', {
    config: { permission: 'me.update', ...HALF_SIGNED_IN },
    schema: {
      tags: ['me'],
      summary: 'Start registering an authenticator app: the secret, its otpauth:// URL and a QR code',
      description: 'Replacing a registered app needs a session that passed MFA.',
      response: { 200: z.object({ secret: z.string(), otpauthUrl: z.string(), qrDataUrl: z.string() }), ...errors(401, 403, 409) },
    },
  }, async (req) => startTotpRegistration(req.ctx));

  app.post('/v1/me/mfa/totp/verify', {
    config: { permission: 'me.update', ...HALF_SIGNED_IN },
    schema: {
      tags: ['me'],
      summary: 'Finish registration with a code from the app; answers ten one-time recovery codes, shown this once',
      body: ZCode,
      response: { 200: z.object({ recoveryCodes: ZRecoveryCodes, passwordChangeRequired: z.boolean() }), ...errors(400, 401, 403, 409) },
    },
  }, async (req) => {
    try {
      return await verifyTotpRegistration(req.ctx, req.body.code);
    } finally {
      evictCurrent(requireUser(req.ctx).session.tokenHash);
    }
  });

  app.post('/v1/me/mfa/recoverycodes', {
    config: { permission: 'me.update' },
    schema: { tags: ['me'], summary: 'Replace my recovery codes (the old ones stop working); shown this once', response: { 200: z.object({ recoveryCodes: ZRecoveryCodes }), ...errors(401, 403, 409) } },
  }, async (req) => regenerateRecoveryCodes(req.ctx));

  app.put('/v1/users/:id/mfa', {
    config: { permission: 'security.manage' },
    schema: {
      tags: ['users'],
      summary: "Require a user to register MFA at next sign-in ('enabled'), or stop requiring it ('disabled')",
      params: ZIdParams,
      body: z.object({ state: z.enum(['disabled', 'enabled']) }).strict(),
      response: { 200: z.object({ state: z.enum(['disabled', 'enabled']) }), ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => setUserMfaState(req.ctx, req.params.id, req.body.state));

  app.delete('/v1/users/:id/mfa', {
    config: { permission: 'security.manage' },
    schema: { tags: ['users'], summary: "Reset a user's MFA: their factor and recovery codes are deleted and their sessions end", params: ZIdParams, response: { 204: z.null(), ...errors(401, 403, 404) } },
  }, async (req, reply) => {
    await resetUserMfa(req.ctx, req.params.id, (id) => opts.sessions.evictUser(id));
    return reply.code(204).send(null);
  });
};
