// prisma/distribute.sql is the single source of which tables Citus replicates (reference tables)
// and which it shards by store (distributed tables). This reads its create_reference_table and
// create_distributed_table calls so the contract test can check them against the database.
// It is strict about the argument forms Citus reads: create_distributed_table's table argument is
// a regclass literal, which folds an unquoted name to lower case, so it must be '"Name"'. The
// column argument is looked up exactly as written, so it must be 'storeId' with no inner quotes.

/** One table of the plan, in the order the script distributes it. */
export interface PlannedTable {
  table: string;
  kind: 'reference' | 'distributed';
  /** The distribution column (distributed tables only). */
  column?: string;
  /** The table whose colocation group this one joins; undefined for the group's anchor. */
  colocateWith?: string;
  /** The line of distribute.sql the call is on. */
  line: number;
}

export interface DistributionPlan {
  tables: PlannedTable[];
  /** Calls the parser cannot read the way Citus would; each names its line. */
  problems: string[];
}

/** A foreign key, by the tables at its two ends. */
export interface TableReference {
  name: string;
  table: string;
  references: string;
}

const DISTRIBUTION_COLUMN = 'storeId';
const ANCHOR = 'StoreCounter';
const CALL = /\bcreate_(reference|distributed)_table\s*\(/g;

/** The calls of a distribute.sql script, in order. */
export function readDistributionPlan(script: string): DistributionPlan {
  // Comments may name the functions too; blanked (not removed) so that offsets keep their lines.
  const sql = script.replace(/--[^\n]*/g, (comment) => ' '.repeat(comment.length));
  const tables: PlannedTable[] = [];
  const problems: string[] = [];
  for (const match of sql.matchAll(CALL)) {
    const line = sql.slice(0, match.index).split('\n').length;
    const open = match.index + match[0].length;
    const close = sql.indexOf(')', open);
    const args = splitArguments(sql.slice(open, close < 0 ? undefined : close));
    const kind = match[1] === 'reference' ? 'reference' : 'distributed';
    const planned = kind === 'reference' ? referenceCall(args) : distributedCall(args);
    if (typeof planned === 'string') problems.push(`distribute.sql:${line}: ${planned}`);
    else tables.push({ ...planned, kind, line });
  }
  return { tables, problems };
}

interface Argument {
  name?: string;
  value: string;
}

// Split at commas outside string literals; `name => 'value'` is a named argument.
function splitArguments(text: string): Argument[] {
  const parts = text.match(/(?:'(?:[^']|'')*'|[^,'])+/g) ?? [];
  return parts.map((part) => {
    const named = /^\s*(\w+)\s*=>\s*([\s\S]*?)\s*$/.exec(part);
    return named?.[1] && named[2] !== undefined ? { name: named[1], value: named[2] } : { value: part.trim() };
  });
}

/** The text of a string literal, or null when the argument is not one. */
function literal(argument: Argument | undefined): string | null {
  const match = argument ? /^'((?:[^']|'')*)'$/.exec(argument.value) : null;
  return match?.[1] === undefined ? null : match[1].replace(/''/g, "'");
}

/** The table a regclass literal names, or an explanation of why Citus would not find it. */
function regclass(argument: Argument | undefined): string | { problem: string } {
  const text = literal(argument);
  const quoted = text === null ? null : /^"(\w+)"$/.exec(text)?.[1];
  if (quoted) return quoted;
  return {
    problem:
      `${argument?.value ?? 'a missing argument'} is not a quoted table name: write '"Name"' ` +
      '(a regclass literal folds an unquoted name to lower case)',
  };
}

function referenceCall(args: Argument[]): Pick<PlannedTable, 'table'> | string {
  if (args.length !== 1 || args[0]?.name) return 'create_reference_table takes only the table';
  const table = regclass(args[0]);
  return typeof table === 'string' ? { table } : table.problem;
}

function distributedCall(args: Argument[]): Pick<PlannedTable, 'table' | 'column' | 'colocateWith'> | string {
  const [tableArgument, columnArgument, ...rest] = args;
  if (!tableArgument || !columnArgument || tableArgument.name || columnArgument.name) {
    return 'create_distributed_table needs the table and the distribution column, in that order';
  }
  const table = regclass(tableArgument);
  if (typeof table !== 'string') return table.problem;
  const column = literal(columnArgument);
  if (column === null) return `${table}: the distribution column ${columnArgument.value} is not a string literal`;
  let colocateWith: string | undefined;
  for (const argument of rest) {
    if (argument.name !== 'colocate_with') {
      return `${table}: unexpected argument ${argument.name ?? argument.value} (only colocate_with => '"Table"')`;
    }
    const anchor = regclass(argument);
    if (typeof anchor !== 'string') return `${table}: colocate_with ${anchor.problem}`;
    colocateWith = anchor;
  }
  return { table, column, colocateWith };
}

/**
 * What is wrong with the plan's list against the database's tables: tables missing or listed
 * twice, names that are not tables, and tables listed before a table they reference (Citus
 * checks a foreign key when the referencing table is distributed, so its target must be a Citus
 * table already).
 */
export function listingProblems(
  plan: DistributionPlan,
  tables: readonly string[],
  foreignKeys: readonly TableReference[],
): string[] {
  const problems = [...plan.problems];
  const seen = new Map<string, PlannedTable>();
  for (const planned of plan.tables) {
    const earlier = seen.get(planned.table);
    if (earlier) problems.push(`"${planned.table}" is listed twice (lines ${earlier.line} and ${planned.line})`);
    else seen.set(planned.table, planned);
    if (!tables.includes(planned.table)) problems.push(`"${planned.table}" (line ${planned.line}) is not a table`);
  }
  for (const table of tables) if (!seen.has(table)) problems.push(`"${table}" is missing`);
  for (const key of foreignKeys) {
    const from = seen.get(key.table);
    const to = seen.get(key.references);
    if (from && to && to.line > from.line) {
      problems.push(
        `"${key.table}" (line ${from.line}) comes before "${key.references}" (line ${to.line}), which ${key.name} references`,
      );
    }
  }
  return problems;
}

/**
 * What is wrong with how the plan distributes its tables: each distributed table by storeId, in
 * the colocation group that "StoreCounter" anchors (distributed first, colocated with nothing).
 */
export function distributionProblems(plan: DistributionPlan): string[] {
  const problems: string[] = [];
  const anchor = plan.tables.find((planned) => planned.table === ANCHOR);
  if (anchor?.kind !== 'distributed' || anchor.colocateWith !== undefined) {
    problems.push(`"${ANCHOR}" must be distributed by storeId with no colocate_with: it anchors the group`);
  }
  for (const planned of plan.tables) {
    if (planned.kind !== 'distributed') continue;
    if (planned.column !== DISTRIBUTION_COLUMN) {
      problems.push(`"${planned.table}" (line ${planned.line}) is distributed by '${planned.column}', not by storeId`);
    }
    if (planned.table === ANCHOR) continue;
    if (planned.colocateWith !== ANCHOR) {
      const group = planned.colocateWith ? `"${planned.colocateWith}"` : 'no table';
      problems.push(`"${planned.table}" (line ${planned.line}) is colocated with ${group}, not "${ANCHOR}"`);
    }
    if (anchor && planned.line < anchor.line) {
      problems.push(`"${planned.table}" (line ${planned.line}) comes before "${ANCHOR}", its colocation anchor`);
    }
  }
  return problems;
}
