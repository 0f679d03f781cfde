import type { Prisma } from '@commerce/database';
import { InputErrors, isCurrencyCode } from '@commerce/graphql-kit';
import type { SubgraphContext } from '../context.js';
import { announceCustomer } from './customer-events.js';
import { requireActiveCustomer } from './customer.service.js';
import { normalizeLocale, normalizePhone, parseDateOfBirth } from './profile-rules.js';
import type { CustomerResult } from './result.js';
import type { CustomerErrorCode } from '../__generated__/resolvers-types.js';

/** What a customer may change about themself; an omitted field stays as it is, null clears an optional one. */
export interface CustomerProfileInput {
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  dateOfBirth?: string | null;
  gender?: string | null;
  acceptsMarketing?: boolean | null;
  locale?: string | null;
  currencyCode?: string | null;
}

const NAME_MAX = 100;
const GENDER_MAX = 50;

/** Reads the input into a Prisma update, collecting every problem with its field path. */
function profileChanges(input: CustomerProfileInput): {
  errors: InputErrors<CustomerErrorCode>;
  data: Prisma.CustomerUpdateInput;
} {
  const errors = new InputErrors<CustomerErrorCode>();
  const data: Prisma.CustomerUpdateInput = {};
  for (const field of ['firstName', 'lastName'] as const) {
    const value = input[field];
    if (value == null) continue;
    errors.text(['input', field], value, NAME_MAX);
    data[field] = value.trim();
  }
  if (input.phone !== undefined) {
    const raw = input.phone?.trim() ? input.phone : null;
    data.phone = raw === null ? null : normalizePhone(raw);
    if (raw !== null && data.phone === null)
      errors.add(['input', 'phone'], 'Enter the number in international format, e.g. +49 30 1234567.');
  }
  if (input.dateOfBirth !== undefined) {
    const raw = input.dateOfBirth?.trim() ? input.dateOfBirth : null;
    data.dateOfBirth = raw === null ? null : parseDateOfBirth(raw);
    if (raw !== null && data.dateOfBirth === null)
      errors.add(['input', 'dateOfBirth'], 'Enter a past date as YYYY-MM-DD, e.g. 1990-04-23.');
  }
  if (input.gender !== undefined) {
    const gender = input.gender?.trim() || null;
    if (gender !== null && gender.length > GENDER_MAX)
      errors.add(['input', 'gender'], `Use at most ${GENDER_MAX} characters.`, 'TOO_LONG');
    data.gender = gender;
  }
  if (input.acceptsMarketing != null) data.acceptsMarketing = input.acceptsMarketing;
  if (input.locale !== undefined) {
    const raw = input.locale?.trim() ? input.locale : null;
    data.locale = raw === null ? null : normalizeLocale(raw);
    if (raw !== null && data.locale === null)
      errors.add(['input', 'locale'], 'Enter a language tag such as en, de or de-AT.');
  }
  if (input.currencyCode !== undefined) {
    const code = input.currencyCode?.trim().toUpperCase() || null;
    if (code !== null && !isCurrencyCode(code))
      errors.add(['input', 'currencyCode'], 'Enter an ISO 4217 currency code such as EUR or USD.');
    data.currencyCode = code;
  }
  return { errors, data };
}

/** Updates the calling customer's own profile: names, phone, birthday, gender, marketing and language/currency preferences. */
export async function updateOwnProfile(context: SubgraphContext, input: CustomerProfileInput): Promise<CustomerResult> {
  const customer = await requireActiveCustomer(context);
  const { errors, data } = profileChanges(input);
  if (!errors.ok) return { customer: null, userErrors: errors.errors };
  const updated = await context.db.transaction(async (tx) => {
    const changed = await tx.customer.update({
      where: { storeId_id: { storeId: customer.storeId, id: customer.id } },
      data,
    });
    await announceCustomer(tx, 'customer.updated', changed);
    return changed;
  });
  return { customer: updated, userErrors: [] };
}
