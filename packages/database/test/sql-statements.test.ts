import { describe, expect, it } from 'vitest';
import { splitStatements } from '../src/sql-statements.js';

describe('splitStatements', () => {
  it('returns each statement without its semicolon, and the last one even without a semicolon', async () => {
    expect(await splitStatements('CREATE TABLE a (id int);\nCREATE TABLE b (id int);\nDROP TABLE a')).toEqual([
      'CREATE TABLE a (id int)',
      'CREATE TABLE b (id int)',
      'DROP TABLE a',
    ]);
  });

  it.each([
    ['a single-quoted string with doubled quotes', `SELECT 'it''s; still; one'`],
    ['an escape string with backslash-escaped quotes', String.raw`SELECT E'it\'s; \\'`],
    ['a double-quoted identifier', `CREATE TABLE "a;""b" ("c;d" int)`],
    ['a dollar-quoted body', 'DO $$ BEGIN PERFORM 1; PERFORM 2; END $$'],
    ['a tagged dollar-quoted body', `DO $body$ BEGIN RAISE NOTICE 'x;'; END $body$`],
    [
      'a dollar-quoted body nested in one of another tag',
      `CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $fn$
       BEGIN
         EXECUTE $sql$ SELECT 'a;b'; $sql$;
         RETURN $$;$$;
       END
       $fn$`,
    ],
    ['a line comment', "SELECT 1 -- a comment; with an unmatched ' quote\n + 1"],
    ['a nested block comment', 'SELECT /* outer; /* inner; */ still comment; */ 1'],
    [
      'a BEGIN ATOMIC function body',
      'CREATE FUNCTION two() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END',
    ],
  ])('keeps the semicolons inside %s', async (_label, statement) => {
    expect(await splitStatements(`${statement};\nSELECT 'next'`)).toEqual([statement, `SELECT 'next'`]);
  });

  it('skips empty statements, comments between statements and a comment-only tail', async () => {
    const script = `
      -- the first statement follows; this is no statement
      ;;
      SELECT 1;
      /* nor this; */ ;
      SELECT 2;
      -- a tail of comments
      /* and nothing else */
    `;
    expect(await splitStatements(script)).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('finds nothing in an empty or comment-only script', async () => {
    expect(await splitStatements('')).toEqual([]);
    expect(await splitStatements('  \n-- nothing to do\n')).toEqual([]);
  });

  it('cuts statements right after text that is not ASCII', async () => {
    expect(await splitStatements("-- prix en €\nSELECT 'café';\nSELECT '日本'; SELECT 'end'")).toEqual([
      "SELECT 'café'",
      "SELECT '日本'",
      "SELECT 'end'",
    ]);
  });

  it('keeps together the function a split on every semicolon would cut apart', async () => {
    const script = `CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."updatedAt" := now();
  RETURN NEW;
END
$$;
CREATE TRIGGER touch BEFORE UPDATE ON "Product" FOR EACH ROW EXECUTE FUNCTION touch();`;
    const naive = script.split(';').filter((part) => part.trim() !== '');
    expect(naive).toHaveLength(4);
    const statements = await splitStatements(script);
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/^CREATE FUNCTION touch\(\)[\s\S]*RETURN NEW;\nEND\n\$\$$/);
    expect(statements[1]).toBe('CREATE TRIGGER touch BEFORE UPDATE ON "Product" FOR EACH ROW EXECUTE FUNCTION touch()');
  });

  it('refuses a script PostgreSQL cannot parse, naming the line', async () => {
    await expect(splitStatements("SELECT 1;\nSELECT 'é';\n\nSELEC 2;")).rejects.toThrow(
      'syntax error at or near "SELEC" at line 4',
    );
    await expect(splitStatements("SELECT 1;\nSELECT 'unterminated")).rejects.toThrow(
      /unterminated quoted string .* at line 2/,
    );
  });
});
