import { HeaderMap } from '@apollo/server';
import type { Database } from '@commerce/database';
import { resolveRequestContext, type RequestContext, type Viewer } from '@commerce/graphql-kit';

/** Who holds a socket, settled once in connection_init from `{ authorization, store }`. */
export interface Subscriber {
  /** The Authorization value as the gateway forwards it ("Bearer <token>"), or null. */
  authorization: string | null;
  /** The store as the client named it (id, global id or slug), or null. */
  store: string | null;
  /** The host the socket connected to (stores on custom domains). */
  host: string | null;
  viewer: Viewer;
  /** The socket's store: the named one, a customer token's, or the host's; null when none. */
  storeId: string | null;
  /** Who the sockets-per-client limit counts: the principal, or the address of an anonymous client. */
  clientKey: string;
}

/** What the client sent in connection_init and where the socket came from. */
export interface SocketOrigin {
  connectionParams: Readonly<Record<string, unknown>> | undefined;
  remoteAddress: string;
  host: string | null;
}

function stringParam(params: SocketOrigin['connectionParams'], name: string): string | null {
  const value = params?.[name] ?? params?.[name.charAt(0).toUpperCase() + name.slice(1)];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** Headers as the gateway's HTTP path would see them, for the subscriber acting in `store`. */
export function subscriberHeaders(
  subscriber: Pick<Subscriber, 'authorization' | 'host'>,
  store: string | null,
): HeaderMap {
  const headers = new HeaderMap();
  if (subscriber.authorization) headers.set('authorization', subscriber.authorization);
  if (store) headers.set('x-store', store);
  if (subscriber.host) headers.set('x-forwarded-host', subscriber.host);
  return headers;
}

/** The request context (who, which store, permissions) of a subscriber acting in `store`, as the subgraphs resolve it. */
export function subscriberRequestContext(
  database: Database,
  subscriber: Pick<Subscriber, 'authorization' | 'host'>,
  store: string | null,
): Promise<RequestContext> {
  return resolveRequestContext(database, subscriberHeaders(subscriber, store));
}

/**
 * Authenticates a socket (connection_init): the token must verify, and the store, if named, must
 * exist and agree with a customer token. Throws the GraphQL error the HTTP path would answer with.
 */
export async function authenticateSocket(database: Database, origin: SocketOrigin): Promise<Subscriber> {
  const token = stringParam(origin.connectionParams, 'authorization');
  const authorization = token === null ? null : /^bearer\s/i.test(token) ? token : `Bearer ${token}`;
  const store = stringParam(origin.connectionParams, 'store');
  const context = await subscriberRequestContext(database, { authorization, host: origin.host }, store);
  const { viewer } = context;
  const clientKey =
    viewer.kind === 'seller'
      ? `seller:${viewer.sellerId}`
      : viewer.kind === 'customer'
        ? `customer:${viewer.customerId}`
        : `address:${origin.remoteAddress}`;
  return { authorization, store, host: origin.host, viewer, storeId: context.store?.id ?? null, clientKey };
}
