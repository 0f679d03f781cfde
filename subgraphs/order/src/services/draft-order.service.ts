// Draft orders: staff build an order for a customer who phones in, see it priced exactly as
// checkout prices a cart (cart-quote.ts), and complete it into an Order with checkout's own rules:
// the same stock reservation (@commerce/inventory), discount code uses and order statement
// (checkout.service.ts writeOrder), so an order placed from a draft is indistinguishable from one
// placed at checkout except for its timeline entry, which says staff placed it from a draft.
import { randomUUID } from 'node:crypto';
import { Prisma, type DraftOrder, type Order, type RawSql, type SqlTransaction } from '@commerce/database';
import {
  type Connection,
  InputErrors,
  keyOrNull,
  minorUnits,
  money,
  normalizeEmail,
  prismaConnection,
  prismaSortKey,
  requirePermission,
  requireStore,
  toGlobalId,
  violatesUniqueIndex,
  type Money,
} from '@commerce/graphql-kit';
import { lockLevelsSql, planReservation, type LockedLevel } from '@commerce/inventory';
import type {
  DraftOrderCompleteInput,
  DraftOrderCreateInput,
  DraftOrderErrorCode,
  DraftOrderLineInput,
  DraftOrderUpdateInput,
  StoreDraftOrdersArgs,
} from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { paymentProvider } from '../payments/index.js';
import { addressJson, addressOf, readAddress, type MailingAddress } from './address.js';
import {
  priceQuote,
  quoteCart,
  quoteInputs,
  type QuoteInputs,
  type QuoteRequest,
  type QuoteRequestLine,
} from './cart-quote.js';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from './cart.service.js';
import type { CartUserError } from './cart-view.js';
import { orderProblems, useDiscountCodes, writeOrder, type OrderWriteRequest } from './checkout.service.js';
import { actorOf, stockActorType } from './order-events.js';

type Decimal = Prisma.Decimal;

const MAX_KEY_LENGTH = 255;
const MAX_NOTE_LENGTH = 2000;
const MAX_CODES = 10;
const IDEMPOTENCY_INDEX = 'Order_storeId_idempotencyKey_key';

/** A draft's line as stored (DraftOrder.lines): a variant, with an optional price, or a custom line. */
type StoredLine =
  | { variantId: string; quantity: number; priceOverride: string | null }
  | { variantId: null; title: string; price: string; quantity: number; taxable: boolean };

/** A problem with a draft order; INSUFFICIENT_STOCK says how many units there are. */
export interface DraftOrderUserError {
  field: string[] | null;
  message: string;
  code: DraftOrderErrorCode;
  availableQuantity: number | null;
}

export interface DraftOrderLineView {
  variantId: string | null;
  title: string;
  variantTitle: string;
  quantity: number;
  unitPrice: Money;
  priceOverridden: boolean;
  taxable: boolean;
  subtotal: Money | null;
  discount: Money | null;
  tax: Money | null;
}

/** A draft priced now, as the API shows it. */
export interface DraftOrderView {
  id: string;
  status: 'OPEN' | 'COMPLETED';
  customerId: string | null;
  email: string;
  lines: DraftOrderLineView[];
  shippingAddress: MailingAddress | null;
  selectedShippingRate: { id: string; name: string; price: Money } | null;
  discountCodes: { code: string; applicable: boolean; reason: string | null }[];
  note: string;
  cost: { subtotal: Money; discounts: Money; shipping: Money; tax: Money; taxesIncluded: boolean; total: Money };
  /** The order's key, once completed. */
  orderId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DraftOrderResult {
  draftOrder: DraftOrderView | null;
  userErrors: DraftOrderUserError[];
}

export interface DraftOrderCompleteResult extends DraftOrderResult {
  order: Order | null;
}

function draftError(
  field: string[] | null,
  message: string,
  code: DraftOrderErrorCode,
  availableQuantity: number | null = null,
): DraftOrderUserError {
  return { field, message, code, availableQuantity };
}

/** Checkout's refusals, as draft errors: the codes checkout can give for a draft are draft codes too. */
function fromCheckout(errors: readonly CartUserError[]): DraftOrderUserError[] {
  return errors.map((error) => ({ ...error, code: error.code as DraftOrderErrorCode }));
}

function withErrors(errors: InputErrors<DraftOrderErrorCode>): DraftOrderUserError[] {
  return errors.errors.map((error) => ({ ...error, availableQuantity: null }));
}

/** A price input: a decimal of at least 0 with at most the currency's decimals. */
function readPrice(
  errors: InputErrors<DraftOrderErrorCode>,
  field: string[],
  value: string,
  currencyCode: string,
): string | null {
  let amount: Decimal;
  try {
    amount = new Prisma.Decimal(value);
  } catch {
    errors.add(field, 'Give a price such as 19.99.', 'INVALID');
    return null;
  }
  if (!amount.isFinite() || amount.isNegative() || amount.greaterThan('999999999999')) {
    errors.add(field, 'Give a price from 0 to 999999999999.', 'INVALID');
    return null;
  }
  if (amount.decimalPlaces() > minorUnits(currencyCode)) {
    errors.add(field, `Amounts in ${currencyCode} have at most ${minorUnits(currencyCode)} decimals.`, 'INVALID');
    return null;
  }
  return amount.toFixed();
}

function readLines(
  errors: InputErrors<DraftOrderErrorCode>,
  lines: readonly DraftOrderLineInput[],
  currencyCode: string,
): StoredLine[] {
  const field = ['input', 'lines'];
  if (lines.length > MAX_CART_LINES) errors.add(field, `A draft holds at most ${MAX_CART_LINES} lines.`, 'TOO_MANY');
  return lines.flatMap((line, index): StoredLine[] => {
    const at = [...field, String(index)];
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_LINE_QUANTITY)
      errors.add([...at, 'quantity'], `Use a quantity from 1 to ${MAX_LINE_QUANTITY}.`, 'INVALID');
    if (line.variantId != null) {
      if (line.title != null || line.price != null)
        errors.add(at, 'Give a variantId or a custom title and price, not both.', 'INVALID');
      const variantId = keyOrNull(line.variantId, 'ProductVariant');
      if (!variantId) errors.add([...at, 'variantId'], 'There is no such variant in this store.', 'NOT_FOUND');
      const priceOverride =
        line.priceOverride == null
          ? null
          : readPrice(errors, [...at, 'priceOverride'], line.priceOverride, currencyCode);
      return variantId ? [{ variantId, quantity: line.quantity, priceOverride }] : [];
    }
    errors.text([...at, 'title'], line.title, 255);
    if (line.price == null) {
      errors.add([...at, 'price'], 'A custom line needs a price (or give a variantId).', 'BLANK');
      return [];
    }
    const price = readPrice(errors, [...at, 'price'], line.price, currencyCode);
    if (price === null || line.title == null) return [];
    return [
      { variantId: null, title: line.title.trim(), price, quantity: line.quantity, taxable: line.taxable ?? true },
    ];
  });
}

/** The fields of a create or update input, validated; undefined fields are left as they are. */
interface DraftFields {
  customerId?: string | null;
  email?: string;
  lines?: StoredLine[];
  shippingAddress?: MailingAddress | null;
  shippingRateId?: string | null;
  discountCodes?: string[];
  note?: string;
}

function readFields(
  errors: InputErrors<DraftOrderErrorCode>,
  input: DraftOrderCreateInput | DraftOrderUpdateInput,
  currencyCode: string,
): DraftFields {
  const fields: DraftFields = {};
  if (input.customerId != null) {
    const key = keyOrNull(input.customerId, 'Customer');
    if (!key) errors.add(['input', 'customerId'], 'There is no such customer in this store.', 'NOT_FOUND');
    fields.customerId = key;
  }
  if (input.email != null) {
    errors.email(['input', 'email'], input.email);
    fields.email = normalizeEmail(input.email);
  }
  if (input.lines != null) fields.lines = readLines(errors, input.lines, currencyCode);
  if (input.shippingAddress != null)
    fields.shippingAddress = readAddress(errors, ['input', 'shippingAddress'], input.shippingAddress);
  if (input.shippingRateId != null) {
    const key = keyOrNull(input.shippingRateId, 'ShippingRate');
    if (!key) errors.add(['input', 'shippingRateId'], 'There is no such shipping rate in this store.', 'NOT_FOUND');
    fields.shippingRateId = key;
  }
  if (input.discountCodes != null) {
    if (input.discountCodes.length > MAX_CODES)
      errors.add(['input', 'discountCodes'], `Use at most ${MAX_CODES} codes.`, 'TOO_MANY');
    fields.discountCodes = [...new Set(input.discountCodes.map((code) => code.trim()).filter((code) => code !== ''))];
  }
  if (input.note != null) {
    if (input.note.length > MAX_NOTE_LENGTH)
      errors.add(['input', 'note'], `Use at most ${MAX_NOTE_LENGTH} characters.`, 'TOO_LONG');
    fields.note = input.note;
  }
  return fields;
}

function storedLines(draft: Pick<DraftOrder, 'lines'>): StoredLine[] {
  return Array.isArray(draft.lines) ? (draft.lines as unknown as StoredLine[]) : [];
}

function quoteLines(lines: readonly StoredLine[]): QuoteRequestLine[] {
  return lines.map((line) =>
    line.variantId === null
      ? {
          variantId: null,
          quantity: line.quantity,
          unitPrice: new Prisma.Decimal(line.price),
          taxable: line.taxable,
          title: line.title,
        }
      : {
          variantId: line.variantId,
          quantity: line.quantity,
          unitPrice: line.priceOverride === null ? null : new Prisma.Decimal(line.priceOverride),
        },
  );
}

function quoteRequest(draft: DraftOrder, currencyCode: string): QuoteRequest {
  return {
    currencyCode,
    lines: quoteLines(storedLines(draft)),
    codes: draft.discountCodes,
    address: addressOf(draft.shippingAddress),
    shippingRateId: draft.shippingRateId,
    buyer: { customerId: draft.customerId, email: draft.email },
    withAvailability: false,
    now: new Date(),
  };
}

/** Prices a draft with the store's current data, as checkout would (one statement). */
async function viewOf(tx: RawSql, draft: DraftOrder, currencyCode: string): Promise<DraftOrderView> {
  const request = quoteRequest(draft, currencyCode);
  const quote = await quoteCart(tx, draft.storeId, request);
  const stored = storedLines(draft);
  const inCurrency = (amount: Decimal) => money(amount, currencyCode);
  const { priced } = quote;
  return {
    id: toGlobalId('DraftOrder', draft.id),
    status: draft.status === 'COMPLETED' ? 'COMPLETED' : 'OPEN',
    customerId: draft.customerId ? toGlobalId('Customer', draft.customerId) : null,
    email: draft.email,
    lines: quote.lines.map((line, index) => {
      const entry = stored[index];
      return {
        variantId: line.variantId ? toGlobalId('ProductVariant', line.variantId) : null,
        title: line.variant?.title ?? line.customTitle ?? '',
        variantTitle: line.variant?.variantTitle ?? '',
        quantity: line.quantity,
        unitPrice: inCurrency(line.unitPrice ?? line.variant?.price ?? new Prisma.Decimal(0)),
        priceOverridden: entry ? entry.variantId === null || entry.priceOverride !== null : false,
        taxable: line.taxable,
        subtotal: line.priced ? inCurrency(line.priced.subtotal) : null,
        discount: line.priced ? inCurrency(line.priced.discount) : null,
        tax: line.priced ? inCurrency(line.priced.tax) : null,
      };
    }),
    shippingAddress: request.address,
    selectedShippingRate: quote.shipping.selected
      ? {
          id: quote.shipping.selected.globalId,
          name: quote.shipping.selected.name,
          price: inCurrency(quote.shipping.selected.price),
        }
      : null,
    discountCodes: quote.discountCodes.map((evaluation) => ({
      code: evaluation.code,
      applicable: evaluation.refusal === null,
      reason: evaluation.refusal,
    })),
    note: draft.note,
    cost: {
      subtotal: inCurrency(priced.subtotal),
      discounts: inCurrency(priced.discounts),
      shipping: inCurrency(priced.shipping),
      tax: inCurrency(priced.tax),
      taxesIncluded: priced.taxesIncluded,
      total: inCurrency(priced.total),
    },
    orderId: draft.orderId,
    createdAt: draft.createdAt,
    updatedAt: draft.updatedAt,
  };
}

/** Whether the customer exists in the store (the customer subgraph's table, read by key only). */
async function customerExists(tx: RawSql, storeId: string, customerId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Customer" WHERE "storeId" = ${storeId}::uuid AND "id" = ${customerId}::uuid`;
  return rows.length > 0;
}

/** Creates a draft order (staff with the orders permission). */
export async function createDraftOrder(
  context: SubgraphContext,
  input: DraftOrderCreateInput,
): Promise<DraftOrderResult> {
  const store = requireStore(context);
  await requirePermission(context, 'MANAGE_ORDERS');
  const errors = new InputErrors<DraftOrderErrorCode>();
  const fields = readFields(errors, input, store.currencyCode);
  if (!errors.ok) return { draftOrder: null, userErrors: withErrors(errors) };
  const actor = actorOf(context);
  return context.db.sqlTransaction(async (tx) => {
    if (fields.customerId && !(await customerExists(tx, store.id, fields.customerId)))
      return {
        draftOrder: null,
        userErrors: [draftError(['input', 'customerId'], 'There is no such customer in this store.', 'NOT_FOUND')],
      };
    const [draft] = await tx.$queryRaw<DraftOrder[]>`
      INSERT INTO "DraftOrder" ("storeId", "customerId", "email", "lines", "shippingAddress", "shippingRateId", "discountCodes", "note", "createdById")
      VALUES (${store.id}::uuid, ${fields.customerId ?? null}::uuid, ${fields.email ?? ''}, ${JSON.stringify(fields.lines ?? [])}::jsonb,
              ${fields.shippingAddress ? JSON.stringify(addressJson(fields.shippingAddress)) : null}::jsonb, ${fields.shippingRateId ?? null}::uuid,
              ${fields.discountCodes ?? []}::text[], ${fields.note ?? ''}, ${actor.id})
      RETURNING *`;
    if (!draft) throw new Error('The draft order insert returned no row.');
    return { draftOrder: await viewOf(tx, draft, store.currencyCode), userErrors: [] };
  });
}

function notFoundResult(): DraftOrderCompleteResult {
  return {
    draftOrder: null,
    order: null,
    userErrors: [draftError(['input', 'draftOrderId'], 'There is no such draft order in this store.', 'NOT_FOUND')],
  };
}

function completedError(field: string[]): DraftOrderUserError {
  return draftError(field, 'This draft was completed already; it cannot change.', 'DRAFT_ORDER_COMPLETED');
}

/** Changes an open draft: the fields given replace the draft's. */
export async function updateDraftOrder(
  context: SubgraphContext,
  input: DraftOrderUpdateInput,
): Promise<DraftOrderResult> {
  const store = requireStore(context);
  await requirePermission(context, 'MANAGE_ORDERS');
  const errors = new InputErrors<DraftOrderErrorCode>();
  const id = keyOrNull(input.draftOrderId, 'DraftOrder');
  if (!id) return notFoundResult();
  const fields = readFields(errors, input, store.currencyCode);
  if (!errors.ok) return { draftOrder: null, userErrors: withErrors(errors) };
  return context.db.sqlTransaction(async (tx) => {
    const [draft] = await tx.$queryRaw<DraftOrder[]>`
      SELECT * FROM "DraftOrder" WHERE "storeId" = ${store.id}::uuid AND "id" = ${id}::uuid FOR UPDATE`;
    if (!draft) return notFoundResult();
    if (draft.status !== 'OPEN') return { draftOrder: null, userErrors: [completedError(['input', 'draftOrderId'])] };
    if (fields.customerId && !(await customerExists(tx, store.id, fields.customerId)))
      return {
        draftOrder: null,
        userErrors: [draftError(['input', 'customerId'], 'There is no such customer in this store.', 'NOT_FOUND')],
      };
    const address = fields.shippingAddress === undefined ? undefined : fields.shippingAddress;
    const [updated] = await tx.$queryRaw<DraftOrder[]>`
      UPDATE "DraftOrder" SET
        "customerId" = ${fields.customerId === undefined ? draft.customerId : fields.customerId}::uuid,
        "email" = ${fields.email ?? draft.email},
        "lines" = ${JSON.stringify(fields.lines ?? storedLines(draft))}::jsonb,
        "shippingAddress" = ${address === undefined ? JSON.stringify(draft.shippingAddress) : address ? JSON.stringify(addressJson(address)) : null}::jsonb,
        "shippingRateId" = ${fields.shippingRateId === undefined ? draft.shippingRateId : fields.shippingRateId}::uuid,
        "discountCodes" = ${fields.discountCodes ?? draft.discountCodes}::text[],
        "note" = ${fields.note ?? draft.note},
        "updatedAt" = CURRENT_TIMESTAMP
      WHERE "storeId" = ${store.id}::uuid AND "id" = ${id}::uuid
      RETURNING *`;
    if (!updated) throw new Error('The draft order update returned no row.');
    return { draftOrder: await viewOf(tx, updated, store.currencyCode), userErrors: [] };
  });
}

/** Deletes an open draft. */
export async function deleteDraftOrder(
  context: SubgraphContext,
  draftOrderId: string,
): Promise<{ deletedDraftOrderId: string | null; userErrors: DraftOrderUserError[] }> {
  const store = requireStore(context);
  await requirePermission(context, 'MANAGE_ORDERS');
  const id = keyOrNull(draftOrderId, 'DraftOrder');
  const missing = {
    deletedDraftOrderId: null,
    userErrors: [draftError(['draftOrderId'], 'There is no such draft order in this store.', 'NOT_FOUND')],
  };
  if (!id) return missing;
  return context.db.sqlTransaction(async (tx) => {
    const [draft] = await tx.$queryRaw<{ status: string }[]>`
      SELECT "status" FROM "DraftOrder" WHERE "storeId" = ${store.id}::uuid AND "id" = ${id}::uuid FOR UPDATE`;
    if (!draft) return missing;
    if (draft.status !== 'OPEN') return { deletedDraftOrderId: null, userErrors: [completedError(['draftOrderId'])] };
    await tx.$queryRaw`DELETE FROM "DraftOrder" WHERE "storeId" = ${store.id}::uuid AND "id" = ${id}::uuid RETURNING "id"`;
    return { deletedDraftOrderId: draftOrderId, userErrors: [] };
  });
}

const NEWEST_FIRST = prismaSortKey({
  field: 'createdAt',
  kind: 'date',
  descending: true,
  value: (draft: DraftOrder) => draft.createdAt,
});

/** The store's drafts, newest first, each priced now. */
export async function listDraftOrders(
  context: SubgraphContext,
  storeId: string,
  args: StoreDraftOrdersArgs,
): Promise<Connection<DraftOrderView>> {
  const store = requireStore(context);
  await requirePermission(context, 'MANAGE_ORDERS');
  const where: Prisma.DraftOrderWhereInput = { storeId };
  const page = await prismaConnection({
    args,
    sort: NEWEST_FIRST,
    fetch: (query) => context.db.read((tx) => tx.draftOrder.findMany(query.findManyArgs(where))),
    count: () => context.db.read((tx) => tx.draftOrder.count({ where })),
  });
  // Each draft is priced in its own statement: a page of drafts is staff's working list, not a hot path.
  const views = await context.db.sqlTransaction(async (tx) => {
    const priced: DraftOrderView[] = [];
    for (const edge of page.edges) priced.push(await viewOf(tx, edge.node, store.currencyCode));
    return priced;
  });
  const edges = page.edges.map((edge, index) => ({ ...edge, node: views[index] as DraftOrderView }));
  return { ...page, edges, nodes: edges.map((edge) => edge.node) };
}

/** Refuses the completion from inside its transaction: everything done so far rolls back. */
class CompletionRefusal extends Error {
  constructor(readonly userErrors: DraftOrderUserError[]) {
    super('draft order completion refused');
  }
}

interface LockedDraft extends DraftOrder {
  earlierOrderId: string | null;
  paymentCaptureMode: 'AUTOMATIC' | 'ON_FULFILLMENT' | 'MANUAL';
}

/**
 * Completes a draft into an order once: the draft is locked with the order its key placed, the
 * lines priced and the stock locked in one statement, then checkout's reservation, discount code
 * uses and order statement follow in checkout's lock order.
 */
export async function completeDraftOrder(
  context: SubgraphContext,
  input: DraftOrderCompleteInput,
  idempotencyKey: string,
): Promise<DraftOrderCompleteResult> {
  const store = requireStore(context);
  await requirePermission(context, 'MANAGE_ORDERS');
  const errors = new InputErrors<DraftOrderErrorCode>();
  const key = idempotencyKey.trim();
  if (key === '')
    errors.add(['idempotencyKey'], 'Give a key that identifies this completion, and repeat it on retries.', 'BLANK');
  else if (key.length > MAX_KEY_LENGTH)
    errors.add(['idempotencyKey'], `Use at most ${MAX_KEY_LENGTH} characters.`, 'TOO_LONG');
  const id = keyOrNull(input.draftOrderId, 'DraftOrder');
  const provider = paymentProvider(input.payment.provider);
  for (const problem of provider.validate(input.payment)) errors.add(problem.field, problem.message, problem.code);
  if (!errors.ok) return { draftOrder: null, order: null, userErrors: withErrors(errors) };
  if (!id) return notFoundResult();
  const actor = actorOf(context);
  try {
    const result: DraftOrderCompleteResult & { completed?: DraftOrder } = await context.checkoutLines.run(
      store.id,
      () =>
        context.db.sqlTransaction(
          async (tx) => {
            const [draft] = await tx.$queryRaw<LockedDraft[]>`
            SELECT d.*,
                   (SELECT o."id" FROM "Order" o WHERE o."storeId" = ${store.id}::uuid AND o."idempotencyKey" = ${key}) AS "earlierOrderId",
                   (SELECT s."paymentCaptureMode"::text FROM "Store" s WHERE s."id" = ${store.id}::uuid) AS "paymentCaptureMode"
            FROM "DraftOrder" d
            WHERE d."storeId" = ${store.id}::uuid AND d."id" = ${id}::uuid
            FOR UPDATE OF d`;
            if (!draft) return notFoundResult();
            const earlierId = draft.status === 'COMPLETED' ? draft.orderId : draft.earlierOrderId;
            if (earlierId) {
              const [earlier] = await tx.$queryRaw<Order[]>`
              SELECT * FROM "Order" WHERE "storeId" = ${store.id}::uuid AND "id" = ${earlierId}::uuid`;
              if (earlier && earlier.idempotencyKey === key && earlier.id === draft.orderId)
                return { draftOrder: await viewOf(tx, draft, store.currencyCode), order: earlier, userErrors: [] };
              if (draft.status === 'COMPLETED')
                return { draftOrder: null, order: null, userErrors: [completedError(['input', 'draftOrderId'])] };
              return {
                draftOrder: null,
                order: null,
                userErrors: [
                  draftError(
                    ['idempotencyKey'],
                    'This idempotency key placed another order; use a new key for this draft.',
                    'IDEMPOTENCY_KEY_REUSED',
                  ),
                ],
              };
            }
            return placeDraftOrder(tx, context, draft, {
              storeId: store.id,
              customerId: draft.customerId,
              actor,
              key,
              email: draft.email,
              shippingAddress: addressOf(draft.shippingAddress),
              provider,
              cardNumber: input.payment.cardNumber?.replace(/[\s-]/g, '') ?? null,
            });
          },
          { timeout: context.settings.checkoutTimeoutMs },
        ),
    );
    const { completed, ...placed } = result;
    if (!completed) return placed;
    const draftOrder = await context.db.sqlTransaction((tx) => viewOf(tx, completed, store.currencyCode));
    return { ...placed, draftOrder };
  } catch (error) {
    if (error instanceof CompletionRefusal) return { draftOrder: null, order: null, userErrors: error.userErrors };
    // Another draft's completion with the same key committed first: this one rolled back.
    if (violatesUniqueIndex(error, IDEMPOTENCY_INDEX, ['storeId', 'idempotencyKey']))
      return {
        draftOrder: null,
        order: null,
        userErrors: [
          draftError(
            ['idempotencyKey'],
            'This idempotency key placed another order; use a new key.',
            'IDEMPOTENCY_KEY_REUSED',
          ),
        ],
      };
    throw error;
  }
}

interface CompletionRequest {
  storeId: string;
  customerId: string | null;
  actor: ReturnType<typeof actorOf>;
  key: string;
  email: string;
  shippingAddress: MailingAddress | null;
  provider: ReturnType<typeof paymentProvider>;
  cardNumber: string | null;
}

/** The draft's variants' pricing inputs and their stock levels, locked until commit: one statement. */
async function readDraftSnapshot(
  tx: RawSql,
  draft: DraftOrder,
  request: CompletionRequest,
): Promise<{ inputs: QuoteInputs; levels: LockedLevel[] }> {
  const variantIds = [
    ...new Set(storedLines(draft).flatMap((line) => (line.variantId === null ? [] : [line.variantId]))),
  ];
  const ids = Prisma.sql`${variantIds}::uuid[]`;
  const inputs = quoteInputs(draft.storeId, ids, {
    codes: draft.discountCodes,
    address: request.shippingAddress,
    buyer: { customerId: request.customerId, email: request.email },
    withAvailability: false,
  });
  const [row] = await tx.$queryRaw<{ inputs: unknown; levels: LockedLevel[] }[]>`
    WITH locked AS (${lockLevelsSql(draft.storeId, ids)})
    SELECT ${inputs.sql} AS "inputs",
      (SELECT coalesce(jsonb_agg(to_jsonb(locked) ORDER BY locked."variantId", locked."locationId"), '[]'::jsonb) FROM locked) AS "levels"`;
  if (!row) throw new Error('The draft order snapshot returned no row.');
  return { inputs: inputs.decode(row.inputs), levels: row.levels };
}

async function placeDraftOrder(
  tx: SqlTransaction,
  context: SubgraphContext,
  draft: LockedDraft,
  request: CompletionRequest,
): Promise<DraftOrderCompleteResult & { completed?: DraftOrder }> {
  const { storeId } = request;
  const store = requireStore(context);
  const refuse = (userErrors: DraftOrderUserError[]) => ({ draftOrder: null, order: null, userErrors });
  const lines = storedLines(draft);
  if (lines.length === 0)
    return refuse([
      draftError(['input', 'draftOrderId'], 'The draft has no lines; add some first.', 'DRAFT_ORDER_EMPTY'),
    ]);
  if (!request.shippingAddress)
    return refuse([
      draftError(['input', 'draftOrderId'], 'The draft has no shipping address; add one first.', 'BLANK'),
    ]);
  if (draft.email === '')
    return refuse([draftError(['input', 'draftOrderId'], 'The draft has no email address; add one first.', 'BLANK')]);
  const shippingAddress = request.shippingAddress;

  const { inputs, levels } = await readDraftSnapshot(tx, draft, request);
  const quote = priceQuote(inputs, quoteRequest(draft, store.currencyCode));
  // Staff may take orders outside the store's minimum and maximum amounts: those are rules for buyers.
  const problems = orderProblems(
    { shippingRateId: draft.shippingRateId, shippingAddress },
    { currencyCode: store.currencyCode, minOrderAmount: null, maxOrderAmount: null },
    quote,
    ['input', 'draftOrderId'],
  );
  if (problems.length > 0) return refuse(fromCheckout(problems));

  try {
    await useDiscountCodes(tx, request, quote.appliedCodes);
  } catch (error) {
    if (error instanceof Error && 'userErrors' in error)
      throw new CompletionRefusal(fromCheckout((error as { userErrors: CartUserError[] }).userErrors));
    throw error;
  }

  const orderId = randomUUID();
  const wanted = new Map<string, number>();
  for (const line of lines)
    if (line.variantId !== null) wanted.set(line.variantId, (wanted.get(line.variantId) ?? 0) + line.quantity);
  const reservation = await planReservation(
    tx,
    storeId,
    [...wanted].map(([variantId, quantity]) => ({ variantId, quantity })),
    levels,
    { type: stockActorType(request.actor), id: request.actor.id, orderId },
  );
  if (!reservation.ok) {
    throw new CompletionRefusal(
      reservation.shortages.map((shortage) => {
        const title = quote.lines.find((line) => line.variantId === shortage.variantId)?.variant?.title ?? 'an item';
        return draftError(
          ['input', 'draftOrderId'],
          `Only ${shortage.available} of "${title}" available; the draft has ${shortage.requested}.`,
          'INSUFFICIENT_STOCK',
          shortage.available,
        );
      }),
    );
  }

  const payment = {
    amount: quote.priced.total,
    currencyCode: store.currencyCode,
    orderId,
    cardNumber: request.cardNumber,
  };
  const outcome =
    draft.paymentCaptureMode === 'AUTOMATIC'
      ? await request.provider.charge(payment)
      : await request.provider.authorize(payment);
  if (outcome.status === 'DECLINED')
    throw new CompletionRefusal([draftError(['input', 'payment'], outcome.message, 'PAYMENT_DECLINED')]);

  const writeRequest: OrderWriteRequest = {
    storeId,
    customerId: request.customerId,
    actor: request.actor,
    key: request.key,
    email: request.email,
    shippingAddress,
    billingAddress: shippingAddress,
    provider: request.provider,
    commissionRate: context.settings.platformCommissionRate,
  };
  const completes = Prisma.sql`UPDATE "DraftOrder" SET "status" = 'COMPLETED', "orderId" = ${orderId}::uuid, "completedAt" = CURRENT_TIMESTAMP, "updatedAt" = CURRENT_TIMESTAMP
      WHERE "storeId" = ${storeId}::uuid AND "id" = ${draft.id}::uuid
      RETURNING 1`;
  const order = await writeOrder(
    tx,
    writeRequest,
    {
      currencyCode: store.currencyCode,
      cartId: null,
      completes,
      placedHow: 'placed by staff from a draft order',
      // A draft's buyer earns points when the order is paid later (capture or orderMarkPaid), not here.
      loyaltyPointsPerUnit: null,
      redeem: null,
    },
    quote,
    reservation,
    orderId,
    outcome,
  );
  // writeOrder committed the transaction: the completed draft is priced afterwards (completeDraftOrder).
  return { draftOrder: null, order, userErrors: [], completed: { ...draft, status: 'COMPLETED', orderId: order.id } };
}
