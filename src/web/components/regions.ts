/** Country and currency names in the UI language, through Intl. */

const cache = new Map<string, Intl.DisplayNames>();

function names(locale: string, type: 'region' | 'currency'): Intl.DisplayNames | null {
  const key = `${locale}:${type}`;
  let dn = cache.get(key);
  if (!dn) {
    try {
      dn = new Intl.DisplayNames([locale], { type });
    } catch {
      return null;
    }
    cache.set(key, dn);
  }
  return dn;
}

export function countryName(locale: string, code: string): string {
  try {
    return names(locale, 'region')?.of(code) ?? code;
  } catch {
    return code;
  }
}

export function currencyName(locale: string, code: string): string {
  try {
    return names(locale, 'currency')?.of(code) ?? code;
  } catch {
    return code;
  }
}
