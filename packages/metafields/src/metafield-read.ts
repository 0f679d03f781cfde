// Reading an owner's custom fields: in batches (one statement for every owner a request asks
// about) or as a JSON column of the owner's own statement, never one statement per owner.
import { Prisma, type RawSql } from '@commerce/database';
import {
  arrayConnection,
  readStoreRows,
  toGlobalId,
  type Connection,
  type PageArgs,
  type RequestContext,
  type SortKey,
} from '@commerce/graphql-kit';
import DataLoader from 'dataloader';
import type { MetafieldOwnerType, MetafieldType } from './metafield-types.js';

/** One value of an owner's custom field, with what its definition says about it. */
export interface MetafieldRecord {
  id: string;
  ownerId: string;
  namespace: string;
  key: string;
  type: MetafieldType;
  list: boolean;
  value: string;
  updatedAt: Date;
}

/**
 * Whether the caller sees every custom field: the store's staff and its apps. Everyone else
 * (storefronts, customers, their own records included) sees the fields defined visibleToStorefront.
 */
export async function seesAllMetafields(context: RequestContext): Promise<boolean> {
  if (!context.store) return false;
  if (context.viewer.kind === 'app') return true;
  if (context.viewer.kind !== 'seller') return false;
  return (await context.staffRole()) !== null;
}

const visible = (storefrontOnly: boolean) => (storefrontOnly ? Prisma.sql` AND d."visibleToStorefront"` : Prisma.empty);

/** The custom fields of owners of one type, in one statement. */
export function readMetafields(
  tx: RawSql,
  storeId: string,
  ownerType: MetafieldOwnerType,
  ownerIds: readonly string[],
  storefrontOnly: boolean,
): Promise<MetafieldRecord[]> {
  return tx.$queryRaw<MetafieldRecord[]>`
    SELECT m."id"::text AS "id", m."ownerId"::text AS "ownerId", d."namespace", d."key", d."type"::text AS "type",
      d."list", m."value", m."updatedAt"
    FROM "Metafield" m
    JOIN "MetafieldDefinition" d ON d."storeId" = m."storeId" AND d."id" = m."definitionId"
    WHERE m."storeId" = ${storeId}::uuid AND d."storeId" = ${storeId}::uuid
      AND m."ownerType" = ${ownerType}::"MetafieldOwnerType" AND m."ownerId" = ANY(${[...ownerIds]}::uuid[])
      ${visible(storefrontOnly)}
    ORDER BY d."namespace", d."key"`;
}

/**
 * The custom fields of the owner `ownerId` names (SQL over the outer row) as a JSON column
 * `alias`, for a listing to bring them in its own statement.
 */
export function metafieldsColumn(
  storeId: string,
  ownerType: MetafieldOwnerType,
  ownerId: Prisma.Sql,
  storefrontOnly: boolean,
  alias: string,
): Prisma.Sql {
  return Prisma.sql`(
    SELECT coalesce(jsonb_agg(jsonb_build_object(
      'id', mf."id", 'ownerId', mf."ownerId", 'namespace', mfd."namespace", 'key', mfd."key", 'type', mfd."type",
      'list', mfd."list", 'value', mf."value", 'updatedAt', mf."updatedAt") ORDER BY mfd."namespace", mfd."key"), '[]'::jsonb)
    FROM "Metafield" mf
    JOIN "MetafieldDefinition" mfd ON mfd."storeId" = mf."storeId" AND mfd."id" = mf."definitionId"
    WHERE mf."storeId" = ${storeId}::uuid AND mfd."storeId" = ${storeId}::uuid
      AND mf."ownerType" = ${ownerType}::"MetafieldOwnerType" AND mf."ownerId" = ${ownerId}
      ${storefrontOnly ? Prisma.sql` AND mfd."visibleToStorefront"` : Prisma.empty}) AS ${Prisma.raw(`"${alias}"`)}`;
}

/** The records of a JSON column made by `metafieldsColumn`. */
export function metafieldsFromJson(json: unknown): MetafieldRecord[] {
  if (!Array.isArray(json)) return [];
  return json.map(
    (item: Record<string, unknown>) => ({ ...item, updatedAt: new Date(String(item.updatedAt)) }) as MetafieldRecord,
  );
}

/** A per-request loader of owners' custom fields (one owner type), visible to the caller. */
export type MetafieldLoader = DataLoader<string, MetafieldRecord[]>;

/** The per-request loader of one owner type's custom fields: one statement per batch of owners. */
export function createMetafieldLoader(context: RequestContext, ownerType: MetafieldOwnerType): MetafieldLoader {
  return new DataLoader<string, MetafieldRecord[]>(async (ownerIds) => {
    const storefrontOnly = !(await seesAllMetafields(context));
    const rows = await readStoreRows(context, (tx, storeId) =>
      readMetafields(tx, storeId, ownerType, ownerIds, storefrontOnly),
    );
    return ownerIds.map((ownerId) => rows.filter((row) => row.ownerId === ownerId));
  });
}

const BY_NAMESPACE_AND_KEY: SortKey<MetafieldRecord> = {
  field: 'namespaceKey',
  kind: 'string',
  value: (metafield) => `${metafield.namespace}.${metafield.key}`,
};

/** A page of an owner's custom fields, by namespace and key. */
export function metafieldConnection(records: readonly MetafieldRecord[], args: PageArgs): Connection<MetafieldRecord> {
  return arrayConnection(records, args, BY_NAMESPACE_AND_KEY);
}

/** The owner's value of one custom field, or null. */
export function metafieldByKey(
  records: readonly MetafieldRecord[],
  namespace: string,
  key: string,
): MetafieldRecord | null {
  return records.find((record) => record.namespace === namespace && record.key === key) ?? null;
}

/** The global id of a metafield. */
export function metafieldGlobalId(metafield: MetafieldRecord): string {
  return toGlobalId('Metafield', metafield.id);
}

/** `Owner.metafield(namespace, key)`: the owner's value of one field, from the batch its request loads. */
export async function ownerMetafield(
  loader: MetafieldLoader,
  ownerId: string,
  namespace: string,
  key: string,
): Promise<MetafieldRecord | null> {
  return metafieldByKey(await loader.load(ownerId), namespace, key);
}

/** `Owner.metafields(first, after, …)`: a page of the owner's values, from the batch its request loads. */
export async function ownerMetafields(
  loader: MetafieldLoader,
  ownerId: string,
  args: PageArgs,
): Promise<Connection<MetafieldRecord>> {
  return metafieldConnection(await loader.load(ownerId), args);
}

/** The resolvers of the Metafield type, the same in every subgraph that shows it. */
export const metafieldResolvers = {
  id: (metafield: MetafieldRecord) => metafieldGlobalId(metafield),
};
