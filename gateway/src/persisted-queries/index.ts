import type { ApolloServerPlugin, BaseContext, PersistedQueryOptions } from '@apollo/server';
import { connectRedis } from '@commerce/events';
import type { PersistedQueriesConfig } from '../config.js';
import { RedisKeyValueCache } from './redis-cache.js';
import {
  loadTrustedDocuments,
  socketDocumentGate,
  trustedDocumentsPlugin,
  type SocketDocumentGate,
} from './trusted-documents.js';

export {
  isInternalContext,
  markInternalContext,
  PERSISTED_QUERY_NOT_ALLOWED,
  CLIENT_NAME_HEADER,
  type SocketDocumentGate,
} from './trusted-documents.js';

export interface PersistedQueries {
  /** Apollo Server's `persistedQueries` option: APQ over Redis, or over its in-memory cache. */
  apq: PersistedQueryOptions;
  /** The trusted-document policy over HTTP. */
  plugin: ApolloServerPlugin<BaseContext>;
  /** The same policy for the subscription socket. */
  socketGate: SocketDocumentGate;
  close(): Promise<void>;
}

/** Automatic persisted queries and the trusted-document policy of the gateway (DESIGN §9). */
export function createPersistedQueries(config: PersistedQueriesConfig): PersistedQueries {
  const documents = loadTrustedDocuments(config.manifestPaths);
  const redis = config.redisUrl ? connectRedis(config.redisUrl, 'persisted-queries', { commandTimeout: 2_000 }) : null;
  const policy = { documents, clients: config.trustedDocumentClients, everyone: config.trustedDocumentsOnly };
  return {
    apq: { cache: redis ? new RedisKeyValueCache(redis, config.keyPrefix) : undefined, ttl: config.apqTtlSeconds },
    plugin: trustedDocumentsPlugin(policy),
    socketGate: socketDocumentGate(policy),
    async close() {
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}
