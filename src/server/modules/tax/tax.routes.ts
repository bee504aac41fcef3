import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePartnerActor } from '../../core/context';
import { ifMatchVersion, setEtag } from '../../core/etag';
import { errors, ZCountry, ZIdParams } from '../../core/schemas';
import { acceptFileUploads, documentHeaders } from '../documents/documents.service';
import {
  attachExemptionDocument,
  createTaxProfile,
  exemptionDocument,
  exemptionWithDocuments,
  fileExemption,
  getTaxProfile,
  listExemptions,
  listTaxProfiles,
  taxProfileView,
  updateTaxProfile,
} from './tax.service';

export const ZTaxProfile = z
  .object({
    id: z.uuid(),
    country: z.string(),
    /** Masked (e.g. `FR•••••••••89`): the number is stored encrypted and never answered in full. */
    taxRegistrationNumber: z.string().nullable(),
    taxExempt: z.boolean(),
    version: z.number().int(),
    updatedAt: z.string(),
  })
  .meta({ id: 'TaxProfile' });

const ZTaxNumber = z.string().trim().max(40);

export const ZDocumentInfo = z.object({ id: z.uuid(), filename: z.string(), contentType: z.string(), sizeBytes: z.number().int(), createdAt: z.string() }).meta({ id: 'DocumentInfo' });

export const ZTaxExemption = z
  .object({
    id: z.uuid(),
    country: z.string(),
    certificateNumber: z.string(),
    comment: z.string(),
    status: z.enum(['submitted', 'approved', 'rejected']),
    reason: z.string().nullable(),
    submittedAt: z.string(),
    reviewedAt: z.string().nullable(),
    documents: z.array(ZDocumentInfo),
  })
  .meta({ id: 'TaxExemption' });

const ZFilenameQuery = z.object({ filename: z.string().trim().min(1).max(200).default('document') }).strict();

export const taxRoutes: FastifyPluginAsyncZod = async (app) => {
  acceptFileUploads(app);

  app.get('/v1/taxprofiles', {
    config: { permission: 'payout.read' },
    schema: { tags: ['tax'], summary: 'The tax profiles of the company, one per country', response: { 200: z.object({ items: z.array(ZTaxProfile) }), ...errors(401, 403) } },
  }, async (req) => ({ items: (await listTaxProfiles(req.ctx, requirePartnerActor(req.ctx).partnerId)).map(taxProfileView) }));

  app.post('/v1/taxprofiles', {
    config: { permission: 'payout.manage' },
    schema: {
      tags: ['tax'],
      summary: 'Add the tax profile of a country',
      description: 'The tax registration number (VAT number in the EU) is checked by format for the country, stored encrypted and answered masked.',
      body: z.object({ country: ZCountry, taxRegistrationNumber: ZTaxNumber.nullable().optional(), taxExempt: z.boolean().default(false) }).strict(),
      response: { 201: ZTaxProfile, ...errors(400, 401, 403, 409) },
    },
  }, async (req, reply) => {
    const row = await createTaxProfile(req.ctx, requirePartnerActor(req.ctx).partnerId, req.body);
    setEtag(reply, row.version);
    return reply.code(201).send(taxProfileView(row));
  });

  app.get('/v1/taxprofiles/:id', {
    config: { permission: 'payout.read' },
    schema: { tags: ['tax'], summary: 'One tax profile, with its ETag', params: ZIdParams, response: { 200: ZTaxProfile, ...errors(401, 403, 404) } },
  }, async (req, reply) => {
    const row = await getTaxProfile(req.ctx, requirePartnerActor(req.ctx).partnerId, req.params.id);
    setEtag(reply, row.version);
    return taxProfileView(row);
  });

  app.put('/v1/taxprofiles/:id', {
    config: { permission: 'payout.manage' },
    schema: {
      tags: ['tax'],
      summary: 'Change a tax profile (If-Match required)',
      description: 'Omit `taxRegistrationNumber` to keep it, send `null` to remove it. A missing If-Match answers 428, a stale one 412 with the current ETag.',
      params: ZIdParams,
      body: z.object({ taxRegistrationNumber: ZTaxNumber.nullable().optional(), taxExempt: z.boolean() }).strict(),
      response: { 200: ZTaxProfile, ...errors(400, 401, 403, 404, 412, 428) },
    },
  }, async (req, reply) => {
    const partnerId = requirePartnerActor(req.ctx).partnerId;
    await getTaxProfile(req.ctx, partnerId, req.params.id);
    const row = await updateTaxProfile(req.ctx, partnerId, req.params.id, ifMatchVersion(req), req.body);
    setEtag(reply, row.version);
    return taxProfileView(row);
  });

  app.get('/v1/taxexemptions', {
    config: { permission: 'payout.read' },
    schema: { tags: ['tax'], summary: 'The tax exemptions filed by the company, newest first', response: { 200: z.object({ items: z.array(ZTaxExemption) }), ...errors(401, 403) } },
  }, async (req) => ({ items: await listExemptions(req.ctx, requirePartnerActor(req.ctx).partnerId) }));

  app.post('/v1/taxexemptions', {
    config: { permission: 'tax.manage' },
    schema: {
      tags: ['tax'],
      summary: 'File a tax exemption; then attach its supporting documents',
      body: z.object({ country: ZCountry, certificateNumber: z.string().trim().min(1).max(100), comment: z.string().trim().max(2000).optional() }).strict(),
      response: { 201: ZTaxExemption, ...errors(400, 401, 403) },
    },
  }, async (req, reply) => reply.code(201).send(await fileExemption(req.ctx, requirePartnerActor(req.ctx).partnerId, req.body)));

  app.get('/v1/taxexemptions/:id', {
    config: { permission: 'payout.read' },
    schema: { tags: ['tax'], summary: 'One tax exemption with its documents', params: ZIdParams, response: { 200: ZTaxExemption, ...errors(401, 403, 404) } },
  }, async (req) => exemptionWithDocuments(req.ctx, requirePartnerActor(req.ctx).partnerId, req.params.id));

  app.post('/v1/taxexemptions/:id/documents', {
    config: { permission: 'tax.manage' },
    schema: {
      tags: ['tax'],
      summary: 'Attach a supporting document (the raw file as the body: PDF, JPEG or PNG, at most 10 MB)',
      description: 'The type is checked from the content. A rejected exemption goes back to the operator.',
      params: ZIdParams,
      querystring: ZFilenameQuery,
      response: { 201: ZTaxExemption, ...errors(400, 401, 403, 404, 409, 413, 415) },
    },
  }, async (req, reply) => {
    const partnerId = requirePartnerActor(req.ctx).partnerId;
    const body = Buffer.isBuffer(req.body) ? req.body : undefined;
    return reply.code(201).send(await attachExemptionDocument(req.ctx, partnerId, req.params.id, { filename: req.query.filename, bytes: body }));
  });

  app.get('/v1/taxexemptions/:id/documents/:documentId', {
    config: { permission: 'payout.read' },
    schema: {
      tags: ['tax'],
      summary: 'Download a supporting document of a tax exemption',
      params: z.object({ id: z.uuid(), documentId: z.uuid() }).strict(),
      response: { 200: z.any(), ...errors(401, 403, 404) },
    },
  }, async (req, reply) => {
    const doc = await exemptionDocument(req.ctx, requirePartnerActor(req.ctx).partnerId, req.params.id, req.params.documentId);
    return reply.headers(documentHeaders(doc)).send(doc.content);
  });
};
