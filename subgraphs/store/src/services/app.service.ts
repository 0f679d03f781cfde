import { afterCommit, type App, type StaffRole, type Transaction } from '@commerce/database';
import {
  APP_GRANTABLE_PERMISSIONS,
  forgetAppCredentials,
  newAppToken,
  roleHasPermission,
  type Permission,
} from '@commerce/auth';
import { appendOutboxEvent } from '@commerce/events';
import {
  forbidden,
  hasPermission,
  InputErrors,
  keyOf,
  notFound,
  requireStaffPermission,
  toGlobalId,
  type UserError,
} from '@commerce/graphql-kit';
import type { AppCreateInput, AppUpdateInput, StoreErrorCode } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { requireRequestStore } from './store-access.js';

const MAX_NAME = 100;

type Errors = UserError<StoreErrorCode>[];

export interface AppWithTokenResult {
  app: App | null;
  /** The token in clear: returned by the mutation that made it, and never stored. */
  accessToken: string | null;
  userErrors: Errors;
}

export interface AppResult {
  app: App | null;
  userErrors: Errors;
}

/**
 * Checks a permission set for an app: every one must be one apps may hold and one the caller's
 * role has (nobody hands out more than they hold). Returns the set without repeats.
 */
function checkPermissions(
  errors: InputErrors<StoreErrorCode>,
  role: StaffRole,
  permissions: readonly Permission[],
): Permission[] {
  permissions.forEach((permission, index) => {
    const field = ['input', 'permissions', String(index)];
    if (!APP_GRANTABLE_PERMISSIONS.has(permission))
      errors.add(
        field,
        `Apps cannot hold ${permission}: managing staff and apps stays with people.`,
        'PERMISSION_NOT_GRANTABLE',
      );
    else if (!roleHasPermission(role, permission))
      errors.add(
        field,
        `Your role (${role}) does not have ${permission}, so you cannot grant it.`,
        'PERMISSION_NOT_HELD',
      );
  });
  return [...new Set(permissions)];
}

/**
 * Tells every process that an app changed, so none keeps accepting its old token or permissions:
 * this process at commit, the gateways through the event (the last step of the transaction).
 */
async function announceAppChange(tx: Transaction, storeId: string, appId: string): Promise<void> {
  afterCommit(tx, () => forgetAppCredentials(appId));
  await appendOutboxEvent(tx, {
    storeId,
    type: 'app.updated',
    aggregateType: 'App',
    aggregateId: appId,
    payload: { appId: toGlobalId('App', appId) },
  });
}

/** The app, locked for the rest of the transaction: NOT_FOUND when the store has none by that id. */
async function lockApp(tx: Transaction, storeId: string, appId: string, globalId: string): Promise<App> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id"::text AS id FROM "App" WHERE "storeId" = ${storeId}::uuid AND "id" = ${appId}::uuid FOR UPDATE`;
  if (rows.length === 0) throw notFound(`App "${globalId}"`);
  return tx.app.findUniqueOrThrow({ where: { storeId_id: { storeId, id: appId } } });
}

/** Creates an app of the request's store (MANAGE_APPS, people only) with a token shown once. */
export async function createApp(context: SubgraphContext, input: AppCreateInput): Promise<AppWithTokenResult> {
  const { storeId, role } = await requireStaffPermission(context, 'MANAGE_APPS');
  const errors = new InputErrors<StoreErrorCode>().text(['input', 'name'], input.name, MAX_NAME);
  const permissions = checkPermissions(errors, role, input.permissions);
  if (!errors.ok) return { app: null, accessToken: null, userErrors: errors.errors };
  const { token, tokenHash, tokenHint } = newAppToken(storeId);
  const app = await context.db.transaction((tx) =>
    tx.app.create({ data: { storeId, name: input.name.trim(), permissions, tokenHash, tokenHint } }),
  );
  return { app, accessToken: token, userErrors: [] };
}

/** Renames an app, replaces its permissions or turns it on or off (MANAGE_APPS, people only). */
export async function updateApp(context: SubgraphContext, input: AppUpdateInput): Promise<AppResult> {
  const { storeId, role } = await requireStaffPermission(context, 'MANAGE_APPS');
  const appId = keyOf(input.id, 'App', ['input', 'id']);
  const errors = new InputErrors<StoreErrorCode>();
  if (input.name !== undefined) errors.text(['input', 'name'], input.name, MAX_NAME);
  const permissions = input.permissions == null ? undefined : checkPermissions(errors, role, input.permissions);
  if (input.isActive === null)
    errors.add(['input', 'isActive'], 'Give true or false, or leave the field out.', 'BLANK');
  if (!errors.ok) return { app: null, userErrors: errors.errors };
  const app = await context.db.transaction(async (tx) => {
    await lockApp(tx, storeId, appId, input.id);
    const updated = await tx.app.update({
      where: { storeId_id: { storeId, id: appId } },
      data: {
        ...(input.name != null && { name: input.name.trim() }),
        ...(permissions !== undefined && { permissions }),
        ...(input.isActive != null && { isActive: input.isActive }),
      },
    });
    await announceAppChange(tx, storeId, appId);
    return updated;
  });
  return { app, userErrors: [] };
}

/**
 * Replaces an app's token (MANAGE_APPS, people only); the old one stops working at once. Only
 * someone whose role has every permission of the app may, since they get a token with them.
 */
export async function rotateAppToken(context: SubgraphContext, globalId: string): Promise<AppWithTokenResult> {
  const { storeId, role } = await requireStaffPermission(context, 'MANAGE_APPS');
  const appId = keyOf(globalId, 'App', ['appId']);
  const { token, tokenHash, tokenHint } = newAppToken(storeId);
  const app = await context.db.transaction(async (tx) => {
    const current = await lockApp(tx, storeId, appId, globalId);
    const beyond = current.permissions.filter((permission) => !roleHasPermission(role, permission as Permission));
    if (beyond.length > 0)
      throw forbidden(`Your role (${role}) lacks ${beyond.join(', ')} of this app, so you cannot take its token.`);
    const updated = await tx.app.update({
      where: { storeId_id: { storeId, id: appId } },
      data: { tokenHash, tokenHint, tokenRotatedAt: new Date(), lastUsedAt: null },
    });
    await announceAppChange(tx, storeId, appId);
    return updated;
  });
  return { app, accessToken: token, userErrors: [] };
}

/** Deletes an app (MANAGE_APPS, people only); its token stops working at once. */
export async function deleteApp(
  context: SubgraphContext,
  globalId: string,
): Promise<{ deletedAppId: string | null; userErrors: Errors }> {
  const { storeId } = await requireStaffPermission(context, 'MANAGE_APPS');
  const appId = keyOf(globalId, 'App', ['appId']);
  await context.db.transaction(async (tx) => {
    await lockApp(tx, storeId, appId, globalId);
    await tx.app.delete({ where: { storeId_id: { storeId, id: appId } } });
    await announceAppChange(tx, storeId, appId);
  });
  return { deletedAppId: toGlobalId('App', appId), userErrors: [] };
}

/** The store's apps, for its staff with MANAGE_APPS (in a request for that store). */
export async function storeApps(context: SubgraphContext, storeId: string): Promise<App[]> {
  requireRequestStore(context, storeId);
  await requireStaffPermission(context, 'MANAGE_APPS');
  return context.loaders.appsByStore.load(storeId);
}

/** An app of the request's store, for its staff with MANAGE_APPS: null for anyone else. */
export async function visibleApp(context: SubgraphContext, appId: string): Promise<App | null> {
  return (await hasPermission(context, 'MANAGE_APPS')) ? context.loaders.appById.load(appId) : null;
}
