// Writing custom-field values: all of a call or none, each entry checked against its definition,
// its owner and the objects it references, in the caller's tenant transaction and in a fixed
// number of statements whatever the number of entries.
import { isUuid, Prisma, type RawSql } from '@commerce/database';
import { decodeGlobalId, userError, type UserError } from '@commerce/graphql-kit';
import type { MetafieldRecord } from './metafield-read.js';
import {
  HANDLE,
  MAX_METAFIELDS_PER_CALL,
  OWNER_GLOBAL_TYPES,
  ownerTypeOf,
  type MetafieldErrorCode,
  type MetafieldOwnerType,
  type MetafieldType,
} from './metafield-types.js';
import { parseMetafieldValue, type ParsedMetafieldValue } from './metafield-value.js';
import { validationsFromJson } from './metafield-validations.js';

/** One value to write: whose, which field, and the value as a string. */
export interface MetafieldSetEntry {
  ownerId: string;
  namespace: string;
  key: string;
  value: string;
}

/** One value to remove. */
export type MetafieldDeleteEntry = Omit<MetafieldSetEntry, 'value'>;

/** The owner a global id names, if its type has custom fields. */
export function ownerOf(globalId: string): { ownerType: MetafieldOwnerType; key: string } | null {
  const decoded = decodeGlobalId(globalId);
  const ownerType = decoded ? ownerTypeOf(decoded.type) : null;
  return decoded && ownerType && isUuid(decoded.key) ? { ownerType, key: decoded.key } : null;
}

interface DefinitionRow {
  id: string;
  ownerType: MetafieldOwnerType;
  namespace: string;
  key: string;
  type: MetafieldType;
  list: boolean;
  validations: unknown;
}

type Errors = UserError<MetafieldErrorCode>[];

const path = (index: number, field?: string) =>
  field === undefined ? ['metafields', String(index)] : ['metafields', String(index), field];

/** The definitions of the store with these namespaces and keys, for every owner type (one statement). */
async function definitionsNamed(
  tx: RawSql,
  storeId: string,
  entries: readonly MetafieldDeleteEntry[],
): Promise<DefinitionRow[]> {
  if (entries.length === 0) return [];
  return tx.$queryRaw<DefinitionRow[]>`
    SELECT d."id"::text AS "id", d."ownerType"::text AS "ownerType", d."namespace", d."key", d."type"::text AS "type",
      d."list", d."validations"
    FROM "MetafieldDefinition" d
    WHERE d."storeId" = ${storeId}::uuid
      AND (d."namespace", d."key") IN (SELECT * FROM unnest(${entries.map((entry) => entry.namespace)}::text[],
        ${entries.map((entry) => entry.key)}::text[]))`;
}

/** The objects' tables, by global-id type; each is read with its store named (one statement for all). */
const TABLES: Readonly<Record<string, string>> = {
  Product: 'Product',
  ProductVariant: 'ProductVariant',
  Category: 'Category',
  Customer: 'Customer',
  Order: 'Order',
};

/** Which of the objects (global-id type and key) exist in the store: `${type}:${key}` of those that do. */
async function existingObjects(
  tx: RawSql,
  storeId: string,
  objects: readonly { kind: string; key: string }[],
): Promise<Set<string>> {
  const byKind = new Map<string, string[]>();
  for (const object of objects) {
    if (object.kind === 'Store') continue;
    byKind.set(object.kind, [...(byKind.get(object.kind) ?? []), object.key]);
  }
  const parts = [...byKind.entries()].flatMap(([kind, keys]) => {
    const table = TABLES[kind];
    if (!table) return [];
    return [
      Prisma.sql`SELECT ${kind} AS "kind", t."id"::text AS "key" FROM ${Prisma.raw(`"${table}"`)} t
        WHERE t."storeId" = ${storeId}::uuid AND t."id" = ANY(${keys}::uuid[])`,
    ];
  });
  const found = new Set(
    objects.filter((object) => object.kind === 'Store' && object.key === storeId).map((o) => `Store:${o.key}`),
  );
  if (parts.length === 0) return found;
  const rows = await tx.$queryRaw<{ kind: string; key: string }[]>`${Prisma.join(parts, ' UNION ALL ')}`;
  for (const row of rows) found.add(`${row.kind}:${row.key}`);
  return found;
}

/** An entry resolved to its owner and definition, before its value is checked. */
interface Resolved<Entry extends MetafieldDeleteEntry> {
  index: number;
  entry: Entry;
  owner: { ownerType: MetafieldOwnerType; key: string };
  definition: DefinitionRow;
}

/**
 * Checks the shape of a call's entries and finds each one's owner and definition: too many
 * entries, malformed owners, namespaces and keys, the same field twice for an owner, fields
 * the store has not defined and fields defined for another kind of owner are userErrors.
 */
async function resolveEntries<Entry extends MetafieldDeleteEntry>(
  tx: RawSql,
  storeId: string,
  entries: readonly Entry[],
  errors: Errors,
): Promise<Resolved<Entry>[]> {
  if (entries.length > MAX_METAFIELDS_PER_CALL) {
    errors.push(userError(['metafields'], `Send at most ${MAX_METAFIELDS_PER_CALL} metafields per call.`, 'TOO_MANY'));
    return [];
  }
  const seen = new Set<string>();
  const candidates: { index: number; entry: Entry; owner: { ownerType: MetafieldOwnerType; key: string } }[] = [];
  for (const [index, entry] of entries.entries()) {
    const owner = ownerOf(entry.ownerId);
    if (!owner) {
      errors.push(
        userError(path(index, 'ownerId'), 'Give the id of a product, variant, customer, order or store.', 'INVALID'),
      );
      continue;
    }
    if (!HANDLE.test(entry.namespace)) {
      errors.push(userError(path(index, 'namespace'), 'No field has this namespace.', 'NOT_FOUND'));
      continue;
    }
    if (!HANDLE.test(entry.key)) {
      errors.push(userError(path(index, 'key'), 'No field has this key.', 'NOT_FOUND'));
      continue;
    }
    const identity = `${owner.key}/${entry.namespace}/${entry.key}`;
    if (seen.has(identity)) {
      errors.push(
        userError(path(index), 'This owner and field appear earlier in the call; send each once.', 'DUPLICATE'),
      );
      continue;
    }
    seen.add(identity);
    candidates.push({ index, entry, owner });
  }
  const definitions = await definitionsNamed(
    tx,
    storeId,
    candidates.map((candidate) => candidate.entry),
  );
  const resolved: Resolved<Entry>[] = [];
  for (const candidate of candidates) {
    const named = definitions.filter(
      (definition) => definition.namespace === candidate.entry.namespace && definition.key === candidate.entry.key,
    );
    const definition = named.find((row) => row.ownerType === candidate.owner.ownerType);
    if (definition) {
      resolved.push({ ...candidate, definition });
    } else if (named.length > 0) {
      const types = named.map((row) => row.ownerType).join(', ');
      errors.push(
        userError(
          path(candidate.index, 'ownerId'),
          `${candidate.entry.namespace}.${candidate.entry.key} is defined for ${types}, not ${candidate.owner.ownerType}.`,
          'OWNER_TYPE_MISMATCH',
        ),
      );
    } else {
      errors.push(
        userError(
          path(candidate.index, 'key'),
          `The store defines no ${candidate.owner.ownerType} field ${candidate.entry.namespace}.${candidate.entry.key}; define it first (metafieldDefinitionCreate).`,
          'NOT_FOUND',
        ),
      );
    }
  }
  return resolved;
}

/** The owner types a call's entries name (for the caller's permission checks), in order of first use. */
export function ownerTypesOf(entries: readonly MetafieldDeleteEntry[]): MetafieldOwnerType[] {
  const types: MetafieldOwnerType[] = [];
  for (const entry of entries) {
    const owner = ownerOf(entry.ownerId);
    if (owner && !types.includes(owner.ownerType)) types.push(owner.ownerType);
  }
  return types;
}

/** An owner whose values a call changed. */
export interface ChangedOwner {
  ownerType: MetafieldOwnerType;
  key: string;
}

/** What metafieldsSet did: the values as stored and whose they are, or why nothing was written. */
export interface MetafieldsSetResult {
  metafields: MetafieldRecord[];
  owners: ChangedOwner[];
  userErrors: Errors;
}

/**
 * Writes the values of a call, all or none: each must name an owner of the store, a field the
 * store defined for that kind of owner, and a value the field's type and validations accept,
 * whose references exist in the store. Four statements however many entries.
 */
export async function setMetafields(
  tx: RawSql,
  storeId: string,
  entries: readonly MetafieldSetEntry[],
): Promise<MetafieldsSetResult> {
  const errors: Errors = [];
  const resolved = await resolveEntries(tx, storeId, entries, errors);
  const values: (Resolved<MetafieldSetEntry> & { parsed: ParsedMetafieldValue })[] = [];
  for (const item of resolved) {
    const parsed = parseMetafieldValue(
      {
        type: item.definition.type,
        list: item.definition.list,
        validations: validationsFromJson(item.definition.validations),
      },
      item.entry.value,
    );
    if (parsed.ok) values.push({ ...item, parsed });
    else errors.push(userError(path(item.index, 'value'), parsed.message, parsed.code));
  }
  const objects = values.flatMap((item) => [
    { kind: OWNER_GLOBAL_TYPES[item.owner.ownerType], key: item.owner.key },
    ...item.parsed.references,
  ]);
  const existing = await existingObjects(tx, storeId, objects);
  for (const item of values) {
    if (!existing.has(`${OWNER_GLOBAL_TYPES[item.owner.ownerType]}:${item.owner.key}`))
      errors.push(userError(path(item.index, 'ownerId'), 'The store has no such owner.', 'OWNER_NOT_FOUND'));
    const missing = item.parsed.references.find((reference) => !existing.has(`${reference.kind}:${reference.key}`));
    if (missing)
      errors.push(
        userError(path(item.index, 'value'), `The store has no ${missing.kind} ${missing.id}.`, 'REFERENCE_NOT_FOUND'),
      );
  }
  if (errors.length > 0) return { metafields: [], owners: [], userErrors: sortedErrors(errors) };
  const rows = await tx.$queryRaw<
    { id: string; ownerId: string; definitionId: string; value: string; updatedAt: Date }[]
  >`
    INSERT INTO "Metafield" ("storeId", "definitionId", "ownerType", "ownerId", "value", "searchValue")
    SELECT ${storeId}::uuid, v."definitionId", v."ownerType"::"MetafieldOwnerType", v."ownerId", v."value", v."searchValue"
    FROM unnest(${values.map((item) => item.definition.id)}::uuid[], ${values.map((item) => item.owner.ownerType)}::text[],
      ${values.map((item) => item.owner.key)}::uuid[], ${values.map((item) => item.parsed.value)}::text[],
      ${values.map((item) => item.parsed.searchValue)}::text[])
      AS v("definitionId", "ownerType", "ownerId", "value", "searchValue")
    ON CONFLICT ("storeId", "ownerId", "definitionId")
      DO UPDATE SET "value" = EXCLUDED."value", "searchValue" = EXCLUDED."searchValue", "updatedAt" = EXCLUDED."updatedAt"
    RETURNING "id"::text AS "id", "ownerId"::text AS "ownerId", "definitionId"::text AS "definitionId", "value", "updatedAt"`;
  const byOwnerAndDefinition = new Map(rows.map((row) => [`${row.ownerId}/${row.definitionId}`, row]));
  return {
    metafields: values.flatMap((item) => {
      const row = byOwnerAndDefinition.get(`${item.owner.key}/${item.definition.id}`);
      return row
        ? [
            {
              id: row.id,
              ownerId: row.ownerId,
              namespace: item.definition.namespace,
              key: item.definition.key,
              type: item.definition.type,
              list: item.definition.list,
              value: row.value,
              updatedAt: row.updatedAt,
            },
          ]
        : [];
    }),
    owners: distinctOwners(values.map((item) => item.owner)),
    userErrors: [],
  };
}

/** What metafieldsDelete did. */
export interface MetafieldsDeleteResult {
  deleted: MetafieldDeleteEntry[];
  owners: ChangedOwner[];
  userErrors: Errors;
}

/**
 * Removes values, all or none: each must name a field the store defined for its kind of owner,
 * and not a required one. Values that were not set are left out of `deleted`.
 */
export async function deleteMetafields(
  tx: RawSql,
  storeId: string,
  entries: readonly MetafieldDeleteEntry[],
): Promise<MetafieldsDeleteResult> {
  const errors: Errors = [];
  const resolved = await resolveEntries(tx, storeId, entries, errors);
  for (const item of resolved) {
    if (validationsFromJson(item.definition.validations).required)
      errors.push(
        userError(
          path(item.index, 'key'),
          `${item.entry.namespace}.${item.entry.key} is required; set another value instead.`,
          'REQUIRED',
        ),
      );
  }
  if (errors.length > 0 || resolved.length === 0) return { deleted: [], owners: [], userErrors: sortedErrors(errors) };
  const rows = await tx.$queryRaw<{ ownerId: string; definitionId: string }[]>`
    DELETE FROM "Metafield" m
    USING unnest(${resolved.map((item) => item.owner.key)}::uuid[], ${resolved.map((item) => item.definition.id)}::uuid[])
      AS gone("ownerId", "definitionId")
    WHERE m."storeId" = ${storeId}::uuid AND m."ownerId" = gone."ownerId" AND m."definitionId" = gone."definitionId"
    RETURNING m."ownerId"::text AS "ownerId", m."definitionId"::text AS "definitionId"`;
  const gone = new Set(rows.map((row) => `${row.ownerId}/${row.definitionId}`));
  const deleted = resolved.filter((item) => gone.has(`${item.owner.key}/${item.definition.id}`));
  return {
    deleted: deleted.map(({ entry }) => ({ ownerId: entry.ownerId, namespace: entry.namespace, key: entry.key })),
    owners: distinctOwners(deleted.map((item) => item.owner)),
    userErrors: [],
  };
}

function distinctOwners(owners: readonly ChangedOwner[]): ChangedOwner[] {
  const byKey = new Map(owners.map((owner) => [`${owner.ownerType}:${owner.key}`, owner]));
  return [...byKey.values()];
}

/** Errors in the order of the entries they are about. */
function sortedErrors(errors: Errors): Errors {
  const indexOf = (error: UserError<MetafieldErrorCode>) => Number(error.field?.[1] ?? -1);
  return [...errors].sort((a, b) => indexOf(a) - indexOf(b));
}

/**
 * Removes every custom-field value of owners that go away (deleted variants, an anonymised
 * customer), in the owning subgraph's transaction that removes them; one statement.
 */
export async function deleteOwnerMetafields(
  tx: RawSql,
  storeId: string,
  ownerType: MetafieldOwnerType,
  ownerIds: readonly string[],
): Promise<void> {
  if (ownerIds.length === 0) return;
  await tx.$queryRaw`
    DELETE FROM "Metafield" m
    WHERE m."storeId" = ${storeId}::uuid AND m."ownerType" = ${ownerType}::"MetafieldOwnerType"
      AND m."ownerId" = ANY(${[...ownerIds]}::uuid[])`;
}
