// What a cart costs now: the inputs of pricing read from the store's data (current variant prices,
// discount codes, shipping rates, tax rates) in one statement, then priced exactly (pricing.ts).
// Carts and checkout share it, so a cart shows what checkout will charge. Checkout reads the inputs
// inside its transaction, in the statement that locks the stock (quoteInputs as one column of it):
// reading the catalog's variants and the store's shipping and tax tables there is deliberate, so
// that the order is priced from the same snapshot it is placed in (docs/data-ownership.md).
import {
  Prisma,
  selectRead,
  type DiscountCode,
  type DiscountType,
  type RawSql,
  type SqlRead,
} from '@commerce/database';
import { convertAmount, convertPrice, currencyNotEnabled, type PresentmentCurrency } from '@commerce/currency';
import { toGlobalId } from '@commerce/graphql-kit';
import { availableToSell } from '@commerce/inventory';
import type { MailingAddress } from './address.js';
import {
  linesSubtotal,
  priceCart,
  withLoyaltyDiscount,
  type OrderDiscount,
  type PricedCart,
  type PricedLine,
} from './pricing.js';

type Decimal = Prisma.Decimal;

/** A variant as a line snapshots it, with its current price. */
export interface VariantSnapshot {
  id: string;
  productId: string;
  title: string;
  variantTitle: string;
  sku: string | null;
  price: Decimal;
  selectedOptions: Prisma.JsonValue;
  imageUrl: string | null;
  /** The variant exists and its product is ACTIVE. */
  purchasable: boolean;
}

export interface ShippingRateOption {
  id: string;
  /** The rate's global id, as clients pass it back. */
  globalId: string;
  name: string;
  price: Decimal;
}

/** Why a discount code does not apply. */
export type DiscountRefusal =
  | 'NOT_FOUND'
  | 'INACTIVE'
  | 'NOT_STARTED'
  | 'EXPIRED'
  | 'MINIMUM_NOT_MET'
  | 'USAGE_LIMIT_REACHED'
  | 'NOT_COMBINABLE';

export interface DiscountEvaluation {
  code: string;
  discount: DiscountCode | null;
  refusal: DiscountRefusal | null;
}

/**
 * A line to quote: a variant at its current price, or at a price staff set (a draft order's
 * override); or, without a variant, a draft order's custom line with its own title and price.
 */
export interface QuoteRequestLine {
  variantId: string | null;
  quantity: number;
  unitPrice?: Decimal | null;
  taxable?: boolean;
  title?: string;
}

export interface QuoteRequest {
  currencyCode: string;
  lines: readonly QuoteRequestLine[];
  codes: readonly string[];
  address: MailingAddress | null;
  /** The rate the buyer chose, if any (a key). */
  shippingRateId: string | null;
  /** Who buys, for per-customer discount limits (by account, else by email). */
  buyer: { customerId: string | null; email: string | null };
  /** Whether to read the units each variant has to sell (carts show it; checkout reserves instead). */
  withAvailability: boolean;
  now: Date;
  /** Loyalty points applied (a signed-in customer's cart); priced with the programme's point value. */
  loyaltyPoints?: number;
}

export interface QuotedLine {
  /** Null for a custom line. */
  variantId: string | null;
  quantity: number;
  variant: VariantSnapshot | null;
  /** The price of a unit that applies (override, custom price or the variant's); null when not buyable. */
  unitPrice: Decimal | null;
  /** A custom line's title (draft orders). */
  customTitle: string | null;
  taxable: boolean;
  /** Units to sell; null when not limited (or not read). */
  availableQuantity: number | null;
  /** Its price; null for a line that cannot be bought (it is left out of the cost). */
  priced: PricedLine | null;
}

export interface ShippingQuote {
  /** Whether the store has shipping zones at all; without any, shipping is not charged. */
  configured: boolean;
  /** Whether a zone covers the address's country. */
  covered: boolean;
  rates: ShippingRateOption[];
  selected: ShippingRateOption | null;
  /** Whether the requested rate is one of the rates (true when none was requested). */
  requestedRateApplies: boolean;
}

export interface Quote {
  lines: QuotedLine[];
  subtotal: Decimal;
  discountCodes: DiscountEvaluation[];
  /** The applied codes, in the order entered. */
  appliedCodes: DiscountCode[];
  shipping: ShippingQuote;
  taxRate: { rate: Decimal; inclusive: boolean } | null;
  priced: PricedCart;
  /** The presentment currency the quote is in, and the store's; null in the store's own currency. */
  currency: (PresentmentCurrency & { storeCurrencyCode: string }) | null;
}

/** What pricing reads of the store's data (quoteInputs). */
export interface QuoteInputs {
  variants: Map<string, VariantSnapshot>;
  /** Units to sell by variant (null: not limited); empty unless asked for. */
  available: Map<string, number | null>;
  /** The rows of the cart's codes that exist. */
  discounts: DiscountCode[];
  /** Uses of per-customer limited codes by the buyer, by code id. */
  usedByBuyer: Map<string, number>;
  /** Shipping zones and rates and the tax rate for the address; null without an address. */
  terms: TermsRow[] | null;
  /** The value of a loyalty point under the store's enabled programme; null without one (or without points). */
  loyaltyUnitValue: Decimal | null;
  /**
   * The presentment currency every amount above was converted into (variant prices, shipping
   * rates and their bounds, fixed discounts, the point's value), with the store's own currency;
   * null in the store's own currency.
   */
  currency: (PresentmentCurrency & { storeCurrencyCode: string }) | null;
}

/** What quoteInputs needs besides the variants. */
export type QuoteInputRequest = Pick<
  QuoteRequest,
  'codes' | 'address' | 'buyer' | 'withAvailability' | 'loyaltyPoints'
> & {
  /** The cart's currency: when given, the store's rate for it and fixed prices in it are read too. */
  currencyCode?: string;
};

/** The jsonb object of quoteInputs. */
interface QuoteInputsJson {
  variants: unknown;
  available: unknown;
  codes: Record<string, unknown>[] | null;
  codeUses: Record<string, number> | null;
  terms: TermsRow[] | null;
  loyaltyUnitValue?: string | null;
  storeCurrencyCode?: string | null;
  currencyRate?: string | null;
  currencyRounding?: PresentmentCurrency['rounding'] | null;
  fixedPrices?: Record<string, string> | null;
}

/** A list of variant ids, or a uuid[] expression of the statement a read goes into. */
export type VariantIds = readonly string[] | Prisma.Sql;

function variantIdsSql(variantIds: VariantIds): Prisma.Sql {
  return variantIds instanceof Prisma.Sql ? variantIds : Prisma.sql`${[...new Set(variantIds)]}::uuid[]`;
}

// Decimals travel as text (a JSON number would lose digits); timestamps as ISO strings with offset.
/** Current snapshots of the store's variants (product title, first image), by id. */
export function variantSnapshots(storeId: string, variantIds: VariantIds): SqlRead<Map<string, VariantSnapshot>> {
  return { sql: variantsSql(storeId, variantIdsSql(variantIds)), decode: variantsOf };
}

// The image's subquery names the store, not v."storeId": Citus prunes a table's shards by that
// table's own conditions, so a correlated "storeId" sends the statement to every shard.
function variantsSql(storeId: string, variantIds: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    SELECT coalesce(jsonb_agg(jsonb_build_object(
             'id', v."id", 'productId', v."productId", 'variantTitle', v."title", 'sku', v."sku", 'price', v."price"::text,
             'selectedOptions', v."selectedOptions", 'title', p."title", 'status', p."status",
             'imageUrl', (SELECT i."url" FROM "ProductImage" i
                          WHERE i."storeId" = ${storeId}::uuid AND i."productId" = v."productId"
                          ORDER BY i."position", i."id" LIMIT 1))), '[]'::jsonb)
    FROM "ProductVariant" v
    JOIN "Product" p ON p."storeId" = v."storeId" AND p."id" = v."productId"
    WHERE v."storeId" = ${storeId}::uuid AND v."id" = ANY(${variantIds}))`;
}

function variantsOf(json: unknown): Map<string, VariantSnapshot> {
  const rows = (json ?? []) as {
    id: string;
    productId: string;
    variantTitle: string;
    sku: string | null;
    price: string;
    selectedOptions: Prisma.JsonValue;
    title: string;
    status: string;
    imageUrl: string | null;
  }[];
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        productId: row.productId,
        title: row.title,
        variantTitle: row.variantTitle,
        sku: row.sku,
        price: new Prisma.Decimal(row.price),
        selectedOptions: row.selectedOptions,
        imageUrl: row.imageUrl,
        purchasable: row.status === 'ACTIVE',
      },
    ]),
  );
}

/**
 * The store's shipping zones with their rates (covers: whether the zone has the country) and the
 * tax rate of the address's region (provinceCode), else its country: a jsonb array, one element
 * per zone and rate, cheapest first; one element without a zone when the store has none.
 */
function termsSql(storeId: string, address: MailingAddress): Prisma.Sql {
  return Prisma.sql`(
    SELECT jsonb_agg(jsonb_build_object(
             'covers', zr."covers", 'id', zr."id", 'name', zr."name", 'price', zr."price"::text,
             'minOrderAmount', zr."minOrderAmount"::text, 'maxOrderAmount', zr."maxOrderAmount"::text,
             'taxRate', t."rate"::text, 'taxInclusive', t."inclusive")
           ORDER BY zr."price", zr."name", zr."id")
    FROM (SELECT 1) AS one
    LEFT JOIN (
      SELECT (${address.countryCode} = ANY(z."countries")) AS "covers", r."id", r."name", r."price", r."minOrderAmount", r."maxOrderAmount"
      FROM "ShippingZone" z
      LEFT JOIN "ShippingRate" r ON r."storeId" = z."storeId" AND r."zoneId" = z."id"
      WHERE z."storeId" = ${storeId}::uuid
    ) zr ON true
    LEFT JOIN LATERAL (
      SELECT "rate", "inclusive" FROM "TaxRate"
      WHERE "storeId" = ${storeId}::uuid AND "countryCode" = ${address.countryCode} AND ("region" IS NULL OR "region" = ${address.provinceCode})
      ORDER BY "region" NULLS LAST, "id" LIMIT 1
    ) t ON true)`;
}

/**
 * The inputs of a quote (QuoteInputs) as one read, of the store's variants `variantIds` (ids, or a
 * uuid[] expression such as a subquery of a cart's lines).
 */
export function quoteInputs(storeId: string, variantIds: VariantIds, request: QuoteInputRequest): SqlRead<QuoteInputs> {
  const ids = variantIdsSql(variantIds);
  const codes = request.codes.map(normalizeCode);
  const { customerId, email } = request.buyer;
  const available = availableToSell(storeId, ids);
  return {
    sql: Prisma.sql`jsonb_build_object(
      'variants', ${variantsSql(storeId, ids)},
      'available', ${request.withAvailability ? available.sql : Prisma.sql`NULL::jsonb`},
      'codes', (SELECT coalesce(jsonb_agg(to_jsonb(d) || jsonb_build_object('value', d."value"::text, 'minOrderAmount', d."minOrderAmount"::text)), '[]'::jsonb)
                FROM "DiscountCode" d WHERE d."storeId" = ${storeId}::uuid AND d."code" = ANY(${codes}::text[])),
      'codeUses', (SELECT jsonb_object_agg(u."discountCodeId", u."uses") FROM (
                     SELECT u."discountCodeId", count(*) AS "uses" FROM "DiscountCodeUsage" u
                     JOIN "DiscountCode" d ON d."storeId" = u."storeId" AND d."id" = u."discountCodeId"
                       AND d."code" = ANY(${codes}::text[]) AND d."usageLimitPerCustomer" IS NOT NULL
                     WHERE u."storeId" = ${storeId}::uuid AND (u."customerId" = ${customerId}::uuid OR u."email" = ${email}::text)
                     GROUP BY u."discountCodeId") u),
      'terms', ${request.address ? termsSql(storeId, request.address) : Prisma.sql`NULL::jsonb`},
      'loyaltyUnitValue', ${
        (request.loyaltyPoints ?? 0) > 0
          ? Prisma.sql`(SELECT p."unitValue"::text FROM "LoyaltyProgram" p WHERE p."storeId" = ${storeId}::uuid AND p."enabled")`
          : Prisma.sql`NULL::text`
      }${request.currencyCode ? currencySql(storeId, ids, request.currencyCode) : Prisma.empty})`,
    decode(value) {
      const json = value as QuoteInputsJson;
      const inputs: QuoteInputs = {
        variants: variantsOf(json.variants),
        available: available.decode(json.available),
        discounts: (json.codes ?? []).map(
          (code) =>
            ({
              ...code,
              value: decimal(code.value),
              minOrderAmount: decimal(code.minOrderAmount),
              startsAt: date(code.startsAt),
              endsAt: date(code.endsAt),
              createdAt: date(code.createdAt),
              updatedAt: date(code.updatedAt),
            }) as DiscountCode,
        ),
        usedByBuyer: new Map(Object.entries(json.codeUses ?? {})),
        terms: json.terms,
        loyaltyUnitValue: decimal(json.loyaltyUnitValue),
        currency: null,
      };
      return request.currencyCode ? inPresentmentCurrency(inputs, json, request.currencyCode) : inputs;
    },
  };
}

/** The store's currency, its rate and rounding for `currencyCode` and fixed prices in it, as more keys of quoteInputs. */
function currencySql(storeId: string, ids: Prisma.Sql, currencyCode: string): Prisma.Sql {
  return Prisma.sql`,
      'storeCurrencyCode', (SELECT s."currencyCode" FROM "Store" s WHERE s."id" = ${storeId}::uuid),
      'currencyRate', (SELECT sc."rate"::text FROM "StoreCurrency" sc WHERE sc."storeId" = ${storeId}::uuid AND sc."currencyCode" = ${currencyCode}),
      'currencyRounding', (SELECT sc."rounding"::text FROM "StoreCurrency" sc WHERE sc."storeId" = ${storeId}::uuid AND sc."currencyCode" = ${currencyCode}),
      'fixedPrices', (SELECT jsonb_object_agg(vp."variantId", vp."price"::text) FROM "ProductVariantPrice" vp
                      WHERE vp."storeId" = ${storeId}::uuid AND vp."currencyCode" = ${currencyCode} AND vp."variantId" = ANY(${ids}))`;
}

/**
 * The inputs in the cart's presentment currency (@commerce/currency): variant prices are the
 * seller's fixed price for the currency, else converted and rounded by the store's rule; shipping
 * rates convert the same way; their bounds, fixed discounts and minimums convert to minor units;
 * a loyalty point is worth its value times the rate. Unchanged in the store's own currency.
 */
function inPresentmentCurrency(inputs: QuoteInputs, json: QuoteInputsJson, currencyCode: string): QuoteInputs {
  const storeCurrencyCode = json.storeCurrencyCode ?? currencyCode;
  if (currencyCode === storeCurrencyCode) return inputs;
  if (!json.currencyRate || !json.currencyRounding) throw currencyNotEnabled(currencyCode, storeCurrencyCode);
  const currency = {
    currencyCode,
    rate: new Prisma.Decimal(json.currencyRate),
    rounding: json.currencyRounding,
    storeCurrencyCode,
  };
  const fixed = json.fixedPrices ?? {};
  const text = (amount: string | null, convert: typeof convertPrice) =>
    amount === null ? null : convert(amount, currency).toFixed();
  return {
    ...inputs,
    currency,
    variants: new Map(
      [...inputs.variants].map(([id, variant]) => {
        const price = fixed[id];
        return [id, { ...variant, price: price ? new Prisma.Decimal(price) : convertPrice(variant.price, currency) }];
      }),
    ),
    discounts: inputs.discounts.map((code) => ({
      ...code,
      value: code.type === 'FIXED_AMOUNT' ? convertAmount(code.value, currency) : code.value,
      minOrderAmount: code.minOrderAmount === null ? null : convertAmount(code.minOrderAmount, currency),
    })),
    terms:
      inputs.terms?.map((row) => ({
        ...row,
        price: text(row.price, convertPrice),
        minOrderAmount: text(row.minOrderAmount, convertAmount),
        maxOrderAmount: text(row.maxOrderAmount, convertAmount),
      })) ?? null,
    loyaltyUnitValue: inputs.loyaltyUnitValue?.times(currency.rate) ?? null,
  };
}

const date = (value: unknown) => (value == null ? null : new Date(value as string));
const decimal = (value: unknown) => (value == null ? null : new Prisma.Decimal(value as string));

/** Codes are matched ignoring case and surrounding space. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

const ORDER_DISCOUNTS: ReadonlySet<DiscountType> = new Set(['PERCENTAGE', 'FIXED_AMOUNT']);

/**
 * Whether each code applies: it exists, is active and within its window, the subtotal meets its
 * minimum, and neither its total nor the buyer's usage limit is reached. One order discount
 * (PERCENTAGE or FIXED_AMOUNT) and one FREE_SHIPPING code combine; further ones are NOT_COMBINABLE.
 */
function evaluateDiscountCodes(
  codes: readonly string[],
  inputs: QuoteInputs,
  subtotal: Decimal,
  now: Date,
): DiscountEvaluation[] {
  const byCode = new Map(inputs.discounts.map((row) => [row.code, row]));
  let orderDiscount = false;
  let freeShipping = false;
  return codes.map((code) => {
    const discount = byCode.get(normalizeCode(code)) ?? null;
    const refusal = ((): DiscountRefusal | null => {
      if (!discount) return 'NOT_FOUND';
      if (!discount.active) return 'INACTIVE';
      if (discount.startsAt && discount.startsAt > now) return 'NOT_STARTED';
      if (discount.endsAt && discount.endsAt <= now) return 'EXPIRED';
      if (discount.minOrderAmount && subtotal.lessThan(discount.minOrderAmount)) return 'MINIMUM_NOT_MET';
      if (discount.usageLimit !== null && discount.usedCount >= discount.usageLimit) return 'USAGE_LIMIT_REACHED';
      if (
        discount.usageLimitPerCustomer !== null &&
        (inputs.usedByBuyer.get(discount.id) ?? 0) >= discount.usageLimitPerCustomer
      )
        return 'USAGE_LIMIT_REACHED';
      if (ORDER_DISCOUNTS.has(discount.type) ? orderDiscount : freeShipping) return 'NOT_COMBINABLE';
      return null;
    })();
    if (discount && refusal === null) {
      if (ORDER_DISCOUNTS.has(discount.type)) orderDiscount = true;
      else freeShipping = true;
    }
    return { code, discount, refusal };
  });
}

/** An element of termsSql's array (decimals as text). */
interface TermsRow {
  /** Null when the store has no shipping zone at all. */
  covers: boolean | null;
  id: string | null;
  name: string | null;
  price: string | null;
  minOrderAmount: string | null;
  maxOrderAmount: string | null;
  taxRate: string | null;
  taxInclusive: boolean | null;
}

const NO_SHIPPING: ShippingQuote = {
  configured: false,
  covered: false,
  rates: [],
  selected: null,
  requestedRateApplies: true,
};

/**
 * Shipping and tax for an address from the terms read (termsSql): the store's rates for the country
 * whose bounds the subtotal meets, cheapest first (a country is in at most one zone, as the store
 * subgraph keeps it), and the tax rate of the address.
 */
function termsFor(
  rows: readonly TermsRow[] | null,
  subtotal: Decimal,
  requestedRateId: string | null,
): { shipping: ShippingQuote; taxRate: { rate: Decimal; inclusive: boolean } | null } {
  if (!rows) return { shipping: { ...NO_SHIPPING, requestedRateApplies: requestedRateId === null }, taxRate: null };
  const first = rows[0];
  const taxRate =
    first?.taxRate != null ? { rate: new Prisma.Decimal(first.taxRate), inclusive: Boolean(first.taxInclusive) } : null;
  const covering = rows.filter((row) => row.covers === true);
  const rates: ShippingRateOption[] = [];
  for (const row of covering) {
    if (row.id === null || row.name === null || row.price === null) continue;
    if (row.minOrderAmount !== null && subtotal.lessThan(row.minOrderAmount)) continue;
    if (row.maxOrderAmount !== null && subtotal.greaterThan(row.maxOrderAmount)) continue;
    rates.push({
      id: row.id,
      globalId: toGlobalId('ShippingRate', row.id),
      name: row.name,
      price: new Prisma.Decimal(row.price),
    });
  }
  const requested = requestedRateId === null ? null : (rates.find((rate) => rate.id === requestedRateId) ?? null);
  return {
    shipping: {
      configured: rows.some((row) => row.covers !== null),
      covered: covering.length > 0,
      rates,
      selected: requested ?? rates[0] ?? null,
      requestedRateApplies: requestedRateId === null || requested !== null,
    },
    taxRate,
  };
}

/**
 * The order discount and tax rate to re-price a placed order with (orderEdit): the order-level
 * code among its codes (accepted at checkout, so not evaluated again) and the tax rate of its address.
 */
export function placedOrderTerms(inputs: QuoteInputs): {
  discount: OrderDiscount | null;
  taxRate: { rate: Decimal; inclusive: boolean } | null;
} {
  const code = inputs.discounts.find((row) => ORDER_DISCOUNTS.has(row.type));
  const discount: OrderDiscount | null =
    code?.type === 'PERCENTAGE'
      ? { type: 'PERCENTAGE', percent: code.value }
      : code
        ? { type: 'FIXED_AMOUNT', amount: code.value }
        : null;
  return { discount, taxRate: termsFor(inputs.terms, new Prisma.Decimal(0), null).taxRate };
}

/** Prices lines with the store's current data (see the top of this file): one statement. */
export async function quoteCart(tx: RawSql, storeId: string, request: QuoteRequest): Promise<Quote> {
  const inputs = await selectRead(
    tx,
    quoteInputs(
      storeId,
      request.lines.flatMap((line) => (line.variantId === null ? [] : [line.variantId])),
      request,
    ),
  );
  return priceQuote(inputs, request);
}

/** Prices lines with inputs read beforehand (quoteInputs). */
export function priceQuote(inputs: QuoteInputs, request: QuoteRequest): Quote {
  const { variants, available } = inputs;
  const unitPriceOf = (line: QuoteRequestLine): Decimal | null => {
    if (line.variantId === null) return line.unitPrice ?? null;
    const variant = variants.get(line.variantId);
    return variant?.purchasable ? (line.unitPrice ?? variant.price) : null;
  };
  const pricingLines = request.lines.flatMap((line) => {
    const unitPrice = unitPriceOf(line);
    return unitPrice === null ? [] : [{ unitPrice, quantity: line.quantity, taxable: line.taxable ?? true }];
  });
  const subtotal = linesSubtotal(request.currencyCode, pricingLines);

  const discountCodes = evaluateDiscountCodes(request.codes, inputs, subtotal, request.now);
  const appliedCodes = discountCodes.flatMap((evaluation) =>
    evaluation.discount && evaluation.refusal === null ? [evaluation.discount] : [],
  );
  const orderCode = appliedCodes.find((code) => ORDER_DISCOUNTS.has(code.type));
  const discount: OrderDiscount | null =
    orderCode?.type === 'PERCENTAGE'
      ? { type: 'PERCENTAGE', percent: orderCode.value }
      : orderCode
        ? { type: 'FIXED_AMOUNT', amount: orderCode.value }
        : null;
  const { shipping, taxRate } = termsFor(inputs.terms, subtotal, request.shippingRateId);

  const priced = withLoyaltyDiscount(
    priceCart({
      currencyCode: request.currencyCode,
      lines: pricingLines,
      discount,
      shipping: shipping.selected?.price ?? null,
      freeShipping: appliedCodes.some((code) => code.type === 'FREE_SHIPPING'),
      tax: taxRate,
    }),
    request.currencyCode,
    request.loyaltyPoints ?? 0,
    inputs.loyaltyUnitValue,
  );
  let next = 0;
  const lines = request.lines.map((line): QuotedLine => {
    const variant = line.variantId === null ? null : (variants.get(line.variantId) ?? null);
    const unitPrice = unitPriceOf(line);
    const pricedLine = unitPrice !== null ? (priced.lines[next++] ?? null) : null;
    return {
      variantId: line.variantId,
      quantity: line.quantity,
      variant,
      unitPrice,
      customTitle: line.variantId === null ? (line.title ?? '') : null,
      taxable: line.taxable ?? true,
      availableQuantity: line.variantId === null ? null : (available.get(line.variantId) ?? null),
      priced: pricedLine,
    };
  });
  return { lines, subtotal, discountCodes, appliedCodes, shipping, taxRate, priced, currency: inputs.currency };
}
