import {
  BREAK,
  GraphQLError,
  Kind,
  visit,
  type ASTNode,
  type DocumentNode,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';

/** A lone half of a UTF-16 surrogate pair: not a character, and not encodable as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What in a string PostgreSQL cannot store (text holds no NUL, UTF-8 no lone surrogate), or null. */
function unstorable(value: string): string | null {
  if (value.includes('\u0000')) return 'a NUL character (U+0000)';
  if (LONE_SURROGATE.test(value)) return 'a lone UTF-16 surrogate (half of a character)';
  return null;
}

function refused(message: string, field: string[]): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}

/** A step in a value: an input field's name or a list index. */
type Step = string | number;

interface Pending<Value> {
  value: Value;
  path: Step[];
}

function dotted(path: readonly Step[]): string {
  return path.map((step, index) => (typeof step === 'number' ? `[${step}]` : index === 0 ? step : `.${step}`)).join('');
}

/** The first string in a literal argument value that cannot be stored, with its path. */
function unstorableLiteral(value: ValueNode, root: string): { path: Step[]; what: string } | null {
  const pending: Array<Pending<ValueNode>> = [{ value, path: [root] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const node = next.value;
    if (node.kind === Kind.STRING) {
      const what = unstorable(node.value);
      if (what) return { path: next.path, what };
    } else if (node.kind === Kind.LIST) {
      for (const [index, item] of node.values.entries()) pending.push({ value: item, path: [...next.path, index] });
    } else if (node.kind === Kind.OBJECT) {
      for (const field of node.fields) pending.push({ value: field.value, path: [...next.path, field.name.value] });
    }
  }
  return null;
}

/**
 * The first string in a variable's value that cannot be stored, with its path. Iterative: the
 * value is JSON of any depth the request body allows.
 */
function unstorableVariable(value: unknown, root: string): { path: Step[]; what: string } | null {
  const pending: Array<{ value: unknown; parent: { path: () => Step[] } | null; step: Step }> = [
    { value, parent: null, step: root },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const current = next;
    const path = (): Step[] => [...(current.parent?.path() ?? []), current.step];
    if (typeof current.value === 'string') {
      const what = unstorable(current.value);
      if (what) return { path: path(), what };
    } else if (Array.isArray(current.value)) {
      for (const [index, item] of current.value.entries()) pending.push({ value: item, parent: { path }, step: index });
    } else if (typeof current.value === 'object' && current.value !== null) {
      for (const [key, item] of Object.entries(current.value))
        pending.push({ value: item, parent: { path }, step: key });
    }
  }
  return null;
}

function fieldName(ancestors: ReadonlyArray<ASTNode | readonly ASTNode[]>): string {
  const parent = ancestors[ancestors.length - 1];
  return parent && 'kind' in parent && (parent.kind === Kind.FIELD || parent.kind === Kind.DIRECTIVE)
    ? parent.name.value
    : '';
}

const literalChecks = new WeakMap<DocumentNode, GraphQLError | null>();

/** The refusal for the document's literal arguments and variable defaults; once per document (Apollo Server reuses parsed documents). */
function literalRefusal(document: DocumentNode): GraphQLError | null {
  const known = literalChecks.get(document);
  if (known !== undefined) return known;
  let found: GraphQLError | null = null;
  visit(document, {
    Argument(argument, _key, _parent, _path, ancestors) {
      const bad = unstorableLiteral(argument.value, argument.name.value);
      if (!bad) return undefined;
      found = refused(
        `Argument "${argument.name.value}" of "${fieldName(ancestors)}" holds ${bad.what} at ${dotted(bad.path)}, which cannot be stored: remove it.`,
        bad.path.map(String),
      );
      return BREAK;
    },
    VariableDefinition(definition) {
      const bad = definition.defaultValue && unstorableLiteral(definition.defaultValue, definition.variable.name.value);
      if (!bad) return undefined;
      found = refused(
        `The default value of variable "$${definition.variable.name.value}" holds ${bad.what} at ${dotted(bad.path)}, which cannot be stored: remove it.`,
        bad.path.map(String),
      );
      return BREAK;
    },
  });
  literalChecks.set(document, found);
  return found;
}

/**
 * Strings PostgreSQL cannot store, anywhere in an operation's input: literal arguments (of fields
 * and directives, in the operation and its fragments), variable defaults and the values of its
 * variables. Checked once here, at the edge, for every argument and input field, rather than by each
 * resolver: BAD_USER_INPUT naming the path, instead of an internal error from the database. Every
 * string counts, whatever its type: each one reaches a resolver, or fails coercion anyway.
 */
export function unstorableStringRefusal(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): GraphQLError | null {
  const literal = literalRefusal(document);
  if (literal) return literal;
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const bad = variables && Object.hasOwn(variables, name) ? unstorableVariable(variables[name], name) : null;
    if (bad)
      return refused(
        `Variable "$${name}" holds ${bad.what} at ${dotted(bad.path)}, which cannot be stored: remove it.`,
        bad.path.map(String),
      );
  }
  return null;
}
