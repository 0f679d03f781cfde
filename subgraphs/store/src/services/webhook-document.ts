// A webhook's subscription document, checked against the graph's public API schema (the one
// clients and the gateway's subscription path use) when the webhook is saved.
import { readFileSync } from 'node:fs';
import { SCHEMA_DIRECTORY } from '@commerce/graphql-kit';
import {
  buildSchema,
  type GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';

let apiSchema: GraphQLSchema | undefined;

/** The client-facing schema (schema/api.graphql), built on first use. */
function schema(): GraphQLSchema {
  apiSchema ??= buildSchema(readFileSync(`${SCHEMA_DIRECTORY}api.graphql`, 'utf8'));
  return apiSchema;
}

/** The longest document accepted. */
export const MAX_DOCUMENT_LENGTH = 20_000;

/**
 * Why a document cannot select webhook payloads, or null when it can: it must parse, validate
 * against the graph, hold one subscription operation without variables, and select webhookEvent
 * and nothing else at its root.
 */
export function webhookDocumentProblem(query: string): string | null {
  if (query.length > MAX_DOCUMENT_LENGTH) return `Use at most ${MAX_DOCUMENT_LENGTH} characters.`;
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: 5_000 });
  } catch (error) {
    return `The document does not parse: ${(error as GraphQLError).message}`;
  }
  const errors = validate(schema(), document);
  if (errors.length > 0) return `The document does not validate: ${errors.map((error) => error.message).join(' ')}`;
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const [operation] = operations;
  if (operations.length !== 1 || !operation) return 'Give exactly one operation.';
  if (operation.operation !== OperationTypeNode.SUBSCRIPTION)
    return 'Give a subscription: subscription { webhookEvent { … } }.';
  if ((operation.variableDefinitions ?? []).length > 0)
    return 'A webhook document takes no variables: write values into it.';
  const roots = operation.selectionSet.selections;
  if (roots.length !== 1 || roots[0]?.kind !== Kind.FIELD || roots[0].name.value !== 'webhookEvent')
    return 'Select webhookEvent, and only it, at the root: subscription { webhookEvent { … } }.';
  return null;
}
