import { isUniqueViolation } from '@commerce/graphql-kit';

function property(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * The unique index a database error violated ('' when the driver does not say which), or null
 * when the error is no unique violation.
 */
export function violatedUniqueIndex(error: unknown): string | null {
  if (!isUniqueViolation(error)) return null;
  const meta = property(error, 'meta');
  const index = property(property(property(property(meta, 'driverAdapterError'), 'cause'), 'constraint'), 'index');
  return typeof index === 'string' ? index : '';
}
