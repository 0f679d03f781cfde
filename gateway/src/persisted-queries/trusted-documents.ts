import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext } from '@apollo/server';
import { GraphQLError } from 'graphql';

/** The code of an operation refused because it is not a trusted document. */
export const PERSISTED_QUERY_NOT_ALLOWED = 'PERSISTED_QUERY_NOT_ALLOWED';

/** The header clients name themselves with (Apollo's convention). */
export const CLIENT_NAME_HEADER = 'apollographql-client-name';

/** Trusted documents by the sha256 (hex) of their text. */
export type TrustedDocuments = ReadonlyMap<string, string>;

const SHA256_PREFIX = 'sha256:';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A hash as APQ compares it: bare hex (the GraphQL-over-HTTP persisted-document form has a "sha256:" prefix). */
export function bareHash(hash: string): string {
  return hash.startsWith(SHA256_PREFIX) ? hash.slice(SHA256_PREFIX.length) : hash;
}

/**
 * Loads codegen's persisted-documents.json manifests ({ "sha256:<hex>": "<document>" }). Fails
 * when a file is missing or a hash does not match its document, so a bad deploy stops at start.
 */
export function loadTrustedDocuments(paths: readonly string[]): TrustedDocuments {
  const documents = new Map<string, string>();
  for (const path of paths) {
    let manifest: unknown;
    try {
      manifest = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(
        `cannot read the trusted-document manifest ${path} (run pnpm codegen): ${(error as Error).message}`,
      );
    }
    if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest))
      throw new Error(`${path} is not a persisted-documents manifest`);
    for (const [hash, document] of Object.entries(manifest)) {
      if (typeof document !== 'string' || sha256(document) !== bareHash(hash))
        throw new Error(`${path}: the document of ${hash} does not have that hash`);
      documents.set(bareHash(hash), document);
    }
  }
  return documents;
}

export interface TrustedDocumentPolicy {
  documents: TrustedDocuments;
  /** Clients (apollographql-client-name) limited to the trusted documents. */
  clients: readonly string[];
  /** Every client is limited to the trusted documents. */
  everyone: boolean;
}

/**
 * Marks contexts of the gateway's own operations (subscription payloads), which the policy lets
 * through. A property, not identity: Apollo Server hands plugins a shallow copy of the context.
 */
const INTERNAL = Symbol('gateway-internal-operation');

/** Marks a context value as the gateway's own: its operations are built at run time, not listed. */
export function markInternalContext<Context extends object>(context: Context): Context {
  return Object.assign(context, { [INTERNAL]: true });
}

/** Whether a context value belongs to one of the gateway's own operations. */
export function isInternalContext(context: unknown): boolean {
  return typeof context === 'object' && context !== null && (context as { [INTERNAL]?: unknown })[INTERNAL] === true;
}

function persistedQueryExtension(
  request: GraphQLRequestContext<BaseContext>['request'],
): { sha256Hash?: unknown } | null {
  const extension: unknown = request.extensions?.persistedQuery;
  return typeof extension === 'object' && extension !== null ? (extension as { sha256Hash?: unknown }) : null;
}

/**
 * Trusted documents (DESIGN §9): a hash of a loaded manifest runs without its text (the manifest
 * supplies it), and clients under the policy may run nothing else; anything else is refused with
 * PERSISTED_QUERY_NOT_ALLOWED before it executes. Hashes may come bare or "sha256:"-prefixed.
 */
export function trustedDocumentsPlugin(policy: TrustedDocumentPolicy): ApolloServerPlugin<BaseContext> {
  const limited = limitedBy(policy);
  return {
    async requestDidStart({ request }) {
      const extension = persistedQueryExtension(request);
      if (extension && typeof extension.sha256Hash === 'string') {
        const hash = bareHash(extension.sha256Hash);
        request.extensions = { ...request.extensions, persistedQuery: { ...extension, sha256Hash: hash } };
        if (request.query === undefined) request.query = policy.documents.get(hash);
      }
      return {
        async didResolveOperation(requestContext) {
          if (isInternalContext(requestContext.contextValue)) return;
          const client = requestContext.request.http?.headers.get(CLIENT_NAME_HEADER) ?? '';
          if (!limited(client)) return;
          if (requestContext.queryHash && policy.documents.has(requestContext.queryHash)) return;
          throw notAllowed(policy, client);
        },
      };
    },
  };
}

/** Whether the policy limits a client (by its name) to the trusted documents. */
function limitedBy(policy: TrustedDocumentPolicy): (client: string) => boolean {
  const clients = new Set(policy.clients);
  return (client) => policy.everyone || clients.has(client);
}

function notAllowed(policy: TrustedDocumentPolicy, client: string): GraphQLError {
  return new GraphQLError(
    policy.everyone
      ? 'Only trusted documents may run here: send the sha256 hash of a document from a loaded manifest.'
      : `Client "${client}" may run only its trusted documents: regenerate its persisted-documents.json (pnpm codegen) and deploy it with the gateway.`,
    { extensions: { code: PERSISTED_QUERY_NOT_ALLOWED } },
  );
}

/** A subscribe message of graphql-ws, as far as the policy reads it. */
export interface SocketOperation {
  query: string;
  extensions?: Readonly<Record<string, unknown>> | null;
}

/**
 * The same policy for operations sent over the subscription socket: the document a subscribe
 * message runs (its text, or a manifest's by `extensions.persistedQuery.sha256Hash` when the text is
 * empty), or the refusal for a client the policy limits. `client` is the name the socket gave.
 */
export type SocketDocumentGate = (
  operation: SocketOperation,
  client: string,
) => { query: string } | { refused: GraphQLError };

export function socketDocumentGate(policy: TrustedDocumentPolicy): SocketDocumentGate {
  const limited = limitedBy(policy);
  return (operation, client) => {
    const extension: unknown = operation.extensions?.persistedQuery;
    const hash =
      typeof extension === 'object' && extension !== null
        ? (extension as { sha256Hash?: unknown }).sha256Hash
        : undefined;
    const listed = typeof hash === 'string' ? policy.documents.get(bareHash(hash)) : undefined;
    const query = operation.query || listed || '';
    if (!limited(client) || policy.documents.has(sha256(query))) return { query };
    return { refused: notAllowed(policy, client) };
  };
}
