/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** A custom field's value to filter products by. */
export type MetafieldFilter = {
  /** The field's key. */
  key: string;
  /** The field's namespace. */
  namespace: string;
  /** The value, as metafieldsSet takes it (e.g. "12.50" matches a decimal 12.5). */
  value: string;
};

/** Narrows an order listing. */
export type OrderFilter = {
  /** Only orders placed before this instant. */
  createdAtMax?: string | null | undefined;
  /** Only orders placed at or after this instant. */
  createdAtMin?: string | null | undefined;
  /** Only orders in this fulfillment status. */
  fulfillmentStatus?: OrderFulfillmentStatus | null | undefined;
  /** Only orders in this payment status. */
  paymentStatus?: OrderPaymentStatus | null | undefined;
  /** An order number (e.g. 1001 or #1001) or the start of the buyer's email. */
  query?: string | null | undefined;
  /** Only orders in this status. */
  status?: OrderStatus | null | undefined;
};

/** How much of an order has shipped. */
export type OrderFulfillmentStatus =
  /** Everything delivered. */
  | 'DELIVERED'
  /** Everything shipped. */
  | 'FULFILLED'
  /** Some lines shipped. */
  | 'PARTIALLY_FULFILLED'
  /** Nothing shipped. */
  | 'UNFULFILLED';

/** Where an order's payment is. */
export type OrderPaymentStatus =
  /** The card payment is authorized (held) and waits for staff to capture it (stores with manual capture). */
  | 'AUTHORIZED'
  /** The payment failed. */
  | 'FAILED'
  /** Paid in full. */
  | 'PAID'
  /** Part of the total is captured; the rest is still held, or owed. */
  | 'PARTIALLY_PAID'
  /** Paid, part refunded. */
  | 'PARTIALLY_REFUNDED'
  /** Not paid yet (bank transfer, cash on delivery). */
  | 'PENDING'
  /** Refunded in full. */
  | 'REFUNDED'
  /** No money was taken and none is held: the pending payment or authorization was called off (the order was cancelled or rejected, staff voided it, or the authorization expired). */
  | 'VOIDED';

/** Where an order is in its life. */
export type OrderStatus =
  /** Cancelled. */
  | 'CANCELLED'
  /** Closed. */
  | 'COMPLETED'
  /** Accepted by the store. */
  | 'CONFIRMED'
  /** Received by the customer. */
  | 'DELIVERED'
  /** Placed, waiting for the store. */
  | 'PENDING'
  /** Being prepared, or shipped in part. */
  | 'PROCESSING'
  /** Packed and waiting at the store for the buyer to collect. */
  | 'READY_FOR_PICKUP'
  /** Handed to the carrier. */
  | 'SHIPPED';

/** Input of productCreate. */
export type ProductCreateInput = {
  /** Global ids of its categories. */
  categoryIds?: Array<string | number> | null | undefined;
  /** Description. */
  description?: string | null | undefined;
  /** URL handle; generated from the title when omitted. */
  handle?: string | null | undefined;
  /** Images in display order. */
  images?: Array<ProductImageInput> | null | undefined;
  /** Options such as Size and Colour. */
  options?: Array<ProductOptionInput> | null | undefined;
  /** Kind of product. */
  productType?: string | null | undefined;
  /** What search engines show; fields left out (or null) fall back to the title and description. */
  seo?: ProductSeoInput | null | undefined;
  /** Status; DRAFT when omitted. */
  status?: ProductStatus | null | undefined;
  /** Tags. */
  tags?: Array<string> | null | undefined;
  /** Display title. */
  title: string;
  /** Variants; one default variant is required at least. */
  variants: Array<ProductVariantInput>;
  /** Brand or maker. */
  vendor?: string | null | undefined;
};

/** Why a product, variant, category or inventory mutation was refused. */
export type ProductErrorCode =
  /** A required value is missing or blank; give one. */
  | 'BLANK'
  /** A category would become its own ancestor; choose another parent. */
  | 'CYCLE'
  /** The input gives the same name, value, SKU or option combination twice; keep one. */
  | 'DUPLICATE'
  /** The location holds stock; move it or set it to zero before retiring the location. */
  | 'HAS_STOCK'
  /** The idempotency key was used for another change; use a new key for a new change. */
  | 'IDEMPOTENCY_KEY_REUSED'
  /** Fewer units are available than the change removes; the message and inventoryLevel say how many there are. */
  | 'INSUFFICIENT_STOCK'
  /** The value is malformed or not allowed (handle, URL, option value, a zero change); correct it as the message says. */
  | 'INVALID'
  /** An option value is used by a variant; change or delete that variant first. */
  | 'IN_USE'
  /** The store always has a default location, and it cannot be retired; make another location the default first. */
  | 'IS_DEFAULT'
  /** A product keeps at least one variant; archive the product with productDelete instead. */
  | 'LAST_VARIANT'
  /** The location is retired; choose an active location. */
  | 'LOCATION_INACTIVE'
  /** An amount or quantity is below zero; use zero or more. */
  | 'NEGATIVE'
  /** A variant's stock is below zero, so overselling cannot be turned off; bring the stock to zero or more first. */
  | 'NEGATIVE_STOCK'
  /** The id names nothing of this product or store (category, variant, location); use one that exists. */
  | 'NOT_FOUND'
  /** The variant's stock is not counted; turn trackInventory on first. */
  | 'NOT_TRACKED'
  /** Another product, variant, category or location of the store already has this handle, SKU or name; choose another. */
  | 'TAKEN'
  /** The text is longer than allowed (the message gives the limit); shorten it. */
  | 'TOO_LONG'
  /** More options or variants than a product may have; remove some. */
  | 'TOO_MANY'
  /** An amount has more decimal places than the store's currency; round it. */
  | 'TOO_PRECISE';

/** Narrows a product listing. */
export type ProductFilter = {
  /** Only products that can be sold now (true) or cannot (false): a variant can when its stock is not tracked, it may be oversold, or it has units available somewhere. */
  available?: boolean | null | undefined;
  /** Only products in this category (global id). */
  categoryId?: string | number | null | undefined;
  /** Only products whose custom field has this value (single values of filterable types, compared in canonical form). */
  metafield?: MetafieldFilter | null | undefined;
  /** Only products with a variant at or below this price. */
  priceMax?: string | null | undefined;
  /** Only products with a variant at or above this price. */
  priceMin?: string | null | undefined;
  /**
   * Words to search for in the title, tags, variant SKUs and description (full text, ignoring case).
   * Every word must match, a word also as the start of a longer one ("lin" finds "Linen"), so it
   * suits search-as-you-type. Title matches rank above tag and SKU matches, which rank above
   * description matches (sort by RELEVANCE to see the best first). Text without letters or digits
   * matches nothing.
   */
  query?: string | null | undefined;
  /** Only products with this status (staff only; storefronts always see ACTIVE). */
  status?: ProductStatus | null | undefined;
  /** Only products with this tag. */
  tag?: string | null | undefined;
};

/** An image of a product. */
export type ProductImageInput = {
  /** Text for screen readers. */
  altText?: string | null | undefined;
  /** Where the image is served from (http or https). */
  url: string;
};

/** An option of a product. */
export type ProductOptionInput = {
  /** Name, e.g. Size. */
  name: string;
  /** Values, e.g. [S, M, L]. */
  values: Array<string>;
};

/** A product's SEO fields. */
export type ProductSeoInput = {
  /** Summary (at most 320 characters); null or blank falls back to the product's description. */
  description?: string | null | undefined;
  /** Page title (at most 70 characters); null or blank falls back to the product's title. */
  title?: string | null | undefined;
};

/** Whether a product is for sale. */
export type ProductStatus =
  /** For sale: storefronts see it. */
  | 'ACTIVE'
  /** Withdrawn: storefronts no longer see it; old orders keep it. */
  | 'ARCHIVED'
  /** Being prepared; only staff see it. */
  | 'DRAFT';

/** A new variant. */
export type ProductVariantInput = {
  /** Whether it may be sold below zero stock (default false). */
  allowOversell?: boolean | null | undefined;
  /** Barcode (ISBN, UPC, GTIN, …). */
  barcode?: string | null | undefined;
  /** Former price shown struck through. */
  compareAtPrice?: string | null | undefined;
  /** Starting stock at the store's default location. */
  inventoryQuantity?: number | null | undefined;
  /** Its own low-stock threshold; omit to use the store's. */
  lowStockThreshold?: number | null | undefined;
  /** One value for each of the product's options. */
  options?: Array<SelectedOptionInput> | null | undefined;
  /** Price in the store's currency. */
  price: string;
  /** Stock keeping unit, unique in the store. */
  sku?: string | null | undefined;
  /** Whether stock is counted (default true). */
  trackInventory?: boolean | null | undefined;
};

/** An option value of a new variant. */
export type SelectedOptionInput = {
  /** Option name. */
  name: string;
  /** Value of that option. */
  value: string;
};

/** Input of sellerLogIn. */
export type SellerLogInInput = {
  /** Sign-in email address. */
  email: string;
  /** The account's password. */
  password: string;
};

/** Why a seller, session, store, staff, domain, shipping, tax or app mutation was refused. */
export type StoreErrorCode =
  /** A required value is missing or blank; give one. */
  | 'BLANK'
  /** A country is already in another shipping zone of the store; remove it there first. */
  | 'COUNTRY_IN_OTHER_ZONE'
  /** The store has prices, orders or other amounts in its currency, so the currency cannot change; keep it. */
  | 'CURRENCY_LOCKED'
  /** DNS did not answer while verifying the domain; try again later. */
  | 'DNS_UNAVAILABLE'
  /** The value is malformed or out of range (the message says what is allowed); correct it and retry. */
  | 'INVALID'
  /** The email or password is not correct; let the user try again. */
  | 'INVALID_CREDENTIALS'
  /** The refresh token is unknown or revoked; sign in again. */
  | 'INVALID_REFRESH_TOKEN'
  /** This would leave the store without an OWNER; make another member OWNER first. */
  | 'LAST_OWNER'
  /** The store has as many as it may have (of domains); remove one first. */
  | 'LIMIT_REACHED'
  /** Apps cannot hold this permission (MANAGE_STAFF, MANAGE_APPS stay with people); leave it out. */
  | 'PERMISSION_NOT_GRANTABLE'
  /** You cannot grant an app a permission your own role lacks; leave it out or ask someone whose role has it. */
  | 'PERMISSION_NOT_HELD'
  /** Only the platform can set or lift SUSPENDED; choose another status. */
  | 'PLATFORM_ONLY'
  /** The refresh token has expired; sign in again. */
  | 'REFRESH_TOKEN_EXPIRED'
  /** The refresh token was used before, so its whole session was revoked for safety; sign in again. */
  | 'REFRESH_TOKEN_REUSED'
  /** The platform suspended this store; contact support to reopen it. */
  | 'STORE_SUSPENDED'
  /** Another record already has this unique value (email, slug, hostname, staff email, tax region); choose another or change that record. */
  | 'TAKEN'
  /** The text is longer than allowed (the message gives the limit); shorten it. */
  | 'TOO_LONG'
  /** Too many failed log-ins locked the account for a while; wait before trying again. */
  | 'TOO_MANY_ATTEMPTS'
  /** The domain's TXT verification record is missing or differs; publish the record shown and verify again. */
  | 'VERIFICATION_FAILED'
  /** The password is too weak (the message says why); choose a stronger one. */
  | 'WEAK_PASSWORD';

export type StoreOrdersQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  filter?: OrderFilter | null | undefined;
}>;


export type StoreOrdersQuery = { __typename: 'Query', store: { __typename: 'Store', id: string, orders: { __typename: 'OrderConnection', edges: Array<{ __typename: 'OrderEdge', cursor: string, node: { __typename: 'Order', id: string, number: string, email: string, status: OrderStatus, paymentStatus: OrderPaymentStatus, fulfillmentStatus: OrderFulfillmentStatus, createdAt: string, total: { __typename: 'Money', amount: string, currencyCode: string } } }>, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor: string | null } } } | null };

export type OrderCreatedSubscriptionVariables = Exact<{
  storeId: string | number;
  afterSequence?: string | null | undefined;
}>;


export type OrderCreatedSubscription = { orderCreated: { __typename: 'OrderCreatedEvent', sequence: string, order: { __typename: 'Order', id: string, number: string, email: string, status: OrderStatus, paymentStatus: OrderPaymentStatus, fulfillmentStatus: OrderFulfillmentStatus, createdAt: string, total: { __typename: 'Money', amount: string, currencyCode: string } } } };

export type OrderSummaryFragment = { __typename: 'Order', id: string, number: string, email: string, status: OrderStatus, paymentStatus: OrderPaymentStatus, fulfillmentStatus: OrderFulfillmentStatus, createdAt: string, total: { __typename: 'Money', amount: string, currencyCode: string } };

export type StoreProductsQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
  filter?: ProductFilter | null | undefined;
}>;


export type StoreProductsQuery = { __typename: 'Query', store: { __typename: 'Store', id: string, products: { __typename: 'ProductConnection', edges: Array<{ __typename: 'ProductEdge', cursor: string, node: { __typename: 'Product', id: string, title: string, handle: string, status: ProductStatus, totalInventory: number, priceRange: { __typename: 'ProductPriceRange', minVariantPrice: { __typename: 'Money', amount: string, currencyCode: string } } } }>, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor: string | null } } } | null };

export type ProductCreateMutationVariables = Exact<{
  input: ProductCreateInput;
}>;


export type ProductCreateMutation = { __typename: 'Mutation', productCreate: { __typename: 'ProductCreatePayload', product: { __typename: 'Product', id: string, title: string, handle: string, status: ProductStatus } | null, userErrors: Array<{ __typename: 'ProductUserError', field: Array<string> | null, message: string, code: ProductErrorCode }> } };

export type ProductStockSubscriptionVariables = Exact<{
  productId: string | number;
  afterSequence?: string | null | undefined;
}>;


export type ProductStockSubscription = { inventoryUpdated: { __typename: 'InventoryUpdatedEvent', sequence: string, available: number, committed: number, variant: { __typename: 'ProductVariant', sku: string | null } } };

export type SellerLogInMutationVariables = Exact<{
  input: SellerLogInInput;
}>;


export type SellerLogInMutation = { __typename: 'Mutation', sellerLogIn: { __typename: 'SellerAuthPayload', accessToken: string | null, refreshToken: string | null, seller: { __typename: 'Seller', id: string, name: string } | null, userErrors: Array<{ __typename: 'StoreUserError', field: Array<string> | null, message: string, code: StoreErrorCode }> } };

export type CurrentSellerQueryVariables = Exact<{ [key: string]: never; }>;


export type CurrentSellerQuery = { __typename: 'Query', currentSeller: { __typename: 'Seller', id: string, name: string, email: string, stores: Array<{ __typename: 'Store', id: string, slug: string, name: string }> } | null };

export const OrderSummaryFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OrderSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Order"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"paymentStatus"}},{"kind":"Field","name":{"kind":"Name","value":"fulfillmentStatus"}},{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<OrderSummaryFragment, unknown>;
export const StoreOrdersDocument = {"__meta__":{"hash":"sha256:270eeea2ac50d8727e9d554d477b603bd30799861c755310065d2b9b8875ae41"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StoreOrders"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"OrderFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"store"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"orders"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"sortKey"},"value":{"kind":"EnumValue","value":"CREATED_AT"}},{"kind":"Argument","name":{"kind":"Name","value":"reverse"},"value":{"kind":"BooleanValue","value":true}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"OrderSummary"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OrderSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Order"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"paymentStatus"}},{"kind":"Field","name":{"kind":"Name","value":"fulfillmentStatus"}},{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<StoreOrdersQuery, StoreOrdersQueryVariables>;
export const OrderCreatedDocument = {"__meta__":{"hash":"sha256:5dc47690a93f155c94a3533ea5eeac098b187e1f4cf814a72524ae39d82d9dc5"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"OrderCreated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"storeId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"afterSequence"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"UnsignedInt64"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orderCreated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"storeId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"storeId"}}},{"kind":"Argument","name":{"kind":"Name","value":"afterSequence"},"value":{"kind":"Variable","name":{"kind":"Name","value":"afterSequence"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"order"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"OrderSummary"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"OrderSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Order"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"paymentStatus"}},{"kind":"Field","name":{"kind":"Name","value":"fulfillmentStatus"}},{"kind":"Field","name":{"kind":"Name","value":"total"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<OrderCreatedSubscription, OrderCreatedSubscriptionVariables>;
export const StoreProductsDocument = {"__meta__":{"hash":"sha256:0d536982a1fe94431c2dd6966f309bcc2b97cadd961e936be3bc115e8e90bc46"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StoreProducts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ProductFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"store"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"products"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"sortKey"},"value":{"kind":"EnumValue","value":"UPDATED_AT"}},{"kind":"Argument","name":{"kind":"Name","value":"reverse"},"value":{"kind":"BooleanValue","value":true}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"handle"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"totalInventory"}},{"kind":"Field","name":{"kind":"Name","value":"priceRange"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"minVariantPrice"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"currencyCode"}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}}]} as unknown as DocumentNode<StoreProductsQuery, StoreProductsQueryVariables>;
export const ProductCreateDocument = {"__meta__":{"hash":"sha256:f9ed7b154719dc985d958033afa64d681b8942fa5f0c24c989ef6ccdc206dadd"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ProductCreate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ProductCreateInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"productCreate"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"product"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"handle"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<ProductCreateMutation, ProductCreateMutationVariables>;
export const ProductStockDocument = {"__meta__":{"hash":"sha256:00587e3083b0fcc10b41fbbddf5fd2440344927bf79e4c59674faf144644aef7"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ProductStock"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"productId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"afterSequence"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"UnsignedInt64"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inventoryUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"productId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"productId"}}},{"kind":"Argument","name":{"kind":"Name","value":"afterSequence"},"value":{"kind":"Variable","name":{"kind":"Name","value":"afterSequence"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"sequence"}},{"kind":"Field","name":{"kind":"Name","value":"available"}},{"kind":"Field","name":{"kind":"Name","value":"committed"}},{"kind":"Field","name":{"kind":"Name","value":"variant"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"sku"}}]}}]}}]}}]} as unknown as DocumentNode<ProductStockSubscription, ProductStockSubscriptionVariables>;
export const SellerLogInDocument = {"__meta__":{"hash":"sha256:f8897a1d19c001143a6df1f4a86b2bb43e8a7d0cf450ae988c76dd82489195f0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SellerLogIn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SellerLogInInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"sellerLogIn"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"seller"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"refreshToken"}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<SellerLogInMutation, SellerLogInMutationVariables>;
export const CurrentSellerDocument = {"__meta__":{"hash":"sha256:041e0a03aeafe856c75bb8ce3f3eae3075fbb99c1d8354147a0af943d4e55131"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CurrentSeller"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"currentSeller"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"stores"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<CurrentSellerQuery, CurrentSellerQueryVariables>;