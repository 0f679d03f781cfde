import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph } from '@commerce/testkit';

/** What a browser sends when it opens a page. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let graph: TestGraph;
let off: TestGraph;
beforeAll(async () => {
  [graph, off] = await Promise.all([
    startTestGraph({ browser: { explorer: true, explorerStore: 'demo' } }),
    startTestGraph({ browser: { explorer: false } }),
  ]);
});
afterAll(async () => {
  await Promise.all([graph.close(), off.close()]);
});

/** The URLs a page's HTML loads (src and href), but for data: URLs, which are part of the page. */
function loadedBy(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)]
    .map((match) => match[1] ?? '')
    .filter((url) => !url.startsWith('data:'));
}

/**
 * Absolute URLs that code or a style sheet would load by itself: url(…), @import, src, fetch,
 * import(…), and href except on a link (<a>) the user may choose to follow, which GraphiQL has to
 * its own project and CodeMirror's key map.
 */
function remoteLoads(text: string): string[] {
  const patterns = [
    /url\(\s*['"]?(?:https?:)?\/\/[^)'"]+/g,
    /@import\s+['"](?:https?:)?\/\/[^'"]+/g,
    /src\s*[=:]\s*['"`](?:https?:)?\/\/[^'"`]+/g,
    /(?<!"a",\{(?:[\w]+:"[^"]*",)*)href\s*[=:]\s*['"`](?:https?:)?\/\/[^'"`]+/g,
    /(?:fetch|import|importScripts)\(\s*['"`](?:https?:)?\/\/[^'"`]+/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => match[0]));
}

describe('the explorer', () => {
  it('is what a browser gets at GET /graphql, with X-Store filled in and a policy that allows no other host', async () => {
    const response = await fetch(graph.graph.url, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('<div id="graphiql">');
    expect(html).toContain('{"headers":{"X-Store":"demo"}}');
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'self';/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('serves its HTML, JavaScript and CSS from this gateway, none of which loads anything from another host', async () => {
    const html = await (await fetch(graph.graph.url, { headers: { accept: BROWSER_ACCEPT } })).text();
    const assets = loadedBy(html);
    expect(assets).toEqual(
      expect.arrayContaining([
        '/graphql/explorer/graphiql.min.css',
        '/graphql/explorer/graphiql.min.js',
        '/graphql/explorer/react.production.min.js',
      ]),
    );
    for (const asset of assets) {
      expect(asset, 'a path on this host').toMatch(/^\/graphql\/explorer\/[\w.-]+$/);
      const response = await fetch(new URL(asset, graph.graph.url));
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('content-type'), asset).toMatch(
        asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/,
      );
      const text = await response.text();
      expect(text.length, asset).toBeGreaterThan(100);
      expect(remoteLoads(text), asset).toEqual([]);
    }
    expect((await fetch(new URL('/graphql/explorer/../../package.json', graph.graph.url))).status).not.toBe(200);
    expect((await fetch(new URL('/graphql/explorer/graphiql.min.js.map', graph.graph.url))).status).toBe(404);
  });

  it('leaves GraphQL clients their answers at the same URL', async () => {
    const response = await fetch(`${graph.graph.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: { __typename: 'Query' } });
  });

  it('is not served when GRAPHQL_EXPLORER is off: a browser gets a GraphQL answer', async () => {
    const response = await fetch(off.graph.url, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/json/);
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]?.extensions.code).toBe('BAD_REQUEST');
    expect((await fetch(new URL('/graphql/explorer/graphiql.min.js', off.graph.url))).status).not.toBe(200);
  });
});
