/**
 * Splits a SQL script into its statements, delimited as PostgreSQL's own parser delimits them
 * (libpg_query): semicolons inside quoted strings and identifiers, dollar-quoted bodies, comments and
 * `BEGIN ATOMIC` bodies do not end a statement, and empty statements and comment-only tails are
 * dropped. Each statement is returned without its terminating semicolon. Throws on a syntax error,
 * naming its line.
 */
export async function splitStatements(script: string): Promise<string[]> {
  // Imported on first use: the parser is WebAssembly that takes memory and start-up time, which
  // only a process that migrates should pay.
  const { parse, hasSqlDetails } = await import('libpg-query');
  // The parser refuses an empty string, which holds no statement.
  if (script === '') return [];
  let stmts: Awaited<ReturnType<typeof parse>>['stmts'];
  try {
    ({ stmts } = await parse(script));
  } catch (error) {
    if (!hasSqlDetails(error) || error.sqlDetails === undefined) throw error;
    const line = lineAt(script, error.sqlDetails.cursorPosition);
    throw new Error(`${error.message} at line ${line}`, { cause: error });
  }
  // The parser counts offsets in UTF-8 bytes, not in JavaScript's UTF-16 units.
  const bytes = Buffer.from(script, 'utf8');
  return (stmts ?? []).map(({ stmt_location: start = 0, stmt_len: length = 0 }) => {
    // A length of 0 marks the last statement when no semicolon ends it: it runs to the end.
    const end = length === 0 ? bytes.length : start + length;
    return bytes.subarray(start, end).toString('utf8').trim();
  });
}

function lineAt(script: string, position: number): number {
  return script.slice(0, Math.max(position, 0)).split('\n').length;
}
