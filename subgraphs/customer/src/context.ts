import type { ScopedDatabase } from '@commerce/database';
import type { RequestContext } from '@commerce/graphql-kit';
import type { Mailer } from '@commerce/mail';
import { createLoaders, type CustomerLoaders } from './loaders.js';
import type { CustomerSettings } from './settings.js';

/** The customer subgraph's request context. */
export interface SubgraphContext extends RequestContext {
  loaders: CustomerLoaders;
  settings: CustomerSettings;
  /** Sends customer mails: SMTP when SMTP_URL is set, else the local outbox in the request's store. */
  mailer: Mailer;
}

/** What every request of one customer subgraph shares. */
export interface CustomerSubgraphParts {
  settings: CustomerSettings;
  mailerOf: (db: ScopedDatabase) => Mailer;
}

export function createContext(base: RequestContext, { settings, mailerOf }: CustomerSubgraphParts): SubgraphContext {
  return { ...base, loaders: createLoaders(base), settings, mailer: mailerOf(base.db) };
}
