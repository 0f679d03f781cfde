// Custom-field definitions: the store domain's, since they are the store's settings. Their values
// are written by metafield.service.ts and read by the subgraph that owns each owner.
import type { MetafieldDefinition, Prisma } from '@commerce/database';
import {
  InputErrors,
  isUniqueViolation,
  keyOf,
  notFound,
  prismaConnection,
  prismaSortKey,
  requirePermission,
  type Connection,
  type PageArgs,
  type UserError,
} from '@commerce/graphql-kit';
import { HANDLE, readValidations, seesAllMetafields, type MetafieldErrorCode } from '@commerce/metafields';
import type {
  MetafieldDefinitionCreateInput,
  MetafieldDefinitionUpdateInput,
  MetafieldOwnerType,
} from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { announceStoreUpdate } from './store-events.js';

export interface MetafieldDefinitionResult {
  metafieldDefinition: MetafieldDefinition | null;
  userErrors: UserError<MetafieldErrorCode>[];
}

const HANDLE_RULE = "Use 2 to 64 letters, digits, '_' and '-', starting with a letter or digit.";

/** Defines a custom field (MANAGE_STORE): its handle, type and validations are checked here, once. */
export async function createMetafieldDefinition(
  context: SubgraphContext,
  input: MetafieldDefinitionCreateInput,
): Promise<MetafieldDefinitionResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_STORE');
  const errors = new InputErrors<MetafieldErrorCode>().text(['input', 'name'], input.name, 100);
  if (!HANDLE.test(input.namespace)) errors.add(['input', 'namespace'], HANDLE_RULE);
  if (!HANDLE.test(input.key)) errors.add(['input', 'key'], HANDLE_RULE);
  const description = input.description?.trim() ?? '';
  if (description.length > 1000) errors.add(['input', 'description'], 'Use at most 1000 characters.', 'TOO_LONG');
  const validations = readValidations(input.type, input.validations);
  if (!validations.ok) {
    for (const problem of validations.problems)
      errors.add(['input', 'validations', problem.field], problem.message, problem.code);
  }
  if (!errors.ok || !validations.ok) return { metafieldDefinition: null, userErrors: errors.errors };
  try {
    // Storefronts list the definitions visible to them: their cached answers go (store.updated).
    const metafieldDefinition = await context.db.transaction(async (tx) => {
      const created = await tx.metafieldDefinition.create({
        data: {
          storeId,
          ownerType: input.ownerType,
          namespace: input.namespace,
          key: input.key,
          name: input.name.trim(),
          description,
          type: input.type,
          list: input.list ?? false,
          validations: validations.validations as Prisma.InputJsonObject,
          visibleToStorefront: input.visibleToStorefront ?? false,
        },
      });
      await announceStoreUpdate(tx, storeId);
      return created;
    });
    return { metafieldDefinition, userErrors: [] };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    errors.add(
      ['input', 'key'],
      `The store defines ${input.namespace}.${input.key} for ${input.ownerType} already.`,
      'TAKEN',
    );
    return { metafieldDefinition: null, userErrors: errors.errors };
  }
}

/**
 * Renames a field or changes its description or visibility (MANAGE_STORE). Its type, owner type,
 * namespace and key stay: the stored values were checked against them.
 */
export async function updateMetafieldDefinition(
  context: SubgraphContext,
  input: MetafieldDefinitionUpdateInput,
): Promise<MetafieldDefinitionResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_STORE');
  const id = keyOf(input.id, 'MetafieldDefinition', ['input', 'id']);
  const errors = new InputErrors<MetafieldErrorCode>();
  if (input.name != null) errors.text(['input', 'name'], input.name, 100);
  const description = input.description?.trim();
  if (description !== undefined && description.length > 1000)
    errors.add(['input', 'description'], 'Use at most 1000 characters.', 'TOO_LONG');
  if (!errors.ok) return { metafieldDefinition: null, userErrors: errors.errors };
  const metafieldDefinition = await context.db.transaction(async (tx) => {
    const found = await tx.metafieldDefinition.findUnique({ where: { storeId_id: { storeId, id } } });
    if (!found) throw notFound(`Metafield definition "${input.id}"`);
    const updated = await tx.metafieldDefinition.update({
      where: { storeId_id: { storeId, id } },
      data: {
        ...(input.name != null ? { name: input.name.trim() } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(input.visibleToStorefront != null ? { visibleToStorefront: input.visibleToStorefront } : {}),
      },
    });
    await announceStoreUpdate(tx, storeId);
    return updated;
  });
  return { metafieldDefinition, userErrors: [] };
}

/** Deletes a field and, by the foreign key's cascade, every value of it (MANAGE_STORE). */
export async function deleteMetafieldDefinition(context: SubgraphContext, globalId: string): Promise<string> {
  const { storeId } = await requirePermission(context, 'MANAGE_STORE');
  const id = keyOf(globalId, 'MetafieldDefinition', ['input', 'id']);
  await context.db.transaction(async (tx) => {
    const { count } = await tx.metafieldDefinition.deleteMany({ where: { storeId, id } });
    if (count === 0) throw notFound(`Metafield definition "${globalId}"`);
    // Values of every owner went with it; the store's event drops every cached answer of the store.
    await announceStoreUpdate(tx, storeId);
  });
  return globalId;
}

const DEFINITION_ORDER = prismaSortKey({
  field: 'createdAt',
  kind: 'date',
  value: (definition: MetafieldDefinition) => definition.createdAt,
});

/** A page of the store's definitions, oldest first: all for staff, those visible to the storefront for others. */
export async function listMetafieldDefinitions(
  context: SubgraphContext,
  storeId: string,
  args: PageArgs & { ownerType?: MetafieldOwnerType | null },
): Promise<Connection<MetafieldDefinition>> {
  const where: Prisma.MetafieldDefinitionWhereInput = {
    storeId,
    ...(args.ownerType ? { ownerType: args.ownerType } : {}),
    ...((await seesAllMetafields(context)) ? {} : { visibleToStorefront: true }),
  };
  return prismaConnection({
    args,
    sort: DEFINITION_ORDER,
    fetch: (page) => context.db.transaction((tx) => tx.metafieldDefinition.findMany(page.findManyArgs(where))),
    count: () => context.db.transaction((tx) => tx.metafieldDefinition.count({ where })),
  });
}
