import { isUniqueViolation } from '@commerce/graphql-kit';

function property(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Whether a database error is a violation of this unique index. Prisma reports violations by its
 * own queries as P2002 and by raw queries as P2010; both carry the driver's cause.
 */
export function violatesUniqueIndex(error: unknown, index: string, columns: readonly string[]): boolean {
  const cause = property(property(property(error, 'meta'), 'driverAdapterError'), 'cause');
  if (!isUniqueViolation(error) && property(cause, 'kind') !== 'UniqueConstraintViolation') return false;
  const constraint = property(cause, 'constraint');
  const name = property(constraint, 'index');
  if (typeof name === 'string') return name === index;
  const fields = property(constraint, 'fields') ?? property(property(error, 'meta'), 'target');
  return Array.isArray(fields) && columns.every((column) => fields.some((field) => String(field).replaceAll('"', '') === column));
}
