import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';

const MAX_BODY_BYTES = 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
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
  context: (headers: HeaderMap) => Promise<Context>;
  routes?: RouteHandler;
  /** Answer GraphQL errors with 200 rather than 400 (for subgraphs behind the gateway). */
  errorsAsOk?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  httpServer: Server;
  close(): Promise<void>;
}

/**
 * Serves an Apollo Server at /graphql on Node's own HTTP server, with /healthz, and returns its URL.
 * Port 0 picks a free port (tests).
 */
export async function listen<Context extends BaseContext>(server: ApolloServer<Context>, options: ListenOptions<Context>): Promise<RunningServer> {
  await server.start();
  const httpServer = createServer((request, response) => {
    handle(server, options, request, response).catch((error: unknown) => {
      console.error('request failed:', error);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    });
  });
  httpServer.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host ?? '0.0.0.0', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    httpServer,
    async close() {
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await server.stop();
    },
  };
}

async function handle<Context extends BaseContext>(
  server: ApolloServer<Context>,
  options: ListenOptions<Context>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/healthz') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  if (options.routes && (await options.routes(request, response))) return;
  if (url.pathname !== '/graphql') {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const headers = headerMap(request);
  const text = request.method === 'POST' ? await readBody(request) : '';
  let body: unknown = text;
  if (headers.get('content-type')?.includes('application/json') && text) {
    try {
      body = JSON.parse(text);
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] }));
      return;
    }
  }
  let context: Context;
  try {
    context = await options.context(headers);
  } catch (error) {
    // Who is calling and for which store is settled before execution; a refusal is a GraphQL error.
    if (!(error instanceof GraphQLError)) throw error;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.extensions.code } }] }));
    return;
  }
  const result = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: request.method ?? 'GET', headers, search: url.search, body },
    context: async () => context,
  });
  for (const [name, value] of result.headers) response.setHeader(name, value);
  response.statusCode = options.errorsAsOk && result.status === 400 ? 200 : (result.status ?? 200);
  if (result.body.kind === 'complete') {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}
