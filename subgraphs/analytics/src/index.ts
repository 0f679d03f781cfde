// Runs the analytics subgraph as its own process (see docker-compose.yml).
import { runSubgraphProcess } from '@commerce/graphql-kit';
import { analyticsSubgraph } from './server.js';

await runSubgraphProcess('analytics', analyticsSubgraph, 4005);
