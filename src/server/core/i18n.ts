import { IntlMessageFormat } from 'intl-messageformat';
import en from '../i18n/en.json' with { type: 'json' };
import fr from '../i18n/fr.json' with { type: 'json' };
import businessprofilesEn from '../i18n/messages/businessprofiles.en.json' with { type: 'json' };
import businessprofilesFr from '../i18n/messages/businessprofiles.fr.json' with { type: 'json' };
import directoryEn from '../i18n/messages/directory.en.json' with { type: 'json' };
import directoryFr from '../i18n/messages/directory.fr.json' with { type: 'json' };
import referralsEn from '../i18n/messages/referrals.en.json' with { type: 'json' };
import referralsFr from '../i18n/messages/referrals.fr.json' with { type: 'json' };
import catalogEn from '../i18n/messages/catalog.en.json' with { type: 'json' };
import catalogFr from '../i18n/messages/catalog.fr.json' with { type: 'json' };
import pricingEn from '../i18n/messages/pricing.en.json' with { type: 'json' };
import pricingFr from '../i18n/messages/pricing.fr.json' with { type: 'json' };

export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** The main catalogues, with each product area's own messages (`i18n/messages/<area>.<locale>.json`) merged in. */
export const CATALOGUES: Record<Locale, Record<string, string>> = {
  en: { ...en, ...businessprofilesEn, ...directoryEn, ...referralsEn, ...catalogEn, ...pricingEn },
  fr: { ...fr, ...businessprofilesFr, ...directoryFr, ...referralsFr, ...catalogFr, ...pricingFr },
};

const cache = new Map<string, IntlMessageFormat>();

/** Translate a server message key (ICU syntax) into the request's language. */
export function t(locale: Locale, key: string, params: Record<string, unknown> = {}): string {
  const source = CATALOGUES[locale][key] ?? CATALOGUES.en[key];
  if (source === undefined) return key;
  const id = `${locale}\u0000${key}`;
  let fmt = cache.get(id);
  if (!fmt) {
    fmt = new IntlMessageFormat(source, locale);
    cache.set(id, fmt);
  }
  try {
    return String(fmt.format(params as Record<string, string>));
  } catch {
    // A missing value must never turn an error answer into a crash: fall back to the raw text.
    return source;
  }
}

export function isLocale(v: unknown): v is Locale {
  return v === 'en' || v === 'fr';
}

/** Pick fr or en from an Accept-Language header, honouring q-values. */
export function negotiateLocale(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { lang } of ranked) if (isLocale(lang)) return lang;
  return undefined;
}

/** A moment as security mails state it: long date and time, in UTC, in the reader's language. */
export function formatWhen(locale: Locale, at: Date): string {
  return `${new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(at)} UTC`;
}
