// The store setting that turns buyer notifications off, kind by kind. The store row keeps the
// kinds turned off, so that a kind added later (the returns mails) is on for every store.
import type { InputErrors } from '@commerce/graphql-kit';
import type { BuyerNotificationKind } from '@commerce/mail';
import type {
  BuyerNotificationSettings,
  BuyerNotificationSettingsInput,
  StoreErrorCode,
} from '../__generated__/resolvers-types.js';

type Field = keyof BuyerNotificationSettingsInput;

/** The kinds each setting turns on or off: one setting for every step of a return. */
const KINDS: Record<Field, readonly BuyerNotificationKind[]> = {
  orderConfirmation: ['ORDER_CONFIRMATION'],
  paymentReceived: ['PAYMENT_RECEIVED'],
  shippingConfirmation: ['SHIPPING_CONFIRMATION'],
  orderCancelled: ['ORDER_CANCELLED'],
  refund: ['REFUND'],
  returnUpdates: ['RETURN_REQUESTED', 'RETURN_APPROVED', 'RETURN_DECLINED', 'RETURN_RECEIVED', 'RETURN_CLOSED'],
  newProducts: ['NEW_PRODUCT'],
};

const FIELDS = Object.keys(KINDS) as Field[];

/** Which notifications the store sends, from the kinds it turned off. */
export function buyerNotificationSettings(disabled: readonly string[]): BuyerNotificationSettings {
  const on = (field: Field): boolean => !KINDS[field].some((kind) => disabled.includes(kind));
  return {
    orderConfirmation: on('orderConfirmation'),
    paymentReceived: on('paymentReceived'),
    shippingConfirmation: on('shippingConfirmation'),
    orderCancelled: on('orderCancelled'),
    refund: on('refund'),
    returnUpdates: on('returnUpdates'),
    newProducts: on('newProducts'),
  };
}

/** The kinds turned off after the patch; a null field goes to `errors`. */
export function patchBuyerNotifications(
  disabled: readonly string[],
  input: BuyerNotificationSettingsInput,
  path: string[],
  errors: InputErrors<StoreErrorCode>,
): string[] {
  const next = new Set(disabled);
  for (const field of FIELDS) {
    const value = input[field];
    if (value === null) errors.add([...path, field], 'Give true or false, or leave the field out.', 'BLANK');
    else if (value === true) for (const kind of KINDS[field]) next.delete(kind);
    else if (value === false) for (const kind of KINDS[field]) next.add(kind);
  }
  return [...next].sort();
}
