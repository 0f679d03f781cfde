import { describe, expect, it, vi } from 'vitest';
import { formatError, isTransientDatabaseError } from '../src/errors.js';

describe('errors of a busy database', () => {
  it('are recognised from node-postgres, from Prisma and its driver adapter, and from an expired SQL transaction', () => {
    expect(isTransientDatabaseError({ code: '57014', message: 'canceling statement due to statement timeout' })).toBe(
      true,
    );
    expect(isTransientDatabaseError({ code: '40P01', message: 'deadlock detected' })).toBe(true);
    expect(
      isTransientDatabaseError({
        code: 'P2028',
        message: 'Transaction API error: Unable to start a transaction in the given time.',
      }),
    ).toBe(true);
    expect(
      isTransientDatabaseError({
        code: 'P2028',
        message:
          'Transaction already closed: A query cannot be executed on an expired transaction. The timeout for this transaction was 10000 ms',
      }),
    ).toBe(true);
    expect(
      isTransientDatabaseError({
        code: 'P2010',
        meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode: '55P03' } } },
      }),
    ).toBe(true);
    expect(
      isTransientDatabaseError({
        code: 'P2034',
        meta: { driverAdapterError: { cause: { kind: 'TransactionWriteConflict' } } },
      }),
    ).toBe(true);
    expect(isTransientDatabaseError(Object.assign(new Error('ran too long'), { name: 'TransactionExpired' }))).toBe(
      true,
    );
  });

  it('are not faults of other kinds', () => {
    expect(isTransientDatabaseError({ code: '23505', message: 'duplicate key value' })).toBe(false);
    expect(
      isTransientDatabaseError({
        code: 'P2010',
        meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode: '42P01' } } },
      }),
    ).toBe(false);
    expect(isTransientDatabaseError(new Error('boom'))).toBe(false);
    // A transaction used after it committed is a bug, and its work is kept: not "try again".
    expect(
      isTransientDatabaseError({
        code: 'P2028',
        message: 'Transaction already closed: A query cannot be executed on a committed transaction.',
      }),
    ).toBe(false);
    expect(isTransientDatabaseError(null)).toBe(false);
  });

  it('reach clients as TRY_AGAIN, while other faults stay masked', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const formatted = { message: 'canceling statement due to statement timeout', path: ['checkoutComplete'] };
    expect(formatError(formatted, { code: '57014', message: 'canceling statement due to statement timeout' })).toEqual({
      message: expect.stringContaining('Try again'),
      path: ['checkoutComplete'],
      locations: undefined,
      extensions: { code: 'TRY_AGAIN' },
    });
    expect(
      formatError({ message: 'relation "x" does not exist' }, new Error('relation "x" does not exist')),
    ).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    warn.mockRestore();
    error.mockRestore();
  });
});
