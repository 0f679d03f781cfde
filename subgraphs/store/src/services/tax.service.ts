import type { Prisma, TaxRate, Transaction } from '@commerce/database';
import { InputErrors, keyOf, notFound, requirePermission, toGlobalId, type UserError } from '@commerce/graphql-kit';
import type { StoreErrorCode, TaxRateCreateInput, TaxRateUpdateInput } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { readRate } from './amounts.js';
import { countryCode as countryRule } from './field-rules.js';

export interface TaxRateResult {
  taxRate: TaxRate | null;
  userErrors: UserError<StoreErrorCode>[];
}

const REGION = /^[A-Z0-9-]{1,10}$/;

function readCountry(errors: InputErrors<StoreErrorCode>, value: string): string | null {
  const result = countryRule(value);
  if (result.ok) return result.value;
  errors.add(['input', 'countryCode'], result.message, result.code);
  return null;
}

/** A region code, upper-cased, as customer addresses give it in provinceCode; null for the whole country. */
function readRegion(errors: InputErrors<StoreErrorCode>, value: string | null | undefined): string | null {
  const region = value?.trim().toUpperCase() ?? '';
  if (region === '') return null;
  if (!REGION.test(region))
    errors.add(
      ['input', 'region'],
      'Use a region code such as CA or QC: letters, digits and hyphens, at most 10.',
      'INVALID',
    );
  return region;
}

/**
 * Serializes tax rate changes of a store, so that one country or region never gets two rates,
 * which checkout could not choose between.
 */
async function lockTaxRates(tx: Transaction, storeId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`tax-rates:${storeId}`}, 0))`;
}

async function checkFree(
  tx: Transaction,
  storeId: string,
  errors: InputErrors<StoreErrorCode>,
  countryCode: string,
  region: string | null,
  taxRateId: string | null,
): Promise<void> {
  const other = await tx.taxRate.findFirst({
    where: { storeId, countryCode, region, ...(taxRateId ? { id: { not: taxRateId } } : {}) },
    select: { id: true },
  });
  if (other) {
    const where = region ? `${countryCode}, region ${region}` : `${countryCode} as a whole`;
    errors.add(
      ['input', region ? 'region' : 'countryCode'],
      `The store has a tax rate for ${where} already; change that one instead.`,
      'TAKEN',
    );
  }
}

/** Creates a tax rate for a country or one of its regions (MANAGE_STORE). */
export async function createTaxRate(context: SubgraphContext, input: TaxRateCreateInput): Promise<TaxRateResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_STORE');
  const errors = new InputErrors<StoreErrorCode>().text(['input', 'name'], input.name, 100);
  const countryCode = readCountry(errors, input.countryCode);
  const region = readRegion(errors, input.region);
  const rate = readRate(errors, ['input', 'rate'], input.rate);
  if (!errors.ok || !countryCode || !rate) return { taxRate: null, userErrors: errors.errors };
  return context.db.transaction(async (tx): Promise<TaxRateResult> => {
    await lockTaxRates(tx, storeId);
    await checkFree(tx, storeId, errors, countryCode, region, null);
    if (!errors.ok) return { taxRate: null, userErrors: errors.errors };
    const taxRate = await tx.taxRate.create({
      data: { storeId, name: input.name.trim(), countryCode, region, rate, inclusive: input.inclusive ?? false },
    });
    return { taxRate, userErrors: [] };
  });
}

/** Changes a tax rate (MANAGE_STORE); null clears the region. */
export async function updateTaxRate(context: SubgraphContext, input: TaxRateUpdateInput): Promise<TaxRateResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_STORE');
  const key = keyOf(input.id, 'TaxRate', ['input', 'id']);
  const errors = new InputErrors<StoreErrorCode>();
  if (input.name !== undefined) errors.text(['input', 'name'], input.name, 100);
  if (input.countryCode === null)
    errors.add(['input', 'countryCode'], 'Give a country code or leave the field out.', 'BLANK');
  if (input.rate === null) errors.add(['input', 'rate'], 'Give a rate or leave the field out.', 'BLANK');
  if (input.inclusive === null)
    errors.add(['input', 'inclusive'], 'Give true or false, or leave the field out.', 'BLANK');
  const countryCode = input.countryCode == null ? undefined : readCountry(errors, input.countryCode);
  const region = input.region === undefined ? undefined : readRegion(errors, input.region);
  const rate = input.rate == null ? undefined : readRate(errors, ['input', 'rate'], input.rate);
  if (!errors.ok) return { taxRate: null, userErrors: errors.errors };
  return context.db.transaction(async (tx): Promise<TaxRateResult> => {
    await lockTaxRates(tx, storeId);
    const current = await tx.taxRate.findUnique({ where: { storeId_id: { storeId, id: key } } });
    if (!current) throw notFound(`Tax rate "${input.id}"`);
    const nextCountry = countryCode ?? current.countryCode;
    const nextRegion = region === undefined ? current.region : region;
    if (nextCountry !== current.countryCode || nextRegion !== current.region)
      await checkFree(tx, storeId, errors, nextCountry, nextRegion, key);
    if (!errors.ok) return { taxRate: null, userErrors: errors.errors };
    const data: Prisma.TaxRateUpdateInput = { countryCode: nextCountry, region: nextRegion };
    if (input.name != null) data.name = input.name.trim();
    if (rate) data.rate = rate;
    if (input.inclusive != null) data.inclusive = input.inclusive;
    return { taxRate: await tx.taxRate.update({ where: { storeId_id: { storeId, id: key } }, data }), userErrors: [] };
  });
}

/** Deletes a tax rate (MANAGE_STORE). */
export async function deleteTaxRate(
  context: SubgraphContext,
  input: { id: string },
): Promise<{ deletedTaxRateId: string | null; userErrors: UserError<StoreErrorCode>[] }> {
  const { storeId } = await requirePermission(context, 'MANAGE_STORE');
  const key = keyOf(input.id, 'TaxRate', ['input', 'id']);
  const deleted = await context.db.transaction((tx) => tx.taxRate.deleteMany({ where: { storeId, id: key } }));
  if (deleted.count === 0) throw notFound(`Tax rate "${input.id}"`);
  return { deletedTaxRateId: toGlobalId('TaxRate', key), userErrors: [] };
}
