// The store's configuration sections kept as JSON on the store row (branding, SEO, contact,
// social links, business hours): how they are read back and how a patch of one is validated and
// merged. A field left out of a patch stays, a field given as null is cleared.
import type { Prisma } from '@commerce/database';
import type { InputErrors } from '@commerce/graphql-kit';
import { color, countryCode, email, fontFamily, httpsUrl, phone, text, whatsapp, type Rule } from './field-rules.js';
import type { StoreErrorCode } from '../__generated__/resolvers-types.js';

/** A section of optional text fields. */
export type Section<Key extends string> = Partial<Record<Key, string>>;

/** A patch of a section: undefined keeps a field, null clears it, text sets it. */
export type SectionPatch<Key extends string> = Partial<Record<Key, string | null>>;

export const BRANDING_RULES = {
  logoUrl: httpsUrl,
  faviconUrl: httpsUrl,
  primaryColor: color,
  secondaryColor: color,
  accentColor: color,
  fontFamily,
} satisfies Record<string, Rule>;

export const SEO_RULES = { metaTitle: text(70), metaDescription: text(320) } satisfies Record<string, Rule>;

export const CONTACT_RULES = { phone, email, whatsapp } satisfies Record<string, Rule>;

export const SOCIAL_LINK_RULES = {
  facebook: httpsUrl,
  instagram: httpsUrl,
  x: httpsUrl,
  tiktok: httpsUrl,
  youtube: httpsUrl,
  linkedin: httpsUrl,
  pinterest: httpsUrl,
} satisfies Record<string, Rule>;

export type Branding = Section<keyof typeof BRANDING_RULES>;
export type Seo = Section<keyof typeof SEO_RULES>;
export type SocialLinks = Section<keyof typeof SOCIAL_LINK_RULES>;

// A type alias rather than an interface, so that it is assignable to Prisma's JSON input type.
export type StoreAddress = {
  address1: string;
  address2: string;
  city: string;
  province: string;
  zip: string;
  countryCode: string;
};

export type Contact = Section<keyof typeof CONTACT_RULES> & { address?: StoreAddress };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The known text fields of a stored JSON section; anything else in the column is ignored. */
export function readSection<Key extends string>(json: Prisma.JsonValue, rules: Record<Key, Rule>): Section<Key> {
  const section: Section<Key> = {};
  if (!isRecord(json)) return section;
  for (const key of Object.keys(rules) as Key[]) {
    const value = json[key];
    if (typeof value === 'string') section[key] = value;
  }
  return section;
}

function readAddress(json: unknown): StoreAddress | undefined {
  if (
    !isRecord(json) ||
    typeof json.address1 !== 'string' ||
    typeof json.city !== 'string' ||
    typeof json.countryCode !== 'string'
  )
    return undefined;
  const optional = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    address1: json.address1,
    address2: optional(json.address2),
    city: json.city,
    province: optional(json.province),
    zip: optional(json.zip),
    countryCode: json.countryCode,
  };
}

/** The stored contact section. */
export function readContact(json: Prisma.JsonValue): Contact {
  const contact: Contact = readSection(json, CONTACT_RULES);
  const address = isRecord(json) ? readAddress(json.address) : undefined;
  if (address) contact.address = address;
  return contact;
}

/**
 * Merges a patch into a section, checking each given field with its rule; problems are added to
 * `errors` under `path` + the field name.
 */
export function patchSection<Key extends string>(
  current: Section<Key>,
  patch: SectionPatch<Key>,
  rules: Record<Key, Rule>,
  path: string[],
  errors: InputErrors<StoreErrorCode>,
): Section<Key> {
  const next: Section<Key> = { ...current };
  for (const key of Object.keys(rules) as Key[]) {
    const value = patch[key];
    if (value === undefined) continue;
    if (value === null) {
      delete next[key];
      continue;
    }
    const result = rules[key](value);
    if (result.ok) next[key] = result.value;
    else errors.add([...path, key], result.message, result.code);
  }
  return next;
}

export interface StoreAddressPatch {
  address1: string;
  address2?: string | null;
  city: string;
  province?: string | null;
  zip?: string | null;
  countryCode: string;
}

/** Checks a whole postal address; null when it has problems (added to `errors`). */
export function readAddressInput(
  input: StoreAddressPatch,
  path: string[],
  errors: InputErrors<StoreErrorCode>,
): StoreAddress | null {
  const before = errors.errors.length;
  const required = (key: 'address1' | 'city', value: string, max: number) => {
    const result = text(max)(value);
    if (result.ok) return result.value;
    errors.add([...path, key], result.code === 'BLANK' ? 'This field is required.' : result.message, result.code);
    return '';
  };
  const optional = (key: 'address2' | 'province' | 'zip', value: string | null | undefined, max: number) => {
    const trimmed = (value ?? '').trim();
    if (trimmed.length > max) errors.add([...path, key], `Use at most ${max} characters.`, 'TOO_LONG');
    return trimmed;
  };
  const country = (value: string) => {
    const result = countryCode(value);
    if (result.ok) return result.value;
    errors.add([...path, 'countryCode'], result.message, result.code);
    return '';
  };
  const address: StoreAddress = {
    address1: required('address1', input.address1, 255),
    address2: optional('address2', input.address2, 255),
    city: required('city', input.city, 120),
    province: optional('province', input.province, 120),
    zip: optional('zip', input.zip, 20),
    countryCode: country(input.countryCode),
  };
  return errors.errors.length === before ? address : null;
}
