import { createHash } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { formatError } from '@commerce/graphql-kit';
import { logger } from '@commerce/observability';
import { CloseCode, handleProtocols, makeServer, type Context } from 'graphql-ws';
import {
  GraphQLError,
  getOperationAST,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SubscriptionContext, SubscriptionServices } from './context.js';
import { gatewayDataResolver } from './entity-resolution.js';
import { SubscriptionHub } from './hub.js';
import { authenticateSocket, type Subscriber } from './subscriber.js';
import { CLIENT_NAME_HEADER, type SocketDocumentGate } from '../persisted-queries/index.js';
import type { SocketProtection } from '../protection/index.js';
import type { SocketAdmission } from '../protection/query-cost.js';

export interface SubscriptionLimits {
  /** Subscriptions one socket may hold at once. */
  maxSubscriptionsPerSocket: number;
  /** Sockets one client may hold open. */
  maxSocketsPerClient: number;
  /** Ping interval; a socket that has not answered the previous ping is closed. */
  keepAliveMs: number;
}

export interface SubscriptionServerOptions extends SubscriptionLimits {
  httpServer: Server;
  schema: GraphQLSchema;
  services: SubscriptionServices;
  /** The trusted-document policy for subscribe messages; every document runs without it. */
  trustedDocuments?: SocketDocumentGate;
  /** Query limits, safe strings and suggestions, as on the HTTP path. */
  protection: SocketProtection;
  /** Query cost and rate limits of subscribe messages; every subscription is admitted without it. */
  admission?: SocketAdmission;
  /** The client's address of an upgrade request (proxy-aware); the peer's without it. */
  clientAddress?: (request: IncomingMessage) => string;
}

export interface SubscriptionServer {
  hub: SubscriptionHub;
  /** Sockets open now. */
  readonly sockets: number;
  close(): Promise<void>;
}

/** What graphql-ws keeps per socket (kept small: tens of thousands of sockets stay open). */
interface SocketState {
  socket: WebSocket;
  remoteAddress: string;
  host: string | null;
  alive: boolean;
  subscriber: Subscriber | null;
  expiry: NodeJS.Timeout | null;
  /** The name the client gave (connection parameter or upgrade header apollographql-client-name), for the trusted-document policy. */
  clientName: string;
}

function headerValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

/** Close codes of the graphql-transport-ws protocol this server uses. */
const CLOSE = {
  unauthorized: CloseCode.Unauthorized, // 4401: missing, invalid or expired token
  forbidden: CloseCode.Forbidden, // 4403: the store named cannot be used with this token
  tooMany: CloseCode.TooManyInitialisationRequests, // 4429: too many sockets for this client
  internal: CloseCode.InternalServerError, // 4500
} as const;

const MAX_MESSAGE_BYTES = 256 * 1024;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Sockets pinged between two turns of the event loop. */
const PING_SLICE = 200;

/** A close reason fits in a control frame (123 bytes). */
function reason(text: string): string {
  return Buffer.byteLength(text) <= 123 ? text : `${Buffer.from(text).subarray(0, 120).toString('utf8')}…`;
}

function tooManySubscriptions(limit: number): GraphQLError {
  return new GraphQLError(
    `A socket holds at most ${limit} subscriptions: complete one first, or open another socket.`,
    {
      extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' },
    },
  );
}

const onlySubscriptions = new GraphQLError(
  'This socket serves subscriptions; send queries and mutations as HTTP POST /graphql.',
  {
    extensions: { code: 'BAD_REQUEST' },
  },
);

/** Parses and validates documents once, under the query limits; subscribers of one app send the same few. */
class DocumentCache {
  private readonly documents = new Map<string, { document: DocumentNode; errors: readonly GraphQLError[] }>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly protection: SocketProtection,
  ) {}

  get(query: string): { document: DocumentNode; errors: readonly GraphQLError[] } {
    const cached = this.documents.get(query);
    if (cached) return cached;
    const { document, errors } = this.protection.check(this.schema, query);
    if (!document) return { document: { kind: Kind.DOCUMENT, definitions: [] }, errors };
    const entry = { document, errors };
    if (this.documents.size >= 1_000) this.documents.delete(this.documents.keys().next().value ?? '');
    this.documents.set(query, entry);
    return entry;
  }
}

/** Whether the operation asks for a replay (such subscriptions never share an execution). */
function asksForReplay(document: DocumentNode, operationName: string | null | undefined): boolean {
  const operation = getOperationAST(document, operationName);
  return (
    operation?.selectionSet.selections.some(
      (selection) =>
        selection.kind === 'Field' && selection.arguments?.some((argument) => argument.name.value === 'afterSequence'),
    ) ?? false
  );
}

function shareKey(
  subscriber: Subscriber,
  query: string,
  operationName: string | null | undefined,
  variables: unknown,
): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        subscriber.authorization,
        subscriber.storeId,
        subscriber.host,
        operationName ?? null,
        variables ?? null,
        query,
      ]),
    )
    .digest('base64url');
}

/** Codes of this server's own refusals, which reach clients as they are. */
const SUBSCRIPTION_CODES = new Set(['TOO_MANY_SUBSCRIPTIONS', 'SEQUENCE_EXPIRED', 'SLOW_CONSUMER']);

/**
 * An error as a subscriber receives it: the codes clients act on pass, an error in the request
 * itself (bad variables) is BAD_USER_INPUT, and anything internal is masked (the HTTP path's formatError).
 */
function formatSubscriptionError(error: GraphQLError): GraphQLFormattedError {
  const formatted = error.toJSON();
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && SUBSCRIPTION_CODES.has(code))
    return { message: formatted.message, path: formatted.path, extensions: { code } };
  if (code === undefined && !error.originalError && !error.path)
    return formatError({ ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } }, error);
  return formatError(formatted, error);
}

/** Hides internal error details in what a subscriber receives, as the HTTP path does. */
function maskErrors(result: ExecutionResult, protection: SocketProtection): FormattedExecutionResult | undefined {
  if (!result.errors?.length) return undefined;
  return { ...result, errors: result.errors.map(formatSubscriptionError).map(protection.formatted) };
}

/**
 * graphql-ws (graphql-transport-ws) on the gateway's HTTP server at /graphql: sockets authenticate
 * in connection_init ({ authorization, store }); a bad token closes with 4401, a store the token
 * may not use with 4403, a client over its socket limit with 4429; a socket closes when its
 * token expires; pings keep sockets alive and find dead ones.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const { services, schema } = options;
  const hub = new SubscriptionHub();
  const documents = new DocumentCache(schema, options.protection);
  const socketsPerClient = new Map<string, number>();
  const states = new Map<WebSocket, SocketState>();

  const release = (state: SocketState): void => {
    if (state.expiry) clearTimeout(state.expiry);
    state.expiry = null;
    const key = state.subscriber?.clientKey;
    if (!key) return;
    const count = (socketsPerClient.get(key) ?? 1) - 1;
    if (count > 0) socketsPerClient.set(key, count);
    else socketsPerClient.delete(key);
    state.subscriber = null;
  };

  const protocol = makeServer<Record<string, unknown>, SocketState>({
    schema,
    async onConnect(ctx: Context<Record<string, unknown>, SocketState>) {
      const state = ctx.extra;
      let subscriber: Subscriber;
      try {
        subscriber = await authenticateSocket(services.database, {
          connectionParams: ctx.connectionParams,
          remoteAddress: state.remoteAddress,
          host: state.host,
        });
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        const code = error.extensions.code === 'UNAUTHENTICATED' ? CLOSE.unauthorized : CLOSE.forbidden;
        state.socket.close(code, reason(error.message));
        return false;
      }
      // The client may have gone while its token was checked.
      if (state.socket.readyState !== state.socket.OPEN) return false;
      const open = socketsPerClient.get(subscriber.clientKey) ?? 0;
      if (open >= options.maxSocketsPerClient) {
        state.socket.close(
          CLOSE.tooMany,
          reason(`Too many open sockets for this client (at most ${options.maxSocketsPerClient}).`),
        );
        return false;
      }
      socketsPerClient.set(subscriber.clientKey, open + 1);
      state.subscriber = subscriber;
      // Browsers cannot set headers on a WebSocket: without the header, the name may come in connection_init.
      const named = ctx.connectionParams?.[CLIENT_NAME_HEADER];
      if (!state.clientName && typeof named === 'string' && named.trim()) state.clientName = named.trim();
      if (subscriber.viewer.kind !== 'anonymous') {
        const remaining = subscriber.viewer.expiresAt * 1000 - Date.now();
        if (remaining < MAX_TIMER_MS) {
          state.expiry = setTimeout(
            () => state.socket.close(CLOSE.unauthorized, 'The access token has expired: reconnect with a fresh one.'),
            Math.max(remaining, 0),
          );
        }
      }
      return true;
    },
    async onSubscribe(ctx, _id, payload) {
      const subscriber = ctx.extra.subscriber;
      if (!subscriber)
        return [new GraphQLError('The socket is not authenticated.', { extensions: { code: 'UNAUTHENTICATED' } })];
      if (Object.keys(ctx.subscriptions).length > options.maxSubscriptionsPerSocket)
        return [tooManySubscriptions(options.maxSubscriptionsPerSocket)];
      const gated = options.trustedDocuments?.(payload, ctx.extra.clientName) ?? { query: payload.query };
      if ('refused' in gated) return [gated.refused];
      const { query } = gated;
      const { document, errors } = documents.get(query);
      if (errors.length) return errors;
      const operation = getOperationAST(document, payload.operationName);
      if (!operation)
        return [
          new GraphQLError('Name the operation to run (operationName).', { extensions: { code: 'BAD_REQUEST' } }),
        ];
      if (operation.operation !== OperationTypeNode.SUBSCRIPTION) return [onlySubscriptions];
      const unstorable = options.protection.unstorableStrings(document, operation, payload.variables);
      if (unstorable) return [unstorable];
      const variables = payload.variables ?? {};
      const refused = await options.admission?.({
        viewer: subscriber.viewer,
        storeId: subscriber.storeId,
        clientAddress: ctx.extra.remoteAddress,
        schema,
        document,
        operation,
        variables,
      });
      if (refused) return [refused];
      const contextValue: SubscriptionContext = {
        subscriber,
        services,
        shareKey: asksForReplay(document, payload.operationName)
          ? null
          : shareKey(subscriber, query, payload.operationName, payload.variables),
      };
      return {
        schema,
        document,
        operationName: payload.operationName,
        variableValues: payload.variables,
        contextValue,
        fieldResolver: gatewayDataResolver,
      };
    },
    subscribe: (args) => hub.subscribe(args as typeof args & { contextValue: SubscriptionContext }),
    onNext: (_ctx, _id, _payload, _args, result) => maskErrors(result, options.protection),
    onError: (_ctx, _id, _payload, errors) => errors.map(formatSubscriptionError).map(options.protection.formatted),
  });

  const wss = new WebSocketServer({
    server: options.httpServer,
    path: '/graphql',
    handleProtocols,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
  });
  wss.on('connection', (socket, request) => {
    const forwardedHost = request.headers['x-forwarded-host'];
    const state: SocketState = {
      socket,
      remoteAddress: options.clientAddress?.(request) ?? request.socket.remoteAddress ?? 'unknown',
      host: (typeof forwardedHost === 'string' ? forwardedHost : request.headers.host) ?? null,
      alive: true,
      subscriber: null,
      expiry: null,
      clientName: headerValue(request.headers[CLIENT_NAME_HEADER]),
    };
    states.set(socket, state);
    socket.on('pong', () => {
      state.alive = true;
    });
    socket.once('error', (error) => {
      logger.error({ err: error }, 'subscription socket error');
      socket.close(CLOSE.internal, 'Internal server error');
    });
    const closed = protocol.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, text) => socket.close(code, text),
        onMessage: (handle) =>
          socket.on('message', (data: Buffer) => {
            handle(data.toString('utf8')).catch((error: unknown) => {
              logger.error({ err: error }, 'subscription message failed');
              socket.close(CLOSE.internal, 'Internal server error');
            });
          }),
      },
      state,
    );
    socket.once('close', (code, text) => {
      states.delete(socket);
      release(state);
      void closed(code, text.toString('utf8'));
    });
  });

  // One sweep pings every socket, rather than a timer per socket. It goes in slices, yielding
  // between them, so that tens of thousands of pings do not hold up event delivery.
  const sweep = async (): Promise<void> => {
    let count = 0;
    for (const [socket, state] of [...states]) {
      if (socket.readyState !== socket.OPEN) continue;
      if (!state.alive) socket.terminate();
      else {
        state.alive = false;
        socket.ping();
      }
      if (++count % PING_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const keepAlive = options.keepAliveMs > 0 ? setInterval(() => void sweep(), options.keepAliveMs).unref() : null;

  return {
    hub,
    get sockets() {
      return states.size;
    },
    async close() {
      if (keepAlive) clearInterval(keepAlive);
      for (const socket of states.keys()) socket.close(1001, 'The server is going away.');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const socket of states.keys()) socket.terminate();
    },
  };
}
