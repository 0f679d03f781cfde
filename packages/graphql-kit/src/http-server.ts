import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { createMetricsRoute, logger, REQUEST_ID_HEADER } from '@commerce/observability';
import { GraphQLRequestRecord } from './request-log.js';
import { HttpDrain } from './http-drain.js';
import { InProcessResponse, requestHeaderEntries } from './in-process-response.js';
import { DEFAULT_SHUTDOWN_GRACE_SECONDS } from './shutdown.js';

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The body of a request, or null when it is larger than MAX_BODY_BYTES. Read from its events: an
 * async iterator over the stream cost a cached listing 3-4 % of its CPU in promises.
 */
function readBody(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      // The rest is read and dropped, so that the 413 reaches the client on its connection.
      done();
      request.resume();
      resolve(null);
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const done = () => {
      request.off('data', onData).off('end', onEnd).off('error', onError);
    };
    request.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

function headerMap(request: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** Extra routes answered before GraphQL (health checks, JWKS). Return false to fall through. */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse) => Promise<boolean> | boolean;

export interface ListenOptions<Context extends BaseContext> {
  port: number;
  host?: string;
  /** The request's context; `request` is the socket's request, absent for calls made in this process. */
  context: (headers: HeaderMap, request?: IncomingMessage) => Promise<Context>;
  routes?: RouteHandler;
  /** Answer GraphQL errors with 200 rather than 400 (for subgraphs behind the gateway). */
  errorsAsOk?: boolean;
  /** The service in log lines and metrics (gateway, or the subgraph's name). */
  name?: string;
  /** Answers some requests from a socket without Apollo Server (see RequestShortcut). */
  shortcut?: RequestShortcut;
}

/**
 * A way to answer a GraphQL request from a socket without Apollo Server: the gateway replays a
 * cached storefront answer this way (cached-answer-replay.ts). It runs inside the request's record,
 * so the answer gets its request id, log line and metrics as any other; it must also tell the record
 * what it answered (observeAnswer).
 */
export interface RequestShortcut {
  /** The answer to the request, or null to let Apollo Server answer it. */
  answer(request: IncomingGraphQL): Promise<Answer | null>;
  /** Sees what Apollo Server answered a request from a socket (before its request id is added). */
  answered(request: IncomingGraphQL, answer: Answer): void;
}

export interface RunningServer {
  url: string;
  port: number;
  httpServer: Server;
  /**
   * The same server without a socket: a Fetch-style call answered in this process, as the HTTP
   * server would answer it (GraphQL and /healthz; not the extra routes). The all-in-one gateway
   * calls its subgraphs this way. The answer is the part of a fetch Response the gateway reads.
   */
  fetch(url: string, init?: RequestInit): Promise<InProcessResponse>;
  /**
   * The first part of a stop: /readyz answers 503, new connections are refused, idle keep-alive
   * connections close, and it resolves once the requests in flight have been answered or graceMs
   * has passed. Called again, it waits for the same drain.
   */
  drain(options?: StopOptions): Promise<void>;
  /** Drains (see drain), then cuts what is left and stops the Apollo Server. */
  close(options?: StopOptions): Promise<void>;
}

export interface StopOptions {
  /** How long requests in flight may take to finish (default DEFAULT_SHUTDOWN_GRACE_SECONDS). */
  graceMs?: number;
}

/**
 * Serves an Apollo Server at /graphql on Node's own HTTP server, with /healthz, and returns its URL.
 * Port 0 picks a free port (tests).
 */
export async function listen<Context extends BaseContext>(
  server: ApolloServer<Context>,
  options: ListenOptions<Context>,
): Promise<RunningServer> {
  await server.start();
  // Prometheus text at /metrics on every server (METRICS_TOKEN guards it when set).
  const metricsRoute = createMetricsRoute();
  const ownRoutes = options.routes;
  const routes: RouteHandler = async (request, response) =>
    (await metricsRoute(request, response)) || ((await ownRoutes?.(request, response)) ?? false);
  options = { ...options, routes };
  const httpServer = createServer((request, response) => {
    handle(server, options, drain, request, response).catch((error: unknown) => {
      const failed = internalError(error);
      if (!response.headersSent) response.writeHead(failed.status, Object.fromEntries(failed.headers));
      response.end(failed.body);
    });
  });
  httpServer.keepAliveTimeout = 65_000;
  const drain = new HttpDrain(httpServer);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host ?? '0.0.0.0', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const closed = new Promise<void>((resolve) => httpServer.once('close', () => resolve()));
  const { port } = httpServer.address() as AddressInfo;
  const drained = async ({ graceMs = DEFAULT_SHUTDOWN_GRACE_SECONDS * 1000 }: StopOptions = {}): Promise<void> => {
    if (!(await drain.drain(graceMs))) console.error(`requests still in flight after ${graceMs / 1000} s are cut off`);
  };
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    httpServer,
    fetch: (url, init) => fetchInProcess(server, options, url, init),
    drain: drained,
    async close(stop) {
      await drained(stop);
      httpServer.closeAllConnections();
      await closed;
      await server.stop();
    },
  };
}

/** A request as the GraphQL endpoint reads it, from a socket or from an in-process call. */
export interface IncomingGraphQL {
  method: string;
  url: URL;
  headers: HeaderMap;
  /** The raw body ('' for GET). */
  text: string;
  /** The request as it came from a socket (its peer's address); absent for in-process calls. */
  incoming?: IncomingMessage;
}

/**
 * What the endpoint answers: a status, headers and a body, complete (text, or its UTF-8 bytes in
 * parts when they were at hand) or streamed (incremental delivery).
 */
export interface Answer {
  status: number;
  headers: Iterable<[string, string]>;
  body: string | Buffer[] | AsyncIterable<string>;
}

const JSON_TYPE: Array<[string, string]> = [['content-type', 'application/json']];

function errorAnswer(status: number, message: string, code: string): Answer & { body: string } {
  return { status, headers: JSON_TYPE, body: JSON.stringify({ errors: [{ message, extensions: { code } }] }) };
}

const TOO_LARGE = errorAnswer(413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`, 'BAD_REQUEST');
const TEXT_TYPE: Array<[string, string]> = [['content-type', 'text/plain']];
const HEALTHY: Answer = { status: 200, headers: TEXT_TYPE, body: 'ok' };
const DRAINING: Answer = { status: 503, headers: JSON_TYPE, body: JSON.stringify({ ready: false, draining: true }) };
const NOT_FOUND: Answer = { status: 404, headers: TEXT_TYPE, body: 'not found' };

/** A request that failed for a reason of ours: logged here, and told to the caller without details. */
function internalError(error: unknown): Answer & { body: string } {
  logger.error({ err: error }, 'request failed');
  return errorAnswer(500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
}

async function answer<Context extends BaseContext>(
  server: ApolloServer<Context>,
  options: ListenOptions<Context>,
  request: IncomingGraphQL,
): Promise<Answer> {
  const { headers, text } = request;
  let body: unknown = text;
  if (headers.get('content-type')?.includes('application/json') && text) {
    try {
      body = JSON.parse(text);
    } catch {
      return errorAnswer(400, 'The request body is not valid JSON.', 'BAD_REQUEST');
    }
  }
  let context: Context;
  try {
    context = await options.context(headers, request.incoming);
  } catch (error) {
    // Who is calling and for which store is settled before execution; a refusal is a GraphQL error.
    if (!(error instanceof GraphQLError)) throw error;
    return errorAnswer(200, error.message, String(error.extensions.code));
  }
  const result = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: request.method, headers, search: request.url.search, body },
    context: async () => context,
  });
  const status = options.errorsAsOk && result.status === 400 ? 200 : (result.status ?? 200);
  return {
    status,
    headers: result.headers,
    body: result.body.kind === 'complete' ? result.body.string : result.body.asyncIterator,
  };
}

/** Answers a GraphQL request with its id (x-request-id, also handed to the gateway's subgraph calls), one log line and its metrics. */
async function observedAnswer<Context extends BaseContext>(
  server: ApolloServer<Context>,
  options: ListenOptions<Context>,
  request: IncomingGraphQL,
): Promise<Answer> {
  const record = new GraphQLRequestRecord(options.name ?? 'graphql', request.headers);
  request.headers.set(REQUEST_ID_HEADER, record.scope.requestId);
  return record.run(async () => {
    let result: Answer;
    try {
      result = await answerFromSocketOrCall(server, options, request, record);
    } catch (error) {
      result = internalError(error);
    }
    record.finish(result.status, result.body);
    return { ...result, headers: [...result.headers, [REQUEST_ID_HEADER, record.scope.requestId]] };
  });
}

/**
 * The answer: the shortcut's, if it has one (from a socket only), else Apollo Server's, which the
 * shortcut then sees. To a socket, the answer's bytes where they were at hand (GraphQLRequestRecord.body);
 * a call in this process reads the text.
 */
async function answerFromSocketOrCall<Context extends BaseContext>(
  server: ApolloServer<Context>,
  options: ListenOptions<Context>,
  request: IncomingGraphQL,
  record: GraphQLRequestRecord,
): Promise<Answer> {
  if (!request.incoming) return answer(server, options, request);
  const { shortcut } = options;
  const shortcutAnswer = shortcut ? await shortcut.answer(request).catch(shortcutFailed) : null;
  if (shortcutAnswer) return shortcutAnswer;
  const result = await answer(server, options, request);
  const answered = typeof result.body === 'string' ? { ...result, body: record.body(result.body) } : result;
  try {
    shortcut?.answered(request, answered);
  } catch (error) {
    shortcutFailed(error);
  }
  return answered;
}

/** A shortcut that fails is logged and left out: Apollo Server answers, or its answer stands. */
function shortcutFailed(error: unknown): null {
  logger.error({ err: error }, 'request shortcut failed; answered the whole way');
  return null;
}

async function handle<Context extends BaseContext>(
  server: ApolloServer<Context>,
  options: ListenOptions<Context>,
  drain: HttpDrain,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  let result: Answer;
  if (url.pathname === '/healthz') result = HEALTHY;
  // Unready from the drain's first moment, so that load balancers stop sending before it ends.
  else if (url.pathname === '/readyz' && drain.isDraining) result = DRAINING;
  else if (options.routes && (await options.routes(request, response))) return;
  else if (url.pathname !== '/graphql') result = NOT_FOUND;
  else {
    const method = request.method ?? 'GET';
    const text = method === 'POST' ? await readBody(request) : '';
    result =
      text === null
        ? TOO_LARGE
        : await observedAnswer(server, options, { method, url, headers: headerMap(request), text, incoming: request });
  }
  for (const [name, value] of result.headers) response.setHeader(name, value);
  response.statusCode = result.status;
  if (typeof result.body === 'string') {
    response.end(result.body);
    return;
  }
  if (Array.isArray(result.body)) {
    // One write of every part (corked), with its length: not chunked.
    response.setHeader(
      'content-length',
      result.body.reduce((length, part) => length + part.length, 0),
    );
    response.cork();
    for (const part of result.body) response.write(part);
    response.end();
    return;
  }
  for await (const chunk of result.body) response.write(chunk);
  response.end();
}

async function fetchInProcess<Context extends BaseContext>(
  server: ApolloServer<Context>,
  options: ListenOptions<Context>,
  target: string,
  init: RequestInit = {},
): Promise<InProcessResponse> {
  const url = new URL(target, 'http://localhost');
  if (url.pathname === '/healthz') return toResponse(HEALTHY);
  if (url.pathname !== '/graphql') return toResponse(NOT_FOUND);
  const headers = new HeaderMap();
  for (const [name, value] of requestHeaderEntries(init.headers)) headers.set(name, value);
  const text = typeof init.body === 'string' ? init.body : init.body ? await new Response(init.body).text() : '';
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return toResponse(TOO_LARGE);
  return toResponse(await observedAnswer(server, options, { method: init.method ?? 'GET', url, headers, text }));
}

async function toResponse(result: Answer): Promise<InProcessResponse> {
  let body = '';
  if (typeof result.body === 'string') body = result.body;
  else if (Array.isArray(result.body)) body = Buffer.concat(result.body).toString('utf8');
  else for await (const chunk of result.body) body += chunk;
  return new InProcessResponse(result.status, STATUS_CODES[result.status] ?? '', result.headers, body);
}
