import { loadSubgraphSdl, type SubgraphDefinition } from '@commerce/graphql-kit';
import { startMailSender } from '@commerce/mail';
import { createContext, type SubgraphContext } from './context.js';
import { resolvers } from './resolvers/index.js';
import { startAuthorizationSweeper } from './services/authorization-sweeper.js';
import { startCartSweeper } from './services/cart-sweeper.js';
import { CheckoutLines } from './services/checkout-gate.js';
import { orderSettingsFromEnvironment, type OrderSettings } from './settings.js';

export { orderSettingsFromEnvironment, type OrderSettings } from './settings.js';

/** The order subgraph: carts, checkout, orders, payments and fulfilment; its settings are read once, here, unless given. */
export function createOrderSubgraph(
  settings: OrderSettings = orderSettingsFromEnvironment(),
): SubgraphDefinition<SubgraphContext> {
  const parts = {
    settings,
    checkoutLines: new CheckoutLines(settings.checkoutsPerProcess, settings.checkoutsPerStore),
  };
  return {
    name: 'order',
    typeDefs: loadSubgraphSdl('order'),
    resolvers,
    createContext: (base) => createContext(base, parts),
    background: (database) => {
      const jobs = [
        startCartSweeper(database, settings.cartSweepIntervalMinutes),
        startAuthorizationSweeper(database, settings.cartSweepIntervalMinutes, settings.authorizationExpiryHours),
        // Buyer notifications are written to the mail outbox in the order's transactions.
        startMailSender(database, settings.mail),
      ];
      return { stop: async () => void (await Promise.all(jobs.map((job) => job.stop()))) };
    },
  };
}
