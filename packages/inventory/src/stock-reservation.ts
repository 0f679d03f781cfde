// The stock rules of orders: reserve on checkout, release on cancellation, leave as sold on
// fulfilment, restock on returns. The stock tables are the catalog's; these rules run inside the
// order subgraph's transactions (checkout must take stock in the same transaction that creates the
// order), so they live in this package, which both subgraphs use, and take the transaction and the
// store, not a request context.
//
// Locations: a line is reserved at the store's default location first, then at its other active
// locations, most units available first. Each order line keeps where its units went (its
// allocations), and fulfilment, cancellation and refunds give back exactly those.
//
// Every change of a level is one conditional UPDATE under a row lock, a StockMovement (reason and
// order) and an 'inventory.updated' event. The events are returned, not appended: the outbox locks
// the store's counter row until commit, so the caller appends them as the transaction's last step
// (appendInventoryEvents).
//
// Checkout, where every statement counts, takes the pieces: it locks the levels in the statement
// that reads the cart (lockLevelsSql), plans with planReservation, and writes the levels in the
// statement that writes the order (the plan's levelWrites).
import { Prisma, type RawSql, type Transaction } from '@commerce/database';
import { appendOutboxEvents, type OutboxEventInput } from '@commerce/events';
import { toGlobalId } from '@commerce/graphql-kit';
import { defaultLocation } from './default-location.js';

/** Units of a variant an order asks for. */
export interface StockLine {
  variantId: string;
  quantity: number;
}

/** Units at one location. */
export interface LocationQuantity {
  locationId: string;
  quantity: number;
}

/** The kinds of actors a stock movement records (its actorType column). */
export type StockActorType = 'customer' | 'guest' | 'staff' | 'app' | 'system';

/** Who changes stock, and for which order (recorded on each stock movement). */
export interface StockActor {
  type: StockActorType;
  id: string | null;
  orderId: string;
}

/** A line as reserved: where its units are committed; empty allocations for variants whose stock is not counted. */
export interface ReservedLine {
  variantId: string;
  quantity: number;
  tracked: boolean;
  allocations: LocationQuantity[];
}

/** A line that cannot be reserved: how many units there are to sell. */
export interface StockShortage {
  variantId: string;
  requested: number;
  available: number;
}

/** One level after a change, as the 'inventory.updated' event announces it. */
export interface LevelChange {
  variantId: string;
  productId: string;
  locationId: string;
  /** Change of the units available to sell (the stock movement's delta). */
  delta: number;
  available: number;
  committed: number;
}

/** Stock movement reasons written here. */
export type OrderStockReason = 'order' | 'order_released' | 'order_written_off' | 'fulfillment' | 'restock' | 'return';

/** A level as lockLevelsSql returns it. */
export interface LockedLevel {
  id: string;
  variantId: string;
  productId: string;
  locationId: string;
  available: number;
  committed: number;
  allowOversell: boolean;
  isDefault: boolean;
  /** The variant's own rule (levels copy it). */
  variantAllowsOversell: boolean;
}

interface VariantFacts {
  id: string;
  productId: string;
  trackInventory: boolean;
  allowOversell: boolean;
}

/** A planned change of one level (or of a level to create at the default location). */
interface PlannedChange {
  variantId: string;
  productId: string;
  locationId: string;
  levelId: string | null;
  available: number;
  committed: number;
  /** For a level to create: the variant's overselling rule, which levels copy. */
  allowOversell?: boolean;
}

/** Lines of one variant folded into one, in variant order (the order rows are locked in). */
function byVariant(lines: readonly StockLine[]): StockLine[] {
  const quantities = new Map<string, number>();
  for (const line of lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0)
      throw new Error(`Stock quantities are positive integers, not ${line.quantity}.`);
    quantities.set(line.variantId, (quantities.get(line.variantId) ?? 0) + line.quantity);
  }
  return [...quantities]
    .map(([variantId, quantity]) => ({ variantId, quantity }))
    .sort((a, b) => (a.variantId < b.variantId ? -1 : a.variantId > b.variantId ? 1 : 0));
}

/**
 * Locks the levels of tracked variants at active locations, in (variant, location) order: every
 * writer of order stock locks in this order, so concurrent checkouts of overlapping carts wait
 * for each other instead of deadlocking.
 */
function lockLevels(tx: Transaction, storeId: string, variantIds: string[]): Promise<LockedLevel[]> {
  return tx.$queryRaw<LockedLevel[]>(lockLevelsSql(storeId, Prisma.sql`${variantIds}::uuid[]`));
}

/**
 * The query of lockLevels, for a statement that does more (as a CTE: PostgreSQL runs a CTE with
 * FOR UPDATE once, in full, and locks in its ORDER BY). `variantIds` is a uuid[] expression.
 */
export function lockLevelsSql(storeId: string, variantIds: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT l."id", l."variantId", v."productId", l."locationId", l."available", l."committed", l."allowOversell", loc."isDefault",
           v."allowOversell" AS "variantAllowsOversell"
    FROM "InventoryLevel" l
    JOIN "InventoryLocation" loc ON loc."storeId" = l."storeId" AND loc."id" = l."locationId" AND loc."active"
    JOIN "ProductVariant" v ON v."storeId" = l."storeId" AND v."id" = l."variantId" AND v."trackInventory"
    WHERE l."storeId" = ${storeId}::uuid AND l."variantId" = ANY(${variantIds})
    ORDER BY l."variantId", l."locationId"
    FOR UPDATE OF l`;
}

/**
 * What the stock rules need of each variant: from its locked levels (a level exists only for a
 * variant whose stock is counted), else looked up (untracked variants, variants without a level).
 */
async function variantFacts(
  tx: RawSql,
  storeId: string,
  variantIds: readonly string[],
  levels: readonly LockedLevel[],
): Promise<Map<string, VariantFacts>> {
  const facts = new Map<string, VariantFacts>();
  for (const level of levels) {
    facts.set(level.variantId, {
      id: level.variantId,
      productId: level.productId,
      trackInventory: true,
      allowOversell: level.variantAllowsOversell,
    });
  }
  const missing = variantIds.filter((id) => !facts.has(id));
  if (missing.length > 0) {
    const rows = await tx.$queryRaw<VariantFacts[]>`
      SELECT "id", "productId", "trackInventory", "allowOversell" FROM "ProductVariant"
      WHERE "storeId" = ${storeId}::uuid AND "id" = ANY(${missing}::uuid[])`;
    for (const row of rows) facts.set(row.id, row);
  }
  return facts;
}

/** Default location first, then most units available, then a fixed order. */
function reservationOrder(a: LockedLevel, b: LockedLevel): number {
  if (a.isDefault !== b.isDefault) return a.isDefault ? -1 : 1;
  if (a.available !== b.available) return b.available - a.available;
  return a.locationId < b.locationId ? -1 : 1;
}

/** The writes of planned level changes, for a statement that does more. */
export interface LevelWrites {
  /**
   * Two CTEs: "stock_changed" (the conditional UPDATE; one row per level changed) and
   * "stock_moved" (their stock movements).
   */
  ctes: Prisma.Sql;
  /**
   * A condition for the statement that has the CTEs: true when "stock_changed" has a row for every
   * planned change, else it fails the statement. The levels are locked, so a change the conditions
   * refuse means the plan was wrong.
   */
  check: Prisma.Sql;
}

const PLAN_BROKEN = 'Stock levels changed under their row locks; the order stock plan does not hold.';

/**
 * The writes of planned changes of existing levels, locked beforehand by the caller. The movements'
 * INSERT … SELECT returns its rows: without RETURNING (or ON CONFLICT), Citus writes such rows
 * into the shard with COPY, which PostgreSQL refuses under row-level security.
 */
function levelWrites(
  storeId: string,
  existing: readonly PlannedChange[],
  reason: OrderStockReason,
  actor: StockActor,
): LevelWrites {
  const ctes = Prisma.sql`
    stock_changed AS (
      UPDATE "InventoryLevel" l
      SET "available" = l."available" + c."available", "committed" = l."committed" + c."committed", "updatedAt" = CURRENT_TIMESTAMP
      FROM unnest(${existing.map((change) => change.levelId)}::uuid[], ${existing.map((change) => change.available)}::int[], ${existing.map((change) => change.committed)}::int[])
        AS c("id", "available", "committed")
      WHERE l."storeId" = ${storeId}::uuid AND l."id" = c."id"
        AND (l."available" + c."available" >= 0 OR l."allowOversell") AND l."committed" + c."committed" >= 0
      RETURNING l."id", l."variantId", l."locationId", l."available", l."committed", c."available" AS "delta"
    ), stock_moved AS (
      INSERT INTO "StockMovement" ("storeId", "variantId", "locationId", "delta", "availableAfter", "reason", "actorType", "actorId", "orderId")
      SELECT ${storeId}::uuid, "variantId", "locationId", "delta", "available", ${reason}, ${actor.type}, ${actor.id}, ${actor.orderId}::uuid FROM stock_changed
      RETURNING 1
    )`;
  return {
    ctes,
    check: Prisma.sql`app_check((SELECT count(*) FROM stock_changed) = ${existing.length}, ${PLAN_BROKEN})`,
  };
}

/**
 * A variant without a level at the location (overselling, or restocking where it never had stock):
 * the level upserted with its movement. DO UPDATE SET takes the time from the proposed row: Citus
 * allows only IMMUTABLE functions there, not CURRENT_TIMESTAMP. The movement returns its row, as
 * levelWrites' do.
 */
async function upsertLevel(
  tx: RawSql,
  storeId: string,
  change: PlannedChange,
  reason: OrderStockReason,
  actor: StockActor,
): Promise<{ available: number; committed: number }> {
  const [row] = await tx.$queryRaw<{ available: number; committed: number }[]>`
    WITH level AS (
      INSERT INTO "InventoryLevel" ("storeId", "variantId", "locationId", "available", "committed", "allowOversell", "updatedAt")
      VALUES (${storeId}::uuid, ${change.variantId}::uuid, ${change.locationId}::uuid, ${change.available}, ${change.committed}, ${change.allowOversell ?? false}, CURRENT_TIMESTAMP)
      ON CONFLICT ("storeId", "variantId", "locationId") DO UPDATE
      SET "available" = "InventoryLevel"."available" + EXCLUDED."available",
          "committed" = "InventoryLevel"."committed" + EXCLUDED."committed",
          "updatedAt" = EXCLUDED."updatedAt"
      RETURNING "available", "committed"
    ), moved AS (
      INSERT INTO "StockMovement" ("storeId", "variantId", "locationId", "delta", "availableAfter", "reason", "actorType", "actorId", "orderId")
      SELECT ${storeId}::uuid, ${change.variantId}::uuid, ${change.locationId}::uuid, ${change.available}, "available", ${reason}, ${actor.type}, ${actor.id}, ${actor.orderId}::uuid FROM level
      RETURNING 1
    )
    SELECT "available", "committed" FROM level`;
  if (!row) throw new Error('Creating an inventory level returned no row.');
  return row;
}

function levelChange(change: PlannedChange, after: { available: number; committed: number }): LevelChange {
  return {
    variantId: change.variantId,
    productId: change.productId,
    locationId: change.locationId,
    delta: change.available,
    available: after.available,
    committed: after.committed,
  };
}

/**
 * Applies planned changes with their stock movements: one statement for the existing levels
 * (locked beforehand by the caller), one upsert for each level that does not exist yet.
 */
async function applyChanges(
  tx: Transaction,
  storeId: string,
  planned: PlannedChange[],
  reason: OrderStockReason,
  actor: StockActor,
): Promise<LevelChange[]> {
  const existing = planned.filter((change) => change.levelId !== null);
  const results = new Map<string, { available: number; committed: number }>();
  if (existing.length > 0) {
    const writes = levelWrites(storeId, existing, reason, actor);
    // Joined to one row, so that the check runs even when no level was written.
    const rows = await tx.$queryRaw<{ id: string | null; available: number; committed: number }[]>`
      WITH ${writes.ctes}
      SELECT s."id", s."available", s."committed" FROM (SELECT 1) AS one LEFT JOIN stock_changed s ON true
      WHERE ${writes.check}`;
    for (const row of rows)
      if (row.id !== null) results.set(row.id, { available: row.available, committed: row.committed });
  }
  const changes: LevelChange[] = [];
  for (const change of planned) {
    const after =
      (change.levelId === null ? undefined : results.get(change.levelId)) ??
      (await upsertLevel(tx, storeId, change, reason, actor));
    changes.push(levelChange(change, after));
  }
  return changes;
}

/** A reservation planned on locked levels, to write with the order (its levelWrites). */
export interface ReservationPlan {
  ok: true;
  lines: ReservedLine[];
  /** Each level as it will be once written, for the 'inventory.updated' events. */
  changes: LevelChange[];
  /** The writes of the changes of existing levels, or null when there are none. */
  levelWrites: LevelWrites | null;
}

/**
 * Plans reserving every line for an order, all or nothing, on levels the caller locked with
 * lockLevelsSql: units move from available to committed at the default location first, then at
 * other active locations. Variants whose stock is not counted are skipped; variants that allow
 * overselling take what is missing at the default location (going below zero; a level that does
 * not exist there is created at once). With a shortage nothing is changed and every short line is
 * named.
 */
export async function planReservation(
  tx: RawSql,
  storeId: string,
  lines: readonly StockLine[],
  levels: readonly LockedLevel[],
  actor: StockActor,
): Promise<ReservationPlan | { ok: false; shortages: StockShortage[] }> {
  const wanted = byVariant(lines);
  if (wanted.length === 0) return { ok: true, lines: [], changes: [], levelWrites: null };
  const variantIds = wanted.map((line) => line.variantId);
  const levelsByVariant = new Map<string, LockedLevel[]>();
  for (const level of levels)
    levelsByVariant.set(level.variantId, [...(levelsByVariant.get(level.variantId) ?? []), level]);

  // Levels tell about tracked variants only; the others (untracked, oversold, or without any level) are looked up.
  const facts = await variantFacts(tx, storeId, variantIds, levels);
  const shortages: StockShortage[] = [];
  const planned: PlannedChange[] = [];
  const reserved: ReservedLine[] = [];
  for (const line of wanted) {
    const variant = facts.get(line.variantId);
    if (!variant) {
      shortages.push({ variantId: line.variantId, requested: line.quantity, available: 0 });
      continue;
    }
    if (!variant.trackInventory) {
      reserved.push({ ...line, tracked: false, allocations: [] });
      continue;
    }
    const candidates = [...(levelsByVariant.get(line.variantId) ?? [])].sort(reservationOrder);
    const allocations: LocationQuantity[] = [];
    let remaining = line.quantity;
    for (const level of candidates) {
      const take = Math.min(remaining, Math.max(0, level.available));
      if (take === 0) continue;
      allocations.push({ locationId: level.locationId, quantity: take });
      planned.push({
        variantId: line.variantId,
        productId: variant.productId,
        locationId: level.locationId,
        levelId: level.id,
        available: -take,
        committed: take,
      });
      remaining -= take;
      if (remaining === 0) break;
    }
    if (remaining > 0) {
      if (!variant.allowOversell) {
        const available = candidates.reduce((sum, level) => sum + Math.max(0, level.available), 0);
        shortages.push({ variantId: line.variantId, requested: line.quantity, available });
        continue;
      }
      const home = candidates.find((level) => level.isDefault) ?? null;
      const locationId = home?.locationId ?? (await defaultLocation(tx, storeId)).id;
      const same = planned.find((change) => change.variantId === line.variantId && change.locationId === locationId);
      if (same) {
        same.available -= remaining;
        same.committed += remaining;
      } else {
        planned.push({
          variantId: line.variantId,
          productId: variant.productId,
          locationId,
          levelId: home?.id ?? null,
          available: -remaining,
          committed: remaining,
          allowOversell: true,
        });
      }
      const allocation = allocations.find((entry) => entry.locationId === locationId);
      if (allocation) allocation.quantity += remaining;
      else allocations.push({ locationId, quantity: remaining });
    }
    reserved.push({ ...line, tracked: true, allocations });
  }
  if (shortages.length > 0) return { ok: false, shortages };
  const existing = planned.filter((change) => change.levelId !== null);
  const locked = new Map(levels.map((level) => [level.id, level]));
  const changes: LevelChange[] = [];
  for (const change of planned) {
    const level = change.levelId === null ? undefined : locked.get(change.levelId);
    // Locked levels change exactly as planned (or the write fails); a missing level is created now.
    const after = level
      ? { available: level.available + change.available, committed: level.committed + change.committed }
      : await upsertLevel(tx, storeId, change, 'order', actor);
    changes.push(levelChange(change, after));
  }
  return {
    ok: true,
    lines: reserved,
    changes,
    levelWrites: existing.length > 0 ? levelWrites(storeId, existing, 'order', actor) : null,
  };
}

/**
 * Reserves more units for a placed order (an edit adds units), all or nothing, as checkout does:
 * the levels are locked in checkout's order, the reservation is planned by planReservation and
 * written with its stock movements. With a shortage nothing is changed and every short line is named.
 */
export async function reserveStock(
  tx: Transaction,
  storeId: string,
  lines: readonly StockLine[],
  actor: StockActor,
): Promise<{ ok: true; lines: ReservedLine[]; changes: LevelChange[] } | { ok: false; shortages: StockShortage[] }> {
  const variantIds = [...new Set(lines.map((line) => line.variantId))];
  if (variantIds.length === 0) return { ok: true, lines: [], changes: [] };
  const levels = await lockLevels(tx, storeId, variantIds);
  const plan = await planReservation(tx, storeId, lines, levels, actor);
  if (!plan.ok) return plan;
  if (plan.levelWrites) {
    await tx.$queryRaw`
      WITH ${plan.levelWrites.ctes}
      SELECT 1 AS "written" FROM (SELECT 1) AS one WHERE ${plan.levelWrites.check}`;
  }
  return { ok: true, lines: plan.lines, changes: plan.changes };
}

/** Units committed for an order line at each location, to give back or ship. */
export interface CommittedLine {
  variantId: string;
  allocations: readonly LocationQuantity[];
}

/**
 * Locks the levels these lines touch in the checkout's order and plans `change(units)` on each,
 * then applies it. Lines whose variant is gone (deleted products) have no levels and are skipped.
 */
async function changeCommitted(
  tx: Transaction,
  storeId: string,
  lines: readonly CommittedLine[],
  change: (units: number) => { available: number; committed: number },
  reason: OrderStockReason,
  actor: StockActor,
): Promise<LevelChange[]> {
  const units = new Map<string, number>();
  for (const line of lines) {
    for (const { locationId, quantity } of line.allocations) {
      if (quantity > 0)
        units.set(`${line.variantId}/${locationId}`, (units.get(`${line.variantId}/${locationId}`) ?? 0) + quantity);
    }
  }
  if (units.size === 0) return [];
  const variantIds = [...new Set(lines.map((line) => line.variantId))];
  // Inactive locations keep their committed units until given back, so all levels are locked here.
  const levels = await tx.$queryRaw<LockedLevel[]>`
    SELECT l."id", l."variantId", v."productId", l."locationId", l."available", l."committed", l."allowOversell", false AS "isDefault",
           v."allowOversell" AS "variantAllowsOversell"
    FROM "InventoryLevel" l
    JOIN "ProductVariant" v ON v."storeId" = l."storeId" AND v."id" = l."variantId"
    WHERE l."storeId" = ${storeId}::uuid AND l."variantId" = ANY(${variantIds}::uuid[])
    ORDER BY l."variantId", l."locationId"
    FOR UPDATE OF l`;
  const planned: PlannedChange[] = [];
  for (const level of levels) {
    const quantity = units.get(`${level.variantId}/${level.locationId}`);
    if (!quantity) continue;
    // Never below zero committed: a level reset by hand meanwhile gives back what it still holds.
    const delta = change(Math.min(quantity, level.committed));
    if (delta.available === 0 && delta.committed === 0) continue;
    planned.push({
      variantId: level.variantId,
      productId: level.productId,
      locationId: level.locationId,
      levelId: level.id,
      ...delta,
    });
  }
  return applyChanges(tx, storeId, planned, reason, actor);
}

/**
 * Gives an order's committed units back: to available when `restock` (a cancelled order whose
 * goods are still on the shelf), or writes them off (damaged, lost).
 */
export function releaseStock(
  tx: Transaction,
  storeId: string,
  lines: readonly CommittedLine[],
  actor: StockActor,
  options: { restock: boolean },
): Promise<LevelChange[]> {
  return changeCommitted(
    tx,
    storeId,
    lines,
    (units) => ({ available: options.restock ? units : 0, committed: -units }),
    options.restock ? 'order_released' : 'order_written_off',
    actor,
  );
}

/** Shipped units leave the building: committed goes down, available stays. */
export function commitReservedStockAsSold(
  tx: Transaction,
  storeId: string,
  lines: readonly CommittedLine[],
  actor: StockActor,
): Promise<LevelChange[]> {
  return changeCommitted(tx, storeId, lines, (units) => ({ available: 0, committed: -units }), 'fulfillment', actor);
}

/**
 * Returned goods go back on the shelf: available at the default location (where returns are
 * received) unless another active location is given. The movements say 'restock' unless another
 * reason is given ('return' for units received through a return). Variants whose stock is not
 * counted are skipped.
 */
export async function restock(
  tx: Transaction,
  storeId: string,
  lines: readonly StockLine[],
  actor: StockActor,
  options: { locationId?: string; reason?: OrderStockReason } = {},
): Promise<LevelChange[]> {
  const wanted = byVariant(lines);
  if (wanted.length === 0) return [];
  const variantIds = wanted.map((line) => line.variantId);
  const levels = await lockLevels(tx, storeId, variantIds);
  const facts = await variantFacts(tx, storeId, variantIds, levels);
  const home =
    options.locationId ??
    levels.find((level) => level.isDefault)?.locationId ??
    (await defaultLocation(tx, storeId)).id;
  const planned: PlannedChange[] = [];
  for (const line of wanted) {
    const variant = facts.get(line.variantId);
    if (!variant?.trackInventory) continue;
    const level = levels.find((candidate) => candidate.variantId === line.variantId && candidate.locationId === home);
    planned.push({
      variantId: line.variantId,
      productId: variant.productId,
      locationId: home,
      levelId: level?.id ?? null,
      available: line.quantity,
      committed: 0,
      allowOversell: variant.allowOversell,
    });
  }
  return applyChanges(tx, storeId, planned, options.reason ?? 'restock', actor);
}

/**
 * Splits allocations: `quantity` units taken (from the first locations) and what stays.
 * Fulfilment and refunds take an order line's units in the order they were reserved.
 */
export function takeFromAllocations(
  allocations: readonly LocationQuantity[],
  quantity: number,
): { taken: LocationQuantity[]; rest: LocationQuantity[] } {
  const taken: LocationQuantity[] = [];
  const rest: LocationQuantity[] = [];
  let remaining = quantity;
  for (const allocation of allocations) {
    const take = Math.min(remaining, allocation.quantity);
    if (take > 0) taken.push({ locationId: allocation.locationId, quantity: take });
    if (allocation.quantity > take)
      rest.push({ locationId: allocation.locationId, quantity: allocation.quantity - take });
    remaining -= take;
  }
  return { taken, rest };
}

/** An 'inventory.updated' event per changed level, for appendOutboxEvents. */
export function inventoryEvents(storeId: string, changes: readonly LevelChange[]): OutboxEventInput[] {
  return changes.map((change) => ({
    storeId,
    type: 'inventory.updated',
    aggregateType: 'ProductVariant',
    aggregateId: change.variantId,
    payload: {
      productId: toGlobalId('Product', change.productId),
      variantId: toGlobalId('ProductVariant', change.variantId),
      locationId: toGlobalId('InventoryLocation', change.locationId),
      available: change.available,
      committed: change.committed,
      onHand: change.available + change.committed,
      delta: change.delta,
    },
  }));
}

/**
 * Appends an 'inventory.updated' event per changed level. Call it at the end of the transaction,
 * with the other outbox events: the outbox locks the store's counter row until commit.
 */
export async function appendInventoryEvents(
  tx: Transaction,
  storeId: string,
  changes: readonly LevelChange[],
): Promise<void> {
  await appendOutboxEvents(tx, inventoryEvents(storeId, changes));
}

/** Prisma's JSON value of allocations, as order lines store them. */
export function allocationsJson(allocations: readonly LocationQuantity[]): Prisma.InputJsonValue {
  return allocations.map(({ locationId, quantity }) => ({ locationId, quantity }));
}

/**
 * Locks every level of these variants, in the order all order stock changes lock them. A change
 * that touches stock more than once (a refund that releases some units and restocks others)
 * calls it first, so that it never takes row locks out of that order.
 */
export async function lockStock(tx: Transaction, storeId: string, variantIds: readonly string[]): Promise<void> {
  if (variantIds.length === 0) return;
  await tx.$queryRaw`
    SELECT l."id" FROM "InventoryLevel" l
    WHERE l."storeId" = ${storeId}::uuid AND l."variantId" = ANY(${[...new Set(variantIds)]}::uuid[])
    ORDER BY l."variantId", l."locationId"
    FOR UPDATE`;
}
