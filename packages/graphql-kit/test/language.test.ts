import { describe, expect, it } from 'vitest';
import { acceptedLanguages, negotiateLanguage } from '../src/language.js';

const store = { locale: 'en', locales: ['fr', 'de-CH'] };

describe('the language of a request', () => {
  it('reads Accept-Language most wanted first, leaving out q=0 and malformed parts', () => {
    expect(acceptedLanguages('fr;q=0.5, de-CH, en;q=0, x y, it;q=0.8')).toEqual(['de-CH', 'it', 'fr']);
    expect(acceptedLanguages(undefined)).toEqual([]);
  });

  it('picks the first language the store offers, exactly or by its primary language', () => {
    expect(negotiateLanguage('it, fr-CA;q=0.9, en;q=0.8', store)).toBe('fr');
    expect(negotiateLanguage('DE-ch', store)).toBe('de-CH');
    expect(negotiateLanguage('de', store)).toBe('de-CH');
  });

  it('falls back to the store’s default language', () => {
    expect(negotiateLanguage('ja, it', store)).toBe('en');
    expect(negotiateLanguage('', store)).toBe('en');
    expect(negotiateLanguage('*', store)).toBe('en');
  });
});
