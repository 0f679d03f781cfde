import { requireStore } from '@commerce/graphql-kit';
import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import {
  addCartLines,
  attachCartToCustomer,
  createCart,
  removeCartLines,
  updateCartDiscountCodes,
  updateCartLines,
  updateCartShippingAddress,
} from '../services/cart.service.js';
import { completeCheckout } from '../services/checkout.service.js';
import { countCheckout } from '../services/checkout-metrics.js';
import { createDiscountCode, updateDiscountCode } from '../services/discount-code.service.js';
import { createFulfillment } from '../services/fulfillment.service.js';
import { addOrderNote, cancelOrder, confirmOrder, markOrderDelivered, markOrderPaid } from '../services/order-admin.service.js';
import { createRefund } from '../services/refund.service.js';
import type { SubgraphContext } from '../context.js';
import type { DiscountCodeResult } from '../services/discount-code.service.js';
import type { RefundResult } from '../services/refund.service.js';
import type { FulfillmentResult } from '../services/fulfillment.service.js';

/** Children of an order answer in its currency. */
const inCurrency = <T extends object>(row: T | null, currencyCode: string) => (row ? { ...row, currencyCode } : null);

function discountCodePayload(context: SubgraphContext, result: DiscountCodeResult) {
  return { discountCode: inCurrency(result.discountCode, requireStore(context).currencyCode), userErrors: result.userErrors };
}

function fulfillmentPayload(result: FulfillmentResult) {
  return { ...result, fulfillment: inCurrency(result.fulfillment, result.order?.currencyCode ?? '') };
}

function refundPayload(result: RefundResult) {
  return { ...result, refund: inCurrency(result.refund, result.order?.currencyCode ?? '') };
}

export const Mutation: MutationResolvers = {
  cartCreate: (_parent, { input }, context) => createCart(context, input),
  cartLinesAdd: (_parent, { cartId, lines }, context) => addCartLines(context, cartId, lines),
  cartLinesUpdate: (_parent, { cartId, lines }, context) => updateCartLines(context, cartId, lines),
  cartLinesRemove: (_parent, { cartId, lineIds }, context) => removeCartLines(context, cartId, lineIds),
  cartDiscountCodesUpdate: (_parent, { cartId, codes }, context) => updateCartDiscountCodes(context, cartId, codes),
  cartShippingAddressUpdate: (_parent, { input }, context) => updateCartShippingAddress(context, input),
  cartBuyerIdentityUpdate: (_parent, { cartId }, context) => attachCartToCustomer(context, cartId),
  checkoutComplete: (_parent, { input, idempotencyKey }, context) => countCheckout(completeCheckout(context, input, idempotencyKey)),
  orderConfirm: (_parent, { input }, context) => confirmOrder(context, input),
  orderMarkPaid: (_parent, { input }, context) => markOrderPaid(context, input),
  orderCancel: (_parent, { input }, context) => cancelOrder(context, input),
  fulfillmentCreate: async (_parent, { input }, context) => fulfillmentPayload(await createFulfillment(context, input)),
  orderMarkDelivered: (_parent, { input }, context) => markOrderDelivered(context, input),
  refundCreate: async (_parent, { input, idempotencyKey }, context) => refundPayload(await createRefund(context, input, idempotencyKey)),
  orderNoteAdd: (_parent, { input }, context) => addOrderNote(context, input),
  discountCodeCreate: async (_parent, { input }, context) => discountCodePayload(context, await createDiscountCode(context, input)),
  discountCodeUpdate: async (_parent, { input }, context) => discountCodePayload(context, await updateDiscountCode(context, input)),
};
