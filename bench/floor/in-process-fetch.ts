// How the floor's gateway calls its subgraphs: in this process, without a socket, as the real
// all-in-one graph does (RunningServer.fetch): the request is still serialized, handed to the
// subgraph's Apollo Server as an HTTP request and answered as JSON text that the gateway parses.
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { type ApolloServer, HeaderMap } from '@apollo/server';

type Fetcher = RemoteGraphQLDataSource['fetcher'];

/** A fetch answered by `server` in this process. */
export function inProcessFetcher(server: ApolloServer): Fetcher {
  const fetcher = async (_url: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new HeaderMap();
    for (const [name, value] of new Headers(init.headers)) headers.set(name, value);
    const result = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: init.method ?? 'POST',
        headers,
        search: '',
        body: JSON.parse(typeof init.body === 'string' ? init.body : ''),
      },
      context: async () => ({}),
    });
    let body = '';
    if (result.body.kind === 'complete') body = result.body.string;
    else for await (const chunk of result.body.asyncIterator) body += chunk;
    return new Response(body, { status: result.status ?? 200, headers: [...result.headers] });
  };
  return fetcher as Fetcher;
}

/** A fetch that fails: for the subgraphs the floor does not run, which its reads never reach. */
export function absentSubgraph(name: string): Fetcher {
  const fetcher = async (): Promise<Response> => {
    throw new Error(
      `the floor runs no ${name} subgraph: the reads it measures are planned over store and catalog only`,
    );
  };
  return fetcher as Fetcher;
}
