import { randomUUID } from 'node:crypto';
import type { Store } from '@commerce/database';
import {
  InputErrors,
  isCurrencyCode,
  isUniqueViolation,
  requireSeller,
  userError,
  type RequestContext,
  type UserError,
} from '@commerce/graphql-kit';
import type { SubgraphContext } from '../context.js';
import type { StoreErrorCode } from '../__generated__/resolvers-types.js';

export const SLUG = /^[a-z0-9](?:[a-z0-9-]{1,46}[a-z0-9])$/;

export interface StoreCreateInput {
  name: string;
  slug: string;
  currencyCode: string;
  locale?: string | null;
  timezone?: string | null;
  description?: string | null;
}

/** Whether a string is one well-formed BCP 47 language tag. */
export function isLocale(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** Whether a string is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Creates a store; the calling seller becomes its OWNER. */
export async function createStore(
  context: RequestContext,
  input: StoreCreateInput,
): Promise<{ store: Store | null; userErrors: UserError<StoreErrorCode>[] }> {
  const sellerId = requireSeller(context);
  const errors = new InputErrors<StoreErrorCode>().text(['input', 'name'], input.name, 120);
  if (!SLUG.test(input.slug))
    errors.add(
      ['input', 'slug'],
      'Use 3 to 48 lower-case letters, digits and hyphens, starting and ending with a letter or digit.',
    );
  if (!isCurrencyCode(input.currencyCode))
    errors.add(['input', 'currencyCode'], 'Use an ISO 4217 currency code such as EUR.');
  if (input.locale != null && !isLocale(input.locale))
    errors.add(['input', 'locale'], 'Use a language tag such as en or de-CH.');
  if (input.timezone != null && !isTimeZone(input.timezone))
    errors.add(['input', 'timezone'], 'Use an IANA time zone such as Europe/Berlin.');
  if ((input.description ?? '').length > 2000)
    errors.add(['input', 'description'], 'Use at most 2000 characters.', 'TOO_LONG');
  if (!errors.ok) return { store: null, userErrors: errors.errors };

  const storeId = randomUUID();
  try {
    const store = await context.db.withScope({ storeId, sellerId }).transaction(async (tx) => {
      const seller = await tx.seller.findUniqueOrThrow({ where: { id: sellerId }, select: { email: true } });
      const created = await tx.store.create({
        data: {
          id: storeId,
          name: input.name.trim(),
          slug: input.slug,
          currencyCode: input.currencyCode,
          locale: input.locale ?? 'en',
          timezone: input.timezone ?? 'UTC',
          description: input.description ?? '',
        },
      });
      await tx.storeCounter.create({ data: { storeId } });
      await tx.staffMember.create({ data: { storeId, sellerId, email: seller.email, role: 'OWNER' } });
      return created;
    });
    return { store, userErrors: [] };
  } catch (error) {
    if (isUniqueViolation(error))
      return {
        store: null,
        userErrors: [userError(['input', 'slug'], 'This slug is taken; choose another.', 'TAKEN')],
      };
    throw error;
  }
}

/**
 * The store the request acts on. When only its id is asked for, as the gateway does to hand the
 * store to the catalog or order subgraph, the store resolved from the request answers without a
 * statement; only the id resolver then reads the partial row.
 */
export function requestStore(context: SubgraphContext, idOnly: boolean): Promise<Store | null> | Store | null {
  if (!context.store) return null;
  if (idOnly) return { id: context.store.id } as Store;
  return context.loaders.storeById.load(context.store.id);
}
