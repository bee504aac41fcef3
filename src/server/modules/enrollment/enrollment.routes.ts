import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errors } from '../../core/schemas';
import { enroll, resendCode, verifyEmail } from './enrollment.service';
import { ZAccepted, ZEnrollRequest, ZEnrollResponse, ZResendRequest, ZVerifyRequest, ZVerifyResponse } from './enrollment.schemas';

export const enrollmentRoutes: FastifyPluginAsyncZod<{ authRateLimit: number }> = async (app, opts) => {
  const rateLimit = { max: opts.authRateLimit, timeWindow: '1 minute' };

  app.post('/v1/enrollment', {
    config: { public: true, rateLimit },
    schema: { tags: ['enrollment'], summary: 'Enrol a company and its first Global admin', body: ZEnrollRequest, response: { 201: ZEnrollResponse, ...errors(400, 409, 429) } },
  }, async (req, reply) => reply.code(201).send(await enroll(req.ctx, req.body)));

  app.post('/v1/enrollment/verify', {
    config: { public: true, rateLimit },
    schema: { tags: ['enrollment'], summary: 'Verify the work email with the emailed 6-digit code', body: ZVerifyRequest, response: { 200: ZVerifyResponse, ...errors(400, 409, 429) } },
  }, async (req) => verifyEmail(req.ctx, req.body));

  app.post('/v1/enrollment/resend', {
    config: { public: true, rateLimit },
    schema: { tags: ['enrollment'], summary: 'Send a new verification code', body: ZResendRequest, response: { 202: ZAccepted, ...errors(400, 429) } },
  }, async (req, reply) => reply.code(202).send(await resendCode(req.ctx, req.body)));
};
