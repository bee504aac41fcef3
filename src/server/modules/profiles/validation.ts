import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { ErrorDetail } from '../../core/errors';
import { AppError } from '../../core/errors';
import type { AddressJson, ContactJson } from '../../db/schema';

/**
 * Format checks for the company profile: postal codes, phone numbers and tax ids.
 * Phone numbers use libphonenumber-js (Google's metadata); postal codes and tax ids a small
 * per-country table for the common countries (others: no format check beyond length).
 */

/** Postal code formats (upper-cased input, single spaces). */
export const POSTAL_CODE_FORMATS: Record<string, RegExp> = {
  FR: /^\d{5}$/,
  DE: /^\d{5}$/,
  BE: /^\d{4}$/,
  ES: /^\d{5}$/,
  IT: /^\d{5}$/,
  NL: /^\d{4} ?[A-Z]{2}$/,
  LU: /^(L-)?\d{4}$/,
  AT: /^\d{4}$/,
  IE: /^[AC-FHKNPRTV-Y]\d{2}[ ]?[0-9AC-FHKNPRTV-Y]{4}$/,
  PT: /^\d{4}-\d{3}$/,
  PL: /^\d{2}-\d{3}$/,
  SE: /^\d{3} ?\d{2}$/,
  DK: /^\d{4}$/,
  FI: /^\d{5}$/,
  GB: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/,
  CH: /^\d{4}$/,
  NO: /^\d{4}$/,
  US: /^\d{5}(-\d{4})?$/,
  CA: /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/,
  JP: /^\d{3}-?\d{4}$/,
  AU: /^\d{4}$/,
  IN: /^\d{6}$/,
  BR: /^\d{5}-?\d{3}$/,
};

export function isValidPostalCode(country: string, postalCode: string): boolean {
  const re = POSTAL_CODE_FORMATS[country.toUpperCase()];
  return !re || re.test(postalCode.trim().toUpperCase().replace(/\s+/g, ' '));
}

/**
 * Company tax ids (VAT numbers for the EU, and the local equivalents of a few others),
 * after normalisation: upper case, no spaces, dots or dashes, with the country prefix.
 */
export const TAX_ID_FORMATS: Record<string, RegExp> = {
  FR: /^FR[0-9A-HJ-NP-Z]{2}\d{9}$/,
  DE: /^DE\d{9}$/,
  BE: /^BE[01]\d{9}$/,
  ES: /^ES[A-Z0-9]\d{7}[A-Z0-9]$/,
  IT: /^IT\d{11}$/,
  NL: /^NL\d{9}B\d{2}$/,
  LU: /^LU\d{8}$/,
  AT: /^ATU\d{8}$/,
  IE: /^IE(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$/,
  PT: /^PT\d{9}$/,
  PL: /^PL\d{10}$/,
  SE: /^SE\d{10}01$/,
  DK: /^DK\d{8}$/,
  FI: /^FI\d{8}$/,
  GB: /^GB(\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})$/,
  CH: /^CHE\d{9}(MWST|TVA|IVA)?$/,
  NO: /^NO\d{9}(MVA)?$/,
  // EIN: nine digits (written 12-3456789).
  US: /^\d{9}$/,
};

/** The prefix a tax id carries for a country (Greece's VAT prefix is EL; the US EIN has none). */
const TAX_PREFIX: Record<string, string> = { US: '', CH: 'CHE', GR: 'EL' };

/** Normalise a tax id for `country`; answers null when it does not match that country's format. */
export function normaliseTaxId(country: string, taxId: string): string | null {
  const c = country.toUpperCase();
  let v = taxId.toUpperCase().replace(/[\s.\-]/g, '');
  const prefix = TAX_PREFIX[c] ?? c;
  if (c === 'CH' && /^\d{9}/.test(v)) v = `CHE${v}`;
  else if (prefix && !v.startsWith(prefix)) v = prefix + v;
  const re = TAX_ID_FORMATS[c];
  if (re) return re.test(v) ? v : null;
  return /^[A-Z0-9]{4,20}$/.test(v) ? v : null;
}

/** A phone number valid for its country (international, or national for `defaultCountry`), as E.164. */
export function normalisePhone(phone: string, defaultCountry?: string): string | null {
  const parsed = parsePhoneNumberFromString(phone, (defaultCountry?.toUpperCase() as CountryCode | undefined) ?? undefined);
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}

/** Collects field problems, then throws one 400 VALIDATION_FAILED naming every field. */
export class FieldProblems {
  readonly details: ErrorDetail[] = [];
  add(field: string, reason: string): void {
    this.details.push({ field, reason, message: '' });
  }
  throwIfAny(): void {
    if (this.details.length) throw new AppError('VALIDATION_FAILED', {}, this.details);
  }
}

export function checkAddress(problems: FieldProblems, field: string, a: AddressJson): AddressJson {
  if (!isValidPostalCode(a.country, a.postalCode)) problems.add(`${field}.postalCode`, 'invalid_postal_code');
  const out = { ...a, postalCode: a.postalCode.trim().toUpperCase().replace(/\s+/g, ' ') };
  if (a.phoneNumber !== undefined) {
    const p = normalisePhone(a.phoneNumber, a.country);
    if (!p) problems.add(`${field}.phoneNumber`, 'invalid_phone');
    else out.phoneNumber = p;
  }
  return out;
}

export function checkContact(problems: FieldProblems, field: string, c: ContactJson, country: string): ContactJson {
  const out = { ...c };
  if (c.phoneNumber !== undefined) {
    const p = normalisePhone(c.phoneNumber, country);
    if (!p) problems.add(`${field}.phoneNumber`, 'invalid_phone');
    else out.phoneNumber = p;
  }
  return out;
}

export function checkPhone(problems: FieldProblems, field: string, phone: string, country: string): string {
  const p = normalisePhone(phone, country);
  if (!p) problems.add(field, 'invalid_phone');
  return p ?? phone;
}
