import { forgetAppCredentials, isAppToken, verifyAppToken } from '@commerce/auth';
import type { PrismaClient } from '@commerce/database';
import type { EventBus } from '@commerce/events';
import { bearerTokenOf, type HeaderSource } from '@commerce/graphql-kit';
import { logger } from '@commerce/observability';

/** What a request's context keeps of its app token's exchange, so that it is done once per request. */
export interface AppCredentialSlot {
  headers: HeaderSource;
  appAuthorization?: Promise<string | null>;
}

/**
 * The Authorization header the subgraphs get for an app's request: its app token exchanged for an
 * access token with exactly the app's permissions in its store (tokens.ts). Null when the request
 * carries no app token, or one that is unknown, rotated or revoked: the subgraphs then get the
 * token as sent and refuse it.
 */
export function subgraphAuthorization(prisma: PrismaClient, context: AppCredentialSlot): Promise<string | null> {
  if (context.appAuthorization) return context.appAuthorization;
  const token = bearerTokenOf(context.headers);
  context.appAuthorization =
    token && isAppToken(token)
      ? verifyAppToken(prisma, token).then((credential) => credential && `Bearer ${credential.accessToken}`)
      : Promise.resolve(null);
  return context.appAuthorization;
}

/**
 * Drops verified app tokens as the store service announces changes of their apps (rotation,
 * revocation, new permissions), in every gateway process; a lost subscription leaves the
 * cache's own bound (APP_TOKEN_CACHE_TTL_MS). Returns the unsubscribe.
 */
export async function followAppChanges(bus: EventBus): Promise<() => void> {
  try {
    return await bus.subscribeAll({
      onEvent: (event) => {
        if (event.type === 'app.updated') forgetAppCredentials(event.aggregateId);
      },
      onResync: () => forgetAppCredentials(),
    });
  } catch (error) {
    logger.error(
      { reason: error instanceof Error ? error.message : String(error) },
      'app tokens: could not listen to the events; changes of apps reach this gateway only as its cache expires',
    );
    return () => undefined;
  }
}
