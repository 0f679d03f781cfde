import type { GraphQLResolveInfo } from 'graphql';
import type { Category, Prisma, Product, Transaction } from '@commerce/database';
import {
  InputErrors,
  keyOrNull,
  notFound,
  prismaConnection,
  prismaSortKey,
  requirePermission,
  toGlobalId,
  userError,
  violatedUniqueIndex,
  type Connection,
  type PageArgs,
  type UserError,
} from '@commerce/graphql-kit';
import type { CategoryCreateInput, CategoryUpdateInput, ProductErrorCode } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { announceCategory } from './catalog-events.js';
import { firstFreeHandle, handleFromTitle, isHandle, lockHandleGeneration } from './handle.js';
import { listProducts, type ProductListArgs } from './product-read.service.js';

export interface CategoryCreateResult {
  category: Category | null;
  userErrors: UserError<ProductErrorCode>[];
}

const CATEGORY_ORDER = prismaSortKey({
  field: 'position',
  kind: 'number',
  value: (category: Category) => category.position,
});

// A generated handle can still lose a race to a category created with that handle given; it is then picked again.
const MAX_ATTEMPTS = 3;

interface CategoryDraft {
  name: string;
  handle: string | null;
  description: string;
  parentKey: string | null;
}

/**
 * Makes the changes of one store's category tree take turns until their transactions end, so that
 * two moves cannot close a cycle together and no category gets a parent that is being deleted.
 */
async function lockCategoryTree(tx: Transaction, storeId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`category-tree:${storeId}`}, 0))`;
}

async function insertCategory(tx: Transaction, storeId: string, draft: CategoryDraft): Promise<CategoryCreateResult> {
  if (draft.parentKey !== null) await lockCategoryTree(tx, storeId);
  const errors = new InputErrors<ProductErrorCode>();
  if (
    draft.handle !== null &&
    (await tx.category.findUnique({
      where: { storeId_handle: { storeId, handle: draft.handle } },
      select: { id: true },
    }))
  ) {
    errors.add(['input', 'handle'], 'Another category has this handle; choose another.', 'TAKEN');
  }
  if (
    draft.parentKey !== null &&
    !(await tx.category.findUnique({
      where: { storeId_id: { storeId, id: draft.parentKey } },
      select: { id: true },
    }))
  ) {
    errors.add(['input', 'parentId'], 'There is no such category in this store.', 'NOT_FOUND');
  }
  if (!errors.ok) return { category: null, userErrors: errors.errors };
  let handle = draft.handle;
  if (handle === null) {
    await lockHandleGeneration(tx, 'category', storeId);
    const base = handleFromTitle(draft.name, 'category');
    const taken = await tx.category.findMany({
      where: { storeId, handle: { startsWith: base } },
      select: { handle: true },
    });
    handle = firstFreeHandle(
      base,
      taken.map((category) => category.handle),
    );
  }
  // New categories go to the end of the store's list.
  const last = await tx.category.aggregate({ where: { storeId }, _max: { position: true } });
  const category = await tx.category.create({
    data: {
      storeId,
      name: draft.name,
      handle,
      description: draft.description,
      parentId: draft.parentKey,
      position: (last._max.position ?? -1) + 1,
    },
  });
  await announceCategory(tx, storeId, 'category.created', category.id);
  return { category, userErrors: [] };
}

/** Creates a category of the request's store (MANAGE_PRODUCTS), with a generated handle unless one is given. */
export async function createCategory(
  context: SubgraphContext,
  input: CategoryCreateInput,
): Promise<CategoryCreateResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_PRODUCTS');
  const errors = new InputErrors<ProductErrorCode>().text(['input', 'name'], input.name, 255);
  const handle = input.handle?.trim() || null;
  if (handle !== null && !isHandle(handle)) {
    errors.add(
      ['input', 'handle'],
      'Use lower-case letters, digits and single hyphens, e.g. summer-sale, at most 255 characters.',
      'INVALID',
    );
  }
  const description = input.description ?? '';
  if (description.length > 65_535) errors.add(['input', 'description'], 'Use at most 65535 characters.', 'TOO_LONG');
  const parentKey = input.parentId == null ? null : keyOrNull(input.parentId, 'Category');
  if (input.parentId != null && parentKey === null)
    errors.add(['input', 'parentId'], 'There is no such category in this store.', 'NOT_FOUND');
  if (!errors.ok) return { category: null, userErrors: errors.errors };

  const draft = { name: input.name.trim(), handle, description, parentKey };
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await context.db.transaction((tx) => insertCategory(tx, storeId, draft));
    } catch (error) {
      const index = violatedUniqueIndex(error);
      if (index === null) throw error;
      if (index === 'Category_storeId_handle_key' && handle === null && attempt < MAX_ATTEMPTS) continue;
      return {
        category: null,
        userErrors: [
          userError(['input', 'handle'], 'Another category has just taken this handle; choose another.', 'TAKEN'),
        ],
      };
    }
  }
}

/** A page of the store's categories in position order. */
export function listCategories(
  context: SubgraphContext,
  storeId: string,
  args: PageArgs,
): Promise<Connection<Category>> {
  const where: Prisma.CategoryWhereInput = { storeId };
  return prismaConnection({
    args,
    sort: CATEGORY_ORDER,
    fetch: (page) => context.db.transaction((tx) => tx.category.findMany(page.findManyArgs(where))),
    count: () => context.db.transaction((tx) => tx.category.count({ where })),
  });
}

/** The category an entity reference (or `node`) names; categories are public within their store. */
export async function findCategory(context: SubgraphContext, id: string): Promise<Category | null> {
  const key = keyOrNull(id, 'Category');
  return key === null ? null : context.loaders.categoryById.load(key);
}

/** Whether `candidate` is `category` itself or lies below it (reading up from the candidate). */
async function isWithin(tx: Transaction, storeId: string, candidate: string, category: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ found: boolean }[]>`
    WITH RECURSIVE ancestors("storeId", id, "parentId") AS (
      SELECT c."storeId", c.id, c."parentId" FROM "Category" c WHERE c."storeId" = ${storeId}::uuid AND c.id = ${candidate}::uuid
      UNION
      SELECT c."storeId", c.id, c."parentId" FROM "Category" c
      JOIN ancestors a ON c."storeId" = a."storeId" AND c.id = a."parentId"
    )
    SELECT EXISTS (SELECT 1 FROM ancestors WHERE id = ${category}::uuid) AS found`;
  return rows[0]?.found ?? false;
}

/** What categoryUpdate changes; undefined keeps a field, a null parentKey moves the category to the top. */
interface CategoryChanges {
  name?: string;
  handle?: string;
  description?: string;
  parentKey?: string | null;
}

function readCategoryUpdate(input: CategoryUpdateInput): {
  changes: CategoryChanges;
  userErrors: UserError<ProductErrorCode>[];
} {
  const errors = new InputErrors<ProductErrorCode>();
  const changes: CategoryChanges = {};
  if (input.name != null) {
    errors.text(['input', 'name'], input.name, 255);
    changes.name = input.name.trim();
  }
  if (input.handle != null) {
    const handle = input.handle.trim();
    if (!handle)
      errors.add(['input', 'handle'], 'This field cannot be blank; leave it out to keep the handle.', 'BLANK');
    else if (!isHandle(handle))
      errors.add(
        ['input', 'handle'],
        'Use lower-case letters, digits and single hyphens, e.g. summer-sale, at most 255 characters.',
        'INVALID',
      );
    changes.handle = handle;
  }
  if (input.description != null) {
    if (input.description.length > 65_535)
      errors.add(['input', 'description'], 'Use at most 65535 characters.', 'TOO_LONG');
    changes.description = input.description;
  }
  if (input.parentId === null) changes.parentKey = null;
  else if (input.parentId !== undefined) {
    const parentKey = keyOrNull(input.parentId, 'Category');
    if (parentKey === null) errors.add(['input', 'parentId'], 'There is no such category in this store.', 'NOT_FOUND');
    else changes.parentKey = parentKey;
  }
  return { changes, userErrors: errors.errors };
}

async function applyCategoryUpdate(
  tx: Transaction,
  storeId: string,
  key: string,
  id: string,
  changes: CategoryChanges,
): Promise<CategoryCreateResult> {
  const moving = changes.parentKey !== undefined;
  if (moving) await lockCategoryTree(tx, storeId);
  const current = await tx.category.findUnique({ where: { storeId_id: { storeId, id: key } } });
  if (!current) throw notFound(`Category "${id}"`);
  const errors = new InputErrors<ProductErrorCode>();
  if (changes.handle !== undefined && changes.handle !== current.handle) {
    if (
      await tx.category.findUnique({
        where: { storeId_handle: { storeId, handle: changes.handle } },
        select: { id: true },
      })
    ) {
      errors.add(['input', 'handle'], 'Another category has this handle; choose another.', 'TAKEN');
    }
  }
  if (changes.parentKey != null && changes.parentKey !== current.parentId) {
    if (
      !(await tx.category.findUnique({
        where: { storeId_id: { storeId, id: changes.parentKey } },
        select: { id: true },
      }))
    ) {
      errors.add(['input', 'parentId'], 'There is no such category in this store.', 'NOT_FOUND');
    } else if (await isWithin(tx, storeId, changes.parentKey, key)) {
      errors.add(['input', 'parentId'], 'A category cannot be moved into itself or one of its subcategories.', 'CYCLE');
    }
  }
  if (!errors.ok) return { category: null, userErrors: errors.errors };
  const category = await tx.category.update({
    where: { storeId_id: { storeId, id: key } },
    data: { name: changes.name, handle: changes.handle, description: changes.description, parentId: changes.parentKey },
  });
  await announceCategory(tx, storeId, 'category.updated', key);
  return { category, userErrors: [] };
}

/**
 * Changes a category of the request's store (MANAGE_PRODUCTS), possibly moving it to another
 * parent (never into itself or below itself: CYCLE). NOT_FOUND when the store has no such category.
 */
export async function updateCategory(
  context: SubgraphContext,
  input: CategoryUpdateInput,
): Promise<CategoryCreateResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_PRODUCTS');
  const key = keyOrNull(input.id, 'Category');
  if (key === null) throw notFound(`Category "${input.id}"`);
  const read = readCategoryUpdate(input);
  if (read.userErrors.length > 0) return { category: null, userErrors: read.userErrors };
  try {
    return await context.db.transaction((tx) => applyCategoryUpdate(tx, storeId, key, input.id, read.changes));
  } catch (error) {
    if (violatedUniqueIndex(error) === null) throw error;
    return {
      category: null,
      userErrors: [
        userError(['input', 'handle'], 'Another category has just taken this handle; choose another.', 'TAKEN'),
      ],
    };
  }
}

/**
 * Deletes a category of the request's store (MANAGE_PRODUCTS). Its subcategories move up to its
 * parent (or to the top), so no part of the tree is lost; its products just leave it.
 */
export async function deleteCategory(
  context: SubgraphContext,
  id: string,
): Promise<{ deletedCategoryId: string; userErrors: UserError<ProductErrorCode>[] }> {
  const { storeId } = await requirePermission(context, 'MANAGE_PRODUCTS');
  const key = keyOrNull(id, 'Category');
  if (key === null) throw notFound(`Category "${id}"`);
  await context.db.transaction(async (tx) => {
    await lockCategoryTree(tx, storeId);
    const category = await tx.category.findUnique({ where: { storeId_id: { storeId, id: key } } });
    if (!category) throw notFound(`Category "${id}"`);
    await tx.category.updateMany({ where: { storeId, parentId: key }, data: { parentId: category.parentId } });
    await tx.category.delete({ where: { storeId_id: { storeId, id: key } } });
    await announceCategory(tx, storeId, 'category.deleted', key);
  });
  return { deletedCategoryId: toGlobalId('Category', key), userErrors: [] };
}

/** A category's direct subcategories in position order. */
export function childrenOf(context: SubgraphContext, category: Category): Promise<Category[]> {
  return context.loaders.childrenByCategory.load(category.id);
}

/** The products directly in a category that the caller may see, as Store.products lists them. */
export function productsOf(
  context: SubgraphContext,
  category: Category,
  args: ProductListArgs,
  info: GraphQLResolveInfo,
): Promise<Connection<Product>> {
  return listProducts(context, category.storeId, args, info, category.id);
}

/** A category's parent; null at the top of the tree. */
export function parentOf(context: SubgraphContext, category: Category): Promise<Category | null> | null {
  return category.parentId === null ? null : context.loaders.categoryById.load(category.parentId);
}
