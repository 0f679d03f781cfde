import { ApolloServer, type BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../src/index.js';

// A server whose request context fails as a subgraph's can: refused (a GraphQL error with a code),
// or broken (anything else, e.g. the database down while resolving the store).
let running: RunningServer;
beforeAll(async () => {
  const server = new ApolloServer<BaseContext>({
    typeDefs: 'type Query { hello: String }',
    resolvers: { Query: { hello: () => 'world' } },
  });
  running = await listen(server, {
    port: 0,
    host: '127.0.0.1',
    errorsAsOk: true,
    context: async (headers) => {
      if (headers.get('x-case') === 'refused')
        throw new GraphQLError('No such store.', { extensions: { code: 'NOT_FOUND' } });
      if (headers.get('x-case') === 'broken') throw new Error('connection refused: postgres://app:secret@db');
      return {};
    },
  });
});
afterAll(async () => {
  await running.close();
});

const post = (body: string, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body,
});

/** Status, content type and body of a response. */
async function seen(response: Pick<Response, 'status' | 'statusText' | 'text'> & { headers: Pick<Headers, 'get'> }) {
  return {
    status: response.status,
    statusText: response.statusText,
    type: response.headers.get('content-type'),
    body: await response.text(),
  };
}

describe('a server answering in process', () => {
  it('answers as its HTTP server does: results, refusals, internal failures without details, bad and oversized bodies', async () => {
    const cases: Array<[string, RequestInit]> = [
      ['a query', post(JSON.stringify({ query: '{ hello }' }))],
      ['a refused context', post(JSON.stringify({ query: '{ hello }' }), { 'x-case': 'refused' })],
      ['a broken context', post(JSON.stringify({ query: '{ hello }' }), { 'x-case': 'broken' })],
      ['invalid JSON', post('{ "query": ')],
      ['a body over 1 MiB', post(JSON.stringify({ query: `{ hello } # ${'x'.repeat(1024 * 1024)}` }))],
    ];
    for (const [name, init] of cases) {
      const overHttp = await seen(await fetch(running.url, init));
      const inProcess = await seen(await running.fetch(running.url, init));
      expect(inProcess, name).toEqual(overHttp);
    }
    const broken = await seen(await running.fetch(running.url, cases[2]?.[1]));
    expect(broken.status).toBe(500);
    expect(broken.body).not.toContain('secret');
    expect(JSON.parse(broken.body).errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect((await running.fetch(running.url, cases[4]?.[1])).status).toBe(413);
  });
});
