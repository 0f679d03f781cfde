import { storeReferenceKey, toGlobalId } from '@commerce/graphql-kit';
import type { StoreResolvers } from '../__generated__/resolvers-types.js';
import { listCategories } from '../services/category.service.js';
import { listLowStockVariants } from '../services/inventory.service.js';
import { listLocations } from '../services/location.service.js';
import { findStoreProduct, listProducts } from '../services/product-read.service.js';

export const Store: StoreResolvers = {
  __resolveReference: (reference, context) => ({ id: storeReferenceKey(context, reference.id) }),
  id: (store) => toGlobalId('Store', store.id),
  products: (store, args, context, info) => listProducts(context, store.id, args, info),
  product: (store, args, context, info) => findStoreProduct(context, store.id, args, info),
  categories: (store, args, context) => listCategories(context, store.id, args),
  inventoryLocations: (store, args, context) => listLocations(context, store.id, args),
  lowStockVariants: (store, args, context) => listLowStockVariants(context, store.id, args),
};
