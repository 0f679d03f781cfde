// The return status table, as a matrix: every action from every status.
import { describe, expect, it } from 'vitest';
import {
  checkReturnTransition,
  statusAfterReceipt,
  statusAfterRefund,
  type ReturnAction,
} from '../src/services/return-status.js';

const STATUSES = ['REQUESTED', 'APPROVED', 'DECLINED', 'PARTIALLY_RECEIVED', 'RECEIVED', 'REFUNDED', 'CLOSED'];
const ACTIONS: ReturnAction[] = ['approve', 'decline', 'receive', 'refund', 'close'];

describe('return status rules', () => {
  it('allows each action only from the statuses the table names, and says why otherwise', () => {
    const allowed = Object.fromEntries(
      STATUSES.map((status) => [status, ACTIONS.filter((action) => checkReturnTransition(status, action) === null)]),
    );
    expect(allowed).toEqual({
      REQUESTED: ['approve', 'decline'],
      APPROVED: ['receive', 'close'],
      DECLINED: [],
      PARTIALLY_RECEIVED: ['receive', 'refund', 'close'],
      RECEIVED: ['refund', 'close'],
      REFUNDED: [],
      CLOSED: [],
    });
    expect(checkReturnTransition('DECLINED', 'approve')).toEqual({
      field: ['input', 'returnId'],
      message: 'The return is DECLINED; it cannot be approved (only REQUESTED returns can).',
      code: 'INVALID_TRANSITION',
    });
  });

  it('is RECEIVED once every unit arrived, and REFUNDED once every unit arrived and is refunded', () => {
    expect(statusAfterReceipt([{ quantity: 2, receivedQuantity: 1 }])).toBe('PARTIALLY_RECEIVED');
    expect(
      statusAfterReceipt([
        { quantity: 2, receivedQuantity: 2 },
        { quantity: 1, receivedQuantity: 1 },
      ]),
    ).toBe('RECEIVED');
    expect(statusAfterRefund('PARTIALLY_RECEIVED', [{ quantity: 2, receivedQuantity: 1, refundedQuantity: 1 }])).toBe(
      'PARTIALLY_RECEIVED',
    );
    expect(statusAfterRefund('RECEIVED', [{ quantity: 2, receivedQuantity: 2, refundedQuantity: 1 }])).toBe('RECEIVED');
    expect(statusAfterRefund('RECEIVED', [{ quantity: 2, receivedQuantity: 2, refundedQuantity: 2 }])).toBe('REFUNDED');
  });
});
