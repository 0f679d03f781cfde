// Runs the catalog subgraph as its own process (see docker-compose.yml).
import { runSubgraphProcess } from '@commerce/graphql-kit';
import { catalogSubgraph } from './server.js';

await runSubgraphProcess('catalog', catalogSubgraph, 4002);
