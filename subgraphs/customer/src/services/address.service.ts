import type { Customer, CustomerAddress, Prisma } from '@commerce/database';
import { InputErrors, keyOf, notFound, toGlobalId, userError, type UserError } from '@commerce/graphql-kit';
import type { SubgraphContext } from '../context.js';
import { isCountryCode } from '@commerce/graphql-kit';
import { requireActiveCustomer } from './customer.service.js';
import { normalizePhone } from './profile-rules.js';
import type { CustomerResult } from './result.js';
import type { CustomerErrorCode } from '../__generated__/resolvers-types.js';

/** The fields of a postal address as a client sends them. */
export interface AddressFields {
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  province?: string | null;
  provinceCode?: string | null;
  countryCode?: string | null;
  zip?: string | null;
  phone?: string | null;
}

export interface AddressCreateInput extends AddressFields {
  defaultShipping?: boolean | null;
  defaultBilling?: boolean | null;
}

export interface AddressUpdateInput extends AddressFields {
  id: string;
}

/** What an address mutation returns, as its payload: the address and its customer, or nulls and what the caller can fix. */
export interface AddressResult {
  address: CustomerAddress | null;
  customer: Customer | null;
  userErrors: UserError<CustomerErrorCode>[];
}

/** The customerAddressDelete payload: the deleted address's global id and its customer. */
export interface AddressDeletion {
  deletedAddressId: string;
  customer: Customer;
  userErrors: UserError<CustomerErrorCode>[];
}

/** A customer keeps at most this many addresses. */
const MAX_ADDRESSES = 50;

const FIELD_LIMITS: Record<Exclude<keyof AddressFields, 'countryCode'>, number> = {
  firstName: 100,
  lastName: 100,
  company: 100,
  address1: 200,
  address2: 200,
  city: 100,
  province: 100,
  provinceCode: 10,
  zip: 20,
  phone: 30,
};

/** What a deliverable address must have; the others may be empty. */
const REQUIRED = new Set<keyof AddressFields>(['firstName', 'lastName', 'address1', 'city', 'countryCode']);

/**
 * Reads address fields into column values. Creating, every required field must be there;
 * updating, only the fields sent change, and a required one cannot be emptied.
 */
function addressData(
  input: AddressFields,
  creating: boolean,
): { errors: InputErrors<CustomerErrorCode>; data: Prisma.CustomerAddressUncheckedUpdateInput } {
  const errors = new InputErrors<CustomerErrorCode>();
  const data: Prisma.CustomerAddressUncheckedUpdateInput = {};
  for (const [field, max] of Object.entries(FIELD_LIMITS) as Array<[keyof typeof FIELD_LIMITS, number]>) {
    const value = input[field];
    if (value === undefined && !(creating && REQUIRED.has(field))) continue;
    const trimmed = value?.trim() ?? '';
    if (REQUIRED.has(field) && trimmed === '') {
      errors.add(['input', field], 'This field is required.', 'BLANK');
      continue;
    }
    if (trimmed.length > max) {
      errors.add(['input', field], `Use at most ${max} characters.`, 'TOO_LONG');
      continue;
    }
    if (field === 'phone' && trimmed !== '') {
      const phone = normalizePhone(trimmed);
      if (phone === null)
        errors.add(['input', 'phone'], 'Enter the number in international format, e.g. +49 30 1234567.');
      else data.phone = phone;
      continue;
    }
    data[field] = trimmed;
  }
  if (input.countryCode !== undefined || creating) {
    const code = input.countryCode?.trim().toUpperCase() ?? '';
    if (code === '') errors.add(['input', 'countryCode'], 'This field is required.', 'BLANK');
    else if (!isCountryCode(code))
      errors.add(['input', 'countryCode'], 'Enter an ISO 3166-1 alpha-2 country code such as DE or US.');
    else data.countryCode = code;
  }
  return { errors, data };
}

/** One of the calling customer's addresses by global id; NOT_FOUND for anyone else's. */
async function ownAddress(
  context: SubgraphContext,
  customer: Customer,
  id: string,
  field: string[],
): Promise<CustomerAddress> {
  const key = keyOf(id, 'CustomerAddress', field);
  const address = await context.db.transaction((tx) =>
    tx.customerAddress.findFirst({ where: { storeId: customer.storeId, id: key, customerId: customer.id } }),
  );
  if (!address) throw notFound(`Address "${id}"`);
  return address;
}

/**
 * Saves a new address for the calling customer. The first address becomes the default for
 * shipping and billing; later ones only when asked.
 */
export async function createAddress(context: SubgraphContext, input: AddressCreateInput): Promise<AddressResult> {
  const customer = await requireActiveCustomer(context);
  const { errors, data } = addressData(input, true);
  if (!errors.ok) return { address: null, customer: null, userErrors: errors.errors };
  return context.db.transaction(async (tx): Promise<AddressResult> => {
    const count = await tx.customerAddress.count({ where: { storeId: customer.storeId, customerId: customer.id } });
    if (count >= MAX_ADDRESSES) {
      return {
        address: null,
        customer: null,
        userErrors: [
          userError(null, `You can keep at most ${MAX_ADDRESSES} addresses; delete one first.`, 'LIMIT_REACHED'),
        ],
      };
    }
    const address = await tx.customerAddress.create({
      data: {
        ...(data as Prisma.CustomerAddressUncheckedCreateInput),
        storeId: customer.storeId,
        customerId: customer.id,
      },
    });
    const shipping = input.defaultShipping ?? customer.defaultShippingAddressId === null;
    const billing = input.defaultBilling ?? customer.defaultBillingAddressId === null;
    const updated =
      shipping || billing
        ? await tx.customer.update({
            where: { storeId_id: { storeId: customer.storeId, id: customer.id } },
            data: {
              ...(shipping ? { defaultShippingAddressId: address.id } : {}),
              ...(billing ? { defaultBillingAddressId: address.id } : {}),
            },
          })
        : customer;
    return { address, customer: updated, userErrors: [] };
  });
}

/** Changes the fields sent of one of the calling customer's addresses. */
export async function updateAddress(context: SubgraphContext, input: AddressUpdateInput): Promise<AddressResult> {
  const customer = await requireActiveCustomer(context);
  const existing = await ownAddress(context, customer, input.id, ['input', 'id']);
  const { errors, data } = addressData(input, false);
  if (!errors.ok) return { address: null, customer: null, userErrors: errors.errors };
  const address = await context.db.transaction((tx) =>
    tx.customerAddress.update({ where: { storeId_id: { storeId: existing.storeId, id: existing.id } }, data }),
  );
  return { address, customer, userErrors: [] };
}

/** Deletes one of the calling customer's addresses; it stops being a default. */
export async function deleteAddress(context: SubgraphContext, id: string): Promise<AddressDeletion> {
  const customer = await requireActiveCustomer(context);
  const existing = await ownAddress(context, customer, id, ['input', 'id']);
  const updated = await context.db.transaction(async (tx) => {
    await tx.customerAddress.delete({ where: { storeId_id: { storeId: existing.storeId, id: existing.id } } });
    const shipping = customer.defaultShippingAddressId === existing.id;
    const billing = customer.defaultBillingAddressId === existing.id;
    if (!shipping && !billing) return customer;
    return tx.customer.update({
      where: { storeId_id: { storeId: customer.storeId, id: customer.id } },
      data: {
        ...(shipping ? { defaultShippingAddressId: null } : {}),
        ...(billing ? { defaultBillingAddressId: null } : {}),
      },
    });
  });
  return { deletedAddressId: toGlobalId('CustomerAddress', existing.id), customer: updated, userErrors: [] };
}

/** Makes one of the calling customer's addresses their default for shipping, billing or both. */
export async function setDefaultAddress(
  context: SubgraphContext,
  addressId: string,
  uses: { shipping: boolean; billing: boolean },
): Promise<CustomerResult> {
  const customer = await requireActiveCustomer(context);
  if (!uses.shipping && !uses.billing) {
    return { customer: null, userErrors: [userError(['shipping'], 'Choose shipping, billing or both.', 'INVALID')] };
  }
  const address = await ownAddress(context, customer, addressId, ['addressId']);
  const updated = await context.db.transaction((tx) =>
    tx.customer.update({
      where: { storeId_id: { storeId: customer.storeId, id: customer.id } },
      data: {
        ...(uses.shipping ? { defaultShippingAddressId: address.id } : {}),
        ...(uses.billing ? { defaultBillingAddressId: address.id } : {}),
      },
    }),
  );
  return { customer: updated, userErrors: [] };
}
