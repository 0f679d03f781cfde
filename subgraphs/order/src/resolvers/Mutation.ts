import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import {
  addCartLines,
  attachCartToCustomer,
  createCart,
  removeCartLines,
  updateCartDiscountCodes,
  applyCartLoyaltyPoints,
  updateCartLines,
  updateCartShippingAddress,
} from '../services/cart.service.js';
import { completeCheckout } from '../services/checkout.service.js';
import { countCheckout } from '../services/checkout-metrics.js';
import { createDiscountCode, updateDiscountCode } from '../services/discount-code.service.js';
import {
  completeDraftOrder,
  createDraftOrder,
  deleteDraftOrder,
  updateDraftOrder,
} from '../services/draft-order.service.js';
import { editOrder } from '../services/order-edit.service.js';
import { createFulfillment } from '../services/fulfillment.service.js';
import {
  acceptOrder,
  addOrderNote,
  cancelOrder,
  confirmOrder,
  markOrderDelivered,
  markOrderPaid,
  markOrderReadyForPickup,
  rejectOrder,
} from '../services/order-admin.service.js';
import { capturePayment, voidPayment } from '../services/payment.service.js';
import { createRefund } from '../services/refund.service.js';
import { approveReturn, closeReturn, declineReturn, receiveReturn, requestReturn } from '../services/return.service.js';

export const Mutation: MutationResolvers = {
  cartCreate: (_parent, { input }, context) => createCart(context, input),
  cartLinesAdd: (_parent, { cartId, lines }, context) => addCartLines(context, cartId, lines),
  cartLinesUpdate: (_parent, { cartId, lines }, context) => updateCartLines(context, cartId, lines),
  cartLinesRemove: (_parent, { cartId, lineIds }, context) => removeCartLines(context, cartId, lineIds),
  cartDiscountCodesUpdate: (_parent, { cartId, codes }, context) => updateCartDiscountCodes(context, cartId, codes),
  cartLoyaltyPointsApply: (_parent, { cartId, points }, context) => applyCartLoyaltyPoints(context, cartId, points),
  cartShippingAddressUpdate: (_parent, { input }, context) => updateCartShippingAddress(context, input),
  cartBuyerIdentityUpdate: (_parent, { cartId }, context) => attachCartToCustomer(context, cartId),
  checkoutComplete: (_parent, { input, idempotencyKey }, context) =>
    countCheckout(completeCheckout(context, input, idempotencyKey)),
  orderConfirm: (_parent, { input }, context) => confirmOrder(context, input),
  orderAccept: (_parent, { input }, context) => acceptOrder(context, input),
  orderReject: (_parent, { input }, context) => rejectOrder(context, input),
  orderMarkReadyForPickup: (_parent, { input }, context) => markOrderReadyForPickup(context, input),
  orderMarkPaid: (_parent, { input }, context) => markOrderPaid(context, input),
  orderPaymentCapture: (_parent, { input, idempotencyKey }, context) => capturePayment(context, input, idempotencyKey),
  orderPaymentVoid: (_parent, { orderId }, context) => voidPayment(context, orderId),
  orderCancel: (_parent, { input }, context) => cancelOrder(context, input),
  orderEdit: (_parent, { input, idempotencyKey }, context) => editOrder(context, input, idempotencyKey),
  fulfillmentCreate: (_parent, { input }, context) => createFulfillment(context, input),
  orderMarkDelivered: (_parent, { input }, context) => markOrderDelivered(context, input),
  refundCreate: (_parent, { input, idempotencyKey }, context) => createRefund(context, input, idempotencyKey),
  orderNoteAdd: (_parent, { input }, context) => addOrderNote(context, input),
  returnRequest: (_parent, { input }, context) => requestReturn(context, input),
  returnApprove: (_parent, { input }, context) => approveReturn(context, input),
  returnDecline: (_parent, { input }, context) => declineReturn(context, input),
  returnReceive: (_parent, { input }, context) => receiveReturn(context, input),
  returnClose: (_parent, { input }, context) => closeReturn(context, input),
  draftOrderCreate: (_parent, { input }, context) => createDraftOrder(context, input),
  draftOrderUpdate: (_parent, { input }, context) => updateDraftOrder(context, input),
  draftOrderDelete: (_parent, { draftOrderId }, context) => deleteDraftOrder(context, draftOrderId),
  draftOrderComplete: (_parent, { input, idempotencyKey }, context) =>
    completeDraftOrder(context, input, idempotencyKey),
  discountCodeCreate: (_parent, { input }, context) => createDiscountCode(context, input),
  discountCodeUpdate: (_parent, { input }, context) => updateDiscountCode(context, input),
};
