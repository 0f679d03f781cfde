import { scalarResolvers } from '@commerce/graphql-kit';
import { metafieldResolvers } from '@commerce/metafields';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Cart } from './Cart.js';
import { CartLine } from './CartLine.js';
import { Customer } from './Customer.js';
import { DiscountCode } from './DiscountCode.js';
import { DraftOrder } from './DraftOrder.js';
import { Fulfillment, FulfillmentLine } from './Fulfillment.js';
import { Mutation } from './Mutation.js';
import { Order } from './Order.js';
import { OrderEvent } from './OrderEvent.js';
import { OrderLine } from './OrderLine.js';
import { OrderTracking } from './OrderTracking.js';
import { Payment, PaymentTransaction } from './Payment.js';
import { Query } from './Query.js';
import { Refund, RefundLine } from './Refund.js';
import { Return, ReturnLine } from './Return.js';
import { Store } from './Store.js';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Metafield: metafieldResolvers,
  Query,
  Mutation,
  Store,
  Customer,
  Order,
  OrderLine,
  OrderEvent,
  Cart,
  CartLine,
  Fulfillment,
  FulfillmentLine,
  Refund,
  RefundLine,
  Return,
  ReturnLine,
  Payment,
  PaymentTransaction,
  DiscountCode,
  DraftOrder,
  OrderTracking,
  // Orders and returns are this subgraph's Nodes; only a return row says who requested it.
  Node: { __resolveType: (node) => ('requestedByType' in node ? 'Return' : 'Order') },
};
