import type { MetafieldRecord } from '@commerce/metafields';
import type {
  DiscountCode,
  Fulfillment,
  FulfillmentLine,
  Order,
  OrderEvent,
  OrderLine,
  Payment,
  PaymentTransaction,
  Refund,
  RefundLine,
  Return,
  ReturnLine,
} from '@commerce/database';
import type { Connection, Edge, InCurrency } from '@commerce/graphql-kit';
import type { CartLineView, CartView } from './services/cart-view.js';
import type { DraftOrderView } from './services/draft-order.service.js';

/** Resolver parents of this subgraph's types: codegen.ts maps every exported `<Type>Parent` here to `<Type>`. */

/** The request's store; `id` is its key (checked by `storeReferenceKey`). */
export type StoreParent = { id: string };
/** A customer reference; `id` is the global id, as the customer subgraph resolves it. */
export type CustomerParent = { id: string };
/** A product reference (global id) that the catalog resolves. */
export type ProductParent = { id: string };
/** A variant reference (global id) that the catalog resolves. */
export type ProductVariantParent = { id: string };
export type OrderParent = Order;
/** A line with its order's currency, which its Money fields are in. */
export type OrderLineParent = InCurrency<OrderLine>;
export type OrderConnectionParent = Connection<Order>;
export type OrderEdgeParent = Edge<Order>;
/** A cart priced at current prices, as the cart service computes it. */
export type CartParent = CartView;
export type CartLineParent = CartLineView;
export type OrderEventParent = OrderEvent;
/** Children of an order carry its currency (and order id, to find its lines), down to their own lines. */
export type FulfillmentParent = InCurrency<Fulfillment> & { lines: FulfillmentLineParent[] };
export type FulfillmentLineParent = InCurrency<FulfillmentLine> & { orderId: string };
export type RefundParent = InCurrency<Refund> & { lines: RefundLineParent[] };
export type RefundLineParent = InCurrency<RefundLine> & { orderId: string };
/** `staff`: whether the caller may see the platform's commission; transactions carry the payment's currency. */
export type PaymentParent = Payment & { transactions: PaymentTransactionParent[]; staff: boolean };
export type PaymentTransactionParent = InCurrency<PaymentTransaction>;
export type DiscountCodeParent = InCurrency<DiscountCode>;
export type DiscountCodeConnectionParent = Connection<DiscountCodeParent>;
export type DiscountCodeEdgeParent = Edge<DiscountCodeParent>;
/** An order as a buyer without an account may see it. */
export type OrderTrackingParent = Order;
/** A return with its lines, in its order's currency (its refunds' Money is in it). */
export type ReturnParent = InCurrency<Return> & { lines: ReturnLineParent[] };
export type ReturnLineParent = InCurrency<ReturnLine> & { orderId: string };
export type ReturnConnectionParent = Connection<ReturnParent>;
export type ReturnEdgeParent = Edge<ReturnParent>;
export type DraftOrderParent = DraftOrderView;
export type DraftOrderConnectionParent = Connection<DraftOrderView>;
export type DraftOrderEdgeParent = Edge<DraftOrderView>;
/** A custom-field value with what its definition says (namespace, key, type). */
export type MetafieldParent = MetafieldRecord;
export type MetafieldConnectionParent = Connection<MetafieldRecord>;
export type MetafieldEdgeParent = Edge<MetafieldRecord>;
