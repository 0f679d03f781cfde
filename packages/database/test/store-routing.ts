// Whether a statement names its store, so that Citus sends it to the one shard that holds the store.
// Citus routes a query to one shard only when the query itself compares the distribution column
// with a value: `"storeId" = $1`, `"storeId" IN ($1, …)` or `"storeId" = ANY($1)`. Row-level
// security adds the store's condition on the worker, too late to choose the shard: a statement
// that relies on it alone goes to every shard.
//
// This reads a statement as text, pragmatically, without a full parser:
// * A table is a name after FROM, JOIN, UPDATE, INTO or USING, or after a comma in a FROM list,
//   with its alias (`"Product" p`, `"public"."Product"`). Only the distributed tables (those
//   prisma/distribute.sql shards by store) must name the store.
// * Such a table names its store when the statement compares its "storeId" with a parameter
//   (`p."storeId" = $1::uuid`, `"public"."Product"."storeId" IN ($1)`, `= ANY($1::uuid[])`;
//   Prisma's `IN (NULL)`, a list without values, counts too), or equates it with the "storeId" of a
//   table at the same level that does (`JOIN … v ON v."storeId" = p."storeId"`): the value carries
//   over the colocated join, but not into a correlated subquery, whose tables Citus prunes by their
//   own conditions alone (it sends such a statement to every shard). An unqualified "storeId"
//   belongs to the one table of its subquery.
// * An INSERT names its store in the row it inserts: a column list with "storeId" is enough for
//   the table it inserts into (Citus routes by the inserted value); the tables an INSERT … SELECT
//   reads must name their store like any other.
// * It reads conditions as if they were all joined by AND (an OR can hide a missing store), and
//   does not see the tables a function reads: a statement that calls an app_* function must call
//   one of PLATFORM_FUNCTIONS, each listed with the reason it may.
import { type Token, tokenize } from './unscoped-joins.js';

/**
 * The app_* functions the graph calls, and why each may: it reads no table, only reference tables,
 * or every store's rows by design (SECURITY DEFINER, for the platform's own background work).
 */
export const PLATFORM_FUNCTIONS: Readonly<Record<string, string>> = {
  app_set_scope: 'sets the tenant settings of the transaction; reads no table',
  app_check: 'fails the statement when its condition is false; reads no table',
  app_prefix_tsquery: 'turns search text into a text-search query; reads no table',
  app_resolve_store: 'tenant resolution: reads the reference table "Store", before the request knows its store',
  app_resolve_store_domain:
    'tenant resolution: reads the reference tables "StoreDomain" and "Store", before the request knows its store',
  app_accept_staff_invitations:
    'takes up a signed-in seller\'s invitations to any store: writes the reference table "StaffMember"',
  app_outbox_unpublished: "the event relay: reads every store's unpublished outbox events, cross-store by design",
  app_outbox_mark_published: "the event relay: marks every store's published outbox events, cross-store by design",
  app_outbox_prune: "the event relay: deletes every store's old published outbox events, cross-store by design",
  app_stores_with_expired_carts:
    'the cart sweeper: finds the stores with expired carts, cross-store by design (it then cleans up each in its scope)',
  app_stores_with_expired_authorizations:
    'the authorization sweep: finds the stores with expired payment authorizations, cross-store by design (it then voids each in its scope)',
};

/** A table (or CTE, or other relation) a statement reads or writes, where the statement names it. */
interface Relation {
  name: string;
  /** How the statement refers to it: its alias, else its name. */
  key: string;
  /** Token index of the name. */
  at: number;
  /** The '(' of the innermost subquery around it, or -1 at the statement's own level. */
  scope: number;
  /** The table of an INSERT, which names its store by the row it inserts. */
  inserted: boolean;
  insertsStoreId: boolean;
}

/** A "storeId" column in a condition: its qualifier (alias or table) unless unqualified. */
interface StoreIdColumn {
  qualifier: string | null;
  at: number;
}

// Words that start a subquery (or a CTE's body) after '('.
const SUBQUERY_START = new Set(['SELECT', 'WITH', 'INSERT', 'UPDATE', 'DELETE', 'VALUES']);
// Words after which a table name follows.
const RELATION_BEFORE = new Set(['FROM', 'JOIN', 'UPDATE', 'INTO', 'USING', 'ONLY']);
// Words that end a FROM list, and that cannot be an alias.
const CLAUSE_WORDS = new Set([
  ...'WHERE GROUP ORDER LIMIT OFFSET FETCH HAVING WINDOW UNION EXCEPT INTERSECT FOR RETURNING ON SET'.split(' '),
  ...'JOIN LEFT RIGHT FULL INNER CROSS NATURAL LATERAL USING SELECT VALUES DEFAULT AS AND OR NOT'.split(' '),
  // FOR UPDATE OF c, FOR UPDATE SKIP LOCKED: locking clauses, not a table after UPDATE.
  ...'OF SKIP NOWAIT'.split(' '),
]);

const upper = (token: Token | undefined): string => (token?.kind === 'word' ? token.text.toUpperCase() : '');
const isName = (token: Token | undefined): token is Token =>
  token !== undefined && (token.kind === 'quoted' || (token.kind === 'word' && !CLAUSE_WORDS.has(upper(token))));
const isStoreId = (token: Token | undefined): boolean => token?.kind === 'quoted' && token.text === 'storeId';

class Statement {
  readonly tokens: Token[];
  private readonly closing = new Map<number, number>();
  /** For each token, the '(' of the innermost subquery around it (-1: the statement's own level). */
  private readonly scopes: number[] = [];
  readonly relations: Relation[] = [];

  constructor(sql: string) {
    this.tokens = tokenize(sql);
    const open: { at: number; subquery: boolean }[] = [];
    this.tokens.forEach((token, index) => {
      if (token.kind === 'punctuation' && token.text === ')') {
        const start = open.pop();
        if (start) this.closing.set(start.at, index);
      }
      this.scopes.push(open.findLast((group) => group.subquery)?.at ?? -1);
      if (token.kind === 'punctuation' && token.text === '(') {
        open.push({ at: index, subquery: SUBQUERY_START.has(upper(this.tokens[index + 1])) });
      }
    });
    this.readRelations();
  }

  private close(open: number): number {
    return this.closing.get(open) ?? this.tokens.length;
  }

  /** Whether a token index lies in a scope (a subquery's parentheses, or the whole statement). */
  private within(scope: number, at: number): boolean {
    return scope < 0 || (at > scope && at < this.close(scope));
  }

  private readRelations(): void {
    // The depths at which a FROM (or USING) list is open: a comma there is followed by another relation.
    const fromLists = new Set<number>();
    this.tokens.forEach((token, index) => {
      const word = upper(token);
      if (fromLists.has(token.depth) && (CLAUSE_WORDS.has(word) || token.text === ';')) fromLists.delete(token.depth);
      if (token.text === ')') fromLists.delete(token.depth + 1);
      if (word === 'FROM' || word === 'USING') fromLists.add(token.depth);
      const follows = RELATION_BEFORE.has(word) || (token.text === ',' && fromLists.has(token.depth));
      if (follows) this.readRelation(index + 1, word === 'INTO');
    });
  }

  private readRelation(start: number, inserted: boolean): void {
    let at = start;
    if (upper(this.tokens[at]) === 'ONLY') return; // the name follows ONLY, which reads it
    if (!isName(this.tokens[at])) return;
    // A schema-qualified name: the table is the last part.
    while (this.tokens[at + 1]?.text === '.' && isName(this.tokens[at + 2])) at += 2;
    const nameToken = this.tokens[at];
    // A function in FROM (unnest(…), app_…(…)) is not a relation of its own here; after INTO, the
    // parentheses are the columns.
    if (!nameToken || (!inserted && this.tokens[at + 1]?.text === '(')) return;
    let next = at + 1;
    if (upper(this.tokens[next]) === 'AS') next += 1;
    const aliasToken = this.tokens[next];
    const alias = isName(aliasToken) ? aliasToken.text : null;
    if (alias) next += 1;
    let insertsStoreId = false;
    if (inserted && this.tokens[next]?.text === '(') {
      const columns = this.tokens.slice(next + 1, this.close(next));
      insertsStoreId = columns.some((token) => isStoreId(token) && token.depth === (this.tokens[next]?.depth ?? 0) + 1);
    }
    this.relations.push({
      name: nameToken.text,
      key: alias ?? nameToken.text,
      at,
      scope: this.scopes[at] ?? -1,
      inserted,
      insertsStoreId,
    });
  }

  /** The relation a "storeId" column belongs to, if the statement names one for it. */
  resolve(column: StoreIdColumn): Relation | undefined {
    if (column.qualifier !== null) {
      // The nearest relation by that name whose subquery the column is in.
      return this.relations
        .filter((relation) => relation.key === column.qualifier && this.within(relation.scope, column.at))
        .sort((a, b) => b.scope - a.scope)[0];
    }
    const scope = this.scopes[column.at] ?? -1;
    const candidates = this.relations.filter((relation) => relation.scope === scope && !relation.inserted);
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  /** A "storeId" column that ends at a token index: `"storeId"`, `p."storeId"`, `"public"."P"."storeId"`. */
  columnEndingAt(at: number): StoreIdColumn | null {
    if (!isStoreId(this.tokens[at])) return null;
    if (this.tokens[at - 1]?.text !== '.') return { qualifier: null, at };
    const qualifier = this.tokens[at - 2];
    return isName(qualifier) ? { qualifier: qualifier.text, at } : null;
  }

  /** A "storeId" column that starts at a token index. */
  columnStartingAt(at: number): StoreIdColumn | null {
    let end = at;
    while (isName(this.tokens[end]) && this.tokens[end + 1]?.text === '.') end += 2;
    return this.columnEndingAt(end);
  }

  /** Whether a value starts at a token index: a parameter, or `ANY($1…)` / `ANY(ARRAY[…])`. */
  valueStartingAt(at: number): boolean {
    const token = this.tokens[at];
    if (token?.kind === 'parameter') return true;
    if (!['ANY', 'SOME'].includes(upper(token)) || this.tokens[at + 1]?.text !== '(') return false;
    const inner = this.tokens[at + 2];
    return inner?.kind === 'parameter' || upper(inner) === 'ARRAY';
  }

  /** Whether a value ends at a token index: a parameter, possibly cast (`$1::uuid`). */
  valueEndingAt(at: number): boolean {
    if (this.tokens[at]?.kind === 'parameter') return true;
    const cast = this.tokens.slice(at - 2, at).map((token) => token.text);
    return cast.join('') === '::' && this.tokens[at - 3]?.kind === 'parameter';
  }

  /** Whether the parentheses that open at a token index hold a list of values only (`IN ($1, $2)`, `IN (NULL)`). */
  valueListAt(open: number): boolean {
    if (this.tokens[open]?.text !== '(') return false;
    const inner = this.tokens.slice(open + 1, this.close(open));
    // Parameters, NULL, commas and casts (`$1::uuid`).
    return (
      inner.length > 0 &&
      inner.every(
        (token, index) =>
          token.kind === 'parameter' ||
          token.text === ',' ||
          token.text === ':' ||
          upper(token) === 'NULL' ||
          (token.kind === 'word' && inner[index - 1]?.text === ':'),
      )
    );
  }
}

/**
 * What keeps a statement from naming its store: each distributed table that does not, and each
 * app_* function it calls that PLATFORM_FUNCTIONS does not list. Empty when Citus can route it.
 */
export function storeRoutingProblems(sql: string, distributed: ReadonlySet<string>): string[] {
  const statement = new Statement(sql);
  const { tokens } = statement;
  const named = new Set<Relation>();
  const links: [Relation, Relation][] = [];
  const withValue = (column: StoreIdColumn | null) => {
    const relation = column && statement.resolve(column);
    if (relation) named.add(relation);
  };
  tokens.forEach((token, index) => {
    if (token.kind === 'punctuation' && token.text === '=') {
      const left = statement.columnEndingAt(index - 1);
      const right = statement.columnStartingAt(index + 1);
      if (left && right) {
        const [a, b] = [statement.resolve(left), statement.resolve(right)];
        // A join at one level carries the value; a correlated subquery's reference to the outer
        // row does not: Citus prunes each table's shards by that table's own conditions.
        if (a && b && a.scope === b.scope) links.push([a, b]);
      }
      if (left && statement.valueStartingAt(index + 1)) withValue(left);
      if (right && statement.valueEndingAt(index - 1)) withValue(right);
    }
    if (upper(token) === 'IN' && statement.valueListAt(index + 1)) withValue(statement.columnEndingAt(index - 1));
  });
  for (const relation of statement.relations) if (relation.inserted && relation.insertsStoreId) named.add(relation);
  // The value carries over each storeId = storeId equality, to a fixpoint.
  for (let grown = true; grown; ) {
    grown = false;
    for (const [a, b] of links) {
      if (named.has(a) !== named.has(b)) {
        named.add(a);
        named.add(b);
        grown = true;
      }
    }
  }
  const problems: string[] = [];
  for (const relation of statement.relations) {
    if (!distributed.has(relation.name) || named.has(relation)) continue;
    const table = relation.key === relation.name ? `"${relation.name}"` : `"${relation.name}" ${relation.key}`;
    problems.push(
      relation.inserted
        ? `INSERT INTO ${table} without "storeId" among its columns`
        : `${table} without "storeId" = a value (or = the "storeId" of a table that has one)`,
    );
  }
  tokens.forEach((token, index) => {
    const name = token.kind === 'word' ? token.text.toLowerCase() : '';
    if (name.startsWith('app_') && tokens[index + 1]?.text === '(' && !(name in PLATFORM_FUNCTIONS)) {
      problems.push(
        `calls ${name}(), which is not among the platform functions known to keep to their store or to none`,
      );
    }
  });
  return problems;
}
