import type { RequestContext } from '@commerce/graphql-kit';
import { mailerFromEnvironment, type Mailer } from '@commerce/mail';
import { createLoaders, type CustomerLoaders } from './loaders.js';

/** The customer subgraph's request context. */
export interface SubgraphContext extends RequestContext {
  loaders: CustomerLoaders;
  /** Sends customer mails: SMTP when SMTP_URL is set, else the local outbox in the request's store. */
  mailer: Mailer;
}

export function createContext(base: RequestContext): SubgraphContext {
  return { ...base, loaders: createLoaders(base), mailer: mailerFromEnvironment(base.db) };
}
