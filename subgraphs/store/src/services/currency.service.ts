// A store's presentment currencies: the currencies buyers may choose with X-Currency, each with
// an exact exchange rate and a rounding rule (the conversion itself is @commerce/currency's).
import { CURRENCY_ROUNDINGS, type CurrencyRounding, roundingFits } from '@commerce/currency';
import type { StoreCurrency } from '@commerce/database';
import { Decimal, InputErrors, isCurrencyCode, requirePermission, type UserError } from '@commerce/graphql-kit';
import type { StoreCurrenciesUpdateInput, StoreErrorCode } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { requireRequestStore } from './store-access.js';
import { announceStoreUpdate } from './store-events.js';

/** How many presentment currencies a store may enable. */
export const MAX_STORE_CURRENCIES = 20;

// NUMERIC(16, 6): 10 digits before the point, 6 after.
const RATE = /^\d{1,10}(?:\.\d{1,6})?$/;

export interface StoreCurrenciesResult {
  currencies: StoreCurrency[] | null;
  userErrors: UserError<StoreErrorCode>[];
}

interface CurrencyRow {
  currencyCode: string;
  rate: Decimal;
  rounding: CurrencyRounding;
}

/** The store's presentment currencies, in a request for that store (anyone may read them). */
export function storeCurrencies(context: SubgraphContext, storeId: string): Promise<StoreCurrency[]> {
  requireRequestStore(context, storeId);
  return context.loaders.currenciesByStore.load(storeId);
}

function readCurrencies(input: StoreCurrenciesUpdateInput, storeCurrencyCode: string) {
  const errors = new InputErrors<StoreErrorCode>();
  const rows: CurrencyRow[] = [];
  if (input.currencies.length > MAX_STORE_CURRENCIES)
    errors.add(['input', 'currencies'], `Enable at most ${MAX_STORE_CURRENCIES} currencies.`, 'INVALID');
  input.currencies.forEach((entry, index) => {
    const field = (name: string) => ['input', 'currencies', String(index), name];
    const code = entry.currencyCode.trim().toUpperCase();
    const rounding = entry.rounding ?? 'MINOR_UNITS';
    const rateText = String(entry.rate).trim();
    if (!isCurrencyCode(code))
      errors.add(field('currencyCode'), 'Give an ISO 4217 currency code, e.g. USD.', 'INVALID');
    else if (code === storeCurrencyCode)
      errors.add(field('currencyCode'), `${code} is the store's own currency; list only the others.`, 'INVALID');
    else if (rows.some((row) => row.currencyCode === code))
      errors.add(field('currencyCode'), `${code} is listed twice; list each currency once.`, 'TAKEN');
    const rate = RATE.test(rateText) ? new Decimal(rateText) : null;
    if (!rate || rate.isZero())
      errors.add(
        field('rate'),
        'Give the rate as a positive decimal with at most 6 decimals: what one unit of the store currency is worth, e.g. "1.0825".',
        'INVALID',
      );
    if (!CURRENCY_ROUNDINGS.includes(rounding) || (isCurrencyCode(code) && !roundingFits(rounding, code)))
      errors.add(field('rounding'), `${code} has no cents: use MINOR_UNITS or WHOLE_UNITS.`, 'INVALID');
    if (rate) rows.push({ currencyCode: code, rate, rounding });
  });
  return { errors, rows };
}

/** Replaces the store's presentment currencies (MANAGE_STORE); storefronts' cached prices are dropped. */
export async function updateStoreCurrencies(
  context: SubgraphContext,
  input: StoreCurrenciesUpdateInput,
): Promise<StoreCurrenciesResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_STORE');
  return context.db.transaction(async (tx): Promise<StoreCurrenciesResult> => {
    const store = await tx.store.findUniqueOrThrow({ where: { id: storeId }, select: { currencyCode: true } });
    const { errors, rows } = readCurrencies(input, store.currencyCode);
    if (!errors.ok) return { currencies: null, userErrors: errors.errors };
    const codes = rows.map((row) => row.currencyCode);
    await tx.storeCurrency.deleteMany({ where: { storeId, currencyCode: { notIn: codes } } });
    for (const row of rows)
      await tx.storeCurrency.upsert({
        where: { storeId_currencyCode: { storeId, currencyCode: row.currencyCode } },
        create: { storeId, ...row },
        update: { rate: row.rate, rounding: row.rounding },
      });
    const currencies = await tx.storeCurrency.findMany({ where: { storeId }, orderBy: { currencyCode: 'asc' } });
    await announceStoreUpdate(tx, storeId);
    return { currencies, userErrors: [] };
  });
}
