// The one place that says which changes a return allows in which status.
//
//   REQUESTED ──approve──▶ APPROVED ──receive (part)──▶ PARTIALLY_RECEIVED ──receive (rest)──▶ RECEIVED
//       │                     │  └──────────receive (all)─────────────────────────────────────▲  │
//       └──decline──▶ DECLINED│                                                                  │
//                             └──close──▶ CLOSED ◀──close── PARTIALLY_RECEIVED, RECEIVED         │
//                                                   refund of every unit received ──▶ REFUNDED ◀─┘
//
// A refund may settle units as they arrive (PARTIALLY_RECEIVED stays until the rest arrives or the
// return is closed); REFUNDED, CLOSED and DECLINED are final.
import { userError, type UserError } from '@commerce/graphql-kit';
import type { OrderErrorCode, ReturnStatus } from '../__generated__/resolvers-types.js';

/** What can be done to a return. */
export type ReturnAction = 'approve' | 'decline' | 'receive' | 'refund' | 'close';

const RULES: Readonly<Record<ReturnAction, { from: readonly ReturnStatus[]; verb: string }>> = {
  approve: { from: ['REQUESTED'], verb: 'approved' },
  decline: { from: ['REQUESTED'], verb: 'declined' },
  receive: { from: ['APPROVED', 'PARTIALLY_RECEIVED'], verb: 'received' },
  refund: { from: ['PARTIALLY_RECEIVED', 'RECEIVED'], verb: 'refunded' },
  close: { from: ['APPROVED', 'PARTIALLY_RECEIVED', 'RECEIVED'], verb: 'closed' },
};

/** The INVALID_TRANSITION userError for an action the return's status does not allow; null when allowed. */
export function checkReturnTransition(
  status: string,
  action: ReturnAction,
  field: string[] = ['input', 'returnId'],
): UserError<OrderErrorCode> | null {
  const rule = RULES[action];
  if (rule.from.includes(status as ReturnStatus)) return null;
  return userError(
    field,
    `The return is ${status}; it cannot be ${rule.verb} (only ${rule.from.join(' or ')} returns can).`,
    'INVALID_TRANSITION',
  );
}

/** The status once units arrived: RECEIVED when every unit asked for has. */
export function statusAfterReceipt(lines: readonly { quantity: number; receivedQuantity: number }[]): ReturnStatus {
  return lines.every((line) => line.receivedQuantity >= line.quantity) ? 'RECEIVED' : 'PARTIALLY_RECEIVED';
}

/** The status once a refund settled units: REFUNDED when everything asked for arrived and is refunded. */
export function statusAfterRefund(
  status: string,
  lines: readonly { quantity: number; receivedQuantity: number; refundedQuantity: number }[],
): ReturnStatus {
  const settled = lines.every(
    (line) => line.receivedQuantity >= line.quantity && line.refundedQuantity >= line.quantity,
  );
  return settled ? 'REFUNDED' : (status as ReturnStatus);
}
