import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePartnerActor } from '../../core/context';
import { errors } from '../../core/schemas';
import { exportUsersCsv } from './users.export';
import { IMPORT_MAX_BYTES, importUsers } from './users.import';

/** Bulk users: CSV import and export. The text/csv parser exists only in this plugin. */
export const userBulkRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: IMPORT_MAX_BYTES }, (_req, body, done) => done(null, body));

  app.post('/v1/users/import', {
    config: { permission: 'users.manage' },
    bodyLimit: IMPORT_MAX_BYTES,
    schema: {
      tags: ['users'],
      summary: 'Import users from CSV (firstName,lastName,email,roles); all rows or none; each new user is invited by email',
      description: 'Header on line 1; `roles` is a `;`-separated list of role ids. Every row is checked first; if any is refused the answer lists each problem with its line and nothing is created. At most 10,000 rows and 5 MB.',
      consumes: ['text/csv'],
      body: z.string().meta({ description: 'CSV, UTF-8' }),
      response: { 200: z.object({ imported: z.number().int() }), ...errors(400, 401, 403, 409, 413, 415) },
    },
  }, async (req) => importUsers(req.ctx, req.body));

  app.get('/v1/users/export', {
    config: { permission: 'users.read' },
    schema: {
      tags: ['users'],
      summary: 'Export users to CSV (firstName,lastName,email,roles,status,createdAt,lastSignInAt), with the users list filters',
      produces: ['text/csv'],
      querystring: z.object({ search: z.string().trim().max(200).optional(), role: z.string().max(64).optional() }).strict(),
      response: { 200: z.string().meta({ description: 'CSV, UTF-8' }), ...errors(400, 401, 403) },
    },
  }, async (req, reply) => {
    const p = requirePartnerActor(req.ctx);
    const day = req.ctx.now.toISOString().slice(0, 10);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="users-${day}.csv"`)
      .header('cache-control', 'no-store')
      // A stream is piped as is (the 200 schema documents it; it is not serialised).
      .send(exportUsersCsv(req.ctx.db, p.partnerId, { search: req.query.search, role: req.query.role }) as unknown as string);
  });
};
