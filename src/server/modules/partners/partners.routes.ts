import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePartnerActor } from '../../core/context';
import { AppError } from '../../core/errors';
import { errors, ZAddress, ZContact } from '../../core/schemas';
import { findPartner } from './partners.repo';

/** Partner Center's LegalBusinessProfile (reference §2.2), read-only for now. */
const ZLegalBusinessProfile = z
  .object({
    companyName: z.string(),
    address: ZAddress,
    primaryContact: ZContact,
    phone: z.string().nullable(),
    website: z.string().nullable(),
    country: z.string(),
    currency: z.string(),
    vettingStatus: z.enum(['pending_verification', 'authorized', 'rejected']),
    enrolledAt: z.string(),
  })
  .meta({ id: 'LegalBusinessProfile' });

export const partnerRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/profiles/legalbusiness', {
    config: { permission: 'legal.read' },
    schema: { tags: ['profiles'], summary: "The company's legal business profile", response: { 200: ZLegalBusinessProfile, ...errors(401, 403) } },
  }, async (req) => {
    const p = requirePartnerActor(req.ctx);
    const row = await findPartner(req.ctx.db, p.partnerId);
    if (!row) throw new AppError('NOT_FOUND');
    return {
      companyName: row.company_name,
      address: row.address,
      primaryContact: row.primary_contact,
      phone: row.phone,
      website: row.website,
      country: row.country.trim(),
      currency: row.currency.trim(),
      vettingStatus: row.status,
      enrolledAt: row.created_at.toISOString(),
    };
  });
};
