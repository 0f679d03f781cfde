import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { PrismaClient } from '@commerce/database';
import { outboxLagSeconds } from '@commerce/events';
import {
  logger,
  observeAnalyticsStoresBehind,
  observeOutboxLag,
  observeSubscriptionSockets,
  subgraphFetchDuration,
} from '@commerce/observability';
import type { Realtime } from './realtime.js';

/** Times each of a data source's fetches from its subgraph (in process or over HTTP) in commerce_gateway_subgraph_fetch_duration_seconds. */
export function timeSubgraphFetches<Source extends RemoteGraphQLDataSource<never>>(
  subgraph: string,
  source: Source,
): Source {
  const fetcher = source.fetcher;
  source.fetcher = (async (...args: Parameters<typeof fetcher>) => {
    const stop = subgraphFetchDuration.startTimer({ subgraph });
    try {
      const response = await fetcher(...args);
      stop({ outcome: response.ok ? 'ok' : 'error' });
      return response;
    } catch (error) {
      stop({ outcome: 'error' });
      throw error;
    }
  }) as typeof fetcher;
  return source;
}

/** Reports the gateway process's outbox lag, analytics stores behind and open subscription sockets at each scrape; returns the function that stops it. */
export function observeGateway(prisma: PrismaClient, realtime: Realtime): () => void {
  const { analytics } = realtime;
  const stops = [
    observeSubscriptionSockets(() => realtime.subscriptions.sockets),
    // Where the consumer runs: one process of a deployment's workers.
    ...(analytics ? [observeAnalyticsStoresBehind(() => analytics.storesBehind)] : []),
    observeOutboxLag(() =>
      outboxLagSeconds(prisma).catch((error: unknown) => {
        // A scrape still answers while the database is away; /readyz tells that story.
        logger.warn({ err: error }, 'outbox lag: the database did not answer');
        return 0;
      }),
    ),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
