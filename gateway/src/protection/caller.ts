import type { IncomingMessage } from 'node:http';
import { InvalidTokenError, isAppToken, verifyAccessToken, verifyAppToken } from '@commerce/auth';
import type { PrismaClient } from '@commerce/database';
import { bearerTokenOf, type HeaderSource, type Viewer } from '@commerce/graphql-kit';
import { GraphQLError } from 'graphql';
import proxyAddr from 'proxy-addr';
import { storeNamedBy } from '../request-store.js';
import type { ProxyTrust } from './cost-config.js';

/** Kinds of callers, each with its own bucket size (an `app` kind can join them). */
export type CallerKind = 'anonymous' | 'customer' | 'staff';

/** Who an operation's cost is charged to. */
export interface Caller {
  kind: CallerKind;
  /** The bucket's key: `seller:<id>`, `customer:<id>`, `app:<id>`, or `anonymous:<store id>:<client address>`. */
  key: string;
}

/**
 * The client's address: the peer's, or, when the peer is a trusted proxy, the nearest address in
 * X-Forwarded-For that is not one (so a client cannot choose its bucket by sending the header).
 */
export function clientAddress(request: IncomingMessage, trust: ProxyTrust): string {
  return request.socket.remoteAddress ? proxyAddr(request, trust) : 'unknown';
}

/** The caller a verified viewer is, in a store (or none), from a client address. */
export function callerOfViewer(viewer: Viewer, storeId: string | null, address: string): Caller {
  if (viewer.kind === 'seller') return { kind: 'staff', key: `seller:${viewer.sellerId}` };
  if (viewer.kind === 'customer') return { kind: 'customer', key: `customer:${viewer.customerId}` };
  // Apps are charged as staff are, each from a bucket of its own.
  if (viewer.kind === 'app') return { kind: 'staff', key: `app:${viewer.appId}` };
  return { kind: 'anonymous', key: `anonymous:${storeId ?? '-'}:${address}` };
}

/**
 * The caller of a request: the verified access token's seller (staff), customer or app; anyone else,
 * including a token that does not verify, is anonymous, charged by store and client address.
 */
export async function callerOf(prisma: PrismaClient, headers: HeaderSource, address: string): Promise<Caller> {
  const token = bearerTokenOf(headers);
  if (token && isAppToken(token)) {
    const credential = await verifyAppToken(prisma, token);
    if (credential) return { kind: 'staff', key: `app:${credential.identity.appId}` };
  } else if (token) {
    try {
      return callerOfViewer(await verifyAccessToken(token), null, address);
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
    }
  }
  // Resolved rather than taken as sent: a caller cannot get fresh buckets by spelling its store anew.
  const store = await storeNamedBy(prisma, headers).catch((error: unknown) => {
    // A store that does not resolve is the subgraphs' to refuse; its callers share one bucket.
    if (error instanceof GraphQLError) return null;
    throw error;
  });
  return callerOfViewer({ kind: 'anonymous' }, store?.id ?? null, address);
}
