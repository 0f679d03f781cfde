import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { PrismaClient } from '@commerce/database';
import { clientAddress } from './caller.js';
import { compileProxyTrust, validateQueryCostConfig, type QueryCostConfig } from './cost-config.js';
import { costModelFromSupergraph } from './cost-model.js';
import { chargeKnownAnswer, queryCostPlugin, type CostContext, type KnownAnswer } from './cost-plugin.js';
import type { CostExtension } from './refusals.js';
import { InProcessRateLimiter, RedisRateLimiter } from './rate-limit.js';
import { socketCostAdmission, type SocketAdmission } from './subscription-cost.js';

export { queryCostConfigFromEnvironment, type QueryCostConfig } from './cost-config.js';
export type { CostContext } from './cost-plugin.js';
export type { SocketAdmission } from './subscription-cost.js';

/** Charges a request whose answer is known: its extensions.cost, or null when it must run after all. */
export type KnownAnswerCharge = (answer: KnownAnswer) => Promise<CostExtension | null>;

/** The gateway's query cost and rate limits, over HTTP and on the subscription socket. */
export interface QueryCostProtection {
  /** The client's address of a request: the peer's, or X-Forwarded-For's from a trusted proxy. */
  clientAddress(request: IncomingMessage): string;
  /** The Apollo Server plugin; none when the limits are off. */
  plugin: ApolloServerPlugin<CostContext> | null;
  /** The check of subscribe messages; none when the limits are off. */
  socketAdmission: SocketAdmission | null;
  /** Charges a request whose answer is known without running it (see chargeKnownAnswer); none when the limits are off. */
  chargeKnownAnswer: KnownAnswerCharge | null;
  close(): Promise<void>;
}

/** Builds the cost model from the supergraph and the buckets (Redis when configured); throws on settings that cannot work. */
export function createQueryCostProtection(
  config: QueryCostConfig,
  supergraphSdl: string,
  prisma: PrismaClient,
): QueryCostProtection {
  validateQueryCostConfig(config);
  const trust = compileProxyTrust(config.trustedProxies);
  const address = (request: IncomingMessage) => clientAddress(request, trust);
  if (!config.enabled)
    return {
      clientAddress: address,
      plugin: null,
      socketAdmission: null,
      chargeKnownAnswer: null,
      close: async () => undefined,
    };
  const model = costModelFromSupergraph(supergraphSdl);
  const limiter = config.redisUrl
    ? new RedisRateLimiter(config.redisUrl, config.keyPrefix)
    : new InProcessRateLimiter();
  return {
    clientAddress: address,
    plugin: queryCostPlugin({ config, model, limiter, prisma }),
    socketAdmission: socketCostAdmission({ config, model, limiter }),
    chargeKnownAnswer: (answer) => chargeKnownAnswer({ config, limiter, prisma }, answer),
    close: () => limiter.close(),
  };
}
