import type { EventType, StoreEvent } from '@commerce/events';
import { EventStreamError, openStoreEventStream } from '@commerce/events';
import { badUserInput } from '@commerce/graphql-kit';
import { GraphQLError } from 'graphql';
import type { SubscriptionContext } from '../context.js';

/** The fields every event type has. */
export const eventFields = {
  sequence: (event: StoreEvent) => event.sequence.toString(),
  occurredAt: (event: StoreEvent) => event.createdAt.toISOString(),
};

/** The payload of an event as the publishing service wrote it. */
export function payloadOf(event: StoreEvent): Record<string, unknown> {
  return typeof event.payload === 'object' && event.payload !== null ? (event.payload as Record<string, unknown>) : {};
}

/**
 * A subscription's source: the store's events of the wanted types after `afterSequence` (if
 * given), then live ones. Replay problems become GraphQL errors the client can act on.
 */
export async function subscribeToStoreEvents(
  context: SubscriptionContext,
  options: {
    storeId: string;
    afterSequence: string | null | undefined;
    types: readonly EventType[];
    matches?: (event: StoreEvent) => boolean;
  },
): Promise<AsyncIterable<StoreEvent>> {
  try {
    return await openStoreEventStream({
      bus: context.services.bus,
      prisma: context.services.database.prisma,
      storeId: options.storeId,
      afterSequence:
        options.afterSequence === null || options.afterSequence === undefined ? null : BigInt(options.afterSequence),
      types: options.types,
      matches: options.matches,
    });
  } catch (error) {
    if (!(error instanceof EventStreamError)) throw error;
    if (error.code === 'SEQUENCE_AHEAD') throw badUserInput(error.message, ['afterSequence']);
    throw new GraphQLError(error.message, { extensions: { code: error.code } });
  }
}
