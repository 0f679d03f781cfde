import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  OperationTypeNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { CostModel, ListSize } from './cost-model.js';

/** What a root field of a mutation costs, over its selection (Shopify's and Apollo's figure). */
export const MUTATION_WEIGHT = 10;
/** Items assumed in a list that declares no @listSize and is not sliced. */
export const DEFAULT_LIST_SIZE = 10;

/** An operation as the cost is computed on it: the document's fragments and the request's variables. */
export interface CostedOperation {
  schema: GraphQLSchema;
  model: CostModel;
  operation: OperationDefinitionNode;
  fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  variables: Readonly<Record<string, unknown>>;
}

/** A selected field, with the type it was selected on (a fragment's type condition, or the enclosing type). */
interface SelectedField {
  node: FieldNode;
  parent: GraphQLCompositeType;
}

function included(operation: CostedOperation, node: FieldNode | SelectionSetNode['selections'][number]): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, operation.variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, operation.variables)?.if !== false;
}

/**
 * The fields a selection set selects, through fragments and inline fragments, without those that
 * @skip or @include leave out. Fields of one response key on one type are merged, as execution does.
 */
function selectedFields(operation: CostedOperation, selectionSet: SelectionSetNode, parent: GraphQLCompositeType, into = new Map<string, SelectedField>()): Map<string, SelectedField> {
  for (const selection of selectionSet.selections) {
    if (!included(operation, selection)) continue;
    if (selection.kind === Kind.FIELD) {
      const key = `${parent.name}.${selection.alias?.value ?? selection.name.value}`;
      const seen = into.get(key);
      if (!seen) into.set(key, { node: selection, parent });
      else if (seen.node.selectionSet && selection.selectionSet) {
        const selections = [...seen.node.selectionSet.selections, ...selection.selectionSet.selections];
        into.set(key, { parent, node: { ...seen.node, selectionSet: { ...seen.node.selectionSet, selections } } });
      }
      continue;
    }
    const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : operation.fragments[selection.name.value];
    if (!fragment) continue;
    const condition = fragment.typeCondition ? operation.schema.getType(fragment.typeCondition.name.value) : parent;
    selectedFields(operation, fragment.selectionSet, condition && isCompositeType(condition) ? condition : parent, into);
  }
  return into;
}

function fieldDefinition(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return 'getFields' in parent ? parent.getFields()[name] : undefined;
}

/** What one object (or one item of a list of objects) of this type costs by itself. */
function typeWeight(model: CostModel, type: GraphQLCompositeType): number {
  return model.typeWeights.get(type.name) ?? 1;
}

/** A field's own weight: @cost on it, else its type's (@cost on the type, objects 1, scalars and enums 0). */
function ownWeight(operation: CostedOperation, field: GraphQLField<unknown, unknown>, coordinate: string): number {
  const declared = operation.model.fieldWeights.get(coordinate);
  if (declared !== undefined) return declared;
  const named = getNamedType(field.type);
  return isCompositeType(named) ? typeWeight(operation.model, named) : (operation.model.typeWeights.get(named.name) ?? 0);
}

/** The size @listSize gives from the arguments: the largest slicing argument sent, else the assumed size. */
function declaredSize(listSize: ListSize | undefined, args: Record<string, unknown>): number | null {
  if (!listSize) return null;
  const sliced = listSize.slicingArguments.map((name) => args[name]).filter((value): value is number => typeof value === 'number');
  return sliced.length ? Math.max(...sliced) : listSize.assumedSize;
}

/** The length of a field's list argument when it has exactly one (`nodes(ids:)` answers one item per id). */
function listArgumentLength(args: Record<string, unknown>): number | null {
  const lists = Object.values(args).filter(Array.isArray);
  return lists.length === 1 && lists[0] ? lists[0].length : null;
}

function argumentValues(operation: CostedOperation, field: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> {
  try {
    return getArgumentValues(field, node, operation.variables);
  } catch {
    // Bad argument values are refused by execution with a clear error; the cost counts them as absent.
    return {};
  }
}

/** The requested cost of a selection set: each field's weight, lists multiplied by their size. */
function selectionCost(operation: CostedOperation, selectionSet: SelectionSetNode, parent: GraphQLCompositeType, sized?: { fields: readonly string[]; size: number }): number {
  let cost = 0;
  for (const { node, parent: type } of selectedFields(operation, selectionSet, parent).values()) {
    const field = fieldDefinition(type, node.name.value);
    if (!field) continue;
    const coordinate = `${type.name}.${field.name}`;
    const args = argumentValues(operation, field, node);
    const listSize = operation.model.listSizes.get(coordinate);
    const size = declaredSize(listSize, args);
    const named = getNamedType(field.type);
    const root = type === operation.schema.getMutationType();
    const weight = root ? (operation.model.fieldWeights.get(coordinate) ?? MUTATION_WEIGHT) : ownWeight(operation, field, coordinate);
    const children =
      node.selectionSet && isCompositeType(named)
        ? selectionCost(operation, node.selectionSet, named, listSize?.sizedFields.length && size !== null ? { fields: listSize.sizedFields, size } : undefined)
        : 0;
    if (isListType(getNullableType(field.type))) {
      const items = (sized?.fields.includes(field.name) ? sized.size : null) ?? size ?? listArgumentLength(args) ?? DEFAULT_LIST_SIZE;
      cost += items * (weight + children);
    } else cost += weight + children;
  }
  return cost;
}

/** The operation's root type in the schema. */
function rootType(operation: CostedOperation): GraphQLCompositeType | null | undefined {
  const { schema } = operation;
  if (operation.operation.operation === OperationTypeNode.MUTATION) return schema.getMutationType();
  if (operation.operation.operation === OperationTypeNode.SUBSCRIPTION) return schema.getSubscriptionType();
  return schema.getQueryType();
}

/**
 * The requested cost of an operation, computed on the document before execution: objects 1,
 * scalars and enums 0, a list or connection its selection times its size (`first`/`last`, else
 * its @listSize assumedSize, else DEFAULT_LIST_SIZE), each root field of a mutation MUTATION_WEIGHT;
 * @cost(weight:) on a type or field overrides its weight.
 */
export function requestedCost(operation: CostedOperation): number {
  const root = rootType(operation);
  return root ? selectionCost(operation, operation.operation.selectionSet, root) : 0;
}

/**
 * The fields a selection set may have answered, by response key. For an abstract type the runtime
 * type is not in the result, so every fragment's fields are candidates; a key answers for the first.
 */
function fieldsByResponseKey(operation: CostedOperation, selectionSet: SelectionSetNode, parent: GraphQLCompositeType): Map<string, SelectedField> {
  const byKey = new Map<string, SelectedField>();
  for (const selected of selectedFields(operation, selectionSet, parent).values()) {
    const key = selected.node.alias?.value ?? selected.node.name.value;
    if (!byKey.has(key)) byKey.set(key, selected);
  }
  return byKey;
}

function valueCost(operation: CostedOperation, value: unknown, field: GraphQLField<unknown, unknown>, coordinate: string, node: FieldNode): number {
  if (value === null || value === undefined) return 0;
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + valueCost(operation, item, field, coordinate, node), 0);
  const named = getNamedType(field.type);
  if (typeof value !== 'object' || !isCompositeType(named) || !node.selectionSet) return 0;
  // A result object of an abstract type says its type only when __typename was selected.
  const typename = (value as { __typename?: unknown }).__typename;
  const runtime = isAbstractType(named) && typeof typename === 'string' ? operation.schema.getType(typename) : null;
  const type = runtime && isObjectType(runtime) ? runtime : named;
  return ownWeight(operation, field, coordinate) + objectCost(operation, value as Record<string, unknown>, node.selectionSet, type);
}

function objectCost(operation: CostedOperation, data: Record<string, unknown>, selectionSet: SelectionSetNode, parent: GraphQLCompositeType, root = false): number {
  const fields = fieldsByResponseKey(operation, selectionSet, parent);
  let cost = 0;
  for (const [key, value] of Object.entries(data)) {
    const selected = fields.get(key);
    const field = selected && fieldDefinition(selected.parent, selected.node.name.value);
    if (!selected || !field) continue;
    const coordinate = `${selected.parent.name}.${field.name}`;
    if (root && operation.operation.operation === OperationTypeNode.MUTATION) {
      // A mutation that ran costs its weight whatever it answered; its payload is counted like a query's.
      cost += (operation.model.fieldWeights.get(coordinate) ?? MUTATION_WEIGHT) + (value && typeof value === 'object' && selected.node.selectionSet ? objectCostOf(operation, value, field, selected.node) : 0);
    } else cost += valueCost(operation, value, field, coordinate, selected.node);
  }
  return cost;
}

function objectCostOf(operation: CostedOperation, value: object, field: GraphQLField<unknown, unknown>, node: FieldNode): number {
  const named = getNamedType(field.type);
  if (!isCompositeType(named) || !node.selectionSet) return 0;
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + (item && typeof item === 'object' ? objectCostOf(operation, item as object, field, node) : 0), 0);
  return objectCost(operation, value as Record<string, unknown>, node.selectionSet, named);
}

/**
 * The actual cost of an answer: the same weights applied to the objects the result holds (a list
 * of 3 costs 3 items, whatever `first` asked for). Less than or equal to the requested cost but for
 * lists longer than their assumed size.
 */
export function actualCost(operation: CostedOperation, data: Record<string, unknown> | null | undefined): number {
  const root = rootType(operation);
  return root && data ? objectCost(operation, data, operation.operation.selectionSet, root, true) : 0;
}
