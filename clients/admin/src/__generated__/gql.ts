/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query StoreOrders($first: Int!, $after: String, $filter: OrderFilter) {\n  store {\n    id\n    orders(\n      first: $first\n      after: $after\n      filter: $filter\n      sortKey: CREATED_AT\n      reverse: true\n    ) {\n      edges {\n        cursor\n        node {\n          ...OrderSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nsubscription OrderCreated($storeId: ID!, $afterSequence: UnsignedInt64) {\n  orderCreated(storeId: $storeId, afterSequence: $afterSequence) {\n    sequence\n    order {\n      ...OrderSummary\n    }\n  }\n}\n\nfragment OrderSummary on Order {\n  id\n  number\n  email\n  status\n  paymentStatus\n  fulfillmentStatus\n  total {\n    amount\n    currencyCode\n  }\n  createdAt\n}": typeof types.StoreOrdersDocument,
    "query StoreProducts($first: Int!, $after: String, $filter: ProductFilter) {\n  store {\n    id\n    products(\n      first: $first\n      after: $after\n      filter: $filter\n      sortKey: UPDATED_AT\n      reverse: true\n    ) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          handle\n          status\n          totalInventory\n          priceRange {\n            minVariantPrice {\n              amount\n              currencyCode\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nmutation ProductCreate($input: ProductCreateInput!) {\n  productCreate(input: $input) {\n    product {\n      id\n      title\n      handle\n      status\n    }\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n}\n\nsubscription ProductStock($productId: ID!, $afterSequence: UnsignedInt64) {\n  inventoryUpdated(productId: $productId, afterSequence: $afterSequence) {\n    sequence\n    available\n    committed\n    variant {\n      sku\n    }\n  }\n}": typeof types.StoreProductsDocument,
    "mutation SellerLogIn($input: SellerLogInInput!) {\n  sellerLogIn(input: $input) {\n    seller {\n      id\n      name\n    }\n    accessToken\n    refreshToken\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n}\n\nquery CurrentSeller {\n  currentSeller {\n    id\n    name\n    email\n    stores {\n      id\n      slug\n      name\n    }\n  }\n}": typeof types.SellerLogInDocument,
};
const documents: Documents = {
    "query StoreOrders($first: Int!, $after: String, $filter: OrderFilter) {\n  store {\n    id\n    orders(\n      first: $first\n      after: $after\n      filter: $filter\n      sortKey: CREATED_AT\n      reverse: true\n    ) {\n      edges {\n        cursor\n        node {\n          ...OrderSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nsubscription OrderCreated($storeId: ID!, $afterSequence: UnsignedInt64) {\n  orderCreated(storeId: $storeId, afterSequence: $afterSequence) {\n    sequence\n    order {\n      ...OrderSummary\n    }\n  }\n}\n\nfragment OrderSummary on Order {\n  id\n  number\n  email\n  status\n  paymentStatus\n  fulfillmentStatus\n  total {\n    amount\n    currencyCode\n  }\n  createdAt\n}": types.StoreOrdersDocument,
    "query StoreProducts($first: Int!, $after: String, $filter: ProductFilter) {\n  store {\n    id\n    products(\n      first: $first\n      after: $after\n      filter: $filter\n      sortKey: UPDATED_AT\n      reverse: true\n    ) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          handle\n          status\n          totalInventory\n          priceRange {\n            minVariantPrice {\n              amount\n              currencyCode\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nmutation ProductCreate($input: ProductCreateInput!) {\n  productCreate(input: $input) {\n    product {\n      id\n      title\n      handle\n      status\n    }\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n}\n\nsubscription ProductStock($productId: ID!, $afterSequence: UnsignedInt64) {\n  inventoryUpdated(productId: $productId, afterSequence: $afterSequence) {\n    sequence\n    available\n    committed\n    variant {\n      sku\n    }\n  }\n}": types.StoreProductsDocument,
    "mutation SellerLogIn($input: SellerLogInInput!) {\n  sellerLogIn(input: $input) {\n    seller {\n      id\n      name\n    }\n    accessToken\n    refreshToken\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n}\n\nquery CurrentSeller {\n  currentSeller {\n    id\n    name\n    email\n    stores {\n      id\n      slug\n      name\n    }\n  }\n}": types.SellerLogInDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StoreOrders($first: Int!, $after: String, $filter: OrderFilter) {\n  store {\n    id\n    orders(\n      first: $first\n      after: $after\n      filter: $filter\n      sortKey: CREATED_AT\n      reverse: true\n    ) {\n      edges {\n        cursor\n        node {\n          ...OrderSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nsubscription OrderCreated($storeId: ID!, $afterSequence: UnsignedInt64) {\n  orderCreated(storeId: $storeId, afterSequence: $afterSequence) {\n    sequence\n    order {\n      ...OrderSummary\n    }\n  }\n}\n\nfragment OrderSummary on Order {\n  id\n  number\n  email\n  status\n  paymentStatus\n  fulfillmentStatus\n  total {\n    amount\n    currencyCode\n  }\n  createdAt\n}"): (typeof documents)["query StoreOrders($first: Int!, $after: String, $filter: OrderFilter) {\n  store {\n    id\n    orders(\n      first: $first\n      after: $after\n      filter: $filter\n      sortKey: CREATED_AT\n      reverse: true\n    ) {\n      edges {\n        cursor\n        node {\n          ...OrderSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nsubscription OrderCreated($storeId: ID!, $afterSequence: UnsignedInt64) {\n  orderCreated(storeId: $storeId, afterSequence: $afterSequence) {\n    sequence\n    order {\n      ...OrderSummary\n    }\n  }\n}\n\nfragment OrderSummary on Order {\n  id\n  number\n  email\n  status\n  paymentStatus\n  fulfillmentStatus\n  total {\n    amount\n    currencyCode\n  }\n  createdAt\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StoreProducts($first: Int!, $after: String, $filter: ProductFilter) {\n  store {\n    id\n    products(\n      first: $first\n      after: $after\n      filter: $filter\n      sortKey: UPDATED_AT\n      reverse: true\n    ) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          handle\n          status\n          totalInventory\n          priceRange {\n            minVariantPrice {\n              amount\n              currencyCode\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nmutation ProductCreate($input: ProductCreateInput!) {\n  productCreate(input: $input) {\n    product {\n      id\n      title\n      handle\n      status\n    }\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n}\n\nsubscription ProductStock($productId: ID!, $afterSequence: UnsignedInt64) {\n  inventoryUpdated(productId: $productId, afterSequence: $afterSequence) {\n    sequence\n    available\n    committed\n    variant {\n      sku\n    }\n  }\n}"): (typeof documents)["query StoreProducts($first: Int!, $after: String, $filter: ProductFilter) {\n  store {\n    id\n    products(\n      first: $first\n      after: $after\n      filter: $filter\n      sortKey: UPDATED_AT\n      reverse: true\n    ) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          handle\n          status\n          totalInventory\n          priceRange {\n            minVariantPrice {\n              amount\n              currencyCode\n            }\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nmutation ProductCreate($input: ProductCreateInput!) {\n  productCreate(input: $input) {\n    product {\n      id\n      title\n      handle\n      status\n    }\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n}\n\nsubscription ProductStock($productId: ID!, $afterSequence: UnsignedInt64) {\n  inventoryUpdated(productId: $productId, afterSequence: $afterSequence) {\n    sequence\n    available\n    committed\n    variant {\n      sku\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SellerLogIn($input: SellerLogInInput!) {\n  sellerLogIn(input: $input) {\n    seller {\n      id\n      name\n    }\n    accessToken\n    refreshToken\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n}\n\nquery CurrentSeller {\n  currentSeller {\n    id\n    name\n    email\n    stores {\n      id\n      slug\n      name\n    }\n  }\n}"): (typeof documents)["mutation SellerLogIn($input: SellerLogInInput!) {\n  sellerLogIn(input: $input) {\n    seller {\n      id\n      name\n    }\n    accessToken\n    refreshToken\n    userErrors {\n      field\n      message\n      code\n    }\n  }\n}\n\nquery CurrentSeller {\n  currentSeller {\n    id\n    name\n    email\n    stores {\n      id\n      slug\n      name\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;