import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../core/errors';
import { errors } from '../../core/schemas';

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/healthz', {
    config: { public: true },
    schema: { tags: ['health'], summary: 'The process is up', response: { 200: z.object({ status: z.literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', {
    config: { public: true },
    schema: { tags: ['health'], summary: 'The database is reachable', response: { 200: z.object({ status: z.literal('ready'), database: z.string() }), ...errors(503) } },
  }, async (req) => {
    try {
      await sql`select 1`.execute(req.ctx.db);
    } catch (err) {
      req.log.warn({ err }, 'readiness check failed');
      throw new AppError('SERVICE_UNAVAILABLE');
    }
    return { status: 'ready' as const, database: req.ctx.deps.dbKind };
  });
};
