import type { Category, Prisma, Transaction } from '@commerce/database';
import { InputErrors, keyOrNull, keysetConnection, requirePermission, userError, type Connection, type PageArgs, type SortKey, type UserError } from '@commerce/graphql-kit';
import type { CategoryCreateInput } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { firstFreeHandle, handleFromTitle, isHandle, lockHandleGeneration } from './handle.js';
import { violatedUniqueIndex } from './unique-violation.js';

export interface CategoryCreateResult {
  category: Category | null;
  userErrors: UserError[];
}

const CATEGORY_ORDER: SortKey<Category> = { field: 'position', kind: 'number', value: (category) => category.position };

// A generated handle can still lose a race to a category created with that handle given; it is then picked again.
const MAX_ATTEMPTS = 3;

interface CategoryDraft {
  name: string;
  handle: string | null;
  description: string;
  parentKey: string | null;
}

async function insertCategory(tx: Transaction, storeId: string, draft: CategoryDraft): Promise<CategoryCreateResult> {
  const errors = new InputErrors();
  if (draft.handle !== null && (await tx.category.findUnique({ where: { storeId_handle: { storeId, handle: draft.handle } }, select: { id: true } }))) {
    errors.add(['input', 'handle'], 'Another category has this handle; choose another.', 'TAKEN');
  }
  if (draft.parentKey !== null && !(await tx.category.findUnique({ where: { id: draft.parentKey }, select: { id: true } }))) {
    errors.add(['input', 'parentId'], 'There is no such category in this store.', 'NOT_FOUND');
  }
  if (!errors.ok) return { category: null, userErrors: errors.errors };
  let handle = draft.handle;
  if (handle === null) {
    await lockHandleGeneration(tx, 'category', storeId);
    const base = handleFromTitle(draft.name, 'category');
    const taken = await tx.category.findMany({ where: { handle: { startsWith: base } }, select: { handle: true } });
    handle = firstFreeHandle(base, taken.map((category) => category.handle));
  }
  // New categories go to the end of the store's list.
  const last = await tx.category.aggregate({ _max: { position: true } });
  const category = await tx.category.create({
    data: { storeId, name: draft.name, handle, description: draft.description, parentId: draft.parentKey, position: (last._max.position ?? -1) + 1 },
  });
  return { category, userErrors: [] };
}

/** Creates a category of the request's store (MANAGE_PRODUCTS), with a generated handle unless one is given. */
export async function createCategory(context: SubgraphContext, input: CategoryCreateInput): Promise<CategoryCreateResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_PRODUCTS');
  const errors = new InputErrors().text(['input', 'name'], input.name, 255);
  const handle = input.handle?.trim() || null;
  if (handle !== null && !isHandle(handle)) {
    errors.add(['input', 'handle'], 'Use lower-case letters, digits and single hyphens, e.g. summer-sale, at most 255 characters.', 'INVALID');
  }
  const description = input.description ?? '';
  if (description.length > 65_535) errors.add(['input', 'description'], 'Use at most 65535 characters.', 'TOO_LONG');
  const parentKey = input.parentId == null ? null : keyOrNull(input.parentId, 'Category');
  if (input.parentId != null && parentKey === null) errors.add(['input', 'parentId'], 'There is no such category in this store.', 'NOT_FOUND');
  if (!errors.ok) return { category: null, userErrors: errors.errors };

  const draft = { name: input.name.trim(), handle, description, parentKey };
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await context.db.transaction((tx) => insertCategory(tx, storeId, draft));
    } catch (error) {
      const index = violatedUniqueIndex(error);
      if (index === null) throw error;
      if (index === 'Category_storeId_handle_key' && handle === null && attempt < MAX_ATTEMPTS) continue;
      return { category: null, userErrors: [userError(['input', 'handle'], 'Another category has just taken this handle; choose another.', 'TAKEN')] };
    }
  }
}

/** A page of the store's categories in position order. */
export function listCategories(context: SubgraphContext, storeId: string, args: PageArgs): Promise<Connection<Category>> {
  const where: Prisma.CategoryWhereInput = { storeId };
  return keysetConnection({
    args,
    sort: CATEGORY_ORDER,
    fetch: (page) =>
      context.db.transaction((tx) =>
        tx.category.findMany({ where: { AND: [where, page.where as Prisma.CategoryWhereInput] }, orderBy: page.orderBy as Prisma.CategoryOrderByWithRelationInput[], take: page.take }),
      ),
    count: () => context.db.transaction((tx) => tx.category.count({ where })),
  });
}

/** The category an entity reference (or `node`) names; categories are public within their store. */
export async function findCategory(context: SubgraphContext, id: string): Promise<Category | null> {
  const key = keyOrNull(id, 'Category');
  return key === null ? null : context.loaders.categoryById.load(key);
}

/** A category's parent; null at the top of the tree. */
export function parentOf(context: SubgraphContext, category: Category): Promise<Category | null> | null {
  return category.parentId === null ? null : context.loaders.categoryById.load(category.parentId);
}
