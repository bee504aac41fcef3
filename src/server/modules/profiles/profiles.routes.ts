import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePartnerActor } from '../../core/context';
import { ifMatchVersion, setEtag } from '../../core/etag';
import { COUNTRY_CODES, errors, ZAddress, ZContact, ZCountry, ZEmail, ZIdParams, ZWebsite } from '../../core/schemas';
import { acceptFileUploads, documentHeaders, MAX_DOCUMENT_BYTES } from '../documents/documents.service';
import {
  getLegal,
  getProfile,
  readLegalDocument,
  updateBilling,
  updateLegal,
  updateOrganization,
  updateSecurityContact,
  updateSupport,
  uploadLegalDocument,
} from './profiles.service';

const STATUS = z.enum(['pending_verification', 'authorized', 'rejected']);

export const ZDocument = z
  .object({ id: z.uuid(), filename: z.string(), contentType: z.string(), sizeBytes: z.number().int(), createdAt: z.string() })
  .meta({ id: 'Document' });

/** Partner Center's LegalBusinessProfile (reference §2.2), with its verification state. */
export const ZLegalBusinessProfile = z
  .object({
    companyName: z.string(),
    address: ZAddress,
    primaryContact: ZContact,
    companyApprover: ZContact.nullable(),
    phone: z.string().nullable(),
    website: z.string().nullable(),
    country: z.string(),
    currency: z.string(),
    vettingStatus: STATUS,
    rejectionReason: z.string().nullable(),
    /** The verified fields changed since the last verification (what the operator checks). */
    pendingFields: z.array(z.string()),
    verificationComment: z.string().nullable(),
    submittedAt: z.string(),
    documents: z.array(ZDocument),
    enrolledAt: z.string(),
  })
  .meta({ id: 'LegalBusinessProfile' });

const ZLegalUpdate = z
  .object({
    companyName: z.string().trim().min(1).max(200),
    address: ZAddress,
    primaryContact: ZContact,
    companyApprover: ZContact.nullable().optional(),
    phone: z.string().trim().max(40).nullable().optional(),
    website: ZWebsite.nullable().optional().or(z.literal('')),
    /** Read-only: accepted when unchanged (a client may send back what it read), refused otherwise. */
    country: z.string().max(3).optional(),
    currency: z.string().max(3).optional(),
  })
  .strict()
  .meta({ id: 'LegalBusinessProfileUpdate' });

const ZBillingProfile = z
  .object({ companyName: z.string(), address: ZAddress, contact: ZContact, poNumber: z.string().nullable(), taxId: z.string().nullable(), currency: z.string() })
  .meta({ id: 'BillingProfile' });
const ZBillingUpdate = z
  .object({
    address: ZAddress,
    contact: ZContact,
    poNumber: z.string().trim().max(50).nullable().optional(),
    taxId: z.string().trim().max(30).nullable().optional(),
    companyName: z.string().optional(),
    currency: z.string().max(3).optional(),
  })
  .strict()
  .meta({ id: 'BillingProfileUpdate' });

export const PARTNER_TYPES = ['direct_reseller', 'indirect_reseller', 'indirect_provider', 'managed_services', 'software_vendor', 'services', 'other'] as const;
export const COMPANY_SIZES = ['1-10', '11-50', '51-250', '251-1000', '1001-5000', '5001+'] as const;
export const REVENUE_BANDS = ['under_1m', '1m_10m', '10m_50m', '50m_250m', 'over_250m'] as const;
export const LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'nl', 'pt'] as const;

const ZOrganizationFields = {
  language: z.enum(LANGUAGES).nullable().default(null),
  culture: z.string().regex(/^[a-z]{2}-[A-Z]{2}$/).nullable().default(null),
  defaultAddress: ZAddress.nullable().default(null),
  notificationEmail: ZEmail.nullable().default(null),
  domain: z
    .string()
    .trim()
    .max(253)
    .regex(/^(?=.{1,253}$)([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$/)
    .nullable()
    .default(null),
  partnerType: z.enum(PARTNER_TYPES).nullable().default(null),
  companySize: z.enum(COMPANY_SIZES).nullable().default(null),
  revenueBand: z.enum(REVENUE_BANDS).nullable().default(null),
  marketsServed: z.array(ZCountry).max(COUNTRY_CODES.length).default([]),
  marketsTargeted: z.array(ZCountry).max(COUNTRY_CODES.length).default([]),
};
const ZOrganizationProfile = z
  .object({
    language: z.string().nullable(),
    culture: z.string().nullable(),
    defaultAddress: ZAddress.nullable(),
    notificationEmail: z.string().nullable(),
    domain: z.string().nullable(),
    partnerType: z.string().nullable(),
    companySize: z.string().nullable(),
    revenueBand: z.string().nullable(),
    marketsServed: z.array(z.string()),
    marketsTargeted: z.array(z.string()),
  })
  .meta({ id: 'OrganizationProfile' });
const ZOrganizationUpdate = z.object(ZOrganizationFields).strict().meta({ id: 'OrganizationProfileUpdate' });

const ZHttpsUrl = z
  .string()
  .trim()
  .max(300)
  .pipe(z.url({ protocol: /^https$/ }));

/** Partner Center's SupportProfile: what customers are told to use. */
const ZSupportProfile = z.object({ email: z.string().nullable(), telephone: z.string().nullable(), website: z.string().nullable() }).meta({ id: 'SupportProfile' });
const ZSupportUpdate = z
  .object({ email: ZEmail, telephone: z.string().trim().min(1).max(40), website: ZHttpsUrl.nullable().optional().or(z.literal('')) })
  .strict()
  .meta({ id: 'SupportProfileUpdate' });

const ZSecurityContact = z
  .object({ firstName: z.string().nullable(), middleName: z.string().nullable(), lastName: z.string().nullable(), email: z.string().nullable(), phoneNumber: z.string().nullable() })
  .meta({ id: 'SecurityContact' });
const contactName = z.string().trim().min(1).max(50);
const ZSecurityContactUpdate = z
  .object({ firstName: contactName, middleName: contactName.nullable().optional().or(z.literal('')), lastName: contactName, email: ZEmail, phoneNumber: z.string().trim().min(1).max(40) })
  .strict()
  .meta({ id: 'SecurityContactUpdate' });

const ZUploadQuery = z.object({ filename: z.string().trim().min(1).max(255), comment: z.string().trim().max(1000).optional() }).strict();

const etagHeaders = { 'if-match': z.string().optional() };

export const profileRoutes: FastifyPluginAsyncZod = async (app) => {
  acceptFileUploads(app);

  // ------------------------------------------------------------ legal business profile
  app.get('/v1/profiles/legalbusiness', {
    config: { permission: 'legal.read' },
    schema: { tags: ['profiles'], summary: "The company's legal business profile and its verification (ETag)", response: { 200: ZLegalBusinessProfile, ...errors(401, 403) } },
  }, async (req, reply) => {
    const r = await getLegal(req.ctx);
    setEtag(reply, r.version);
    return r.profile;
  });

  app.put('/v1/profiles/legalbusiness', {
    config: { permission: 'legal.update' },
    schema: {
      tags: ['profiles'],
      summary: 'Change the legal business profile (If-Match): changed verified fields go back to pending; country, currency and, once authorized, the legal name are locked',
      headers: z.looseObject(etagHeaders),
      body: ZLegalUpdate,
      response: { 200: ZLegalBusinessProfile, ...errors(400, 401, 403, 409, 412, 428) },
    },
  }, async (req, reply) => {
    const version = ifMatchVersion(req);
    const r = await updateLegal(req.ctx, version, req.body);
    setEtag(reply, r.version);
    return r.profile;
  });

  app.post('/v1/profiles/legalbusiness/documents', {
    config: { permission: 'legal.update' },
    bodyLimit: MAX_DOCUMENT_BYTES + 1,
    schema: {
      tags: ['profiles'],
      summary: '"Fix now": upload a supporting document (PDF, JPG or PNG, ≤ 10 MB, the raw file as the body) with a comment; a rejected profile returns to pending',
      querystring: ZUploadQuery,
      response: { 201: ZDocument.extend({ vettingStatus: STATUS }), ...errors(400, 401, 403, 413, 415) },
    },
  }, async (req, reply) => {
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    return reply.code(201).send(await uploadLegalDocument(req.ctx, { filename: req.query.filename, comment: req.query.comment, bytes }));
  });

  app.get('/v1/profiles/legalbusiness/documents/:id', {
    config: { permission: 'legal.read' },
    schema: { tags: ['profiles'], summary: 'Download a supporting document of the legal business profile', params: ZIdParams, response: { 200: z.any().meta({ description: 'The file (PDF, JPEG or PNG)' }), ...errors(401, 403, 404) } },
  }, async (req, reply) => {
    const p = requirePartnerActor(req.ctx);
    const row = await readLegalDocument(req.ctx, p.partnerId, req.params.id);
    return reply.headers(documentHeaders(row)).send(row.content);
  });

  // ------------------------------------------------------------ billing profile
  app.get('/v1/profiles/billing', {
    config: { permission: 'billingprofile.read' },
    schema: { tags: ['profiles'], summary: 'The billing profile (bill-to) (ETag)', response: { 200: ZBillingProfile, ...errors(401, 403) } },
  }, async (req, reply) => {
    const r = await getProfile(req.ctx, 'billing');
    setEtag(reply, r.version);
    return presentBilling(r);
  });

  app.put('/v1/profiles/billing', {
    config: { permission: 'billingprofile.update' },
    schema: {
      tags: ['profiles'],
      summary: 'Change the billing profile (If-Match): only a Global admin changes the address; company name and currency are read-only',
      headers: z.looseObject(etagHeaders),
      body: ZBillingUpdate,
      response: { 200: ZBillingProfile, ...errors(400, 401, 403, 412, 428) },
    },
  }, async (req, reply) => {
    const version = ifMatchVersion(req);
    const r = await updateBilling(req.ctx, version, req.body);
    setEtag(reply, r.version);
    return presentBilling(r);
  });

  // ------------------------------------------------------------ organization profile
  app.get('/v1/profiles/organization', {
    config: { permission: 'legal.read' },
    schema: { tags: ['profiles'], summary: 'The organization profile and company details (ETag)', response: { 200: ZOrganizationProfile, ...errors(401, 403) } },
  }, async (req, reply) => {
    const r = await getProfile(req.ctx, 'organization');
    setEtag(reply, r.version);
    return r.data as z.infer<typeof ZOrganizationProfile>;
  });

  app.put('/v1/profiles/organization', {
    config: { permission: 'legal.update' },
    schema: {
      tags: ['profiles'],
      summary: 'Change the organization profile (If-Match)',
      headers: z.looseObject(etagHeaders),
      body: ZOrganizationUpdate,
      response: { 200: ZOrganizationProfile, ...errors(400, 401, 403, 412, 428) },
    },
  }, async (req, reply) => {
    const version = ifMatchVersion(req);
    const r = await updateOrganization(req.ctx, version, req.body);
    setEtag(reply, r.version);
    return r.data as z.infer<typeof ZOrganizationProfile>;
  });

  // ------------------------------------------------------------ support profile
  app.get('/v1/profiles/support', {
    config: { permission: 'legal.read' },
    schema: { tags: ['profiles'], summary: 'The support profile customers are told to use (ETag)', response: { 200: ZSupportProfile, ...errors(401, 403) } },
  }, async (req, reply) => {
    const r = await getProfile(req.ctx, 'support');
    setEtag(reply, r.version);
    return r.data as z.infer<typeof ZSupportProfile>;
  });

  app.put('/v1/profiles/support', {
    config: { permission: 'legal.update' },
    schema: {
      tags: ['profiles'],
      summary: 'Change the support profile (If-Match): email, telephone, https website',
      headers: z.looseObject(etagHeaders),
      body: ZSupportUpdate,
      response: { 200: ZSupportProfile, ...errors(400, 401, 403, 412, 428) },
    },
  }, async (req, reply) => {
    const version = ifMatchVersion(req);
    const r = await updateSupport(req.ctx, version, req.body);
    setEtag(reply, r.version);
    return r.data;
  });

  // ------------------------------------------------------------ security contact
  app.get('/v1/profiles/securitycontact', {
    config: { permission: 'legal.read' },
    schema: { tags: ['profiles'], summary: 'The security contact (reference §1.3) (ETag)', response: { 200: ZSecurityContact, ...errors(401, 403) } },
  }, async (req, reply) => {
    const r = await getProfile(req.ctx, 'securitycontact');
    setEtag(reply, r.version);
    return r.data as z.infer<typeof ZSecurityContact>;
  });

  app.put('/v1/profiles/securitycontact', {
    config: { permission: 'securitycontact.update' },
    schema: {
      tags: ['profiles'],
      summary: 'Change the security contact (If-Match): Global admin only',
      headers: z.looseObject(etagHeaders),
      body: ZSecurityContactUpdate,
      response: { 200: ZSecurityContact, ...errors(400, 401, 403, 412, 428) },
    },
  }, async (req, reply) => {
    const version = ifMatchVersion(req);
    const r = await updateSecurityContact(req.ctx, version, { ...req.body, middleName: req.body.middleName || null });
    setEtag(reply, r.version);
    return r.data;
  });
};

function presentBilling(r: { data: Record<string, unknown>; partner: { company_name: string; currency: string } }) {
  return { companyName: r.partner.company_name, currency: r.partner.currency, address: r.data.address, contact: r.data.contact, poNumber: r.data.poNumber ?? null, taxId: r.data.taxId ?? null } as z.infer<typeof ZBillingProfile>;
}
