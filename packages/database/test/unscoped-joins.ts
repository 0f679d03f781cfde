// A static check for the distribution contract. When a query joins two distributed tables, the
// join condition must equate their "storeId" columns (next to any other key columns). Citus then
// runs the join inside the one shard group that holds the store. Without that equality, Citus
// must join across nodes or refuses the query.
//
// This is as much as a static check can tell. It reads SQL as text, without a full parser:
// * It finds `[LEFT|RIGHT|FULL|INNER|CROSS] JOIN <relation> [AS] alias ON <condition>`. The
//   relation is a table, a CTE (resolved to the first table its body reads, so a recursive CTE
//   over "Category" counts as "Category"), or a subquery (resolved the same way).
// * It flags such a join when the joined relation is a distributed table and a distributed
//   relation comes before it in the same FROM clause, unless the condition contains
//   `<joined>."storeId" = <other>."storeId"` (either order) with <other> distributed too.
// * It does not flag a subquery whose condition names no other relation (`ON true`, say). Such
//   a subquery is independent of the rows before it, and Citus plans it on its own.
// * It does not read conditions in WHERE (comma joins, UPDATE … FROM, DELETE … USING), inside
//   LATERAL or correlated subqueries, or in SQL that the code assembles from several template
//   literals (each literal is read on its own; `${…}` reads as blank).
import ts from 'typescript';

/** SQL found in a file, with the line its first character is on. */
export interface SqlText {
  file: string;
  line: number;
  sql: string;
}

/** A join of distributed tables whose condition does not equate their storeIds. */
export interface UnscopedJoin {
  file: string;
  line: number;
  join: string;
}

export interface Token {
  text: string;
  /** A parameter is `$1`, `$2`, …; a quoted identifier's text is the name without its quotes. */
  kind: 'word' | 'quoted' | 'parameter' | 'punctuation' | 'other';
  offset: number;
  /** Parentheses open around the token; a parenthesis has the depth of the text outside it. */
  depth: number;
}

/** A table, CTE, subquery or function in a FROM clause or after JOIN. */
interface Relation {
  /** How the query names it: its alias, else its name. */
  alias: string;
  /** The name as written, or '(subquery)'. */
  name: string;
  /** The table it reads from (a CTE or subquery: the first table of its body), if any. */
  table: string | null;
  subquery: boolean;
  /** Token index of the FROM or JOIN before it (of its first token at the start of a fragment). */
  start: number;
  depth: number;
  /** Token index just after it and its alias. */
  end: number;
}

// Blanks, comments, string literals and dollar-quoted text are skipped, never tokens, so a JOIN
// in a comment or a string is not read as one.
const TOKEN =
  /\s+|--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|\$(\w*)\$[\s\S]*?\$\1\$|"((?:[^"]|"")*)"|([A-Za-z_][\w$]*)|(\$\d+)|([(),.;=])|(.)/gy;

/** The tokens of SQL text, each with the parentheses open around it (also read by store-routing.ts). */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  for (const match of sql.matchAll(TOKEN)) {
    const [, , quoted, word, parameter, punctuation, other] = match;
    const offset = match.index;
    if (quoted !== undefined) tokens.push({ text: quoted.replace(/""/g, '"'), kind: 'quoted', offset, depth });
    else if (word !== undefined) tokens.push({ text: word, kind: 'word', offset, depth });
    else if (parameter !== undefined) tokens.push({ text: parameter, kind: 'parameter', offset, depth });
    else if (punctuation === '(') tokens.push({ text: punctuation, kind: 'punctuation', offset, depth: depth++ });
    else if (punctuation === ')') tokens.push({ text: punctuation, kind: 'punctuation', offset, depth: --depth });
    else if (punctuation !== undefined) tokens.push({ text: punctuation, kind: 'punctuation', offset, depth });
    else if (other !== undefined) tokens.push({ text: other, kind: 'other', offset, depth });
  }
  return tokens;
}

// Words that end a join condition at its own depth.
const CONDITION_END = new Set([
  ...'JOIN LEFT RIGHT FULL INNER CROSS NATURAL WHERE GROUP ORDER LIMIT OFFSET FETCH'.split(' '),
  ...'HAVING WINDOW UNION EXCEPT INTERSECT FOR RETURNING'.split(' '),
]);

// Words that end a relation: none of them can be its alias.
const RESERVED = new Set([
  ...CONDITION_END,
  ...'ON USING OUTER LATERAL SET SELECT FROM WITH AS AND OR NOT VALUES TABLESAMPLE'.split(' '),
]);

const isWord = (token: Token | undefined, ...words: string[]): boolean =>
  token?.kind === 'word' && words.includes(token.text.toUpperCase());

const isName = (token: Token | undefined): token is Token =>
  token !== undefined &&
  (token.kind === 'quoted' || (token.kind === 'word' && !RESERVED.has(token.text.toUpperCase())));

/** A statement's tokens and the relations of its FROM clauses and JOINs (also read by statement-shapes.ts). */
export class Query {
  readonly tokens: Token[];
  /** Index of the matching ')' of each '('. */
  private readonly closing = new Map<number, number>();
  /** Each CTE's name and the table it reads from (null when it reads none). */
  private readonly ctes = new Map<string, string | null>();
  readonly relations: Relation[] = [];

  constructor(sql: string) {
    this.tokens = tokenize(sql);
    const open: number[] = [];
    this.tokens.forEach((token, index) => {
      if (token.text === '(' && token.kind === 'punctuation') open.push(index);
      if (token.text === ')' && token.kind === 'punctuation') {
        const start = open.pop();
        if (start !== undefined) this.closing.set(start, index);
      }
    });
    this.readCtes();
    this.readRelations();
  }

  private close(index: number): number {
    return this.closing.get(index) ?? this.tokens.length - 1;
  }

  /** `WITH [RECURSIVE] name [(columns)] AS [[NOT] MATERIALIZED] (body) [, …]`. */
  private readCtes(): void {
    this.tokens.forEach((token, index) => {
      if (!isWord(token, 'WITH')) return;
      let at = isWord(this.tokens[index + 1], 'RECURSIVE') ? index + 2 : index + 1;
      for (;;) {
        const name = this.tokens[at];
        if (!isName(name)) return;
        at += 1;
        if (this.tokens[at]?.text === '(') at = this.close(at) + 1;
        if (!isWord(this.tokens[at], 'AS')) return;
        at += 1;
        if (isWord(this.tokens[at], 'NOT')) at += 1;
        if (isWord(this.tokens[at], 'MATERIALIZED')) at += 1;
        if (this.tokens[at]?.text !== '(') return;
        const end = this.close(at);
        this.ctes.set(name.text, this.firstTable(at + 1, end));
        at = end + 1;
        if (this.tokens[at]?.text !== ',') return;
        at += 1;
      }
    });
  }

  /** The first table (or CTE's table) read between two token indexes: FROM, JOIN, INTO or UPDATE. */
  private firstTable(from: number, to: number): string | null {
    for (let index = from; index < to; index += 1) {
      if (!isWord(this.tokens[index], 'FROM', 'JOIN', 'INTO', 'UPDATE')) continue;
      const relation = this.readRelation(index + 1, index);
      if (relation?.table) return relation.table;
    }
    return null;
  }

  private readRelations(): void {
    // A fragment that starts inside a FROM clause (`"Customer" c LEFT JOIN …`) starts with a relation.
    if (this.tokens[0]?.kind === 'quoted') this.addRelations(0, 0);
    this.tokens.forEach((token, index) => {
      if (isWord(token, 'JOIN') || (isWord(token, 'FROM') && !isWord(this.tokens[index - 1], 'DISTINCT'))) {
        this.addRelations(index + 1, index);
      }
    });
  }

  // One relation, or a comma-separated list of them after FROM.
  private addRelations(at: number, start: number): void {
    let relation = this.readRelation(at, start);
    while (relation) {
      this.relations.push(relation);
      if (isWord(this.tokens[start], 'JOIN') || this.tokens[relation.end]?.text !== ',') return;
      relation = this.readRelation(relation.end + 1, start);
    }
  }

  private readRelation(at: number, start: number): Relation | null {
    let index = isWord(this.tokens[at], 'LATERAL', 'ONLY') ? at + 1 : at;
    const first = this.tokens[index];
    const depth = this.tokens[start]?.depth ?? 0;
    let name: string;
    let table: string | null;
    let subquery = false;
    if (first?.text === '(' && first.kind === 'punctuation') {
      const end = this.close(index);
      name = '(subquery)';
      table = this.firstTable(index + 1, end);
      subquery = true;
      index = end + 1;
    } else if (isName(first)) {
      let nameToken = first;
      if (this.tokens[index + 1]?.text === '.') {
        // `public."Table"`; any other qualifier is a column (`IS DISTINCT FROM s."skus"`,
        // `EXTRACT(epoch FROM o."createdAt")`), not a relation.
        const qualified = this.tokens[index + 2];
        if (first.text !== 'public' || !isName(qualified)) return null;
        nameToken = qualified;
        index += 2;
      }
      if (this.tokens[index + 1]?.text === '(') {
        // A function in FROM, such as unnest(…): it reads no table.
        name = `${nameToken.text}()`;
        table = null;
        index = this.close(index + 1) + 1;
      } else {
        name = nameToken.text;
        table = this.ctes.has(name) ? (this.ctes.get(name) ?? null) : name;
        index += 1;
      }
    } else {
      return null;
    }
    let alias = subquery ? '' : name;
    if (isWord(this.tokens[index], 'AS')) index += 1;
    const aliasToken = this.tokens[index];
    if (isName(aliasToken)) {
      alias = aliasToken.text;
      index += 1;
      // A column list, as in `unnest(…) AS customer("id")`.
      if (this.tokens[index]?.text === '(') index = this.close(index) + 1;
    }
    return { alias, name, table, subquery, start, depth, end: index };
  }

  /** The relation an alias names at a token index: the nearest one defined before it, at its depth or outside. */
  resolve(alias: string, at: number, depth: number): Relation | undefined {
    return this.relations
      .filter((relation) => relation.alias === alias && relation.start <= at && relation.depth <= depth)
      .at(-1);
  }

  /** The relations before a JOIN in its FROM clause (the same parentheses, since the last FROM). */
  before(join: Relation): Relation[] {
    let group = join.start - 1;
    while (group >= 0 && (this.tokens[group]?.depth ?? 0) >= join.depth) group -= 1;
    let from = join.start - 1;
    while (from > group && !(isWord(this.tokens[from], 'FROM') && this.tokens[from]?.depth === join.depth)) {
      from -= 1;
    }
    return this.relations.filter(
      (relation) =>
        relation !== join && relation.depth === join.depth && relation.start >= from && relation.start < join.start,
    );
  }

  /** Whether a join is `USING (…)` a column list that includes "storeId". */
  usesStoreId(join: Relation): boolean {
    if (!isWord(this.tokens[join.end], 'USING') || this.tokens[join.end + 1]?.text !== '(') return false;
    const columns = this.tokens.slice(join.end + 2, this.close(join.end + 1));
    return columns.some((token) => token.kind === 'quoted' && token.text === 'storeId');
  }

  /**
   * What a join's ON condition names: the other relations whose columns it uses, and those whose
   * "storeId" it equates with the joined relation's (`<a>."storeId" = <b>."storeId"`, either way).
   * Nothing for CROSS JOIN or USING.
   */
  readCondition(join: Relation): { named: Relation[]; storeIdPartners: Relation[] } {
    const named: Relation[] = [];
    const storeIdPartners: Relation[] = [];
    if (!isWord(this.tokens[join.end], 'ON')) return { named, storeIdPartners };
    const at = join.end + 1;
    let end = at;
    for (; end < this.tokens.length; end += 1) {
      const token = this.tokens[end];
      if (!token || token.depth < join.depth) break;
      if (token.depth > join.depth) continue;
      if (isWord(token, ...CONDITION_END) || token.text === ',' || token.text === ';') break;
    }
    const tokens = this.tokens.slice(at, end);
    const resolve = (alias: string) => this.resolve(alias, at, join.depth);
    const isStoreId = (token: Token | undefined) => token?.kind === 'quoted' && token.text === 'storeId';
    tokens.forEach((token, index) => {
      if (!isName(token) || tokens[index + 1]?.text !== '.') return;
      const relation = resolve(token.text);
      if (relation && relation !== join && !named.includes(relation)) named.push(relation);
      const [, column, equals, other, otherDot, otherColumn] = tokens.slice(index + 1, index + 7);
      if (!isStoreId(column) || equals?.text !== '=' || !isName(other) || otherDot?.text !== '.') return;
      if (!isStoreId(otherColumn)) return;
      const otherRelation = resolve(other.text);
      if (relation === join && otherRelation && otherRelation !== join) storeIdPartners.push(otherRelation);
      if (otherRelation === join && relation && relation !== join) storeIdPartners.push(relation);
    });
    return { named, storeIdPartners };
  }
}

/** Every JOIN in `text` of a distributed table to another distributed relation that does not equate their storeIds. */
export function unscopedJoins(text: SqlText, distributed: ReadonlySet<string>): UnscopedJoin[] {
  if (!/\bjoin\b/i.test(text.sql)) return [];
  const query = new Query(text.sql);
  const isDistributed = (relation: Relation | undefined): relation is Relation =>
    typeof relation?.table === 'string' && distributed.has(relation.table);
  const findings: UnscopedJoin[] = [];
  for (const join of query.relations) {
    if (!isWord(query.tokens[join.start], 'JOIN') || !isDistributed(join)) continue;
    const before = query.before(join).filter(isDistributed);
    if (before.length === 0 || query.usesStoreId(join)) continue;
    const { named, storeIdPartners } = query.readCondition(join);
    if (storeIdPartners.some(isDistributed)) continue;
    // A subquery whose condition names no other relation (ON true, CROSS JOIN) is either
    // independent of the rows before it, which Citus plans on its own, or LATERAL, whose
    // correlation (inside its body) this check does not read.
    if (join.subquery && named.length === 0) continue;
    const partner = named.find(isDistributed) ?? before[0];
    if (!partner) continue;
    const offset = query.tokens[join.start]?.offset ?? 0;
    findings.push({
      file: text.file,
      line: text.line + text.sql.slice(0, offset).split('\n').length - 1,
      join:
        `JOIN ${describe(join)} to ${describe(partner)} without ` +
        `${join.alias || '<subquery>'}."storeId" = ${partner.alias || '<subquery>'}."storeId"`,
    });
  }
  return findings;
}

function describe(relation: Relation): string {
  const reads = relation.name === relation.table ? `"${relation.name}"` : `${relation.name} (of "${relation.table}")`;
  return relation.alias && relation.alias !== relation.name ? `${reads} ${relation.alias}` : reads;
}

/**
 * The SQL of a TypeScript file: every string and template literal that mentions JOIN (or matches
 * `mentions`), with each `${…}` blanked (newlines kept, so lines still count right).
 */
export function sqlTextsOfTypeScript(file: string, source: string, mentions = /\bjoin\b/i): SqlText[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const texts: SqlText[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
      const start = node.getStart(sourceFile);
      const chars = source.slice(start, node.end).split('');
      if (ts.isTemplateExpression(node)) {
        for (const span of node.templateSpans) {
          // From the `${` that ends the text before the expression to the `}` that starts the text after it.
          const from = span.expression.getFullStart() - 2 - start;
          const to = span.literal.getStart(sourceFile) + 1 - start;
          for (let index = from; index < to; index += 1) if (chars[index] !== '\n') chars[index] = ' ';
        }
      }
      const sql = chars.slice(1, -1).join('');
      if (mentions.test(sql)) {
        texts.push({ file, line: sourceFile.getLineAndCharacterOfPosition(start).line + 1, sql });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return texts;
}

/**
 * The bodies of the SQL functions the migrations leave defined: each function's last
 * CREATE [OR REPLACE] FUNCTION, unless a later DROP FUNCTION removed it. `migrations` are in the
 * order they apply.
 */
export function sqlFunctionsOfMigrations(migrations: readonly { file: string; source: string }[]): SqlText[] {
  const functions = new Map<string, SqlText>();
  const functionName = (name: string): string => {
    const unqualified = name.trim().replace(/^(?:public|"public")\./, '');
    return unqualified.startsWith('"') ? unqualified.slice(1, -1) : unqualified.toLowerCase();
  };
  for (const { file, source } of migrations) {
    const text = source.replace(/--[^\n]*/g, (comment) => ' '.repeat(comment.length));
    const statements =
      /\bCREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+([\w."]+)|\bDROP\s+FUNCTION\s+(?:IF\s+EXISTS\s+)?([^;]+);/gi;
    for (const match of text.matchAll(statements)) {
      const [, created, dropped] = match;
      if (dropped !== undefined) {
        // `a(integer), b(text) CASCADE`: the names before each argument list.
        for (const name of dropped
          .replace(/\([^)]*\)/g, '')
          .replace(/\b(?:CASCADE|RESTRICT)\b/gi, '')
          .split(',')) {
          functions.delete(functionName(name));
        }
        continue;
      }
      if (created === undefined) continue;
      const body = /\bAS\s+(\$\w*\$)/i.exec(text.slice(match.index));
      if (!body?.[1]) continue;
      const bodyStart = match.index + body.index + body[0].length;
      const bodyEnd = text.indexOf(body[1], bodyStart);
      functions.set(functionName(created), {
        file,
        line: text.slice(0, bodyStart).split('\n').length,
        sql: source.slice(bodyStart, bodyEnd < 0 ? undefined : bodyEnd),
      });
    }
  }
  return [...functions.values()];
}
