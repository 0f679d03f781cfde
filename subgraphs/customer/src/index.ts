// Runs the customer subgraph as its own process (see docker-compose.yml).
import { runSubgraphProcess } from '@commerce/graphql-kit';
import { customerSubgraph } from './server.js';

await runSubgraphProcess('customer', customerSubgraph, 4003);
