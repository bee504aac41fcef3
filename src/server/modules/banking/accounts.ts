import { electronicFormatIBAN, extractBIC, isSEPACountry, validateIBAN } from 'ibantools';
import type { ErrorDetail } from '../../core/errors';

/**
 * Bank account fields by country (reference §1.1 Payout: "account fields vary by country").
 * SEPA countries: IBAN (length per country and ISO 7064 mod-97 checksum, via ibantools) and
 * BIC (8 or 11 characters, its country the bank's). Elsewhere a wire transfer with the
 * country's own fields: US ABA routing number (checksum) and account number, GB sort code
 * and account number, and for other countries an account number with a BIC/SWIFT code.
 */
export type PaymentMethod = 'sepa' | 'wire';

export interface AccountInput {
  bankCountry: string;
  paymentMethod: PaymentMethod;
  iban?: string | undefined;
  bic?: string | undefined;
  accountNumber?: string | undefined;
  routingNumber?: string | undefined;
  sortCode?: string | undefined;
}

/** The normalised account fields to encrypt, and a masked hint safe to list. */
export interface AccountFields {
  iban: string | null;
  bic: string | null;
  accountNumber: string | null;
  routingNumber: string | null;
  sortCode: string | null;
  hint: string;
}

export const paymentMethodFor = (country: string): PaymentMethod => (isSEPACountry(country) ? 'sepa' : 'wire');

/** The methods a bank country accepts: SEPA countries `sepa`; others `wire`; GB both (IBAN, or its domestic sort code and account number). */
export const paymentMethodsFor = (country: string): PaymentMethod[] => (country === 'GB' ? ['sepa', 'wire'] : [paymentMethodFor(country)]);

const squash = (s: string | undefined) => (s ?? '').replace(/[\s-]/g, '').toUpperCase();

/** `FR76 •••• •••• 0189`: the country and check digits, and the last four characters. */
export function maskIban(iban: string): string {
  return `${iban.slice(0, 4)} •••• •••• ${iban.slice(-4)}`;
}
export const maskAccount = (n: string) => `•••• ${n.slice(-4)}`;

/** ABA routing number: 9 digits, weights 3-7-1, sum divisible by 10. */
export function validRoutingNumber(r: string): boolean {
  if (!/^\d{9}$/.test(r)) return false;
  const d = [...r].map(Number);
  const sum = 3 * (d[0]! + d[3]! + d[6]!) + 7 * (d[1]! + d[4]! + d[7]!) + (d[2]! + d[5]! + d[8]!);
  return sum % 10 === 0;
}

function bicProblem(bic: string, country: string, field = 'bic'): ErrorDetail | null {
  if (!/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic)) return { field, reason: 'invalid_bic', message: '' };
  const parts = extractBIC(bic);
  if (!parts.valid) return { field, reason: 'invalid_bic', message: '' };
  // Territories that use their parent country's BIC (e.g. Guadeloupe, Réunion under FR) are not modelled: the codes must match.
  if (parts.countryCode !== country) return { field, reason: 'bic_country_mismatch', message: '', params: { country } };
  return null;
}

/** Check and normalise the account fields; answers the problems (field + reason) or the fields. */
export function checkAccount(input: AccountInput): { problems: ErrorDetail[]; fields?: AccountFields } {
  const country = input.bankCountry;
  const problems: ErrorDetail[] = [];
  const methods = paymentMethodsFor(country);
  if (!methods.includes(input.paymentMethod)) {
    problems.push({ field: 'paymentMethod', reason: 'payment_method_country', message: '', params: { method: methods.join(', ') } });
    return { problems };
  }
  const expected = input.paymentMethod;
  const refuse = (field: string, present: unknown) => {
    if (present !== undefined && present !== '') problems.push({ field, reason: 'not_for_country', message: '' });
  };
  if (expected === 'sepa') {
    refuse('accountNumber', input.accountNumber);
    refuse('routingNumber', input.routingNumber);
    refuse('sortCode', input.sortCode);
    const iban = electronicFormatIBAN(input.iban ?? '') ?? '';
    const bic = squash(input.bic);
    if (!iban) problems.push({ field: 'iban', reason: 'required', message: '' });
    else if (!validateIBAN(iban).valid) problems.push({ field: 'iban', reason: 'invalid_iban', message: '' });
    else if (iban.slice(0, 2) !== country) problems.push({ field: 'iban', reason: 'iban_country_mismatch', message: '', params: { country } });
    if (!bic) problems.push({ field: 'bic', reason: 'required', message: '' });
    else {
      const p = bicProblem(bic, country);
      if (p) problems.push(p);
    }
    if (problems.length) return { problems };
    return { problems, fields: { iban, bic, accountNumber: null, routingNumber: null, sortCode: null, hint: maskIban(iban) } };
  }

  refuse('iban', input.iban);
  const account = squash(input.accountNumber);
  const bic = squash(input.bic);
  if (country === 'US') {
    refuse('sortCode', input.sortCode);
    const routing = squash(input.routingNumber);
    if (!routing) problems.push({ field: 'routingNumber', reason: 'required', message: '' });
    else if (!validRoutingNumber(routing)) problems.push({ field: 'routingNumber', reason: 'invalid_routing_number', message: '' });
    if (!account) problems.push({ field: 'accountNumber', reason: 'required', message: '' });
    else if (!/^\d{4,17}$/.test(account)) problems.push({ field: 'accountNumber', reason: 'invalid_account_number', message: '' });
    if (bic) {
      const p = bicProblem(bic, country);
      if (p) problems.push(p);
    }
    if (problems.length) return { problems };
    return { problems, fields: { iban: null, bic: bic || null, accountNumber: account, routingNumber: routing, sortCode: null, hint: maskAccount(account) } };
  }
  if (country === 'GB') {
    refuse('routingNumber', input.routingNumber);
    const sortCode = squash(input.sortCode);
    if (!sortCode) problems.push({ field: 'sortCode', reason: 'required', message: '' });
    else if (!/^\d{6}$/.test(sortCode)) problems.push({ field: 'sortCode', reason: 'invalid_sort_code', message: '' });
    if (!account) problems.push({ field: 'accountNumber', reason: 'required', message: '' });
    else if (!/^\d{8}$/.test(account)) problems.push({ field: 'accountNumber', reason: 'invalid_account_number', message: '' });
    if (bic) {
      const p = bicProblem(bic, country);
      if (p) problems.push(p);
    }
    if (problems.length) return { problems };
    return { problems, fields: { iban: null, bic: bic || null, accountNumber: account, routingNumber: null, sortCode, hint: maskAccount(account) } };
  }
  // Other countries: an international wire with the account number and the bank's BIC/SWIFT code.
  refuse('routingNumber', input.routingNumber);
  refuse('sortCode', input.sortCode);
  if (!account) problems.push({ field: 'accountNumber', reason: 'required', message: '' });
  else if (!/^[A-Z0-9]{4,34}$/.test(account)) problems.push({ field: 'accountNumber', reason: 'invalid_account_number', message: '' });
  if (!bic) problems.push({ field: 'bic', reason: 'required', message: '' });
  else {
    const p = bicProblem(bic, country);
    if (p) problems.push(p);
  }
  if (problems.length) return { problems };
  return { problems, fields: { iban: null, bic, accountNumber: account, routingNumber: null, sortCode: null, hint: maskAccount(account) } };
}
