import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

function fieldsOf(sets: readonly SelectionSetNode[], info: GraphQLResolveInfo, seen = new Set<string>()): FieldNode[] {
  return sets.flatMap((set) =>
    set.selections.flatMap((selection): FieldNode[] => {
      if (selection.kind === Kind.FIELD) return [selection];
      if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsOf([selection.selectionSet], info, seen);
      const name = selection.name.value;
      const fragment = info.fragments[name];
      if (!fragment || seen.has(name)) return [];
      return fieldsOf([fragment.selectionSet], info, new Set([...seen, name]));
    }),
  );
}

/**
 * The names of the fields selected at a path below the resolver's field, through fragments: with
 * path ['edges', 'node'] on a connection field, the fields asked of its nodes. Directives are not
 * evaluated (a field under @skip counts as selected), so the answer may be a superset: use it to
 * fetch ahead, never to decide what a caller may see.
 */
export function selectedFieldNames(info: GraphQLResolveInfo, path: readonly string[] = []): Set<string> {
  let sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const name of path) {
    sets = fieldsOf(sets, info)
      .filter((field) => field.name.value === name)
      .flatMap((field) => (field.selectionSet ? [field.selectionSet] : []));
  }
  return new Set(fieldsOf(sets, info).map((field) => field.name.value));
}

/** Whether the resolver's field asks for nothing but these fields (and __typename). */
export function selectsOnly(info: GraphQLResolveInfo, fields: readonly string[]): boolean {
  const allowed = new Set([...fields, '__typename']);
  return [...selectedFieldNames(info)].every((name) => allowed.has(name));
}
