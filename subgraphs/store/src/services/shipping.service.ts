import type { Prisma, ShippingZone, Transaction } from '@commerce/database';
import {
  InputErrors,
  inCurrency,
  keyOf,
  notFound,
  requirePermission,
  toGlobalId,
  type Decimal,
  type UserError,
} from '@commerce/graphql-kit';
import type {
  ShippingRateCreateInput,
  ShippingRateUpdateInput,
  ShippingZoneCreateInput,
  ShippingZoneUpdateInput,
  StoreErrorCode,
} from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import type { ShippingRateParent } from '../mappers.js';
import { checkBounds, readAmount } from './amounts.js';
import { isCountryCode } from '@commerce/graphql-kit';

export interface ShippingZoneResult {
  shippingZone: ShippingZone | null;
  userErrors: UserError<StoreErrorCode>[];
}

/** The payload of shippingRateCreate and shippingRateUpdate; the rate carries its store's currency. */
export interface ShippingRateResult {
  shippingRate: ShippingRateParent | null;
  userErrors: UserError<StoreErrorCode>[];
}

const MAX_NAME = 255;

/** The countries of a zone: upper-cased, each once, every one an ISO 3166-1 alpha-2 code. */
function readCountries(errors: InputErrors<StoreErrorCode>, countries: readonly string[]): string[] {
  const codes = [...new Set(countries.map((country) => country.trim().toUpperCase()))];
  if (codes.length === 0) errors.add(['input', 'countries'], 'Give at least one country.', 'BLANK');
  countries.forEach((country, index) => {
    if (!isCountryCode(country.trim().toUpperCase())) {
      errors.add(
        ['input', 'countries', String(index)],
        `"${country}" is not an ISO 3166-1 alpha-2 country code such as DE.`,
        'INVALID',
      );
    }
  });
  return codes;
}

/**
 * Serializes changes to the countries of a store's zones, so that two zones never claim the same
 * country however their creation interleaves.
 */
async function lockZoneCountries(tx: Transaction, storeId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`shipping-zone-countries:${storeId}`}, 0))`;
}

/** Adds an error when another zone of the store already ships to one of the countries. */
async function checkCountriesFree(
  tx: Transaction,
  storeId: string,
  errors: InputErrors<StoreErrorCode>,
  countries: string[],
  zoneId: string | null,
): Promise<void> {
  const others = await tx.shippingZone.findMany({
    where: { storeId, countries: { hasSome: countries }, ...(zoneId ? { id: { not: zoneId } } : {}) },
    select: { name: true, countries: true },
  });
  for (const other of others) {
    const shared = countries.filter((country) => other.countries.includes(country));
    errors.add(
      ['input', 'countries'],
      `${shared.join(', ')} already belong to the zone "${other.name}"; a country can be in one zone only.`,
      'COUNTRY_IN_OTHER_ZONE',
    );
  }
}

/** Creates a shipping zone (MANAGE_STORE). */
export async function createShippingZone(
  context: SubgraphContext,
  input: ShippingZoneCreateInput,
): Promise<ShippingZoneResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_STORE');
  const errors = new InputErrors<StoreErrorCode>().text(['input', 'name'], input.name, MAX_NAME);
  const countries = readCountries(errors, input.countries);
  if (!errors.ok) return { shippingZone: null, userErrors: errors.errors };
  return context.db.transaction(async (tx): Promise<ShippingZoneResult> => {
    await lockZoneCountries(tx, storeId);
    await checkCountriesFree(tx, storeId, errors, countries, null);
    if (!errors.ok) return { shippingZone: null, userErrors: errors.errors };
    return {
      shippingZone: await tx.shippingZone.create({ data: { storeId, name: input.name.trim(), countries } }),
      userErrors: [],
    };
  });
}

/** Renames a shipping zone or replaces its countries (MANAGE_STORE). */
export async function updateShippingZone(
  context: SubgraphContext,
  input: ShippingZoneUpdateInput,
): Promise<ShippingZoneResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_STORE');
  const key = keyOf(input.id, 'ShippingZone', ['input', 'id']);
  const errors = new InputErrors<StoreErrorCode>();
  if (input.name !== undefined) errors.text(['input', 'name'], input.name, MAX_NAME);
  if (input.countries === null)
    errors.add(['input', 'countries'], 'Give the countries or leave the field out.', 'BLANK');
  const countries = input.countries ? readCountries(errors, input.countries) : null;
  if (!errors.ok) return { shippingZone: null, userErrors: errors.errors };
  return context.db.transaction(async (tx): Promise<ShippingZoneResult> => {
    if (countries) await lockZoneCountries(tx, storeId);
    const zone = await tx.shippingZone.findUnique({ where: { storeId_id: { storeId, id: key } } });
    if (!zone) throw notFound(`Shipping zone "${input.id}"`);
    if (countries) await checkCountriesFree(tx, storeId, errors, countries, key);
    if (!errors.ok) return { shippingZone: null, userErrors: errors.errors };
    const data: Prisma.ShippingZoneUpdateInput = {};
    if (input.name != null) data.name = input.name.trim();
    if (countries) data.countries = countries;
    return {
      shippingZone: await tx.shippingZone.update({ where: { storeId_id: { storeId, id: key } }, data }),
      userErrors: [],
    };
  });
}

/** Deletes a shipping zone with its rates (MANAGE_STORE). */
export async function deleteShippingZone(
  context: SubgraphContext,
  input: { id: string },
): Promise<{ deletedShippingZoneId: string | null; userErrors: UserError<StoreErrorCode>[] }> {
  const { storeId } = await requirePermission(context, 'MANAGE_STORE');
  const key = keyOf(input.id, 'ShippingZone', ['input', 'id']);
  const deleted = await context.db.transaction((tx) => tx.shippingZone.deleteMany({ where: { storeId, id: key } }));
  if (deleted.count === 0) throw notFound(`Shipping zone "${input.id}"`);
  return { deletedShippingZoneId: toGlobalId('ShippingZone', key), userErrors: [] };
}

/**
 * The store's currency, share-locked: storeUpdate locks the row to change the currency only when
 * nothing is priced in it, so a rate and a currency change cannot pass each other.
 */
async function lockedCurrency(tx: Transaction, storeId: string): Promise<string> {
  const rows = await tx.$queryRaw<
    { currencyCode: string }[]
  >`SELECT "currencyCode" FROM "Store" WHERE "id" = ${storeId}::uuid FOR SHARE`;
  const currencyCode = rows[0]?.currencyCode;
  if (!currencyCode) throw notFound('The store');
  return currencyCode;
}

interface RateAmounts {
  price: Decimal | null | undefined;
  minOrderAmount: Decimal | null | undefined;
  maxOrderAmount: Decimal | null | undefined;
}

/** Reads the given amounts (undefined when left out, null when cleared); problems go to `errors`. */
function readRateAmounts(
  errors: InputErrors<StoreErrorCode>,
  input: { price?: string | null; minOrderAmount?: string | null; maxOrderAmount?: string | null },
  currencyCode: string,
): RateAmounts {
  const read = (key: 'price' | 'minOrderAmount' | 'maxOrderAmount') => {
    const value = input[key];
    if (value == null) return value;
    return readAmount(errors, ['input', key], value, currencyCode) ?? undefined;
  };
  return { price: read('price'), minOrderAmount: read('minOrderAmount'), maxOrderAmount: read('maxOrderAmount') };
}

/** Adds a rate to a shipping zone (MANAGE_STORE). Amounts are in the store's currency. */
export async function createShippingRate(
  context: SubgraphContext,
  input: ShippingRateCreateInput,
): Promise<ShippingRateResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_STORE');
  const zoneKey = keyOf(input.zoneId, 'ShippingZone', ['input', 'zoneId']);
  return context.db.transaction(async (tx): Promise<ShippingRateResult> => {
    const currencyCode = await lockedCurrency(tx, storeId);
    if (!(await tx.shippingZone.findUnique({ where: { storeId_id: { storeId, id: zoneKey } }, select: { id: true } })))
      throw notFound(`Shipping zone "${input.zoneId}"`);
    const errors = new InputErrors<StoreErrorCode>().text(['input', 'name'], input.name, MAX_NAME);
    const amounts = readRateAmounts(errors, input, currencyCode);
    checkBounds(errors, ['input', 'maxOrderAmount'], amounts.minOrderAmount ?? null, amounts.maxOrderAmount ?? null);
    if (!errors.ok || !amounts.price) return { shippingRate: null, userErrors: errors.errors };
    const shippingRate = await tx.shippingRate.create({
      data: {
        storeId,
        zoneId: zoneKey,
        name: input.name.trim(),
        price: amounts.price,
        minOrderAmount: amounts.minOrderAmount ?? null,
        maxOrderAmount: amounts.maxOrderAmount ?? null,
      },
    });
    return { shippingRate: inCurrency(shippingRate, currencyCode), userErrors: [] };
  });
}

/** Changes a shipping rate (MANAGE_STORE); null clears an order bound. */
export async function updateShippingRate(
  context: SubgraphContext,
  input: ShippingRateUpdateInput,
): Promise<ShippingRateResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_STORE');
  const key = keyOf(input.id, 'ShippingRate', ['input', 'id']);
  return context.db.transaction(async (tx): Promise<ShippingRateResult> => {
    const currencyCode = await lockedCurrency(tx, storeId);
    const rate = await tx.shippingRate.findUnique({ where: { storeId_id: { storeId, id: key } } });
    if (!rate) throw notFound(`Shipping rate "${input.id}"`);
    const errors = new InputErrors<StoreErrorCode>();
    if (input.name !== undefined) errors.text(['input', 'name'], input.name, MAX_NAME);
    if (input.price === null) errors.add(['input', 'price'], 'Give a price or leave the field out.', 'BLANK');
    const amounts = readRateAmounts(errors, input, currencyCode);
    const min = input.minOrderAmount === undefined ? rate.minOrderAmount : amounts.minOrderAmount;
    const max = input.maxOrderAmount === undefined ? rate.maxOrderAmount : amounts.maxOrderAmount;
    if (min !== undefined && max !== undefined) checkBounds(errors, ['input', 'maxOrderAmount'], min, max);
    if (!errors.ok) return { shippingRate: null, userErrors: errors.errors };
    const data: Prisma.ShippingRateUpdateInput = {};
    if (input.name != null) data.name = input.name.trim();
    if (amounts.price) data.price = amounts.price;
    if (input.minOrderAmount !== undefined) data.minOrderAmount = amounts.minOrderAmount ?? null;
    if (input.maxOrderAmount !== undefined) data.maxOrderAmount = amounts.maxOrderAmount ?? null;
    return {
      shippingRate: inCurrency(
        await tx.shippingRate.update({ where: { storeId_id: { storeId, id: key } }, data }),
        currencyCode,
      ),
      userErrors: [],
    };
  });
}

/** Deletes a shipping rate (MANAGE_STORE). */
export async function deleteShippingRate(
  context: SubgraphContext,
  input: { id: string },
): Promise<{ deletedShippingRateId: string | null; userErrors: UserError<StoreErrorCode>[] }> {
  const { storeId } = await requirePermission(context, 'MANAGE_STORE');
  const key = keyOf(input.id, 'ShippingRate', ['input', 'id']);
  const deleted = await context.db.transaction((tx) => tx.shippingRate.deleteMany({ where: { storeId, id: key } }));
  if (deleted.count === 0) throw notFound(`Shipping rate "${input.id}"`);
  return { deletedShippingRateId: toGlobalId('ShippingRate', key), userErrors: [] };
}
