/**
 * The managed lists a business profile's expertise tags come from (reference §1.8), shared by
 * the profile editor, the API's validation and the public directory's filters. Labels are
 * messages `taxonomy.<list>.<id>` (src/web/i18n/messages/businessprofiles.*.json).
 *
 * Products: the operator's catalog (offers' product titles) once one is imported; until
 * then, PRODUCTS below.
 */
export const INDUSTRIES = [
  'agriculture',
  'automotive',
  'banking',
  'construction',
  'education',
  'energy',
  'government',
  'healthcare',
  'hospitality',
  'insurance',
  'legal',
  'manufacturing',
  'media',
  'nonprofit',
  'professional-services',
  'real-estate',
  'retail',
  'telecommunications',
  'transportation',
] as const;

export const SERVICES = [
  'consulting',
  'deployment',
  'managed-services',
  'migration',
  'custom-development',
  'integration',
  'hosting',
  'security',
  'support',
  'training',
  'licensing',
] as const;

export const PRODUCTS = ['office-suite', 'email-and-calendar', 'collaboration', 'crm', 'erp', 'cloud-infrastructure', 'data-and-analytics', 'security-suite', 'endpoint-management', 'telephony'] as const;

export const CUSTOMER_SIZES = ['small', 'medium', 'large'] as const;

/** Directory and profile limits (issue 5). */
export const MAX_DESCRIPTION_CHARS = 2500;
export const MAX_INDUSTRIES = 5;
export const MAX_LOCATIONS_PER_PROFILE = 5;
export const MIN_LOGO_PX = 216;
export const MAX_LOGO_WIDTH_PX = 300;

export type Industry = (typeof INDUSTRIES)[number];
export type Service = (typeof SERVICES)[number];
export type CustomerSize = (typeof CUSTOMER_SIZES)[number];
