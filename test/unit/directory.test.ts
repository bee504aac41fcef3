import { describe, expect, it } from 'vitest';
import { facetLexemes, queryTerms } from '../../src/server/modules/directory/directory.repo';
import { cityKey, excerptOf, facetsOf, pickDescription, slugOf } from '../../src/server/modules/directory/directory.service';

describe('directory helpers', () => {
  it('slugs are lower-case ASCII words joined by hyphens', () => {
    expect(slugOf('Société Générale d’Hébergement & Co.')).toBe('societe-generale-d-hebergement-co');
    expect(slugOf('株式会社')).toBe('partner');
  });

  it('the description shown: the visitor’s language, else English, else French, else any', () => {
    expect(pickDescription({ fr: 'Bonjour', en: 'Hello' }, 'fr')).toEqual({ text: 'Bonjour', language: 'fr' });
    expect(pickDescription({ fr: 'Bonjour', en: 'Hello' }, 'de')).toEqual({ text: 'Hello', language: 'en' });
    expect(pickDescription({ fr: 'Bonjour' }, 'en')).toEqual({ text: 'Bonjour', language: 'fr' });
    expect(pickDescription({ de: 'Hallo' }, 'en')).toEqual({ text: 'Hallo', language: 'de' });
    expect(pickDescription({}, 'en')).toEqual({ text: '', language: null });
  });

  it('an excerpt is cut at a word, with an ellipsis', () => {
    const long = 'mot '.repeat(200);
    const e = excerptOf(long);
    expect(e.length).toBeLessThanOrEqual(281);
    expect(e.endsWith('mot…')).toBe(true);
    expect(excerptOf('  Court\n texte. ')).toBe('Court texte.');
  });

  it('filters become facets; cities compare without case or accents', () => {
    expect(cityKey(' Besançon ')).toBe('besancon');
    expect(facetsOf({ country: 'fr', city: 'Lyon', industry: 'banking', size: 'small', language: 'fr' })).toEqual(['c:FR', 'city:lyon', 'i:banking', 'z:small', 'l:fr']);
  });

  it('with a country, the other filters are looked up paired with it (short lists); without, alone', () => {
    const paired = facetLexemes(['c:FR', 'i:banking', 's:hosting']);
    expect(paired).toHaveLength(2);
    expect(facetLexemes(['c:FR'])).toHaveLength(1);
    expect(facetLexemes(['i:banking'])).toEqual([facetLexemes(['i:banking'])[0]]);
    for (const l of [...paired, ...facetLexemes(['i:banking'])]) expect(l).toMatch(/^f[0-9a-f]{16}$/);
    expect(paired[0]).not.toBe(facetLexemes(['i:banking'])[0]);
  });

  it('query words: split on spaces and punctuation, at most 8', () => {
    expect(queryTerms('hébergement, cloud & "sécurité"')).toEqual(['hébergement', 'cloud', 'sécurité']);
    expect(queryTerms('a b c d e f g h i j')).toHaveLength(8);
    expect(queryTerms('  ')).toEqual([]);
  });
});
