import type { Prisma, Store, Transaction } from '@commerce/database';
import {
  forgetStoreResolutions,
  InputErrors,
  isCurrencyCode,
  requirePermission,
  type Decimal,
  type UserError,
} from '@commerce/graphql-kit';
import type { StoreConfigUpdateInput, StoreErrorCode, StoreUpdateInput } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { checkBounds, readAmount } from './amounts.js';
import { businessHoursJson, patchBusinessHours, readBusinessHours } from './business-hours.js';
import { patchBuyerNotifications } from './buyer-notification-settings.js';
import {
  BRANDING_RULES,
  CONTACT_RULES,
  patchSection,
  readAddressInput,
  readContact,
  readSection,
  SEO_RULES,
  SOCIAL_LINK_RULES,
  type Contact,
} from './store-config.js';
import { announceStoreUpdate } from './store-events.js';
import { isLocale, isTimeZone } from './store.service.js';

export interface StoreResult {
  store: Store | null;
  userErrors: UserError<StoreErrorCode>[];
}

const MAX_LOW_STOCK_THRESHOLD = 1_000_000;
const MAX_RETURN_WINDOW_DAYS = 365;

/** The store row, locked until the transaction ends so that concurrent changes do not overwrite each other. */
async function lockStore(tx: Transaction, storeId: string): Promise<Store> {
  await tx.$executeRaw`SELECT 1 FROM "Store" WHERE "id" = ${storeId}::uuid FOR UPDATE`;
  return tx.store.findUniqueOrThrow({ where: { id: storeId } });
}

/** What prices the store has in its currency, which a change of currency would silently revalue. */
async function pricedInCurrency(tx: Transaction, store: Store): Promise<string[]> {
  const [product, order, rate] = await Promise.all([
    tx.product.findFirst({ select: { id: true } }),
    tx.order.findFirst({ select: { id: true } }),
    tx.shippingRate.findFirst({ select: { id: true } }),
  ]);
  const priced: string[] = [];
  if (product) priced.push('products');
  if (order) priced.push('orders');
  if (rate) priced.push('shipping rates');
  if (store.minOrderAmount !== null || store.maxOrderAmount !== null) priced.push('order amount limits');
  return priced;
}

/** Checks the fields of storeUpdate that need no database. */
function checkStoreUpdate(input: StoreUpdateInput): InputErrors<StoreErrorCode> {
  const errors = new InputErrors<StoreErrorCode>();
  if (input.name !== undefined) errors.text(['input', 'name'], input.name, 120);
  if (input.description != null && input.description.length > 2000)
    errors.add(['input', 'description'], 'Use at most 2000 characters.', 'TOO_LONG');
  if (input.status === null) errors.add(['input', 'status'], 'Give a status or leave the field out.', 'BLANK');
  if (input.status === 'SUSPENDED')
    errors.add(
      ['input', 'status'],
      'Only the platform can suspend a store; set INACTIVE to close it.',
      'PLATFORM_ONLY',
    );
  if (input.currencyCode !== undefined && (input.currencyCode === null || !isCurrencyCode(input.currencyCode))) {
    errors.add(['input', 'currencyCode'], 'Use an ISO 4217 currency code such as EUR.');
  }
  if (input.locale !== undefined && (input.locale === null || !isLocale(input.locale)))
    errors.add(['input', 'locale'], 'Use a language tag such as en or de-CH.');
  if (input.timezone !== undefined && (input.timezone === null || !isTimeZone(input.timezone))) {
    errors.add(['input', 'timezone'], 'Use an IANA time zone such as Europe/Berlin.');
  }
  return errors;
}

/**
 * Changes the request's store's name, description, status, currency, locale or time zone
 * (MANAGE_STORE). SUSPENDED is the platform's to set and lift; the currency is fixed once
 * anything is priced in it.
 */
export async function updateStore(context: SubgraphContext, input: StoreUpdateInput): Promise<StoreResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_STORE');
  const errors = checkStoreUpdate(input);
  if (!errors.ok) return { store: null, userErrors: errors.errors };

  const result = await context.db.transaction(async (tx): Promise<StoreResult> => {
    const store = await lockStore(tx, storeId);
    if (input.status && store.status === 'SUSPENDED' && input.status !== 'SUSPENDED') {
      errors.add(
        ['input', 'status'],
        'The platform suspended this store; only the platform can reopen it. Contact support.',
        'STORE_SUSPENDED',
      );
    }
    if (input.currencyCode && input.currencyCode !== store.currencyCode) {
      const priced = await pricedInCurrency(tx, store);
      if (priced.length > 0) {
        errors.add(
          ['input', 'currencyCode'],
          `The store has ${priced.join(', ')} in ${store.currencyCode}; their amounts would change meaning, so the currency cannot change.`,
          'CURRENCY_LOCKED',
        );
      }
    }
    if (!errors.ok) return { store: null, userErrors: errors.errors };
    const data: Prisma.StoreUpdateInput = {};
    if (input.name != null) data.name = input.name.trim();
    if (input.description !== undefined) data.description = input.description ?? '';
    if (input.status) data.status = input.status;
    if (input.currencyCode) data.currencyCode = input.currencyCode;
    if (input.locale) data.locale = Intl.getCanonicalLocales(input.locale)[0] ?? input.locale;
    if (input.timezone) data.timezone = input.timezone;
    const updated = await tx.store.update({ where: { id: storeId }, data });
    await announceStoreUpdate(tx, storeId);
    return { store: updated, userErrors: [] };
  });
  // Requests are routed with the store's status and currency, which this process has cached.
  if (result.store && (input.status || input.currencyCode)) forgetStoreResolutions();
  return result;
}

/** Merges the settings patch (columns of the store row); problems go to `errors`. */
function patchSettings(
  store: Store,
  input: NonNullable<StoreConfigUpdateInput['settings']>,
  errors: InputErrors<StoreErrorCode>,
): Prisma.StoreUpdateInput {
  const path = ['input', 'settings'];
  const data: Prisma.StoreUpdateInput = {};
  const flags = [
    'guestCheckoutEnabled',
    'emailVerificationRequired',
    'reviewsEnabled',
    'wishlistEnabled',
    'partialDeliveryEnabled',
    'reviewModerationRequired',
    'buyersAnswerQuestions',
  ] as const;
  for (const flag of flags) {
    const value = input[flag];
    if (value === null) errors.add([...path, flag], 'Give true or false, or leave the field out.', 'BLANK');
    else if (value !== undefined) data[flag] = value;
  }
  if (input.paymentCaptureMode === null)
    errors.add([...path, 'paymentCaptureMode'], 'Give AUTOMATIC or MANUAL, or leave the field out.', 'BLANK');
  else if (input.paymentCaptureMode !== undefined) data.paymentCaptureMode = input.paymentCaptureMode;
  if (input.lowStockThreshold === null)
    errors.add([...path, 'lowStockThreshold'], 'Give a number or leave the field out.', 'BLANK');
  else if (input.lowStockThreshold !== undefined) {
    if (input.lowStockThreshold < 0 || input.lowStockThreshold > MAX_LOW_STOCK_THRESHOLD) {
      errors.add([...path, 'lowStockThreshold'], `Use a number from 0 to ${MAX_LOW_STOCK_THRESHOLD}.`, 'INVALID');
    } else data.lowStockThreshold = input.lowStockThreshold;
  }
  if (input.returnWindowDays === null)
    errors.add([...path, 'returnWindowDays'], 'Give a number of days or leave the field out.', 'BLANK');
  else if (input.returnWindowDays !== undefined) {
    if (input.returnWindowDays < 0 || input.returnWindowDays > MAX_RETURN_WINDOW_DAYS) {
      errors.add(
        [...path, 'returnWindowDays'],
        `Use a number of days from 0 (only staff start returns) to ${MAX_RETURN_WINDOW_DAYS}.`,
        'INVALID',
      );
    } else data.returnWindowDays = input.returnWindowDays;
  }
  const amount = (key: 'minOrderAmount' | 'maxOrderAmount'): Decimal | null | undefined => {
    const value = input[key];
    if (value === undefined) return store[key];
    return value === null ? null : (readAmount(errors, [...path, key], value, store.currencyCode) ?? undefined);
  };
  const min = amount('minOrderAmount');
  const max = amount('maxOrderAmount');
  if (min !== undefined && max !== undefined) checkBounds(errors, [...path, 'maxOrderAmount'], min, max);
  if (input.minOrderAmount !== undefined && min !== undefined) data.minOrderAmount = min;
  if (input.maxOrderAmount !== undefined && max !== undefined) data.maxOrderAmount = max;
  if (input.buyerNotifications === null)
    errors.add([...path, 'buyerNotifications'], 'Give the notifications to change, or leave the field out.', 'BLANK');
  else if (input.buyerNotifications)
    data.disabledBuyerNotifications = patchBuyerNotifications(
      store.disabledBuyerNotifications,
      input.buyerNotifications,
      [...path, 'buyerNotifications'],
      errors,
    );
  return data;
}

/** Merges the contact patch, whose address is replaced as a whole. */
function patchContact(
  current: Contact,
  input: NonNullable<StoreConfigUpdateInput['contact']>,
  errors: InputErrors<StoreErrorCode>,
): Contact {
  const path = ['input', 'contact'];
  const { address, ...fields } = input;
  const { address: currentAddress, ...currentFields } = current;
  const next: Contact = patchSection(currentFields, fields, CONTACT_RULES, path, errors);
  if (currentAddress) next.address = currentAddress;
  if (address === null) delete next.address;
  else if (address !== undefined) {
    const checked = readAddressInput(address, [...path, 'address'], errors);
    if (checked) next.address = checked;
  }
  return next;
}

/**
 * Changes the request's store's branding, SEO, contact, social links, business hours and settings
 * (MANAGE_STORE). Each section merges field by field; nothing is saved when any field is invalid.
 */
export async function updateStoreConfig(context: SubgraphContext, input: StoreConfigUpdateInput): Promise<StoreResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_STORE');
  return context.db.transaction(async (tx): Promise<StoreResult> => {
    const store = await lockStore(tx, storeId);
    const errors = new InputErrors<StoreErrorCode>();
    const data: Prisma.StoreUpdateInput = {};
    if (input.branding)
      data.branding = patchSection(
        readSection(store.branding, BRANDING_RULES),
        input.branding,
        BRANDING_RULES,
        ['input', 'branding'],
        errors,
      );
    if (input.seo)
      data.seo = patchSection(readSection(store.seo, SEO_RULES), input.seo, SEO_RULES, ['input', 'seo'], errors);
    if (input.contact) data.contact = patchContact(readContact(store.contact), input.contact, errors);
    if (input.socialLinks) {
      data.socialLinks = patchSection(
        readSection(store.socialLinks, SOCIAL_LINK_RULES),
        input.socialLinks,
        SOCIAL_LINK_RULES,
        ['input', 'socialLinks'],
        errors,
      );
    }
    if (input.businessHours) {
      data.businessHours = businessHoursJson(
        patchBusinessHours(
          readBusinessHours(store.businessHours),
          input.businessHours,
          ['input', 'businessHours'],
          errors,
        ),
      );
    }
    if (input.settings) Object.assign(data, patchSettings(store, input.settings, errors));
    if (!errors.ok) return { store: null, userErrors: errors.errors };
    const updated = await tx.store.update({ where: { id: storeId }, data });
    await announceStoreUpdate(tx, storeId);
    return { store: updated, userErrors: [] };
  });
}
