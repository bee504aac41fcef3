import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../src/server/core/errors';
import { CATALOGUES, negotiateLocale, t } from '../../src/server/core/i18n';
import { BUILT_IN_ROLES } from '../../src/server/modules/roles/catalogue';

const catalogues = CATALOGUES;
const { en, fr } = CATALOGUES;

type IcuElement = { type: number; value?: string; options?: Record<string, { value: IcuElement[] }>; children?: IcuElement[] };

/** The arguments a message uses, with a plausible value for each (numbers for plural/number, an option for select). */
function icuArguments(elements: IcuElement[], into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const el of elements) {
    switch (el.type) {
      case 1: // argument
        into[el.value!] ??= `«${el.value}»`;
        break;
      case 2: // number
      case 6: // plural
        into[el.value!] = 2;
        break;
      case 3: // date
      case 4: // time
        into[el.value!] = new Date('2026-11-24T09:00:00Z');
        break;
      case 5: // select
        into[el.value!] = Object.keys(el.options ?? {}).find((k) => k !== 'other') ?? 'other';
        break;
      case 8: // tag
        into[el.value!] = (chunks: unknown[]) => chunks.join('');
        break;
    }
    for (const opt of Object.values(el.options ?? {})) icuArguments(opt.value, into);
    if (el.children) icuArguments(el.children, into);
  }
  return into;
}

function argumentNames(message: string, locale: string): string[] {
  return Object.keys(icuArguments(new IntlMessageFormat(message, locale).getAst() as IcuElement[])).sort();
}

describe('server message catalogues', () => {
  it('English and French have exactly the same keys', () => {
    const onlyEn = Object.keys(en).filter((k) => !(k in fr));
    const onlyFr = Object.keys(fr).filter((k) => !(k in en));
    expect({ onlyEn, onlyFr }).toEqual({ onlyEn: [], onlyFr: [] });
  });

  it('every error code has a message in both languages', () => {
    const missing = Object.keys(ERROR_STATUS).flatMap((code) =>
      (['en', 'fr'] as const).filter((l) => !catalogues[l][`error.${code}`]?.trim()).map((l) => `${l}: error.${code}`),
    );
    expect(missing).toEqual([]);
  });

  it('every built-in role has a name in both languages', () => {
    const missing = BUILT_IN_ROLES.flatMap((r) => (['en', 'fr'] as const).filter((l) => !catalogues[l][`role.${r.id}`]?.trim()).map((l) => `${l}: role.${r.id}`));
    expect(missing).toEqual([]);
  });

  it('every message is valid ICU and formats with plausible values into plain text', () => {
    const failures: string[] = [];
    for (const [locale, cat] of Object.entries(catalogues)) {
      for (const [key, message] of Object.entries(cat)) {
        try {
          const fmt = new IntlMessageFormat(message, locale);
          const out = fmt.format(icuArguments(fmt.getAst() as IcuElement[]) as Record<string, string>);
          const text = Array.isArray(out) ? out.join('') : String(out);
          if (!text.trim()) failures.push(`${locale} ${key}: formats to an empty string`);
          if (/[{}]/.test(text)) failures.push(`${locale} ${key}: unformatted placeholder left in "${text}"`);
        } catch (err) {
          failures.push(`${locale} ${key}: ${(err as Error).message}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('a French message uses the same placeholders as its English original', () => {
    const mismatches = Object.keys(en)
      .filter((k) => k in fr)
      .filter((k) => argumentNames(catalogues.en[k]!, 'en').join() !== argumentNames(catalogues.fr[k]!, 'fr').join())
      .map((k) => `${k}: en {${argumentNames(catalogues.en[k]!, 'en').join()}} fr {${argumentNames(catalogues.fr[k]!, 'fr').join()}}`);
    expect(mismatches).toEqual([]);
  });

  it('t() formats plurals per language and falls back to English, then to the key', () => {
    expect(t('en', 'reason.too_short', { min: 15 })).toBe('At least 15 characters.');
    expect(t('fr', 'reason.too_short', { min: 15 })).toBe('Au moins 15 caractères.');
    expect(t('en', 'reason.too_short', { min: 1 })).toBe('At least 1 character.');
    expect(t('fr', 'no.such.key')).toBe('no.such.key');
  });
});

describe('negotiateLocale', () => {
  it.each([
    ['de;q=1, fr;q=0.8, en;q=0.5', 'fr'],
    ['en;q=0.5, fr;q=0.9', 'fr'],
    ['fr;q=0.4, en', 'en'],
    ['en-GB', 'en'],
    ['fr-CA,fr;q=0.9', 'fr'],
    ['FR', 'fr'],
    ['fr;q=0, en;q=0.1', 'en'],
  ])('%s → %s', (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });

  it.each([['*'], ['de, es;q=0.5'], [''], ['fr;q=0']])('%j → no supported language', (header) => {
    expect(negotiateLocale(header)).toBeUndefined();
  });

  it('no header → no preference', () => {
    expect(negotiateLocale(undefined)).toBeUndefined();
  });
});
