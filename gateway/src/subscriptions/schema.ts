import { readFileSync } from 'node:fs';
import { SCHEMA_DIRECTORY } from '@commerce/graphql-kit';
import {
  buildSchema,
  GraphQLError,
  GraphQLInterfaceType,
  GraphQLObjectType,
  GraphQLScalarType,
  Kind,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import { InventoryUpdatedEvent, inventoryUpdated } from './fields/inventory-updated.js';
import { OrderCreatedEvent, orderCreated } from './fields/order-created.js';
import { WEBHOOK_EVENT_TYPES, webhookEvent } from './fields/webhook-event.js';

const UNSIGNED_INT64_MAX = 2n ** 64n - 1n;

/** UnsignedInt64 input: digits as a string, or an integer literal; kept as its canonical string. */
function parseUnsignedInt64(value: unknown): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{1,20}$/.test(text) || BigInt(text) > UNSIGNED_INT64_MAX) {
    throw new GraphQLError(
      `UnsignedInt64 must be a whole number from 0 to ${UNSIGNED_INT64_MAX}, as a string of digits; got ${JSON.stringify(value)}.`,
    );
  }
  return BigInt(text).toString();
}

function literalOf(node: ValueNode): unknown {
  return node.kind === Kind.INT || node.kind === Kind.STRING ? node.value : undefined;
}

function objectType(schema: GraphQLSchema, name: string): GraphQLObjectType {
  const type = schema.getType(name);
  if (!(type instanceof GraphQLObjectType))
    throw new Error(`schema/api.graphql has no object type ${name} (run pnpm compose)`);
  return type;
}

type Resolvers = Record<string, GraphQLFieldResolver<never, never, never>>;

function attach(schema: GraphQLSchema, typeName: string, resolvers: Resolvers): void {
  const fields = objectType(schema, typeName).getFields();
  for (const [name, resolve] of Object.entries(resolvers)) {
    const field = fields[name];
    if (!field) throw new Error(`${typeName}.${name} is not in schema/api.graphql`);
    field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
  }
}

/**
 * The graphql-ws server's schema: the client-facing API schema (schema/api.graphql, which the
 * subgraphs' Subscription fields compose into), with subscribe/resolve functions on the
 * Subscription fields and their event types. Everything below an event's entity is resolved from
 * the gateway's answer (gatewayDataResolver); queries and mutations are not served here.
 */
export function buildSubscriptionSchema(): GraphQLSchema {
  // Without source locations, which the schema's nodes would keep with every token of the file.
  const schema = buildSchema(readFileSync(`${SCHEMA_DIRECTORY}api.graphql`, 'utf8'), { noLocation: true });
  const sequence = schema.getType('UnsignedInt64');
  if (!(sequence instanceof GraphQLScalarType)) throw new Error('schema/api.graphql has no UnsignedInt64 scalar');
  sequence.serialize = (value) => (typeof value === 'bigint' ? value.toString() : parseUnsignedInt64(value));
  sequence.parseValue = parseUnsignedInt64;
  sequence.parseLiteral = (node) => parseUnsignedInt64(literalOf(node));

  const subscription = objectType(schema, 'Subscription').getFields();
  for (const [name, config] of Object.entries({ orderCreated, inventoryUpdated, webhookEvent })) {
    const field = subscription[name];
    if (!field) throw new Error(`Subscription.${name} is not in schema/api.graphql`);
    field.subscribe = config.subscribe as GraphQLFieldResolver<unknown, unknown>;
    field.resolve = config.resolve as GraphQLFieldResolver<unknown, unknown>;
  }
  attach(schema, 'OrderCreatedEvent', OrderCreatedEvent as unknown as Resolvers);
  attach(schema, 'InventoryUpdatedEvent', InventoryUpdatedEvent as unknown as Resolvers);
  // Webhook payloads (gateway/src/webhooks): the event's type is the one its topic has.
  const events = schema.getType('WebhookEvent');
  if (!(events instanceof GraphQLInterfaceType)) throw new Error('schema/api.graphql has no WebhookEvent interface');
  events.resolveType = (value) => (value as { __typename: string }).__typename;
  for (const [typeName, resolvers] of Object.entries(WEBHOOK_EVENT_TYPES))
    attach(schema, typeName, resolvers as unknown as Resolvers);
  return schema;
}
