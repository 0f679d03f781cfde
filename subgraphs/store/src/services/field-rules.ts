// Checks of single text fields of the store's settings: each turns user text into the value that
// is stored, or says what is wrong with it.
import { normalizeEmail } from '@commerce/graphql-kit';
import { isCountryCode, type ValidationErrorCode } from '@commerce/graphql-kit';

export type RuleResult = { ok: true; value: string } | { ok: false; message: string; code: ValidationErrorCode };

/** Turns a user's text into the stored value, or says what is wrong. */
export type Rule = (text: string) => RuleResult;

const ok = (value: string): RuleResult => ({ ok: true, value });
const invalid = (message: string, code: ValidationErrorCode = 'INVALID'): RuleResult => ({ ok: false, message, code });

/** Any non-blank text of at most `max` characters, trimmed. */
export function text(max: number): Rule {
  return (value) => {
    const trimmed = value.trim();
    if (trimmed === '') return invalid('This field is required; give null to clear it.', 'BLANK');
    if (trimmed.length > max) return invalid(`Use at most ${max} characters.`, 'TOO_LONG');
    return ok(trimmed);
  };
}

/** An absolute https URL of at most 2048 characters. */
export const httpsUrl: Rule = (value) => {
  const trimmed = value.trim();
  if (trimmed.length > 2048) return invalid('Use at most 2048 characters.', 'TOO_LONG');
  try {
    const url = new URL(trimmed);
    // Storefronts are served over https; a plain-http asset would be blocked as mixed content.
    if (url.protocol !== 'https:' || url.hostname === '') return invalid('Use an https:// URL.');
    return ok(url.toString());
  } catch {
    return invalid('Use a full URL such as https://example.com/logo.png.');
  }
};

const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** A colour as #rgb or #rrggbb, stored as lower-case #rrggbb. */
export const color: Rule = (value) => {
  const trimmed = value.trim();
  if (!HEX_COLOR.test(trimmed)) return invalid('Use a colour such as #1a2b3c or #abc.');
  const digits = trimmed.slice(1).toLowerCase();
  return ok(`#${digits.length === 3 ? [...digits].map((digit) => digit + digit).join('') : digits}`);
};

// Letters (any script), digits, spaces, hyphens and commas: enough for font names and fallbacks,
// and nothing that could end a CSS declaration when a storefront inlines the value.
const FONT_FAMILY = /^[\p{L}\p{N} ,-]{1,100}$/u;

/** A CSS font family name. */
export const fontFamily: Rule = (value) => {
  const trimmed = value.trim();
  return FONT_FAMILY.test(trimmed)
    ? ok(trimmed)
    : invalid('Use letters, digits, spaces, commas and hyphens only, at most 100 characters, e.g. Inter.');
};

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

/** An email address, stored trimmed and lower-cased. */
export const email: Rule = (value) => {
  const normalized = normalizeEmail(value);
  return EMAIL.test(normalized) && normalized.length <= 254 ? ok(normalized) : invalid('Enter a valid email address.');
};

/** A phone number as people write it: digits, spaces and + ( ) - . with 5 to 20 digits. */
export const phone: Rule = (value) => {
  const trimmed = value.trim();
  const digits = trimmed.replace(/\D/g, '').length;
  return /^\+?[\d ().-]+$/.test(trimmed) && digits >= 5 && digits <= 20
    ? ok(trimmed)
    : invalid('Use a phone number such as +49 30 1234567.');
};

/** A WhatsApp number in international (E.164) format; spaces and hyphens are dropped. */
export const whatsapp: Rule = (value) => {
  const compact = value.trim().replace(/[\s-]/g, '');
  return /^\+[1-9]\d{6,14}$/.test(compact)
    ? ok(compact)
    : invalid('Use the international format: + then country code and number, e.g. +4915112345678.');
};

/** An ISO 3166-1 alpha-2 country code, any case, stored upper-case. */
export const countryCode: Rule = (value) => {
  const code = value.trim().toUpperCase();
  return isCountryCode(code) ? ok(code) : invalid('Use an ISO 3166-1 alpha-2 country code such as DE.');
};
