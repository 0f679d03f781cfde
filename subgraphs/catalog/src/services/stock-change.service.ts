import { createHash } from 'node:crypto';
import type { InventoryLevel, InventoryLocation, ProductVariant, StockMovement, Transaction } from '@commerce/database';
import {
  InputErrors,
  keyOrNull,
  notFound,
  requirePermission,
  userError,
  violatedUniqueIndex,
  type UserError,
  type StoreActor,
} from '@commerce/graphql-kit';
import { appendInventoryEvents, defaultLocation } from '@commerce/inventory';
import type { InventoryAdjustInput, InventorySetInput, ProductErrorCode } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { at, MAX_TEXT } from './product-input.js';
import { stockMovementActor } from './inventory.service.js';

/** What inventoryAdjust and inventorySet answer. */
export interface StockChangeResult {
  stockMovement: StockMovement | null;
  inventoryLevel: InventoryLevel | null;
  userErrors: UserError<ProductErrorCode>[];
}

// Keys of stock changes made through these mutations share StockMovement's unique (storeId,
// idempotencyKey) with other writers of movements (orders); the prefix keeps them apart.
const KEY_PREFIX = 'inventory:';
const KEY_INDEX = 'StockMovement_storeId_idempotencyKey_key';
// Far from the limits of the integer columns, so that no sum of two overflows.
const MAX_UNITS = 1_000_000_000;

type StockRequest = { kind: 'adjust'; delta: number } | { kind: 'set'; quantity: number };

interface StockChange {
  storeId: string;
  actor: StoreActor;
  request: StockRequest;
  /** The variant's global id, as given (for NOT_FOUND). */
  variantId: string;
  variantKey: string;
  locationKey: string | null;
  reason: string;
  /** The idempotency key as stored (prefixed), or null. */
  storedKey: string | null;
  /** Fingerprint of the request, compared when its key comes again. */
  requestHash: string;
}

type VariantStock = Pick<ProductVariant, 'id' | 'productId' | 'trackInventory' | 'allowOversell'>;

type LevelOutcome =
  | { applied: true; level: InventoryLevel; delta: number }
  | { applied: false; level: InventoryLevel | null };

/** The idempotency key a caller sees: the stored one without this service's prefix. */
export function callerIdempotencyKey(movement: StockMovement): string | null {
  const key = movement.idempotencyKey;
  if (key === null) return null;
  return key.startsWith(KEY_PREFIX) ? key.slice(KEY_PREFIX.length) : key;
}

/**
 * Adds `delta` to the level in one conditional UPDATE: row locks serialize concurrent changes and
 * PostgreSQL re-checks the condition on the latest row, so no change is lost and stock goes below
 * zero only where the variant allows overselling. A missing level is created.
 */
async function adjustLevel(
  tx: Transaction,
  storeId: string,
  variant: VariantStock,
  locationId: string,
  delta: number,
): Promise<LevelOutcome> {
  for (;;) {
    const [updated] = await tx.$queryRaw<InventoryLevel[]>`
      UPDATE "InventoryLevel" SET "available" = "available" + ${delta}, "updatedAt" = CURRENT_TIMESTAMP
      WHERE "storeId" = ${storeId}::uuid AND "variantId" = ${variant.id}::uuid AND "locationId" = ${locationId}::uuid
        AND ("available" + ${delta} >= 0 OR "allowOversell")
      RETURNING *`;
    if (updated) return { applied: true, level: updated, delta };
    const current = await tx.inventoryLevel.findUnique({
      where: { storeId_variantId_locationId: { storeId, variantId: variant.id, locationId } },
    });
    if (current) return { applied: false, level: current };
    if (delta < 0 && !variant.allowOversell) return { applied: false, level: null };
    const [inserted] = await tx.$queryRaw<InventoryLevel[]>`
      INSERT INTO "InventoryLevel" ("storeId", "variantId", "locationId", "available", "allowOversell")
      VALUES (${storeId}::uuid, ${variant.id}::uuid, ${locationId}::uuid, ${delta}, ${variant.allowOversell})
      ON CONFLICT ("storeId", "variantId", "locationId") DO NOTHING
      RETURNING *`;
    if (inserted) return { applied: true, level: inserted, delta };
    // Another change created the level meanwhile: adjust that one.
  }
}

/** Sets the level to `quantity` under a row lock, so the delta recorded is against the latest quantity. */
async function setLevel(
  tx: Transaction,
  storeId: string,
  variant: VariantStock,
  locationId: string,
  quantity: number,
): Promise<LevelOutcome> {
  for (;;) {
    const [current] = await tx.$queryRaw<InventoryLevel[]>`
      SELECT * FROM "InventoryLevel"
      WHERE "storeId" = ${storeId}::uuid AND "variantId" = ${variant.id}::uuid AND "locationId" = ${locationId}::uuid
      FOR UPDATE`;
    if (current) {
      const level = await tx.inventoryLevel.update({
        where: { storeId_id: { storeId, id: current.id } },
        data: { available: quantity },
      });
      return { applied: true, level, delta: quantity - current.available };
    }
    const [inserted] = await tx.$queryRaw<InventoryLevel[]>`
      INSERT INTO "InventoryLevel" ("storeId", "variantId", "locationId", "available", "allowOversell")
      VALUES (${storeId}::uuid, ${variant.id}::uuid, ${locationId}::uuid, ${quantity}, ${variant.allowOversell})
      ON CONFLICT ("storeId", "variantId", "locationId") DO NOTHING
      RETURNING *`;
    if (inserted) return { applied: true, level: inserted, delta: quantity };
  }
}

function storedMovement(tx: Transaction, change: StockChange): Promise<StockMovement | null> {
  if (change.storedKey === null) return Promise.resolve(null);
  return tx.stockMovement.findUnique({
    where: { storeId_idempotencyKey: { storeId: change.storeId, idempotencyKey: change.storedKey } },
  });
}

/** The answer to a key that was used before: its first change, or IDEMPOTENCY_KEY_REUSED for another request. */
async function replay(tx: Transaction, stored: StockMovement, change: StockChange): Promise<StockChangeResult> {
  if (stored.requestHash !== change.requestHash) {
    return {
      stockMovement: null,
      inventoryLevel: null,
      userErrors: [
        userError(
          ['idempotencyKey'],
          'This idempotency key was used for another stock change; use a new key for a new change.',
          'IDEMPOTENCY_KEY_REUSED',
        ),
      ],
    };
  }
  const level = await tx.inventoryLevel.findUnique({
    where: {
      storeId_variantId_locationId: {
        storeId: stored.storeId,
        variantId: stored.variantId,
        locationId: stored.locationId,
      },
    },
  });
  return { stockMovement: stored, inventoryLevel: level, userErrors: [] };
}

const refused = (
  field: string[],
  message: string,
  code: ProductErrorCode,
  level: InventoryLevel | null = null,
): StockChangeResult => ({
  stockMovement: null,
  inventoryLevel: level,
  userErrors: [userError(field, message, code)],
});

async function applyStockChange(tx: Transaction, change: StockChange): Promise<StockChangeResult> {
  const earlier = await storedMovement(tx, change);
  if (earlier) return replay(tx, earlier, change);
  const variant = await tx.productVariant.findUnique({
    where: { storeId_id: { storeId: change.storeId, id: change.variantKey } },
    select: { id: true, productId: true, trackInventory: true, allowOversell: true },
  });
  if (!variant) throw notFound(`ProductVariant "${change.variantId}"`);
  if (!variant.trackInventory)
    return refused(
      at('variantId'),
      'Stock of this variant is not counted; turn trackInventory on first.',
      'NOT_TRACKED',
    );
  const location: InventoryLocation | null = change.locationKey
    ? await tx.inventoryLocation.findUnique({
        where: { storeId_id: { storeId: change.storeId, id: change.locationKey } },
      })
    : await defaultLocation(tx, change.storeId);
  if (!location) return refused(at('locationId'), 'There is no such location in this store.', 'NOT_FOUND');
  if (!location.active)
    return refused(at('locationId'), `${location.name} is retired; choose an active location.`, 'LOCATION_INACTIVE');

  const { request } = change;
  const outcome =
    request.kind === 'adjust'
      ? await adjustLevel(tx, change.storeId, variant, location.id, request.delta)
      : await setLevel(tx, change.storeId, variant, location.id, request.quantity);
  if (!outcome.applied) {
    // A concurrent request with the same key may have taken the stock this one waited for.
    const first = await storedMovement(tx, change);
    if (first) return replay(tx, first, change);
    const available = outcome.level?.available ?? 0;
    const removing = request.kind === 'adjust' ? -request.delta : 0;
    return refused(
      at('delta'),
      `Only ${available} available at ${location.name}; cannot remove ${removing}.`,
      'INSUFFICIENT_STOCK',
      outcome.level,
    );
  }
  const { level, delta } = outcome;
  const stockMovement = await tx.stockMovement.create({
    data: {
      storeId: change.storeId,
      variantId: variant.id,
      locationId: location.id,
      delta,
      availableAfter: level.available,
      reason: change.reason,
      ...stockMovementActor(change.actor),
      idempotencyKey: change.storedKey,
      requestHash: change.requestHash,
    },
  });
  // Last: the outbox locks the store's event counter until commit. The event is the one orders'
  // stock changes announce (the numbers are the location's).
  await appendInventoryEvents(tx, change.storeId, [
    {
      variantId: variant.id,
      productId: variant.productId,
      locationId: location.id,
      delta,
      available: level.available,
      committed: level.committed,
    },
  ]);
  return { stockMovement, inventoryLevel: level, userErrors: [] };
}

interface StockChangeInput {
  variantId: string;
  reason: string;
  locationId?: string | null;
}

/** Validates the parts both mutations share and applies the change, at most once per idempotency key. */
async function changeStock(
  context: SubgraphContext,
  errors: InputErrors<ProductErrorCode>,
  request: StockRequest,
  input: StockChangeInput,
  idempotencyKey: string | null | undefined,
): Promise<StockChangeResult> {
  const { storeId, actor } = await requirePermission(context, 'MANAGE_INVENTORY');
  const variantKey = keyOrNull(input.variantId, 'ProductVariant');
  if (variantKey === null) throw notFound(`ProductVariant "${input.variantId}"`);
  errors.text(at('reason'), input.reason, MAX_TEXT);
  const locationKey = input.locationId == null ? null : keyOrNull(input.locationId, 'InventoryLocation');
  if (input.locationId != null && locationKey === null)
    errors.add(at('locationId'), 'There is no such location in this store.', 'NOT_FOUND');
  const key = idempotencyKey?.trim() ?? null;
  if (key === '')
    errors.add(['idempotencyKey'], 'Leave the idempotency key out, or give one that is not blank.', 'BLANK');
  else if (key !== null && key.length > MAX_TEXT)
    errors.add(['idempotencyKey'], `Use at most ${MAX_TEXT} characters.`, 'TOO_LONG');
  if (!errors.ok) return { stockMovement: null, inventoryLevel: null, userErrors: errors.errors };

  const reason = input.reason.trim();
  const amount = request.kind === 'adjust' ? request.delta : request.quantity;
  const change: StockChange = {
    storeId,
    actor,
    request,
    variantId: input.variantId,
    variantKey,
    locationKey,
    reason,
    storedKey: key === null ? null : `${KEY_PREFIX}${key}`,
    requestHash: createHash('sha256')
      .update(JSON.stringify([request.kind, variantKey, locationKey, amount, reason]))
      .digest('hex'),
  };
  try {
    return await context.db.transaction((tx) => applyStockChange(tx, change));
  } catch (error) {
    // A concurrent request with the same key committed first: this one rolled back; answer with that one's change.
    if (change.storedKey === null || violatedUniqueIndex(error) !== KEY_INDEX) throw error;
    return context.db.transaction(async (tx) => {
      const first = await storedMovement(tx, change);
      if (!first) throw error;
      return replay(tx, first, change);
    });
  }
}

/**
 * Adds units to or removes units from a variant's stock at a location (MANAGE_INVENTORY):
 * atomic, recorded as a stock movement, announced in the outbox, and applied once per idempotency key.
 */
export function adjustInventory(
  context: SubgraphContext,
  input: InventoryAdjustInput,
  idempotencyKey: string | null | undefined,
): Promise<StockChangeResult> {
  const errors = new InputErrors<ProductErrorCode>();
  if (input.delta === 0) errors.add(at('delta'), 'Use a change other than zero.', 'INVALID');
  else if (Math.abs(input.delta) > MAX_UNITS)
    errors.add(at('delta'), `Change at most ${MAX_UNITS} units at a time.`, 'INVALID');
  return changeStock(context, errors, { kind: 'adjust', delta: input.delta }, input, idempotencyKey);
}

/** Sets the units available of a variant at a location (MANAGE_INVENTORY), recorded and announced like an adjustment. */
export function setInventory(
  context: SubgraphContext,
  input: InventorySetInput,
  idempotencyKey: string | null | undefined,
): Promise<StockChangeResult> {
  const errors = new InputErrors<ProductErrorCode>();
  if (input.quantity < 0) errors.add(at('quantity'), 'Use a quantity of zero or more.', 'NEGATIVE');
  else if (input.quantity > MAX_UNITS) errors.add(at('quantity'), `Use at most ${MAX_UNITS} units.`, 'INVALID');
  return changeStock(context, errors, { kind: 'set', quantity: input.quantity }, input, idempotencyKey);
}
