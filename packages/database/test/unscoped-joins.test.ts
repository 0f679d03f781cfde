// The join check of the distribution contract, on sample SQL: it must catch a join of two
// distributed tables on anything but their storeIds, and leave correct joins alone.
import { describe, expect, it } from 'vitest';
import { type SqlText, sqlFunctionsOfMigrations, sqlTextsOfTypeScript, unscopedJoins } from './unscoped-joins.js';

const DISTRIBUTED = new Set(['InventoryLevel', 'InventoryLocation', 'ProductVariant', 'Category', 'Cart', 'Customer']);

function joinsIn(sql: string, line = 1): string[] {
  const text: SqlText = { file: 'sample.sql', line, sql };
  return unscopedJoins(text, DISTRIBUTED).map((finding) => `${finding.file}:${finding.line}: ${finding.join}`);
}

describe('the check for joins of distributed tables without storeId', () => {
  it('flags a join on the id alone, with the file and line of the JOIN', () => {
    const sql = `
      SELECT l."id"
      FROM "InventoryLevel" l
      JOIN "InventoryLocation" loc ON loc."id" = l."locationId" AND loc."active"`;
    expect(joinsIn(sql, 10)).toEqual([
      'sample.sql:13: JOIN "InventoryLocation" loc to "InventoryLevel" l without loc."storeId" = l."storeId"',
    ]);
  });

  it('accepts the storeId equality in either order, next to other key columns', () => {
    expect(
      joinsIn(`SELECT 1 FROM "InventoryLevel" l
               JOIN "InventoryLocation" loc ON loc."storeId" = l."storeId" AND loc."id" = l."locationId"
               LEFT JOIN "ProductVariant" AS v ON l."storeId" = v."storeId" AND v."id" = l."variantId"`),
    ).toEqual([]);
  });

  it('flags LEFT and INNER joins and AS aliases alike', () => {
    expect(
      joinsIn(`SELECT 1 FROM "InventoryLevel" AS l
               LEFT OUTER JOIN "InventoryLocation" AS loc ON loc."id" = l."locationId"
               INNER JOIN "ProductVariant" v ON v."id" = l."variantId"`),
    ).toEqual([
      'sample.sql:2: JOIN "InventoryLocation" loc to "InventoryLevel" l without loc."storeId" = l."storeId"',
      'sample.sql:3: JOIN "ProductVariant" v to "InventoryLevel" l without v."storeId" = l."storeId"',
    ]);
  });

  it('does not count a storeId compared with a value, or with the same table', () => {
    expect(
      joinsIn(`SELECT 1 FROM "InventoryLevel" l
               JOIN "InventoryLocation" loc ON loc."storeId" = $1 AND loc."storeId" = loc."storeId" AND loc."id" = l."locationId"`),
    ).toHaveLength(1);
  });

  it('flags a joined table whose condition does not name the table before it', () => {
    expect(joinsIn(`SELECT 1 FROM "Cart" c LEFT JOIN "Customer" cu ON cu."id" = $1 WHERE c."id" = $2`)).toEqual([
      'sample.sql:1: JOIN "Customer" cu to "Cart" c without cu."storeId" = c."storeId"',
    ]);
  });

  it('flags a CROSS JOIN of two distributed tables', () => {
    expect(joinsIn(`SELECT 1 FROM "Cart" c CROSS JOIN "Customer" cu`)).toHaveLength(1);
  });

  it('leaves joins to reference tables and to functions alone', () => {
    expect(
      joinsIn(`SELECT 1 FROM "Cart" c JOIN "Store" s ON s."id" = c."storeId"
               CROSS JOIN unnest($1::uuid[]) AS ids("id")`),
    ).toEqual([]);
  });

  it('reads a recursive CTE over a distributed table as that table', () => {
    const unscoped = `
      WITH RECURSIVE ancestors(id, "parentId") AS (
        SELECT c.id, c."parentId" FROM "Category" c WHERE c.id = $1
        UNION
        SELECT c.id, c."parentId" FROM "Category" c JOIN ancestors a ON c.id = a."parentId"
      )
      SELECT EXISTS (SELECT 1 FROM ancestors WHERE id = $2)`;
    expect(joinsIn(unscoped)).toEqual([
      'sample.sql:5: JOIN ancestors (of "Category") a to "Category" c without a."storeId" = c."storeId"',
    ]);
    const scoped = unscoped
      .replace('ancestors(id, "parentId")', 'ancestors("storeId", id, "parentId")')
      .replaceAll('SELECT c.id', 'SELECT c."storeId", c.id')
      .replace('ON c.id =', 'ON c."storeId" = a."storeId" AND c.id =');
    expect(joinsIn(scoped)).toEqual([]);
  });

  it('flags a subquery joined on a column, not one joined on nothing of the rows before it', () => {
    expect(
      joinsIn(`SELECT 1 FROM "ProductVariant" v
               LEFT JOIN (SELECT "variantId", sum("available") AS n FROM "InventoryLevel" GROUP BY 1) s ON s."variantId" = v."id"`),
    ).toEqual([
      'sample.sql:2: JOIN (subquery) (of "InventoryLevel") s to "ProductVariant" v without s."storeId" = v."storeId"',
    ]);
    expect(
      joinsIn(`SELECT 1 FROM "ProductVariant" v
               LEFT JOIN LATERAL (SELECT "rate" FROM "InventoryLevel" ORDER BY "id" LIMIT 1) t ON true`),
    ).toEqual([]);
  });

  it('ignores JOIN in comments and string literals', () => {
    expect(
      joinsIn(`SELECT 'FROM "Cart" c JOIN "Customer" cu ON cu.id = c.id' -- FROM "Cart" c JOIN "Customer" cu ON true
               /* FROM "Cart" c JOIN "Customer" cu ON true */`),
    ).toEqual([]);
  });

  it('finds the SQL of TypeScript literals, on their lines, with interpolations blanked', () => {
    const source = `import { Prisma } from '@commerce/database';
export const levels = (ids: string[]) => Prisma.sql\`
  SELECT l."id" FROM "InventoryLevel" l
  JOIN "InventoryLocation" loc ON loc."id" = \${Prisma.sql\`l."locationId"\`}
  WHERE l."variantId" = ANY(\${ids}::uuid[])\`;
const prose = 'Ask a colleague to join the store';`;
    const texts = sqlTextsOfTypeScript('levels.ts', source);
    expect(texts.map((text) => [text.line, text.sql.includes('${')])).toEqual([
      [2, false],
      [6, false],
    ]);
    expect(texts.flatMap((text) => unscopedJoins(text, DISTRIBUTED)).map((finding) => finding.line)).toEqual([4]);
  });

  it('checks the SQL functions the migrations leave defined, each in its last definition', () => {
    const bad = 'SELECT 1 FROM "Cart" c JOIN "Customer" cu ON cu."id" = c."customerId"';
    const good = 'SELECT 1 FROM "Cart" c JOIN "Customer" cu ON cu."storeId" = c."storeId" AND cu."id" = c."customerId"';
    const functions = sqlFunctionsOfMigrations([
      {
        file: 'a.sql',
        source: `-- CREATE FUNCTION commented_out() AS $$ ${bad} $$;
CREATE FUNCTION replaced() RETURNS void LANGUAGE sql AS $$ ${bad} $$;
CREATE FUNCTION dropped() RETURNS void LANGUAGE sql AS $$ ${bad} $$;
CREATE FUNCTION kept(n integer) RETURNS void LANGUAGE sql AS $body$
  ${bad}
$body$;`,
      },
      {
        file: 'b.sql',
        source: `CREATE OR REPLACE FUNCTION replaced() RETURNS void LANGUAGE sql AS $$ ${good} $$;
DROP FUNCTION IF EXISTS dropped() CASCADE;`,
      },
    ]);
    expect(functions.map((text) => `${text.file}:${text.line}`)).toEqual(['b.sql:1', 'a.sql:4']);
    expect(functions.flatMap((text) => unscopedJoins(text, DISTRIBUTED)).map((f) => `${f.file}:${f.line}`)).toEqual([
      'a.sql:5',
    ]);
  });
});
