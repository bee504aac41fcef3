import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors, ZIdParams } from '../../core/schemas';
import type { SessionResolver } from '../auth/session-resolver';
import { acceptInvitation, resendInvitation } from './invitations.service';

export const invitationRoutes: FastifyPluginAsyncZod<{ sessions: SessionResolver; authRateLimit: number }> = async (app, opts) => {
  app.post('/v1/invitations/accept', {
    config: { public: true, rateLimit: { max: opts.authRateLimit, timeWindow: '1 minute' } },
    schema: {
      tags: ['users'],
      summary: 'Accept an invitation: choose a password with the emailed link (valid 7 days, works once)',
      body: z.object({ token: z.string().min(20).max(200), password: z.string().min(1).max(1024) }).strict(),
      response: { 200: z.object({ email: z.string() }), ...errors(400, 429) },
    },
  }, async (req, reply) => reply.header('referrer-policy', 'no-referrer').send(await acceptInvitation(req.ctx, req.body, (userId) => opts.sessions.evictUser(userId))));

  app.post('/v1/users/:id/invitation', {
    config: { permission: 'users.manage' },
    schema: {
      tags: ['users'],
      summary: 'Send a pending invitation again: a new link, the previous one stops working',
      params: ZIdParams,
      response: { 204: z.null(), ...errors(401, 403, 404, 409) },
    },
  }, async (req, reply) => {
    await resendInvitation(req.ctx, req.params.id);
    return reply.code(204).send(null);
  });
};
