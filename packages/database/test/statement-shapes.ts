// Static checks for statement shapes that work on one PostgreSQL but not as meant on Citus
// (README, "What Citus supports"):
// * A subquery that takes "storeId" from the row outside it (`v."storeId" = p."storeId"` in
//   `(SELECT … FROM "ProductVariant" v …)`). Citus prunes each table's shards by that table's own
//   conditions, and a condition on the outer row is none: the statement goes to every shard. The
//   subquery compares "storeId" with the store's id instead.
// * ON CONFLICT … DO UPDATE SET calling now(), CURRENT_TIMESTAMP or another function that is not
//   IMMUTABLE: Citus refuses the statement. The proposed row (EXCLUDED) can carry the time.
// * INSERT … SELECT into a distributed table without RETURNING or ON CONFLICT. Unless the SELECT
//   reads the same shard, Citus runs the SELECT itself and writes its rows into the shard with
//   COPY, which PostgreSQL refuses under row-level security; with RETURNING it inserts them with
//   an INSERT on the shard.
//
// They read SQL as unscoped-joins.ts does, each literal on its own with `${…}` blank, so they do
// not see what an interpolated fragment holds. A subquery's relation counts as taking "storeId"
// from outside when the other side of the equality is a relation of an enclosing query, or is
// defined nowhere in the literal while the subquery's relation is inside parentheses (a fragment
// such as `(SELECT … WHERE i."storeId" = p."storeId")` that the code puts into a query on p).
import { Query, type SqlText } from './unscoped-joins.js';

type Relation = Query['relations'][number];

/** A finding of either check, by file and line. */
export interface ShapeFinding {
  file: string;
  line: number;
  problem: string;
}

const lineAt = (text: SqlText, offset: number): number => text.line + text.sql.slice(0, offset).split('\n').length - 1;

/** Every equality of a distributed table's "storeId" with the "storeId" of a row outside its subquery. */
export function correlatedStoreIds(text: SqlText, distributed: ReadonlySet<string>): ShapeFinding[] {
  if (!text.sql.includes('"storeId"')) return [];
  const query = new Query(text.sql);
  const { tokens } = query;
  // The token range a relation is visible in: the parentheses around its FROM or JOIN.
  const scopeOf = (relation: Relation): [number, number] => {
    if (relation.depth === 0) return [-1, tokens.length];
    let open = relation.start;
    while (open >= 0 && !(tokens[open]?.text === '(' && tokens[open]?.depth === relation.depth - 1)) open -= 1;
    let close = relation.start;
    while (close < tokens.length && !(tokens[close]?.text === ')' && tokens[close]?.depth === relation.depth - 1))
      close += 1;
    return [open, close];
  };
  const scopes = new Map(query.relations.map((relation) => [relation, scopeOf(relation)]));
  // The innermost relation of that alias whose scope holds the token.
  const resolve = (alias: string, at: number): Relation | undefined =>
    query.relations
      .filter((relation) => {
        const [open, close] = scopes.get(relation) ?? [0, 0];
        return relation.alias === alias && open < at && at < close;
      })
      .sort((a, b) => b.depth - a.depth)[0];
  const isDistributed = (relation: Relation | undefined): relation is Relation =>
    typeof relation?.table === 'string' && distributed.has(relation.table);
  const isStoreIdOf = (at: number): boolean =>
    (tokens[at]?.kind === 'quoted' || tokens[at]?.kind === 'word') &&
    tokens[at + 1]?.text === '.' &&
    tokens[at + 2]?.kind === 'quoted' &&
    tokens[at + 2]?.text === 'storeId';
  const findings: ShapeFinding[] = [];
  tokens.forEach((token, at) => {
    if (!isStoreIdOf(at) || tokens[at + 3]?.text !== '=' || !isStoreIdOf(at + 4)) return;
    const left = resolve(token.text, at);
    const right = resolve(tokens[at + 4]?.text ?? '', at + 4);
    let inner: Relation | undefined;
    if (left && right) inner = left.depth > right.depth ? left : right.depth > left.depth ? right : undefined;
    else inner = (left ?? right)?.depth ? (left ?? right) : undefined;
    if (!isDistributed(inner)) return;
    const outer = inner === left ? tokens[at + 4]?.text : token.text;
    findings.push({
      file: text.file,
      line: lineAt(text, token.offset),
      problem: `${inner.alias}."storeId" = ${outer}."storeId": the subquery on "${inner.table}" takes the store from the row outside it`,
    });
  });
  return findings;
}

// Functions that are not IMMUTABLE and that an upsert is tempted to call.
const NOT_IMMUTABLE =
  /\b(?:now|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday|random|gen_random_uuid)\s*\(|\b(?:CURRENT_TIMESTAMP|CURRENT_DATE|CURRENT_TIME|LOCALTIMESTAMP|LOCALTIME)\b/gi;

/** Every call of a function that is not IMMUTABLE in the DO UPDATE part of an ON CONFLICT clause. */
export function mutableUpsertSets(text: SqlText): ShapeFinding[] {
  const findings: ShapeFinding[] = [];
  for (const upsert of text.sql.matchAll(/\bON\s+CONFLICT\b(?:(?!\bDO\b)[\s\S])*\bDO\s+UPDATE\b/gi)) {
    // DO UPDATE SET … [WHERE …] runs to RETURNING, to the ')' that closes the statement's CTE, or to its end.
    const start = upsert.index + upsert[0].length;
    let depth = 0;
    let end = start;
    for (; end < text.sql.length; end += 1) {
      const char = text.sql[end];
      if (char === '(') depth += 1;
      if (char === ')') depth -= 1;
      if (depth < 0 || char === ';' || (depth === 0 && /^RETURNING\b/i.test(text.sql.slice(end, end + 10)))) break;
    }
    for (const call of text.sql.slice(start, end).matchAll(NOT_IMMUTABLE)) {
      findings.push({
        file: text.file,
        line: lineAt(text, start + call.index),
        problem: `ON CONFLICT … DO UPDATE calls ${call[0].replace(/\s*\($/, '()')}, which is not IMMUTABLE`,
      });
    }
  }
  return findings;
}

/** Every INSERT … SELECT into a distributed table that has neither RETURNING nor ON CONFLICT. */
export function insertSelectsWithoutReturning(text: SqlText, distributed: ReadonlySet<string>): ShapeFinding[] {
  const findings: ShapeFinding[] = [];
  for (const insert of text.sql.matchAll(/\bINSERT\s+INTO\s+(?:"?public"?\.)?"(\w+)"/gi)) {
    const table = insert[1] ?? '';
    if (!distributed.has(table)) continue;
    // The statement's own words, without what parentheses hold (column lists, subqueries), up to
    // the ')' that closes its CTE, a ';' or the end.
    let depth = 0;
    let words = '';
    for (let at = insert.index + insert[0].length; at < text.sql.length; at += 1) {
      const char = text.sql[at] ?? '';
      if (char === '(') depth += 1;
      if (char === ')') depth -= 1;
      if (depth < 0 || (depth === 0 && char === ';')) break;
      words += depth === 0 && char !== ')' ? char : ' ';
    }
    if (!/\bSELECT\b/i.test(words) || /\bRETURNING\b|\bON\s+CONFLICT\b/i.test(words)) continue;
    findings.push({
      file: text.file,
      line: lineAt(text, insert.index),
      problem: `INSERT … SELECT into "${table}" has neither RETURNING nor ON CONFLICT`,
    });
  }
  return findings;
}
