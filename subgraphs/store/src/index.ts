// Runs the store subgraph as its own process (see docker-compose.yml).
// First: a malformed setting read as the modules below load is reported in one line.
import '@commerce/database/startup-errors';
import { runSubgraphProcess } from '@commerce/graphql-kit';
import { createStoreSubgraph } from './server.js';

await runSubgraphProcess('store', createStoreSubgraph(), 4001);
