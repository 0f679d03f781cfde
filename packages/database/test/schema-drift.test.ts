// Fails when prisma/schema.prisma and the migrated database disagree. Prisma 7 ships no public
// getDMMF and the generated client's runtime data model has no native types, nullability or
// indexes, so the schema is parsed here; the parser is checked against the generated client's
// model, field and enum lists so that it cannot silently miss anything.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { $Enums, Prisma } from '../src/__generated__/prisma/client.js';

const SCHEMA_PATH = fileURLToPath(new URL('../../../prisma/schema.prisma', import.meta.url));
const SCALARS = new Set(['String', 'Int', 'BigInt', 'Float', 'Decimal', 'Boolean', 'DateTime', 'Json', 'Bytes']);
const IDENTIFIER_LIMIT = 63;

interface Field {
  name: string;
  column: string;
  type: string;
  list: boolean;
  optional: boolean;
  attrs: string;
  /** The SQL type of an `Unsupported("…")` field. */
  sqlType?: string;
}

interface Model {
  name: string;
  table: string;
  fields: Field[];
  blockAttrs: string[];
}

interface Column {
  type: string;
  nullable: boolean;
  hasDefault: boolean;
}

interface Index {
  unique: boolean;
  columns: string[];
}

interface ForeignKey {
  columns: string[];
  references: string;
  referencedColumns: string[];
  onDelete: string;
  onUpdate: string;
}

interface TableShape {
  columns: Record<string, Column>;
  primaryKey: { name: string; columns: string[] };
  indexes: Record<string, Index>;
  foreignKeys: Record<string, ForeignKey>;
}

// ───────────────────────────── schema.prisma ─────────────────────────────

function stripComments(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let inString = false;
      for (let i = 0; i < line.length; i += 1) {
        if (line[i] === '"' && line[i - 1] !== '\\') inString = !inString;
        if (!inString && line.startsWith('//', i)) return line.slice(0, i);
      }
      return line;
    })
    .join('\n');
}

function parseSchema(text: string): { models: Model[]; enums: Map<string, string[]> } {
  const models: Model[] = [];
  const enums = new Map<string, string[]>();
  for (const [, kind, name, body] of stripComments(text).matchAll(/^(model|enum)\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    if (!kind || !name || body === undefined) continue;
    const lines = body
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    if (kind === 'enum') {
      enums.set(
        name,
        lines.filter((line) => !line.startsWith('@@')).map((line) => line.split(/\s/)[0] ?? line),
      );
      continue;
    }
    const blockAttrs = lines.filter((line) => line.startsWith('@@'));
    const fields = lines
      .filter((line) => !line.startsWith('@@'))
      .map((line): Field => {
        // A column of a type Prisma has no scalar for, e.g. `Unsupported("tsvector")?`: typed by its SQL name.
        const unsupported = /^(\w+)\s+Unsupported\("([^"]+)"\)(\[\]|\?)?\s*(.*)$/.exec(line);
        if (unsupported?.[1] && unsupported[2]) {
          const attrs = unsupported[4] ?? '';
          const column = /@map\("([^"]+)"\)/.exec(attrs)?.[1] ?? unsupported[1];
          return {
            name: unsupported[1],
            column,
            type: 'Unsupported',
            sqlType: unsupported[2],
            list: unsupported[3] === '[]',
            optional: unsupported[3] === '?',
            attrs,
          };
        }
        const match = /^(\w+)\s+(\w+)(\[\]|\?)?\s*(.*)$/.exec(line);
        if (!match?.[1] || !match[2]) throw new Error(`cannot parse field of ${name}: ${line}`);
        const attrs = match[4] ?? '';
        const column = /@map\("([^"]+)"\)/.exec(attrs)?.[1] ?? match[1];
        return { name: match[1], column, type: match[2], list: match[3] === '[]', optional: match[3] === '?', attrs };
      });
    const table = blockAttrs.map((attr) => /^@@map\("([^"]+)"\)/.exec(attr)?.[1]).find(Boolean) ?? name;
    models.push({ name, table, fields, blockAttrs });
  }
  return { models, enums };
}

/** The argument list of `@name(...)` in attrs, parentheses and strings balanced; null when absent. */
function attributeArgs(attrs: string, attribute: string): string | null {
  const start = attrs.search(new RegExp(`${attribute.replace(/[.@]/g, '\\$&')}\\(`));
  if (start < 0) return null;
  let depth = 0;
  let inString = false;
  const open = attrs.indexOf('(', start);
  for (let i = open; i < attrs.length; i += 1) {
    const char = attrs[i];
    if (char === '"' && attrs[i - 1] !== '\\') inString = !inString;
    if (inString) continue;
    if (char === '(') depth += 1;
    if (char === ')') {
      depth -= 1;
      if (depth === 0) return attrs.slice(open + 1, i);
    }
  }
  throw new Error(`unbalanced ${attribute} in: ${attrs}`);
}

/** Field names of a `[a, b(sort: Desc)]` list, by name (mapped to columns by the caller). */
function fieldList(args: string, key?: string): string[] {
  const source = key ? new RegExp(`${key}:\\s*\\[([^\\]]*)\\]`).exec(args)?.[1] : /^\s*\[([^\]]*)\]/.exec(args)?.[1];
  if (source === undefined) throw new Error(`no ${key ?? 'field'} list in: ${args}`);
  return source
    .split(',')
    .map((item) => item.replace(/\(.*\)/, '').trim())
    .filter(Boolean);
}

// Prisma's default constraint names, shortened like Prisma does to fit PostgreSQL's identifier limit.
function constraintName(table: string, columns: string[], suffix: string): string {
  const base = `${table}_${columns.join('_')}`;
  return `${base.slice(0, IDENTIFIER_LIMIT - suffix.length - 1)}_${suffix}`;
}

function quoteIfNeeded(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name}"`;
}

// The type as PostgreSQL's format_type() prints it.
function columnType(field: Field, enums: Map<string, string[]>): string {
  if (field.sqlType) return field.list ? `${field.sqlType}[]` : field.sqlType;
  const native = /@db\.(\w+)(?:\(([^)]*)\))?/.exec(field.attrs);
  const args = native?.[2]?.replace(/\s/g, '');
  const precision = args ?? '3';
  let type: string;
  if (enums.has(field.type)) type = quoteIfNeeded(field.type);
  else if (native?.[1]) {
    const nativeTypes: Record<string, string> = {
      Uuid: 'uuid',
      Text: 'text',
      Char: `character(${args ?? '1'})`,
      VarChar: args ? `character varying(${args})` : 'character varying',
      Date: 'date',
      Timestamptz: `timestamp(${precision}) with time zone`,
      Timestamp: `timestamp(${precision}) without time zone`,
      Decimal: `numeric(${args ?? '65,30'})`,
      Integer: 'integer',
      SmallInt: 'smallint',
      BigInt: 'bigint',
      JsonB: 'jsonb',
      Json: 'json',
    };
    const mapped = nativeTypes[native[1]];
    if (!mapped) throw new Error(`add @db.${native[1]} to the drift test's type map`);
    type = mapped;
  } else {
    const defaults: Record<string, string> = {
      String: 'text',
      Int: 'integer',
      BigInt: 'bigint',
      Float: 'double precision',
      Decimal: 'numeric(65,30)',
      Boolean: 'boolean',
      DateTime: 'timestamp(3) without time zone',
      Json: 'jsonb',
      Bytes: 'bytea',
    };
    const mapped = defaults[field.type];
    if (!mapped) throw new Error(`unknown scalar type ${field.type}`);
    type = mapped;
  }
  return field.list ? `${type}[]` : type;
}

const REFERENTIAL_ACTIONS: Record<string, string> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
};

function expectedShape(model: Model, models: Model[], enums: Map<string, string[]>): TableShape {
  const columnOf = (owner: Model, fieldName: string): string =>
    owner.fields.find((field) => field.name === fieldName)?.column ?? fieldName;
  const shape: TableShape = { columns: {}, primaryKey: { name: '', columns: [] }, indexes: {}, foreignKeys: {} };

  for (const field of model.fields) {
    if (SCALARS.has(field.type) || enums.has(field.type) || field.sqlType) {
      shape.columns[field.column] = {
        type: columnType(field, enums),
        nullable: field.optional || field.list,
        hasDefault: attributeArgs(field.attrs, '@default') !== null,
      };
      if (/@id\b/.test(field.attrs)) shape.primaryKey = { name: `${model.table}_pkey`, columns: [field.column] };
      if (/@unique\b/.test(field.attrs)) {
        shape.indexes[constraintName(model.table, [field.column], 'key')] = { unique: true, columns: [field.column] };
      }
      continue;
    }
    const relation = attributeArgs(field.attrs, '@relation');
    if (relation === null || !/fields:/.test(relation)) continue;
    const target = models.find((candidate) => candidate.name === field.type);
    if (!target) throw new Error(`relation ${model.name}.${field.name} to unknown model ${field.type}`);
    const columns = fieldList(relation, 'fields').map((name) => columnOf(model, name));
    const onDelete = /onDelete:\s*(\w+)/.exec(relation)?.[1] ?? (field.optional ? 'SetNull' : 'Restrict');
    const onUpdate = /onUpdate:\s*(\w+)/.exec(relation)?.[1] ?? 'Cascade';
    shape.foreignKeys[/map:\s*"([^"]+)"/.exec(relation)?.[1] ?? constraintName(model.table, columns, 'fkey')] = {
      columns,
      references: target.table,
      referencedColumns: fieldList(relation, 'references').map((name) => columnOf(target, name)),
      onDelete: REFERENTIAL_ACTIONS[onDelete] ?? onDelete,
      onUpdate: REFERENTIAL_ACTIONS[onUpdate] ?? onUpdate,
    };
  }

  for (const attr of model.blockAttrs) {
    const kind = /^@@(id|unique|index)\(/.exec(attr)?.[1];
    const args = kind ? attributeArgs(attr, `@@${kind}`) : null;
    if (!kind || args === null) continue;
    const columns = fieldList(args).map((name) => columnOf(model, name));
    const mapped = /map:\s*"([^"]+)"/.exec(args)?.[1];
    if (kind === 'id') shape.primaryKey = { name: mapped ?? `${model.table}_pkey`, columns };
    else {
      const suffix = kind === 'unique' ? 'key' : 'idx';
      shape.indexes[mapped ?? constraintName(model.table, columns, suffix)] = { unique: kind === 'unique', columns };
    }
  }
  return shape;
}

// ───────────────────────────── the database ─────────────────────────────

const ACTION_CODES: Record<string, string> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

async function actualShapes(client: pg.Client): Promise<Map<string, TableShape>> {
  const shapes = new Map<string, TableShape>();
  const shapeOf = (table: string): TableShape => {
    let shape = shapes.get(table);
    if (!shape) {
      shape = { columns: {}, primaryKey: { name: '', columns: [] }, indexes: {}, foreignKeys: {} };
      shapes.set(table, shape);
    }
    return shape;
  };

  const columns = await client.query<{ table: string; name: string } & Column>(`
    SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
           NOT a.attnotnull AS nullable, a.atthasdef AS "hasDefault"
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'
    ORDER BY c.relname, a.attnum`);
  for (const { table, name, ...column } of columns.rows) shapeOf(table).columns[name] = column;

  const indexes = await client.query<{
    table: string;
    name: string;
    unique: boolean;
    primary: boolean;
    columns: string[];
  }>(`
    SELECT c.relname AS table, ic.relname AS name, i.indisunique AS unique, i.indisprimary AS primary,
           array(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
    WHERE c.relname <> '_prisma_migrations'`);
  for (const { table, name, unique, primary, columns: indexColumns } of indexes.rows) {
    if (primary) shapeOf(table).primaryKey = { name, columns: indexColumns };
    else shapeOf(table).indexes[name] = { unique, columns: indexColumns };
  }

  const foreignKeys = await client.query<{
    table: string;
    name: string;
    columns: string[];
    references: string;
    referencedColumns: string[];
    onDelete: string;
    onUpdate: string;
  }>(`
    SELECT c.relname AS table, con.conname AS name, r.relname AS references,
           array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
           array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS "referencedColumns",
           con.confdeltype AS "onDelete", con.confupdtype AS "onUpdate"
    FROM pg_constraint con
    JOIN pg_class c ON c.oid = con.conrelid
    JOIN pg_class r ON r.oid = con.confrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
    WHERE con.contype = 'f'`);
  for (const { table, name, onDelete, onUpdate, ...foreignKey } of foreignKeys.rows) {
    shapeOf(table).foreignKeys[name] = {
      ...foreignKey,
      onDelete: ACTION_CODES[onDelete] ?? onDelete,
      onUpdate: ACTION_CODES[onUpdate] ?? onUpdate,
    };
  }
  return shapes;
}

// ───────────────────────────── the comparison ─────────────────────────────

const { models, enums } = parseSchema(readFileSync(SCHEMA_PATH, 'utf8'));
const generatedEnums: Record<string, Record<string, string>> = $Enums;
const generatedNamespace: Record<string, unknown> = Prisma;

describe('schema.prisma and the migrated database', () => {
  let client: pg.Client;
  let shapes: Map<string, TableShape>;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    shapes = await actualShapes(client);
  });
  afterAll(() => client.end());

  it('parses schema.prisma into the models, fields and enums Prisma generated', () => {
    expect(models.map((model) => model.name).sort()).toEqual(Object.values(Prisma.ModelName).sort());
    for (const model of models) {
      const generated = generatedNamespace[`${model.name}ScalarFieldEnum`];
      const parsedScalars = model.fields.filter((field) => SCALARS.has(field.type) || enums.has(field.type));
      expect(parsedScalars.map((field) => field.name).sort(), model.name).toEqual(
        Object.values(generated ?? {}).sort(),
      );
    }
    expect([...enums.keys()].sort()).toEqual(Object.keys(generatedEnums).sort());
  });

  it('has exactly one table per model', () => {
    expect([...shapes.keys()].sort()).toEqual(models.map((model) => model.table).sort());
  });

  it.each(models.map((model) => [model.name, model] as const))(
    '%s: columns, types, nullability, keys, indexes and foreign keys match',
    (_name, model) => {
      expect(shapes.get(model.table)).toEqual(expectedShape(model, models, enums));
    },
  );

  it('has every enum with the same values in the same order', async () => {
    const { rows } = await client.query<{ name: string; values: string[] }>(`
      SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
      FROM pg_type t
      JOIN pg_enum e ON e.enumtypid = t.oid
      JOIN pg_namespace n ON n.oid = t.typnamespace AND n.nspname = 'public'
      GROUP BY t.typname`);
    const actual = Object.fromEntries(rows.map((row) => [row.name, row.values]));
    expect(actual).toEqual(Object.fromEntries(enums));
    for (const [name, values] of enums) expect(Object.values(generatedEnums[name] ?? {})).toEqual(values);
  });
});
