import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../../core/context';
import { errors, ZEmail } from '../../core/schemas';
import type { SessionResolver } from '../auth/session-resolver';
import { confirmReset, getSecuritySettings, requestReset, setSecuritySettings } from './passwordresets.service';

const ZSecuritySettings = z.object({ selfServicePasswordReset: z.boolean(), mfaRequired: z.boolean() }).meta({ id: 'SecuritySettings' });

export const passwordResetRoutes: FastifyPluginAsyncZod<{ sessions: SessionResolver; authRateLimit: number }> = async (app, opts) => {
  const rateLimit = { max: opts.authRateLimit, timeWindow: '1 minute' };

  app.post('/v1/passwordresets', {
    config: { public: true, rateLimit },
    schema: {
      tags: ['passwords'],
      summary: "Can't access your account? Email a link to choose a new password",
      description: 'The answer is the same whether or not the account exists. The link is valid for 60 minutes and works once.',
      body: z.object({ email: ZEmail }).strict(),
      response: { 202: z.object({ accepted: z.literal(true) }), ...errors(400, 429) },
    },
  }, async (req, reply) => reply.header('referrer-policy', 'no-referrer').code(202).send(await requestReset(req.ctx, req.body)));

  app.post('/v1/passwordresets/confirm', {
    config: { public: true, rateLimit },
    schema: {
      tags: ['passwords'],
      summary: 'Choose a new password with the emailed link; every session of the account ends',
      body: z.object({ token: z.string().min(20).max(200), newPassword: z.string().min(1).max(1024) }).strict(),
      response: { 204: z.null(), ...errors(400, 429) },
    },
  }, async (req, reply) => {
    await confirmReset(req.ctx, req.body, (userId) => opts.sessions.evictUser(userId));
    return reply.code(204).send(null);
  });

  app.get('/v1/account/security', {
    config: { permission: 'security.manage' },
    schema: { tags: ['account'], summary: 'Company security settings', response: { 200: ZSecuritySettings, ...errors(401, 403) } },
  }, async (req) => getSecuritySettings(req.ctx, requireUser(req.ctx).partnerId));

  app.patch('/v1/account/security', {
    config: { permission: 'security.manage' },
    schema: {
      tags: ['account'],
      summary: 'Switch self-service password reset, and the company-wide MFA requirement, on or off',
      description: 'With `mfaRequired` on (the default for new companies), every user registers an authenticator app at their next sign-in.',
      body: ZSecuritySettings.partial().strict(),
      response: { 200: ZSecuritySettings, ...errors(400, 401, 403) },
    },
  }, async (req) => setSecuritySettings(req.ctx, requireUser(req.ctx).partnerId, req.body));
};
