import type { HeaderSource } from './context.js';
import type { ResolvedStore } from './tenancy.js';

interface Preference {
  tag: string;
  quality: number;
}

/** The languages an Accept-Language header asks for, most wanted first (q=0 and malformed parts left out). */
export function acceptedLanguages(header: string | null | undefined): string[] {
  if (!header) return [];
  const preferences: Preference[] = [];
  for (const part of header.split(',').slice(0, 20)) {
    const [rawTag, ...parameters] = part.trim().split(';');
    const tag = rawTag?.trim() ?? '';
    if (!/^(\*|[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*)$/.test(tag)) continue;
    const q = parameters.map((parameter) => /^\s*q=([01](\.\d{0,3})?)\s*$/.exec(parameter)?.[1]).find(Boolean);
    const quality = q === undefined ? 1 : Number(q);
    if (quality > 0) preferences.push({ tag, quality });
  }
  // A stable sort keeps the header's order among equal qualities.
  return preferences.sort((a, b) => b.quality - a.quality).map((preference) => preference.tag);
}

const primary = (tag: string) => tag.split('-')[0]?.toLowerCase() ?? '';

/**
 * The store language a request reads content in: the first language of its Accept-Language the
 * store offers (exactly, else by its primary language: fr-CA finds fr, fr finds fr-FR), falling
 * back to the store's default language.
 */
export function negotiateLanguage(
  header: string | null | undefined,
  store: Pick<ResolvedStore, 'locale' | 'locales'>,
): string {
  const offered = [store.locale, ...store.locales];
  for (const tag of acceptedLanguages(header)) {
    if (tag === '*') return store.locale;
    const exact = offered.find((locale) => locale.toLowerCase() === tag.toLowerCase());
    if (exact) return exact;
    const related = offered.find((locale) => primary(locale) === primary(tag));
    if (related) return related;
  }
  return store.locale;
}

/** The request's language as a header source gives it, for a store (null without a store). */
export function requestLanguage(headers: HeaderSource, store: ResolvedStore | null): string | null {
  return store ? negotiateLanguage(headers.get('accept-language'), store) : null;
}
