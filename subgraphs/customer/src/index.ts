// Runs the customer subgraph as its own process (see docker-compose.yml).
// First: a malformed setting read as the modules below load is reported in one line.
import '@commerce/database/startup-errors';
import { runSubgraphProcess } from '@commerce/graphql-kit';
import { createCustomerSubgraph } from './server.js';

await runSubgraphProcess('customer', createCustomerSubgraph(), 4003);
