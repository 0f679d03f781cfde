// The entry of a graph process (see graph-process.ts): the gateway and five subgraphs on
// DATABASE_URL, plus a stats server answering the SQL statements this process has sent so far
// and the CPU time it has used. It tells its parent { url, statsUrl } once it serves, and drains
// and closes on SIGTERM as the real processes do (SHUTDOWN_GRACE_SECONDS).
import { createServer } from 'node:http';
import { appDatabaseUrl, databasePoolSize, openDatabase, processStatementCount } from '@commerce/database';
import { storefrontCacheFromEnvironment } from '@commerce/gateway';
import { startGraph } from '@commerce/gateway/all-in-one';
import { onStopSignals, shutdownGraceMs } from '@commerce/graphql-kit';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is required');
const appUrl = appDatabaseUrl(databaseUrl);
const database = openDatabase({ connectionString: appUrl, poolSize: databasePoolSize() });
const graph = await startGraph({
  database,
  host: '127.0.0.1',
  storefrontCache: storefrontCacheFromEnvironment(),
  realtime: { relayDatabaseUrl: appUrl },
});
const stats = createServer((_request, response) => {
  const cpu = process.cpuUsage();
  response
    .writeHead(200, { 'content-type': 'application/json' })
    .end(JSON.stringify({ statements: processStatementCount.value, cpuMicroseconds: cpu.user + cpu.system }));
});
await new Promise<void>((resolve) => stats.listen(0, '127.0.0.1', resolve));
const address = stats.address();
process.send?.({
  url: graph.url,
  statsUrl: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`,
});
const graceMs = shutdownGraceMs();
onStopSignals(async () => {
  await graph.close({ graceMs });
  stats.close();
  await database.disconnect();
}, graceMs);
