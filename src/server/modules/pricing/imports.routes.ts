import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZPageQuery } from '../../core/pagination';
import { errors, ZIdParams } from '../../core/schemas';
import { importProgress, listOfferImports, listVersions, startOfferImport, startPriceListImport, UPLOAD_MAX_BYTES } from './import/imports.service';

/** Media types an import upload may be sent as; the compression is detected from the bytes, not from these. */
const UPLOAD_TYPES = ['text/csv', 'application/gzip', 'application/x-gzip', 'application/zip', 'application/x-zip-compressed', 'application/octet-stream'];

const ZCounts = z.record(z.string(), z.number().int());
const ZReport = z
  .object({
    code: z.string(),
    message: z.string(),
    total: z.number().int(),
    details: z.array(z.object({ line: z.number().int().optional(), field: z.string().optional(), reason: z.string(), message: z.string() })),
  })
  .nullable();
const ZProgress = z
  .object({
    id: z.uuid(),
    kind: z.enum(['pricelist', 'offers']),
    status: z.enum(['importing', 'ready', 'failed']),
    phase: z.enum(['uploading', 'reading', 'applying', 'done']),
    market: z.string().optional(),
    month: z.string().optional(),
    fileName: z.string().nullable(),
    uploadedBytes: z.number().int().nullable(),
    bytesRead: z.number().int().nullable(),
    totalBytes: z.number().int().nullable(),
    rowsRead: z.number().int(),
    errors: z.number().int(),
    counts: ZCounts,
    report: ZReport,
    startedAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .meta({ id: 'CatalogImportProgress' });
const ZStarted = z.object({ id: z.uuid(), status: z.literal('importing') });
const ZImportedBy = z.object({ id: z.uuid(), name: z.string() }).nullable();
const ZWait = z.enum(['true', 'false']).optional().meta({ description: 'true: answer when the import is over (201 with the summary, or the 4xx that refused it)' });

/**
 * The operator's imports (issue 6). The upload is the raw request body (CSV, gzip or zip):
 * a content-type parser that hands the stream over unread, so a large file never sits in memory.
 */
export const priceImportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addContentTypeParser(UPLOAD_TYPES, { bodyLimit: UPLOAD_MAX_BYTES }, (_req, payload, done) => done(null, payload));
  const body = z.any().meta({ description: 'The file: CSV, or a gzip, or a zip holding one CSV', type: 'string', format: 'binary' });

  app.post('/v1/operator/pricelists/imports', {
    config: { permission: 'operator.catalog' },
    bodyLimit: UPLOAD_MAX_BYTES,
    schema: {
      tags: ['operator'],
      summary: 'Import the monthly price list of a market (new-commerce columns; CSV, gzip or zip); 202 then poll the import',
      description:
        'Months: past, current, or next month (the preview). A (market, month) already imported is replaced whole once the new file is accepted. One import per market and month at a time (409 IMPORT_IN_PROGRESS). Every row is checked: a refusal lists line, column and reason (IMPORT_INVALID), and nothing is applied.',
      consumes: UPLOAD_TYPES,
      querystring: z.object({ market: z.string().min(2).max(2), month: z.string().max(7), fileName: z.string().max(255).optional(), wait: ZWait }).strict(),
      body,
      response: {
        202: ZStarted,
        201: z.object({ id: z.uuid(), market: z.string(), month: z.string(), rows: z.number().int(), counts: ZCounts, rowsPerSecond: z.number().int() }),
        ...errors(400, 401, 403, 409, 413, 415),
      },
    },
  }, async (req, reply) => {
    const { id, done } = await startPriceListImport(req.ctx, req.query, req.body as Readable | undefined);
    if (req.query.wait !== 'true') {
      done.catch(() => undefined);
      return reply.code(202).send({ id, status: 'importing' as const });
    }
    const s = await done;
    return reply.code(201).send({ id: s.id, market: s.market, month: s.month, rows: s.rows, counts: s.counts, rowsPerSecond: s.rowsPerSecond });
  });

  app.get('/v1/operator/pricelists/imports/:id', {
    config: { permission: 'operator.catalog' },
    schema: { tags: ['operator'], summary: 'Progress and outcome of a price list import', params: ZIdParams, response: { 200: ZProgress, ...errors(401, 403, 404) } },
  }, async (req) => importProgress(req.ctx, 'pricelist', req.params.id));

  app.get('/v1/operator/pricelists/versions', {
    config: { permission: 'operator.catalog' },
    schema: {
      tags: ['operator'],
      summary: 'Price list versions (imports) by month, newest first: status, row and change-flag counts, who and when',
      querystring: ZPageQuery.extend({ market: z.string().min(2).max(2).optional() }).strict(),
      response: {
        200: z.object({
          totalCount: z.number().int(),
          items: z.array(
            z.object({
              id: z.uuid(),
              market: z.string(),
              month: z.string(),
              status: z.enum(['importing', 'ready', 'failed']),
              fileName: z.string().nullable(),
              rows: z.number().int(),
              deleted: z.number().int(),
              counts: ZCounts,
              errorCount: z.number().int(),
              importedBy: ZImportedBy,
              startedAt: z.string(),
              completedAt: z.string().nullable(),
            }),
          ),
          links: z.object({ self: z.object({ uri: z.string(), method: z.literal('GET') }), next: z.object({ uri: z.string(), method: z.literal('GET') }).optional() }),
        }),
        ...errors(400, 401, 403),
      },
    },
  }, async (req) => listVersions(req.ctx, req.query));

  app.post('/v1/operator/offers/imports', {
    config: { permission: 'operator.catalog' },
    bodyLimit: UPLOAD_MAX_BYTES,
    schema: {
      tags: ['operator'],
      summary: 'Import the offer matrix (new-commerce columns, plus optional Segment, Category, Publisher); 202 then poll the import',
      description: 'Applied whole in one transaction: offers in the file are added or updated; offers absent from it are marked end of sale (kept, not deleted).',
      consumes: UPLOAD_TYPES,
      querystring: z.object({ fileName: z.string().max(255).optional(), wait: ZWait }).strict(),
      body,
      response: {
        202: ZStarted,
        201: z.object({ id: z.uuid(), rows: z.number().int(), counts: ZCounts, rowsPerSecond: z.number().int() }),
        ...errors(400, 401, 403, 409, 413, 415),
      },
    },
  }, async (req, reply) => {
    const { id, done } = await startOfferImport(req.ctx, req.query, req.body as Readable | undefined);
    if (req.query.wait !== 'true') {
      done.catch(() => undefined);
      return reply.code(202).send({ id, status: 'importing' as const });
    }
    const s = await done;
    return reply.code(201).send({ id: s.id, rows: s.rows, counts: { ...s.counts }, rowsPerSecond: s.rowsPerSecond });
  });

  app.get('/v1/operator/offers/imports', {
    config: { permission: 'operator.catalog' },
    schema: {
      tags: ['operator'],
      summary: 'Offer matrix imports, newest first',
      querystring: z.object({ size: z.coerce.number().int().min(1).max(100).default(20) }).strict(),
      response: {
        200: z.object({
          items: z.array(
            z.object({
              id: z.uuid(),
              status: z.enum(['importing', 'ready', 'failed']),
              fileName: z.string().nullable(),
              rows: z.number().int(),
              counts: ZCounts,
              errorCount: z.number().int(),
              importedBy: ZImportedBy,
              startedAt: z.string(),
              completedAt: z.string().nullable(),
            }),
          ),
        }),
        ...errors(400, 401, 403),
      },
    },
  }, async (req) => listOfferImports(req.ctx, req.query));

  app.get('/v1/operator/offers/imports/:id', {
    config: { permission: 'operator.catalog' },
    schema: { tags: ['operator'], summary: 'Progress and outcome of an offer matrix import', params: ZIdParams, response: { 200: ZProgress, ...errors(401, 403, 404) } },
  }, async (req) => importProgress(req.ctx, 'offers', req.params.id));
};
