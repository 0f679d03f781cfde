// `Store.products(filter: { metafield })`: the field's definition and the value in the canonical
// form stored beside each product's value, so the listing compares them through an index.
import { badUserInput } from '@commerce/graphql-kit';
import { searchValueOf, seesAllMetafields } from '@commerce/metafields';
import type { MetafieldFilter } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';

/** A product custom field's value to keep products by. */
export interface MetafieldCondition {
  definitionId: string;
  searchValue: string;
}

/**
 * The condition of a metafield filter: the product field the caller may see, and the value made
 * canonical by its type (one statement). BAD_USER_INPUT when there is no such field or its type
 * cannot be filtered on.
 */
export async function productMetafieldFilter(
  context: SubgraphContext,
  storeId: string,
  filter: MetafieldFilter,
): Promise<MetafieldCondition> {
  const field = ['filter', 'metafield'];
  const storefrontOnly = !(await seesAllMetafields(context));
  const definition = await context.db.read((tx) =>
    tx.metafieldDefinition.findFirst({
      where: {
        storeId,
        ownerType: 'PRODUCT',
        namespace: filter.namespace,
        key: filter.key,
        ...(storefrontOnly ? { visibleToStorefront: true } : {}),
      },
      select: { id: true, type: true, list: true },
    }),
  );
  if (!definition)
    throw badUserInput(`The store has no product field ${filter.namespace}.${filter.key}.`, [...field, 'key']);
  if (definition.list) throw badUserInput('List fields cannot be filtered on.', [...field, 'key']);
  const value = searchValueOf(definition.type, filter.value);
  if (!value.ok) throw badUserInput(value.message, [...field, 'value']);
  return { definitionId: definition.id, searchValue: value.value };
}
