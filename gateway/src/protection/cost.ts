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
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { CostModel, ListSize } from './cost-model.js';

/** What a root field of a mutation costs, its payload object included (Shopify's and Apollo's figure). */
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

/** A selected field as the cost reads it, settled once per operation and variables. */
interface PlannedField {
  /** The response key (alias or name). */
  key: string;
  /** What one value (one item of a list) costs by itself. */
  weight: number;
  /** Its list's size for the requested cost, when it is a list. */
  items: number | null;
  /** Its type and selection, when it is an object (or an interface or union). */
  composite: { type: GraphQLCompositeType; selectionSet: SelectionSetNode } | null;
  /** A mutation's root field: costs its weight once it ran, whatever it answered. */
  mutation: boolean;
  /** A connection's size, for its sized fields (edges, nodes) one level down. */
  sizes: Sized | undefined;
}

/** A connection's size and the fields it applies to. */
interface Sized {
  fields: readonly string[];
  size: number;
}

/** The plans of one operation with one set of variables, by selection set and parent type. */
interface OperationPlan {
  costed: CostedOperation;
  plans: Map<SelectionSetNode, Map<string, PlannedField[]>>;
  requested: number | null;
}

function included(costed: CostedOperation, node: SelectionNode): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, costed.variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, costed.variables)?.if !== false;
}

/** A selected field, with the type it was selected on (a fragment's type condition, or the enclosing type). */
interface SelectedField {
  node: FieldNode;
  parent: GraphQLCompositeType;
}

/**
 * The fields a selection set selects, through fragments and inline fragments, without those that
 * @skip or @include leave out. Fields of one response key on one type are merged, as execution
 * does; on an abstract type each fragment's fields count (the runtime type is not known yet).
 */
function selectedFields(
  costed: CostedOperation,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  into = new Map<string, SelectedField>(),
): Map<string, SelectedField> {
  for (const selection of selectionSet.selections) {
    if (!included(costed, selection)) continue;
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
    const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : costed.fragments[selection.name.value];
    if (!fragment) continue;
    const condition = fragment.typeCondition ? costed.schema.getType(fragment.typeCondition.name.value) : parent;
    selectedFields(costed, fragment.selectionSet, condition && isCompositeType(condition) ? condition : parent, into);
  }
  return into;
}

function fieldDefinition(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return 'getFields' in parent ? parent.getFields()[name] : undefined;
}

/** A field's own weight: @cost on it, else its type's (@cost on the type, objects 1, scalars and enums 0). */
function ownWeight(model: CostModel, field: GraphQLField<unknown, unknown>, coordinate: string): number {
  const declared = model.fieldWeights.get(coordinate);
  if (declared !== undefined) return declared;
  const named = getNamedType(field.type);
  return model.typeWeights.get(named.name) ?? (isCompositeType(named) ? 1 : 0);
}

/** The size @listSize gives from the arguments: the largest slicing argument sent, else the assumed size. */
function declaredSize(listSize: ListSize | undefined, args: Record<string, unknown>): number | null {
  if (!listSize) return null;
  const sliced = listSize.slicingArguments
    .map((name) => args[name])
    .filter((value): value is number => typeof value === 'number');
  return sliced.length ? Math.max(...sliced) : listSize.assumedSize;
}

/** The length of a field's list argument when it has exactly one (`nodes(ids:)` answers one item per id). */
function listArgumentLength(args: Record<string, unknown>): number | null {
  const lists = Object.values(args).filter(Array.isArray);
  return lists.length === 1 && lists[0] ? lists[0].length : null;
}

function argumentValues(
  costed: CostedOperation,
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
): Record<string, unknown> {
  if (!node.arguments?.length && !field.args.length) return {};
  try {
    return getArgumentValues(field, node, costed.variables);
  } catch {
    // Bad argument values are refused by execution with a clear error; the cost counts them as absent.
    return {};
  }
}

/**
 * The fields of a selection set on a type, with their weights and list sizes. `sized` carries a
 * connection's size down to its sized fields (edges, nodes).
 */
function plannedFields(
  operationPlan: OperationPlan,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  sized?: Sized,
): PlannedField[] {
  const cacheKey = sized ? `${parent.name}:${sized.size}` : parent.name;
  let byType = operationPlan.plans.get(selectionSet);
  const cached = byType?.get(cacheKey);
  if (cached) return cached;
  const { costed } = operationPlan;
  const { model } = costed;
  const mutationRoot = parent === costed.schema.getMutationType();
  const fields: PlannedField[] = [];
  for (const { node, parent: type } of selectedFields(costed, selectionSet, parent).values()) {
    const field = fieldDefinition(type, node.name.value);
    if (!field) continue;
    const coordinate = `${type.name}.${field.name}`;
    const args = argumentValues(costed, field, node);
    const listSize = model.listSizes.get(coordinate);
    const size = declaredSize(listSize, args);
    const named = getNamedType(field.type);
    const list = isListType(getNullableType(field.type));
    fields.push({
      key: node.alias?.value ?? node.name.value,
      weight: mutationRoot
        ? (model.fieldWeights.get(coordinate) ?? MUTATION_WEIGHT)
        : ownWeight(model, field, coordinate),
      items: list
        ? ((sized?.fields.includes(field.name) ? sized.size : null) ??
          size ??
          listArgumentLength(args) ??
          DEFAULT_LIST_SIZE)
        : null,
      composite: node.selectionSet && isCompositeType(named) ? { type: named, selectionSet: node.selectionSet } : null,
      mutation: mutationRoot,
      sizes: listSize?.sizedFields.length && size !== null ? { fields: listSize.sizedFields, size } : undefined,
    });
  }
  if (!byType) {
    byType = new Map();
    operationPlan.plans.set(selectionSet, byType);
  }
  byType.set(cacheKey, fields);
  return fields;
}

function requestedOf(
  operationPlan: OperationPlan,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  sized?: Sized,
): number {
  let cost = 0;
  for (const field of plannedFields(operationPlan, selectionSet, parent, sized)) {
    const children = field.composite
      ? requestedOf(operationPlan, field.composite.selectionSet, field.composite.type, field.sizes)
      : 0;
    cost += (field.items ?? 1) * (field.weight + children);
  }
  return cost;
}

/** Plans kept across requests: the same document and variables cost the same (documents are cached by Apollo Server). */
const plans = new WeakMap<OperationDefinitionNode, Map<string, OperationPlan>>();
const PLANS_PER_OPERATION = 100;
const costVariableNames = new WeakMap<OperationDefinitionNode, string[]>();

/**
 * The variables a cost can depend on: Int (first, last), Boolean (@skip, @include) and lists (their
 * length). A product page by handle costs the same for every handle, and shares one plan.
 */
function costVariablesKey(costed: CostedOperation): string {
  let names = costVariableNames.get(costed.operation);
  if (!names) {
    names = (costed.operation.variableDefinitions ?? []).flatMap(({ variable, type }) => {
      const nullable = type.kind === Kind.NON_NULL_TYPE ? type.type : type;
      return nullable.kind === Kind.LIST_TYPE || nullable.name.value === 'Int' || nullable.name.value === 'Boolean'
        ? [variable.name.value]
        : [];
    });
    costVariableNames.set(costed.operation, names);
  }
  return names.length ? JSON.stringify(names.map((name) => costed.variables[name] ?? null)) : '';
}

function operationPlan(costed: CostedOperation): OperationPlan {
  let byVariables = plans.get(costed.operation);
  if (!byVariables) {
    byVariables = new Map();
    plans.set(costed.operation, byVariables);
  }
  const key = costVariablesKey(costed);
  const found = byVariables.get(key);
  if (found && found.costed.schema === costed.schema && found.costed.model === costed.model) return found;
  if (byVariables.size >= PLANS_PER_OPERATION) byVariables.clear();
  const created: OperationPlan = { costed, plans: new Map(), requested: null };
  byVariables.set(key, created);
  return created;
}

/** The operation's root type in the schema. */
function rootType(costed: CostedOperation): GraphQLCompositeType | null | undefined {
  const { schema } = costed;
  if (costed.operation.operation === OperationTypeNode.MUTATION) return schema.getMutationType();
  if (costed.operation.operation === OperationTypeNode.SUBSCRIPTION) return schema.getSubscriptionType();
  return schema.getQueryType();
}

/**
 * The requested cost of an operation, computed on the document before execution: objects 1,
 * scalars and enums 0, a list or connection its selection times its size (`first`/`last`, else
 * its @listSize assumedSize, else DEFAULT_LIST_SIZE), each root field of a mutation MUTATION_WEIGHT;
 * @cost(weight:) on a type or field overrides its weight.
 */
export function requestedCost(costed: CostedOperation): number {
  const found = operationPlan(costed);
  if (found.requested === null) {
    const root = rootType(costed);
    found.requested = root ? requestedOf(found, costed.operation.selectionSet, root) : 0;
  }
  return found.requested;
}

function valueCost(operationPlan: OperationPlan, value: unknown, field: PlannedField): number {
  if (value === null || value === undefined) return 0;
  if (Array.isArray(value)) {
    let cost = 0;
    for (const item of value) cost += valueCost(operationPlan, item, field);
    return cost;
  }
  if (!field.composite || typeof value !== 'object') return field.weight;
  return (
    field.weight +
    objectCost(
      operationPlan,
      value as Record<string, unknown>,
      field.composite.selectionSet,
      runtimeType(operationPlan.costed, field.composite.type, value),
    )
  );
}

/** A result object's type: its __typename when selected on an abstract type, else the field's type. */
function runtimeType(costed: CostedOperation, type: GraphQLCompositeType, value: object): GraphQLCompositeType {
  if (!isAbstractType(type)) return type;
  const typename = (value as { __typename?: unknown }).__typename;
  const runtime = typeof typename === 'string' ? costed.schema.getType(typename) : null;
  return runtime && isObjectType(runtime) ? runtime : type;
}

function objectCost(
  operationPlan: OperationPlan,
  data: Record<string, unknown>,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
): number {
  let cost = 0;
  for (const field of plannedFields(operationPlan, selectionSet, parent)) {
    if (!(field.key in data)) continue;
    const value = data[field.key];
    // A mutation that ran costs its weight whatever it answered; its payload is counted like a query's.
    if (field.mutation)
      cost +=
        field.weight +
        (field.composite && value && typeof value === 'object'
          ? objectCost(
              operationPlan,
              value as Record<string, unknown>,
              field.composite.selectionSet,
              field.composite.type,
            )
          : 0);
    else cost += valueCost(operationPlan, value, field);
  }
  return cost;
}

/** Actual costs of answers served again (the storefront cache answers with the same object). */
const actualCosts = new WeakMap<object, { plan: OperationPlan; cost: number }>();

/**
 * The actual cost of an answer: the same weights applied to the objects the result holds (a list
 * of 3 costs 3 items, whatever `first` asked for). At most the requested cost, but for lists longer
 * than their assumed size.
 */
export function actualCost(costed: CostedOperation, data: Record<string, unknown> | null | undefined): number {
  const root = rootType(costed);
  if (!root || !data) return 0;
  const found = operationPlan(costed);
  const known = actualCosts.get(data);
  if (known?.plan === found) return known.cost;
  const cost = objectCost(found, data, costed.operation.selectionSet, root);
  actualCosts.set(data, { plan: found, cost });
  return cost;
}
