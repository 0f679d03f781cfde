import { preparePasswordChecks } from '@commerce/auth';
import { loadSubgraphSdl, type SubgraphDefinition } from '@commerce/graphql-kit';
import { startMailSender } from '@commerce/mail';
import { createContext, type SubgraphContext } from './context.js';
import { resolvers } from './resolvers/index.js';
import { customerSettingsFromEnvironment, type CustomerSettings } from './settings.js';

export { customerSettingsFromEnvironment, type CustomerSettings } from './settings.js';

/** The customer subgraph: accounts, sessions and addresses; its settings are read once, here, unless given. */
export function createCustomerSubgraph(
  settings: CustomerSettings = customerSettingsFromEnvironment(),
): SubgraphDefinition<SubgraphContext> {
  const parts = { settings };
  return {
    name: 'customer',
    typeDefs: loadSubgraphSdl('customer'),
    resolvers,
    createContext: (base) => createContext(base, parts),
    // Account mails are written to the mail outbox; its sender runs where the background work runs.
    background: (database) => startMailSender(database, settings.mail),
    // Log-ins check unknown emails against a decoy hash: made before the first one, not during it.
    prepare: preparePasswordChecks,
  };
}
