import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '@commerce/database';
import type { RouteHandler } from './http-server.js';

/** How long /readyz waits for the database before calling it unreachable. */
const DATABASE_CHECK_MS = 2_000;

/** /readyz of a subgraph: 200 while its database answers, else 503 (a draining server answers 503 before this runs). */
export function databaseReadiness(prisma: PrismaClient): RouteHandler {
  return async (request: IncomingMessage, response: ServerResponse) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/readyz') return false;
    let timer: NodeJS.Timeout | undefined;
    const database = await Promise.race([
      prisma.$queryRaw`SELECT 1`.then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), DATABASE_CHECK_MS))),
    ]);
    clearTimeout(timer);
    response.writeHead(database ? 200 : 503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ready: database, database }));
    return true;
  };
}
