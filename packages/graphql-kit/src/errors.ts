import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { logger } from '@commerce/observability';

/** The codes clients can rely on in `extensions.code`. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'STORE_UNAVAILABLE'
  | 'TRY_AGAIN'
  | 'INTERNAL_SERVER_ERROR';

/**
 * A GraphQL error with a code clients can act on. Responses stay HTTP 200 (GraphQL over HTTP):
 * the gateway passes a subgraph's errors through only from a successful response.
 */
export function graphqlError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export const unauthenticated = (message = 'Sign in to do this.') => graphqlError('UNAUTHENTICATED', message);
export const forbidden = (message = 'You are not allowed to do this.') => graphqlError('FORBIDDEN', message);
export const notFound = (what: string) => graphqlError('NOT_FOUND', `${what} was not found.`);
export const badUserInput = (message: string, field?: string[]) =>
  graphqlError('BAD_USER_INPUT', message, field ? { field } : {});

/**
 * A problem the user can fix, returned in a mutation payload's `userErrors`. `Code` is the
 * subgraph's generated error-code enum, so a service cannot return a code its schema lacks.
 */
export interface UserError<Code extends string> {
  field: string[] | null;
  message: string;
  code: Code;
}

/** One user error with its code from the domain's enum. */
export function userError<Code extends string>(field: string[] | null, message: string, code: Code): UserError<Code> {
  return { field, message, code };
}

const KNOWN_CODES = new Set<string>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'STORE_UNAVAILABLE',
  'TRY_AGAIN',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'MAX_DEPTH_EXCEEDED',
  'MAX_ALIASES_EXCEEDED',
  'MAX_TOKENS_EXCEEDED',
  'MAX_DIRECTIVES_EXCEEDED',
  'MAX_DOCUMENT_SIZE_EXCEEDED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_ALLOWED',
  'TOO_MANY_SUBSCRIPTIONS',
  'SEQUENCE_EXPIRED',
  'SLOW_CONSUMER',
  'MAX_COST_EXCEEDED',
  'THROTTLED',
]);

/** Whether internal error details may reach clients (only when NODE_ENV is development). */
export function exposeInternalErrors(): boolean {
  return process.env.NODE_ENV === 'development';
}

/** A property of a value of unknown shape (an error from a driver), or undefined. */
export function property(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** SQLSTATEs of a statement given up for waiting or for a conflict: statement timeout (or cancel), lock timeout, serialization failure, deadlock. */
const TRANSIENT_SQLSTATES = new Set(['57014', '55P03', '40001', '40P01']);

/** Prisma's P2028 (transaction API error) when it means waiting, not misuse: no connection in time, or the transaction's time ran out. */
const PRISMA_TRANSACTION_TIMEOUT = /Unable to start a transaction in the given time|expired transaction/;

/**
 * Whether a database error means "busy: rolled back, try again" rather than a fault: from
 * node-postgres (SQLSTATE), from Prisma's driver adapter (its originalCode, or a write conflict),
 * Prisma's transaction timeouts (P2028 of the two kinds above; its other P2028s are bugs) and
 * write conflicts (P2034), or a SQL transaction that ran past its deadline.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const code = property(error, 'code');
  if (typeof code === 'string' && (TRANSIENT_SQLSTATES.has(code) || code === 'P2034')) return true;
  if (code === 'P2028') return PRISMA_TRANSACTION_TIMEOUT.test(String(property(error, 'message')));
  if (property(error, 'name') === 'TransactionExpired') return true;
  const cause = property(property(property(error, 'meta'), 'driverAdapterError'), 'cause');
  return (
    TRANSIENT_SQLSTATES.has(String(property(cause, 'originalCode'))) ||
    property(cause, 'kind') === 'TransactionWriteConflict'
  );
}

const TRY_AGAIN_MESSAGE =
  'The database was too busy to finish this in time, so nothing of it was kept. Try again in a moment (with the same idempotency key, where there is one).';

/**
 * Apollo Server's formatError: errors with a known code pass through; a transaction given up
 * for waiting is TRY_AGAIN; anything else is logged and masked, so no stack trace or SQL reaches
 * a client outside development.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && KNOWN_CODES.has(code)) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  const cause = unwrapResolverError(error);
  if (isTransientDatabaseError(cause)) {
    logger.warn({ reason: cause instanceof Error ? cause.message : String(cause) }, 'rolled back, busy (TRY_AGAIN)');
    return {
      message: TRY_AGAIN_MESSAGE,
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'TRY_AGAIN' },
    };
  }
  if (exposeInternalErrors()) return formatted;
  // A subgraph's internal error reaches the gateway masked: the subgraph logged it, with its stack.
  if (property(property(cause, 'extensions'), 'code') !== 'INTERNAL_SERVER_ERROR')
    logger.error({ err: cause }, 'internal error');
  return {
    message: 'Internal server error',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
