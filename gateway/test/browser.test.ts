import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, signUpCustomer, startTestGraph, type TestGraph, type TestStore } from '@commerce/testkit';

/** Debian's Chromium (.ci/run installs it), or the browser CHROMIUM_PATH names. */
function chromiumPath(): string {
  const path = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
    (candidate) => candidate && existsSync(candidate),
  );
  if (!path) throw new Error('Chromium is not installed: apt-get install chromium (or set CHROMIUM_PATH)');
  return path;
}

/** A storefront's page: an empty document on an origin of its own, whose scripts call the API. */
function startPageServer(): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><title>storefront</title><p>storefront</p>');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let graph: TestGraph;
let pages: Server;
let pageOrigin: string;
let browser: Browser;
let store: TestStore;
beforeAll(async () => {
  pages = await startPageServer();
  pageOrigin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
  graph = await startTestGraph({ browser: { corsOrigins: [pageOrigin], explorer: true, explorerStore: 'demo' } });
  browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  store = await createStore(graph.client);
  const created = await graph.client.data(
    `mutation ($input: ProductCreateInput!) { productCreate(input: $input) { userErrors { code } } }`,
    { input: { title: 'Rain jacket', status: 'ACTIVE', variants: [{ price: '89.00', sku: `${store.slug}-jacket` }] } },
    { token: store.owner.accessToken, store: store.slug },
  );
  expect(created.productCreate.userErrors).toEqual([]);
});
afterAll(async () => {
  await browser?.close();
  await graph?.close();
  await new Promise((resolve) => pages?.close(resolve));
});

/** What a page's script sees of one call: the answer's status and body, or the browser's refusal. */
type Outcome =
  | {
      status: number;
      body: { data?: Record<string, unknown> | null; errors?: Array<{ extensions?: { code?: string } }> };
    }
  | { failed: string };

/** Runs fetch in the page, as the storefront's own script would. */
function callFromPage(
  page: Page,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
): Promise<Outcome> {
  return page.evaluate(
    async (url, init) => {
      try {
        const response = await fetch(url, init);
        return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> | null } };
      } catch (error) {
        return { failed: String(error) };
      }
    },
    url,
    init,
  );
}

function graphqlPost(query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  };
}

async function openPage(url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(url);
  return page;
}

describe('a storefront page in Chromium', () => {
  it('runs a storefront query and a customer log-in from an allowed origin', async () => {
    const customer = await signUpCustomer(graph.client, store);
    const page = await openPage(`${pageOrigin}/`);
    try {
      const listing = await callFromPage(
        page,
        graph.graph.url,
        graphqlPost(
          '{ store { slug products(first: 5) { edges { node { title } } } } }',
          {},
          { 'x-store': store.slug, 'accept-language': 'en', 'apollographql-client-name': 'storefront' },
        ),
      );
      // The page reads the answer's cost too (store 1 + products 1 + 5 products).
      expect(listing).toMatchObject({
        status: 200,
        body: {
          data: { store: { slug: store.slug, products: { edges: [{ node: { title: 'Rain jacket' } }] } } },
          extensions: { cost: { requestedQueryCost: 7 } },
        },
      });

      const overGet = await callFromPage(page, `${graph.graph.url}?query=${encodeURIComponent('{ store { slug } }')}`, {
        method: 'GET',
        headers: { 'x-store': store.slug },
      });
      expect(overGet).toMatchObject({ status: 200, body: { data: { store: { slug: store.slug } } } });

      const logIn = await callFromPage(
        page,
        graph.graph.url,
        graphqlPost(
          'mutation ($input: CustomerLogInInput!) { customerLogIn(input: $input) { accessToken userErrors { code } } }',
          { input: { email: customer.email, password: customer.password } },
          { 'x-store': store.slug },
        ),
      );
      expect(logIn).toMatchObject({
        status: 200,
        body: { data: { customerLogIn: { accessToken: expect.any(String), userErrors: [] } } },
      });
      const session =
        'body' in logIn ? (logIn.body.data?.customerLogIn as { accessToken: string } | undefined) : undefined;
      const token = session?.accessToken ?? '';

      const me = await callFromPage(
        page,
        graph.graph.url,
        graphqlPost('{ currentCustomer { email } }', {}, { authorization: `Bearer ${token}` }),
      );
      expect(me).toMatchObject({ status: 200, body: { data: { currentCustomer: { email: customer.email } } } });
    } finally {
      await page.close();
    }
  });

  it('cannot read the API from an origin that is not allowed', async () => {
    // The same page server under another name: another origin, not in CORS_ORIGINS.
    const page = await openPage(`${pageOrigin.replace('127.0.0.1', 'localhost')}/`);
    try {
      const outcome = await callFromPage(
        page,
        graph.graph.url,
        graphqlPost('{ store { slug } }', {}, { 'x-store': store.slug }),
      );
      expect(outcome).toEqual({ failed: expect.stringContaining('Failed to fetch') });
    } finally {
      await page.close();
    }
  });
});

/** The little of the page's DOM the explorer test touches (this project compiles without the DOM library). */
interface PageElement {
  textContent: string | null;
  /** CodeMirror 5 hangs its editor on its wrapper element. */
  CodeMirror?: { getValue(): string; setValue(text: string): void };
}
interface PageDocument {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement> & { length: number };
}

describe('the explorer in Chromium', () => {
  it('renders with every request to another host blocked, and runs a query with its headers', async () => {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    const problems: string[] = [];
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol === 'data:' || url.host === new URL(graph.graph.url).host) void request.continue();
      else {
        elsewhere.push(request.url());
        void request.abort();
      }
    });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(String(error)));
    try {
      await page.goto(graph.graph.url, { waitUntil: 'networkidle0' });
      await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror', { timeout: 15_000 });

      // The headers editor starts with the demo store; run a query after pointing it at this test's store.
      await page.evaluate((slug) => {
        const { document } = globalThis as unknown as { document: PageDocument };
        const editors = [...document.querySelectorAll('.CodeMirror')];
        const headers = editors.find((editor) => editor.CodeMirror?.getValue().includes('X-Store'));
        if (!headers?.CodeMirror) throw new Error(`no headers editor among ${editors.length} editors`);
        headers.CodeMirror.setValue(JSON.stringify({ 'X-Store': slug }));
        document.querySelector('.graphiql-query-editor .CodeMirror')?.CodeMirror?.setValue('{ store { slug } }');
      }, store.slug);
      await page.click('.graphiql-execute-button');
      await page.waitForFunction(
        (slug) =>
          (globalThis as unknown as { document: PageDocument }).document
            .querySelector('.graphiql-response')
            ?.textContent?.includes(slug),
        { timeout: 15_000 },
        store.slug,
      );

      expect(elsewhere).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
