// How profile fields are written: one normal form each, or null when the text is not one.

// E.164: a plus and at most 15 digits, the first not zero. Separators people type are dropped.
const PHONE_SEPARATORS = /[\s\-.()]/g;
const E164 = /^\+[1-9]\d{6,14}$/;

/** A phone number in compact international form (+4930123456), or null when it is not one. */
export function normalizePhone(phone: string): string | null {
  const compact = phone.replace(PHONE_SEPARATORS, '');
  return E164.test(compact) ? compact : null;
}

/** The start of a phone number as stored (separators dropped), for prefix search; null if it has no digits. */
export function phonePrefix(text: string): string | null {
  const compact = text.trim().replace(PHONE_SEPARATORS, '');
  return /^\+?\d+$/.test(compact) ? compact : null;
}

/** A BCP 47 language tag in canonical form (de-AT), or null when it is not one. */
export function normalizeLocale(locale: string): string | null {
  const trimmed = locale.trim();
  if (trimmed.length > 35) return null;
  try {
    return Intl.getCanonicalLocales(trimmed)[0] ?? null;
  } catch {
    return null;
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A date of birth from YYYY-MM-DD as a UTC midnight Date (the database column is a DATE), or
 * null when it is not a real calendar date between 1900-01-01 and today.
 */
export function parseDateOfBirth(text: string): Date | null {
  const match = ISO_DATE.exec(text.trim());
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text.trim()) return null;
  if (date.getUTCFullYear() < 1900 || date.getTime() > Date.now()) return null;
  return date;
}

/** A DATE column's value as YYYY-MM-DD. */
export function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
