import { z } from 'zod';
import { PASSWORD_MAX } from '../../core/passwords';
import { ZAddress, ZContact, ZEmail, ZPhone, ZWebsite } from '../../core/schemas';

export const ZEnrollRequest = z
  .object({
    companyName: z.string().trim().min(1).max(200),
    address: ZAddress,
    primaryContact: ZContact,
    email: ZEmail,
    password: z.string().min(1).max(PASSWORD_MAX * 4),
    phone: ZPhone.optional(),
    website: ZWebsite.optional(),
    locale: z.enum(['fr', 'en']).optional(),
  })
  .strict()
  .meta({ id: 'EnrollmentRequest' });

export const ZEnrollResponse = z
  .object({
    partner: z.object({ id: z.uuid(), companyName: z.string(), country: z.string(), currency: z.string(), status: z.string() }),
    user: z.object({ id: z.uuid(), email: z.string() }),
    verification: z.object({ sentTo: z.string(), expiresAt: z.string() }),
  })
  .meta({ id: 'EnrollmentResponse' });

export const ZVerifyRequest = z.object({ email: ZEmail, code: z.string().trim().regex(/^[0-9]{6}$/) }).strict();
export const ZVerifyResponse = z.object({ verified: z.literal(true), partnerStatus: z.string() });
export const ZResendRequest = z.object({ email: ZEmail }).strict();
export const ZAccepted = z.object({ accepted: z.literal(true) });

export type EnrollRequest = z.infer<typeof ZEnrollRequest>;
