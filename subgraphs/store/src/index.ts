// Runs the store subgraph as its own process (see docker-compose.yml).
import { runSubgraphProcess } from '@commerce/graphql-kit';
import { storeSubgraph } from './server.js';

await runSubgraphProcess('store', storeSubgraph, 4001);
