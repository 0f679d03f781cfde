import type { Prisma } from '@commerce/database';
import { isCountryCode, type InputErrors } from '@commerce/graphql-kit';
import type { MailingAddressInput } from '../__generated__/resolvers-types.js';

/** A postal address as carts and orders store it (JSON) and the API shows it. */
export interface MailingAddress {
  firstName: string;
  lastName: string;
  company: string;
  address1: string;
  address2: string;
  city: string;
  province: string;
  provinceCode: string;
  countryCode: string;
  zip: string;
  phone: string;
}

const FIELDS = [
  'firstName',
  'lastName',
  'company',
  'address1',
  'address2',
  'city',
  'province',
  'provinceCode',
  'countryCode',
  'zip',
  'phone',
] as const;
const REQUIRED = new Set<string>(['lastName', 'address1', 'city', 'countryCode']);
const MAX_LENGTH = 255;
const REGION = /^[A-Z0-9-]{1,10}$/;

/** Validates an address input into `errors` (fields under `field`); the trimmed address, or null when invalid. */
export function readAddress<Code extends string>(
  errors: InputErrors<Code>,
  field: string[],
  input: MailingAddressInput,
): MailingAddress | null {
  const before = errors.errors.length;
  const address = {} as MailingAddress;
  for (const name of FIELDS) {
    const value = (input[name] ?? '').trim();
    if (REQUIRED.has(name)) errors.text([...field, name], value, MAX_LENGTH);
    else if (value.length > MAX_LENGTH)
      errors.add([...field, name], `Use at most ${MAX_LENGTH} characters.`, 'TOO_LONG');
    address[name] = value;
  }
  address.countryCode = address.countryCode.toUpperCase();
  address.provinceCode = address.provinceCode.toUpperCase();
  if (address.countryCode && !isCountryCode(address.countryCode)) {
    errors.add(
      [...field, 'countryCode'],
      `"${input.countryCode}" is not an ISO 3166-1 alpha-2 country code such as DE.`,
      'INVALID',
    );
  }
  if (address.provinceCode && !REGION.test(address.provinceCode)) {
    errors.add(
      [...field, 'provinceCode'],
      'Use a region code such as CA or QC: letters, digits and hyphens, at most 10.',
      'INVALID',
    );
  }
  return errors.errors.length === before ? address : null;
}

/** An address stored as JSON, or null. */
export function addressOf(value: Prisma.JsonValue | null | undefined): MailingAddress | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const stored = value as Record<string, unknown>;
  const address = {} as MailingAddress;
  for (const name of FIELDS) address[name] = typeof stored[name] === 'string' ? stored[name] : '';
  return address;
}

/** The address as a JSON value for Prisma. */
export function addressJson(address: MailingAddress): Prisma.InputJsonObject {
  return { ...address };
}
