// Runs the order subgraph as its own process (see docker-compose.yml).
import { runSubgraphProcess } from '@commerce/graphql-kit';
import { orderSubgraph } from './server.js';

await runSubgraphProcess('order', orderSubgraph, 4004);
