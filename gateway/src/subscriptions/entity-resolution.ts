import {
  Kind,
  OperationTypeNode,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLError,
  type GraphQLResolveInfo,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { toGraphQLError, type GatewayExecutor } from './gateway-executor.js';
import { subscriberHeaders, type Subscriber } from './subscriber.js';

/**
 * The entity of an event is not (or no longer) visible to the subscriber, e.g. a product made
 * DRAFT after a storefront subscribed: the event is not delivered to them.
 */
export class EntityNotVisibleError extends Error {
  constructor() {
    super('The subscriber cannot see this event’s entity.');
  }
}

/** The query that reads the client's selection of an entity through the gateway. */
interface EntityQuery {
  text: string;
  /** The variable the entity's global id goes in. */
  idVariable: string;
  /** The client's variables the selection uses. */
  variables: string[];
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/** Adds __typename to every selection set, so that abstract types resolve from the gateway's data. */
function withTypenames<Node extends SelectionSetNode | FragmentDefinitionNode>(node: Node): Node {
  return visit(node, {
    SelectionSet: {
      leave(set: SelectionSetNode) {
        const has = set.selections.some(
          (selection) => selection.kind === Kind.FIELD && !selection.alias && selection.name.value === '__typename',
        );
        return has ? set : { ...set, selections: [...set.selections, TYPENAME] };
      },
    },
  });
}

const queries = new WeakMap<FieldNode, Map<string, EntityQuery>>();

/**
 * Turns the client's selection on an event's entity field (e.g. `order { … }`) into
 * `query ($id: ID!, …) { node(id: $id) { ... on Order { … } } }` with the fragments and variables
 * it uses; aliases are kept, so the gateway's answer has the client's response keys. Built once
 * per subscription document.
 */
function entityQuery(info: GraphQLResolveInfo, typeName: string): EntityQuery {
  const anchor = info.fieldNodes[0];
  if (!anchor) throw new Error('a field resolves without a field node');
  let byType = queries.get(anchor);
  const cached = byType?.get(typeName);
  if (cached) return cached;

  const selections: SelectionNode[] = info.fieldNodes.flatMap((node) => node.selectionSet?.selections ?? []);
  const fragments = new Map<string, FragmentDefinitionNode>();
  const variables = new Set<string>();
  const collect = (node: SelectionSetNode | FragmentDefinitionNode): void => {
    visit(node, {
      Variable(variable) {
        variables.add(variable.name.value);
      },
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = info.fragments[name];
        if (fragment && !fragments.has(name)) {
          fragments.set(name, fragment);
          collect(fragment);
        }
      },
    });
  };
  const selectionSet: SelectionSetNode = { kind: Kind.SELECTION_SET, selections };
  collect(selectionSet);

  let idVariable = 'entityId';
  while (variables.has(idVariable)) idVariable = `_${idVariable}`;
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: OperationTypeNode.QUERY,
        name: { kind: Kind.NAME, value: 'SubscriptionPayload' },
        variableDefinitions: [
          {
            kind: Kind.VARIABLE_DEFINITION,
            variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: idVariable } },
            type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
          },
          ...(info.operation.variableDefinitions ?? []).filter((definition) =>
            variables.has(definition.variable.name.value),
          ),
        ],
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: [
            {
              kind: Kind.FIELD,
              name: { kind: Kind.NAME, value: 'node' },
              arguments: [
                {
                  kind: Kind.ARGUMENT,
                  name: { kind: Kind.NAME, value: 'id' },
                  value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: idVariable } },
                },
              ],
              selectionSet: withTypenames({
                kind: Kind.SELECTION_SET,
                selections: [
                  {
                    kind: Kind.INLINE_FRAGMENT,
                    typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: typeName } },
                    selectionSet,
                  },
                ],
              }),
            },
          ],
        },
      },
      ...[...fragments.values()].map((fragment) => withTypenames(fragment)),
    ],
  };
  const query: EntityQuery = { text: print(document), idVariable, variables: [...variables] };
  if (!byType) {
    byType = new Map();
    queries.set(anchor, byType);
  }
  byType.set(typeName, query);
  return query;
}

/** Errors the gateway reported inside an entity, by the object and response key they belong to. */
const nestedErrors = new WeakMap<object, Map<string, GraphQLError>>();

function indexNestedErrors(
  entity: object,
  errors: ReadonlyArray<{ path?: ReadonlyArray<string | number>; error: GraphQLError }>,
): void {
  for (const { path, error } of errors) {
    if (!path || path.length < 3 || path[0] !== 'node') continue;
    let parent: unknown = entity;
    for (const segment of path.slice(1, -1))
      parent =
        typeof parent === 'object' && parent !== null
          ? (parent as Record<string, unknown>)[String(segment)]
          : undefined;
    if (typeof parent !== 'object' || parent === null) continue;
    let byKey = nestedErrors.get(parent);
    if (!byKey) {
      byKey = new Map();
      nestedErrors.set(parent, byKey);
    }
    byKey.set(String(path.at(-1)), error);
  }
}

/**
 * Resolves fields below an event's entity from the gateway's answer: by response key (aliases
 * included); a null the gateway explained with an error raises that error at the same place.
 */
export const gatewayDataResolver: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
  if (typeof source !== 'object' || source === null) return null;
  const key = String(info.path.key);
  const value = (source as Record<string, unknown>)[key];
  if (value !== null && value !== undefined) return value;
  const error = nestedErrors.get(source)?.get(key);
  if (error) throw error;
  return null;
};

export interface EntityRequest {
  typeName: string;
  /** The entity's global id. */
  id: string;
  /** The store the query acts in (X-Store). */
  store: string;
  subscriber: Subscriber;
  execute: GatewayExecutor;
}

/**
 * Reads the client's selection of an event's entity through the gateway with the subscriber's own
 * credentials, so the payload has fields of every subgraph and only what the subscriber may query.
 */
export async function resolveEntity(
  request: EntityRequest,
  info: GraphQLResolveInfo,
): Promise<Record<string, unknown>> {
  const query = entityQuery(info, request.typeName);
  const variables: Record<string, unknown> = { [query.idVariable]: request.id };
  for (const name of query.variables) variables[name] = info.variableValues[name];
  const result = await request.execute({
    query: query.text,
    variables,
    headers: subscriberHeaders(request.subscriber, request.store),
  });
  const errors = (result.errors ?? []).map((error) => ({ path: error.path, error: toGraphQLError(error) }));
  const entity = (result.data as { node?: Record<string, unknown> | null } | null | undefined)?.node;
  if (!entity) {
    const error = errors.find(({ path }) => !path || path.length <= 1) ?? errors[0];
    if (error) throw error.error;
    throw new EntityNotVisibleError();
  }
  indexNestedErrors(entity, errors);
  return entity;
}
