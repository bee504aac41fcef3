/**
 * Tax registration numbers checked by format per country: the EU VAT numbers (VIES formats,
 * with the country prefix; Greece uses EL) and a few others. Countries not listed accept
 * 2–30 letters, digits, dots, dashes or slashes. Answers the normalised number, or null.
 */
const FORMATS: Record<string, RegExp> = {
  AT: /^ATU\d{8}$/,
  BE: /^BE[01]\d{9}$/,
  BG: /^BG\d{9,10}$/,
  CY: /^CY\d{8}[A-Z]$/,
  CZ: /^CZ\d{8,10}$/,
  DE: /^DE\d{9}$/,
  DK: /^DK\d{8}$/,
  EE: /^EE\d{9}$/,
  GR: /^EL\d{9}$/,
  ES: /^ES[A-Z0-9]\d{7}[A-Z0-9]$/,
  FI: /^FI\d{8}$/,
  FR: /^FR[A-HJ-NP-Z0-9]{2}\d{9}$/,
  HR: /^HR\d{11}$/,
  HU: /^HU\d{8}$/,
  IE: /^IE(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$/,
  IT: /^IT\d{11}$/,
  LT: /^LT(\d{9}|\d{12})$/,
  LU: /^LU\d{8}$/,
  LV: /^LV\d{11}$/,
  MT: /^MT\d{8}$/,
  NL: /^NL\d{9}B\d{2}$/,
  PL: /^PL\d{10}$/,
  PT: /^PT\d{9}$/,
  RO: /^RO\d{2,10}$/,
  SE: /^SE\d{12}$/,
  SI: /^SI\d{8}$/,
  SK: /^SK\d{10}$/,
  GB: /^GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/,
  CH: /^CHE\d{9}(MWST|TVA|IVA)?$/,
  NO: /^NO\d{9}(MVA)?$/,
  US: /^\d{9}$/, // EIN
  CA: /^\d{9}(RT\d{4})?$/, // Business Number (+ GST/HST account)
  AU: /^\d{11}$/, // ABN
};

/** The country prefix of its VAT numbers, when it has one. */
const PREFIX: Record<string, string> = { GR: 'EL', CH: 'CHE' };

export function normaliseTaxNumber(country: string, value: string): string | null {
  let v = value.replace(/[\s.\-/]/g, '').toUpperCase();
  const format = FORMATS[country];
  if (!format) return /^[A-Z0-9]{2,30}$/.test(v) ? v : null;
  const prefix = PREFIX[country] ?? (format.source.startsWith(`^${country}`) ? country : '');
  // Accept the number with or without its country prefix.
  if (prefix && !v.startsWith(prefix) && !(country === 'AT' && v.startsWith('U'))) v = prefix + v;
  if (country === 'AT' && !v.startsWith('ATU') && v.startsWith('U')) v = 'AT' + v;
  return format.test(v) ? v : null;
}

/** `FR•••••••••89`: enough to recognise it, not to reuse it. */
export function maskTaxNumber(v: string): string {
  return v.length <= 4 ? '••••' : `${v.slice(0, 2)}${'•'.repeat(Math.max(4, v.length - 4))}${v.slice(-2)}`;
}
