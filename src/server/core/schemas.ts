import { z } from 'zod';
import countryToCurrency from 'country-to-currency';

/** ISO 3166-1 alpha-2 codes that have a currency: the countries a partner can enrol in. */
export const COUNTRY_CODES = Object.keys(countryToCurrency as Record<string, string>).sort();

export function currencyOf(country: string): string | undefined {
  return (countryToCurrency as Record<string, string>)[country];
}

const text = (max: number) => z.string().trim().max(max);
const name = z.string().trim().min(1).max(50);
export const ZPhone = z.string().trim().min(4).max(40).regex(/^\+?[0-9 ().-]+$/);
export const ZEmail = z.string().trim().max(254).pipe(z.email());
export const ZCountry = z.string().length(2).toUpperCase().refine((c) => COUNTRY_CODES.includes(c), { message: 'unknown country' });

/** Partner Center's Address resource (reference §2.2), camelCase. */
export const ZAddress = z
  .object({
    addressLine1: text(200).min(1),
    addressLine2: text(200).optional(),
    addressLine3: text(200).optional(),
    city: text(100).min(1),
    state: text(50).optional(),
    postalCode: text(20).min(1),
    country: ZCountry,
    region: text(100).optional(),
    firstName: name.optional(),
    lastName: name.optional(),
    phoneNumber: ZPhone.optional(),
  })
  .strict()
  .meta({ id: 'Address' });

/** Partner Center's Contact resource (reference §2.2). */
export const ZContact = z
  .object({
    firstName: name,
    middleName: name.optional(),
    lastName: name,
    email: ZEmail,
    phoneNumber: ZPhone.optional(),
  })
  .strict()
  .meta({ id: 'Contact' });

export const ZWebsite = z
  .string()
  .trim()
  .max(300)
  .pipe(z.url({ protocol: /^https?$/ }));

export const ZUuid = z.uuid();
export const ZIdParams = z.object({ id: z.uuid() }).strict();

export const ZError = z
  .object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ line: z.number().int().optional(), field: z.string().optional(), reason: z.string(), message: z.string() })),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Error' });

/** Common error responses to list in a route's schema for the OpenAPI document. */
export function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, ZError]));
}
