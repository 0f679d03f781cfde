import { GraphQLScalarType, Kind } from 'graphql';
import { Prisma } from '@commerce/database';

const DECIMAL = /^-?\d{1,15}(\.\d{1,6})?$/;

function parseDecimal(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL.test(text)) throw new TypeError('Decimal must be a string such as "19.99"');
  return text;
}

/** Exact decimal numbers as strings: "19.99". Never a float. */
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal number as a string, e.g. "19.99".',
  serialize: (value) => (value instanceof Prisma.Decimal ? value.toFixed() : parseDecimal(value)),
  parseValue: parseDecimal,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING && ast.kind !== Kind.INT && ast.kind !== Kind.FLOAT)
      throw new TypeError('Decimal must be a string');
    return parseDecimal(ast.value);
  },
});

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
    throw new TypeError('DateTime must be an ISO 8601 string');
  return new Date(value);
}

/** Instants as ISO 8601 strings in UTC. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant as an ISO 8601 string in UTC, e.g. "2026-11-21T10:00:00.000Z".',
  serialize: (value) => (value instanceof Date ? value.toISOString() : parseDateTime(value).toISOString()),
  parseValue: parseDateTime,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new TypeError('DateTime must be a string');
    return parseDateTime(ast.value);
  },
});

/** The scalars every subgraph declares. */
export const scalarResolvers = { Decimal: DecimalScalar, DateTime: DateTimeScalar };
