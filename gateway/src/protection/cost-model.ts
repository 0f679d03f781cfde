import { Kind, parse, valueFromASTUntyped, type DirectiveNode, type DocumentNode } from 'graphql';

/** The demand-control directives of Apollo Federation, as the supergraph links them. */
const COST_SPEC = 'https://specs.apollo.dev/cost/';

/** `@listSize` on a field: how many items its list (or the lists of its connection) holds. */
export interface ListSize {
  /** The size when no slicing argument is given. */
  assumedSize: number | null;
  /** Int arguments that bound the size (`first`, `last`). */
  slicingArguments: readonly string[];
  /** On a connection: its list fields that the size applies to (`edges`, `nodes`). */
  sizedFields: readonly string[];
}

/**
 * The cost declarations of the supergraph: `@cost(weight:)` on types and fields and `@listSize`
 * on fields, composed from the subgraphs' SDL. Everything not declared follows the defaults of
 * cost.ts (objects 1, scalars and enums 0).
 */
export interface CostModel {
  /** `@cost` of a type, by name. */
  readonly typeWeights: ReadonlyMap<string, number>;
  /** `@cost` of a field, by `Type.field`. */
  readonly fieldWeights: ReadonlyMap<string, number>;
  /** `@listSize` of a field, by `Type.field`. */
  readonly listSizes: ReadonlyMap<string, ListSize>;
}

/**
 * The local names of @cost and @listSize: imported names, else `<namespace>__cost` (the @link
 * rules); and the spec's own names when the document defines them, as composition writes @cost
 * without importing it.
 */
function directiveNames(document: DocumentNode): { cost: Set<string>; listSize: Set<string> } {
  const names = { cost: new Set<string>(), listSize: new Set<string>() };
  for (const definition of document.definitions) {
    if (
      definition.kind === Kind.DIRECTIVE_DEFINITION &&
      (definition.name.value === 'cost' || definition.name.value === 'listSize')
    )
      names[definition.name.value].add(definition.name.value);
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      const args = argumentsOf(link);
      if (link.name.value !== 'link' || typeof args.url !== 'string' || !args.url.startsWith(COST_SPEC)) continue;
      const namespace = typeof args.as === 'string' ? args.as : 'cost';
      names.cost.add(`${namespace}__cost`);
      names.listSize.add(`${namespace}__listSize`);
      for (const entry of Array.isArray(args.import) ? args.import : []) {
        const [name, alias] =
          typeof entry === 'string'
            ? [entry, entry]
            : isImport(entry)
              ? [entry.name, entry.as ?? entry.name]
              : ['', ''];
        if (name === '@cost') names.cost.add(alias.replace(/^@/, ''));
        if (name === '@listSize') names.listSize.add(alias.replace(/^@/, ''));
      }
    }
  }
  return names;
}

function isImport(value: unknown): value is { name: string; as?: string } {
  return typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';
}

function argumentsOf(directive: DirectiveNode): Record<string, unknown> {
  return Object.fromEntries(
    (directive.arguments ?? []).map((argument) => [argument.name.value, valueFromASTUntyped(argument.value)]),
  );
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Reads the cost declarations from a supergraph's SDL. */
export function costModelFromSupergraph(supergraphSdl: string): CostModel {
  const document = parse(supergraphSdl, { noLocation: true });
  const names = directiveNames(document);
  const typeWeights = new Map<string, number>();
  const fieldWeights = new Map<string, number>();
  const listSizes = new Map<string, ListSize>();
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    const typeName = definition.name.value;
    for (const directive of definition.directives ?? []) {
      if (names.cost.has(directive.name.value)) typeWeights.set(typeName, Number(argumentsOf(directive).weight));
    }
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    for (const field of definition.fields ?? []) {
      const coordinate = `${typeName}.${field.name.value}`;
      for (const directive of field.directives ?? []) {
        const args = argumentsOf(directive);
        if (names.cost.has(directive.name.value)) fieldWeights.set(coordinate, Number(args.weight));
        if (names.listSize.has(directive.name.value)) {
          listSizes.set(coordinate, {
            assumedSize: typeof args.assumedSize === 'number' ? args.assumedSize : null,
            slicingArguments: strings(args.slicingArguments),
            sizedFields: strings(args.sizedFields),
          });
        }
      }
    }
  }
  return { typeWeights, fieldWeights, listSizes };
}
