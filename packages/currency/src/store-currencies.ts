// Which presentment currency a request or a cart prices in, read from the store's enabled
// currencies (the store domain's StoreCurrency table). The store's own currency costs no statement.
import { Decimal, graphqlError, type RequestContext, requireStore } from '@commerce/graphql-kit';
import type { Transaction } from '@commerce/database';
import { type PresentmentCurrency, storeCurrency } from './conversion.js';
import type { CurrencyRounding } from './rounding.js';

/** The error for a currency the store has not enabled: BAD_USER_INPUT, reason CURRENCY_NOT_ENABLED. */
export function currencyNotEnabled(currencyCode: string, storeCurrencyCode: string) {
  return graphqlError(
    'BAD_USER_INPUT',
    `The store does not sell in ${currencyCode}: send X-Currency with one of Store.currencies, or leave it out for ${storeCurrencyCode}.`,
    { reason: 'CURRENCY_NOT_ENABLED', currencyCode },
  );
}

/**
 * A currency of the store, read in the caller's tenant transaction: its own at rate 1, or an
 * enabled presentment currency; null when the store has not enabled it.
 */
export async function findStoreCurrency(
  tx: Transaction,
  storeId: string,
  storeCurrencyCode: string,
  currencyCode: string,
): Promise<PresentmentCurrency | null> {
  if (currencyCode === storeCurrencyCode) return storeCurrency(storeCurrencyCode);
  const rows = await tx.$queryRaw<{ rate: Decimal; rounding: CurrencyRounding }[]>`
    SELECT "rate", "rounding"::text AS "rounding" FROM "StoreCurrency"
    WHERE "storeId" = ${storeId}::uuid AND "currencyCode" = ${currencyCode}`;
  const row = rows[0];
  return row ? { currencyCode, rate: new Decimal(row.rate), rounding: row.rounding } : null;
}

/** Whether a request asks prices in another currency than its store's (X-Currency); no statement. */
export function requestsPresentmentCurrency(context: RequestContext): boolean {
  const code = context.requestedCurrency;
  return code !== null && context.store !== null && code !== context.store.currencyCode;
}

const requested = new WeakMap<object, Promise<PresentmentCurrency>>();

/**
 * The currency a request asks prices in (X-Currency), once per request: the store's own when the
 * header is absent; BAD_USER_INPUT (CURRENCY_NOT_ENABLED) when the store has not enabled it.
 */
export function requestCurrency(context: RequestContext): Promise<PresentmentCurrency> {
  const store = requireStore(context);
  const code = context.requestedCurrency;
  if (!code || code === store.currencyCode) return Promise.resolve(storeCurrency(store.currencyCode));
  let currency = requested.get(context.db);
  if (!currency) {
    currency = context.db
      .read((tx) => findStoreCurrency(tx, store.id, store.currencyCode, code))
      .then((found) => {
        if (!found) throw currencyNotEnabled(code, store.currencyCode);
        return found;
      });
    requested.set(context.db, currency);
  }
  return currency;
}
