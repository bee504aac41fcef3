import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { IntlProvider } from 'react-intl';
import { setApiLocale } from '../api/client';
import type { Locale } from '../api/types';
import en from './en.json';
import fr from './fr.json';

export const LOCALES: readonly Locale[] = ['fr', 'en'];
/**
 * Each product area may keep its messages in `messages/<area>.<locale>.json`; they are merged
 * over the main catalogues (a key defined twice is a mistake the i18n test reports).
 */
const AREA_MESSAGES = import.meta.glob<Record<string, string>>('./messages/*.json', { eager: true, import: 'default' });
function catalogue(locale: Locale, base: Record<string, string>): Record<string, string> {
  const merged = { ...base };
  for (const [path, messages] of Object.entries(AREA_MESSAGES)) if (path.endsWith(`.${locale}.json`)) Object.assign(merged, messages);
  return merged;
}
const CATALOGUES: Record<Locale, Record<string, string>> = { en: catalogue('en', en), fr: catalogue('fr', fr) };
/** The one thing the app keeps in localStorage: the language chosen before sign-in. */
export const LOCALE_STORAGE_KEY = 'ps.locale';

export function isLocale(v: unknown): v is Locale {
  return v === 'en' || v === 'fr';
}

function storedLocale(): Locale | null {
  try {
    const v = window.localStorage.getItem(LOCALE_STORAGE_KEY);
    return isLocale(v) ? v : null;
  } catch {
    return null;
  }
}

function browserLocale(): Locale | null {
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const l of langs) {
    const base = l?.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return null;
}

/** Before sign-in: the language picked on this device, else the browser's, else English. */
export function initialLocale(): Locale {
  return storedLocale() ?? browserLocale() ?? 'en';
}

interface LocaleContextValue {
  locale: Locale;
  /** Switch the whole UI; `remember` keeps the choice on this device (localStorage). */
  setLocale: (locale: Locale, opts?: { remember?: boolean }) => void;
}

const LocaleContext = createContext<LocaleContextValue | null>(null);

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => {
    const l = initialLocale();
    setApiLocale(l);
    return l;
  });

  const setLocale = useCallback((next: Locale, opts: { remember?: boolean } = {}) => {
    setApiLocale(next);
    if (opts.remember) {
      try {
        window.localStorage.setItem(LOCALE_STORAGE_KEY, next);
      } catch {
        /* storage unavailable: the choice lasts for this page only */
      }
    }
    setLocaleState(next);
  }, []);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = CATALOGUES[locale]['app.title'] ?? document.title;
  }, [locale]);

  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return (
    <LocaleContext.Provider value={value}>
      <IntlProvider locale={locale} messages={CATALOGUES[locale]} defaultLocale="en">
        {children}
      </IntlProvider>
    </LocaleContext.Provider>
  );
}

export function useLocale(): LocaleContextValue {
  const ctx = useContext(LocaleContext);
  if (!ctx) throw new Error('useLocale outside LocaleProvider');
  return ctx;
}
