// The admin app's GraphQL client: Apollo Client sending only the hashes of its trusted documents
// (src/operations, compiled by `pnpm codegen` into src/__generated__/ and persisted-documents.json,
// which the gateway loads). It names itself "admin", so the gateway runs nothing else for it.
import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { print, type DocumentNode } from 'graphql';

/** The name the gateway knows the admin app by (apollographql-client-name). */
export const ADMIN_CLIENT_NAME = 'admin';

/**
 * The manifest's hash of a document codegen compiled (its `__meta__.hash`, "sha256:<hex>"), or
 * null for a document that is not in the manifest.
 */
export function manifestHash(document: DocumentNode): string | null {
  const meta: unknown = (document as DocumentNode & { __meta__?: unknown }).__meta__;
  const hash = typeof meta === 'object' && meta !== null ? (meta as { hash?: unknown }).hash : undefined;
  return typeof hash === 'string' ? hash : null;
}

export interface AdminClientOptions {
  /** The gateway's /graphql URL. */
  url: string;
  /** The store the admin works on (X-Store: id or slug). */
  store?: () => string | null;
  /** The signed-in seller's access token. */
  accessToken?: () => string | null;
  version?: string;
  fetch?: typeof fetch;
}

/**
 * An Apollo Client whose persisted-query link sends the manifest's hash instead of the document
 * (the hash of Apollo's own printing would differ). A document outside the manifest falls back to
 * APQ's sha256 of its text, which the gateway refuses for this client.
 */
export function createAdminClient(options: AdminClientOptions): ApolloClient {
  const persisted = new PersistedQueryLink({
    generateHash: (document) => manifestHash(document) ?? createHash('sha256').update(print(document)).digest('hex'),
  });
  const credentials = new SetContextLink((previous) => {
    const headers: Record<string, string> = { ...(previous.headers as Record<string, string> | undefined) };
    const token = options.accessToken?.();
    const store = options.store?.();
    if (token) headers.authorization = `Bearer ${token}`;
    if (store) headers['x-store'] = store;
    return { headers };
  });
  return new ApolloClient({
    link: ApolloLink.from([credentials, persisted, new HttpLink({ uri: options.url, fetch: options.fetch })]),
    cache: new InMemoryCache(),
    clientAwareness: { name: ADMIN_CLIENT_NAME, version: options.version ?? '1.0.0' },
    defaultOptions: { query: { fetchPolicy: 'network-only' } },
  });
}
