import type { IncomingMessage, ServerResponse } from 'node:http';
import { Prisma, queryOnPool, type Database } from '@commerce/database';
import type { RouteHandler } from './http-server.js';

/** How long /readyz waits for the database before calling it unreachable. */
const DATABASE_CHECK_MS = 2_000;

/**
 * Whether the database answers within DATABASE_CHECK_MS. Probes ask this every few seconds of an
 * idle process's life, so it goes to the pool directly (queryOnPool), not through Prisma.
 */
export async function databaseAnswers(database: Database): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const answered = await Promise.race([
    queryOnPool(database, Prisma.sql`SELECT 1`).then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), DATABASE_CHECK_MS))),
  ]);
  clearTimeout(timer);
  return answered;
}

/** /readyz of a subgraph: 200 while its database answers, else 503 (a draining server answers 503 before this runs). */
export function databaseReadiness(database: Database): RouteHandler {
  return async (request: IncomingMessage, response: ServerResponse) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/readyz') return false;
    const answered = await databaseAnswers(database);
    response.writeHead(answered ? 200 : 503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ready: answered, database: answered }));
    return true;
  };
}
