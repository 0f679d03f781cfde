import { Prisma, type DiscountType } from '@commerce/database';
import {
  inCurrency,
  InputErrors,
  keyOf,
  minorUnits,
  notFound,
  prismaConnection,
  prismaSortKey,
  requirePermission,
  requireStore,
  violatesUniqueIndex,
  type Connection,
  type PageArgs,
  type UserError,
} from '@commerce/graphql-kit';
import type {
  DiscountCodeCreateInput,
  DiscountCodeUpdateInput,
  OrderErrorCode,
} from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import type { DiscountCodeParent } from '../mappers.js';
import { normalizeCode } from './cart-quote.js';

/** The payload of discountCodeCreate and discountCodeUpdate; the code carries its store's currency. */
export interface DiscountCodeResult {
  discountCode: DiscountCodeParent | null;
  userErrors: UserError<OrderErrorCode>[];
}

const CODE = /^[A-Z0-9_-]{1,50}$/;

const MAX_LIMIT = 1_000_000_000;

/** Checks a value for a type: a percentage from 0 to 100 (2 decimals), an amount in the currency, nothing for free shipping. */
function readValue(
  errors: InputErrors<OrderErrorCode>,
  type: DiscountType,
  value: string | null | undefined,
  currencyCode: string,
): Prisma.Decimal {
  if (type === 'FREE_SHIPPING') {
    if (value != null && !new Prisma.Decimal(value).isZero())
      errors.add(['input', 'value'], 'Free shipping takes no value; leave it out.', 'INVALID');
    return new Prisma.Decimal(0);
  }
  if (value == null) {
    errors.add(
      ['input', 'value'],
      type === 'PERCENTAGE' ? 'Give the percentage, e.g. 10.' : 'Give the amount off.',
      'BLANK',
    );
    return new Prisma.Decimal(0);
  }
  const amount = new Prisma.Decimal(value);
  const digits = type === 'PERCENTAGE' ? 2 : minorUnits(currencyCode);
  if (amount.lessThanOrEqualTo(0)) errors.add(['input', 'value'], 'Use a value above zero.', 'NEGATIVE');
  else if (type === 'PERCENTAGE' && amount.greaterThan(100))
    errors.add(['input', 'value'], 'A percentage is at most 100.', 'INVALID');
  else if (amount.decimalPlaces() > digits)
    errors.add(['input', 'value'], `Use at most ${digits} decimals.`, 'TOO_PRECISE');
  return amount;
}

function readAmount(
  errors: InputErrors<OrderErrorCode>,
  field: string[],
  value: string | null,
  currencyCode: string,
): Prisma.Decimal | null {
  if (value === null) return null;
  const amount = new Prisma.Decimal(value);
  if (amount.lessThan(0)) errors.add(field, 'Use zero or more.', 'NEGATIVE');
  else if (amount.decimalPlaces() > minorUnits(currencyCode))
    errors.add(field, `Amounts in ${currencyCode} have at most ${minorUnits(currencyCode)} decimals.`, 'TOO_PRECISE');
  return amount;
}

function readLimit(errors: InputErrors<OrderErrorCode>, field: string[], value: number | null): number | null {
  if (value !== null && (!Number.isSafeInteger(value) || value < 1 || value > MAX_LIMIT))
    errors.add(field, `Use a whole number from 1 to ${MAX_LIMIT}, or leave it out for no limit.`, 'INVALID');
  return value;
}

function checkWindow(errors: InputErrors<OrderErrorCode>, startsAt: Date | null, endsAt: Date | null): void {
  if (startsAt && endsAt && endsAt <= startsAt) errors.add(['input', 'endsAt'], 'End after the start.', 'INVALID');
}

/** Creates a discount code (staff with the orders permission). */
export async function createDiscountCode(
  context: SubgraphContext,
  input: DiscountCodeCreateInput,
): Promise<DiscountCodeResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_ORDERS');
  const { currencyCode } = requireStore(context);
  const errors = new InputErrors<OrderErrorCode>();
  const code = normalizeCode(input.code);
  if (code === '') errors.add(['input', 'code'], 'Enter a code.', 'BLANK');
  else if (!CODE.test(code))
    errors.add(['input', 'code'], 'Use letters, digits, - and _, at most 50 characters.', 'INVALID');
  const value = readValue(errors, input.type, input.value, currencyCode);
  const minOrderAmount = readAmount(errors, ['input', 'minOrderAmount'], input.minOrderAmount ?? null, currencyCode);
  const usageLimit = readLimit(errors, ['input', 'usageLimit'], input.usageLimit ?? null);
  const usageLimitPerCustomer = readLimit(
    errors,
    ['input', 'usageLimitPerCustomer'],
    input.usageLimitPerCustomer ?? null,
  );
  checkWindow(errors, input.startsAt ?? null, input.endsAt ?? null);
  if (!errors.ok) return { discountCode: null, userErrors: errors.errors };
  try {
    const discountCode = await context.db.transaction((tx) =>
      tx.discountCode.create({
        data: {
          storeId,
          code,
          type: input.type,
          value,
          minOrderAmount,
          startsAt: input.startsAt ?? null,
          endsAt: input.endsAt ?? null,
          usageLimit,
          usageLimitPerCustomer,
          active: input.active ?? true,
        },
      }),
    );
    return { discountCode: inCurrency(discountCode, currencyCode), userErrors: [] };
  } catch (error) {
    if (!violatesUniqueIndex(error, 'DiscountCode_storeId_code_key', ['storeId', 'code'])) throw error;
    return {
      discountCode: null,
      userErrors: errors.add(['input', 'code'], `The store has a code ${code} already.`, 'TAKEN').errors,
    };
  }
}

/** Changes a discount code (staff with the orders permission); fields left out stay, null clears optional ones. */
export async function updateDiscountCode(
  context: SubgraphContext,
  input: DiscountCodeUpdateInput,
): Promise<DiscountCodeResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_ORDERS');
  const { currencyCode } = requireStore(context);
  const key = keyOf(input.id, 'DiscountCode', ['input', 'id']);
  return context.db.transaction(async (tx): Promise<DiscountCodeResult> => {
    const [current] = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "DiscountCode" WHERE "storeId" = ${storeId}::uuid AND "id" = ${key}::uuid FOR UPDATE`;
    const existing = current
      ? await tx.discountCode.findUnique({ where: { storeId_id: { storeId, id: current.id } } })
      : null;
    if (!existing) throw notFound(`Discount code "${input.id}"`);
    const errors = new InputErrors<OrderErrorCode>();
    const data: Prisma.DiscountCodeUpdateInput = {};
    if (input.value !== undefined) data.value = readValue(errors, existing.type, input.value, currencyCode);
    if (input.minOrderAmount !== undefined)
      data.minOrderAmount = readAmount(errors, ['input', 'minOrderAmount'], input.minOrderAmount, currencyCode);
    if (input.usageLimit !== undefined) data.usageLimit = readLimit(errors, ['input', 'usageLimit'], input.usageLimit);
    if (input.usageLimitPerCustomer !== undefined)
      data.usageLimitPerCustomer = readLimit(errors, ['input', 'usageLimitPerCustomer'], input.usageLimitPerCustomer);
    if (input.startsAt !== undefined) data.startsAt = input.startsAt;
    if (input.endsAt !== undefined) data.endsAt = input.endsAt;
    if (input.active === null) errors.add(['input', 'active'], 'Give true or false, or leave the field out.', 'BLANK');
    else if (input.active !== undefined) data.active = input.active;
    checkWindow(
      errors,
      input.startsAt === undefined ? existing.startsAt : input.startsAt,
      input.endsAt === undefined ? existing.endsAt : input.endsAt,
    );
    if (!errors.ok) return { discountCode: inCurrency(existing, currencyCode), userErrors: errors.errors };
    return {
      discountCode: inCurrency(
        await tx.discountCode.update({ where: { storeId_id: { storeId, id: existing.id } }, data }),
        currencyCode,
      ),
      userErrors: [],
    };
  });
}

const NEWEST_FIRST = prismaSortKey({
  field: 'createdAt',
  kind: 'date',
  descending: true,
  value: (code: DiscountCodeParent) => code.createdAt,
});

/** A page of the store's discount codes, newest first (staff with the orders permission). */
export async function listDiscountCodes(
  context: SubgraphContext,
  storeId: string,
  args: PageArgs,
): Promise<Connection<DiscountCodeParent>> {
  await requirePermission(context, 'MANAGE_ORDERS');
  const { currencyCode } = requireStore(context);
  const where: Prisma.DiscountCodeWhereInput = { storeId };
  return prismaConnection({
    args,
    sort: NEWEST_FIRST,
    fetch: (page) =>
      context.db
        .transaction((tx) => tx.discountCode.findMany(page.findManyArgs(where)))
        .then((codes) => codes.map((code): DiscountCodeParent => inCurrency(code, currencyCode))),
    count: () => context.db.transaction((tx) => tx.discountCode.count({ where })),
  });
}
