import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/** Where the explorer's files are served, under the GraphQL path so that one proxy rule covers both. */
export const EXPLORER_ASSET_PATH = '/graphql/explorer/';

const require = createRequire(import.meta.url);

/** A package's file in node_modules (the explorer's code comes from npm, never from a CDN). */
function packageFile(packageName: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${packageName}/package.json`)), file);
}

interface Asset {
  file: string;
  contentType: string;
}

const ASSETS = new Map<string, Asset>([
  [
    'react.production.min.js',
    { file: packageFile('react', 'umd/react.production.min.js'), contentType: 'text/javascript; charset=utf-8' },
  ],
  [
    'react-dom.production.min.js',
    {
      file: packageFile('react-dom', 'umd/react-dom.production.min.js'),
      contentType: 'text/javascript; charset=utf-8',
    },
  ],
  [
    'graphiql.min.js',
    { file: packageFile('graphiql', 'graphiql.min.js'), contentType: 'text/javascript; charset=utf-8' },
  ],
  ['graphiql.min.css', { file: packageFile('graphiql', 'graphiql.min.css'), contentType: 'text/css; charset=utf-8' }],
  [
    'start-explorer.js',
    {
      file: fileURLToPath(new URL('static/start-explorer.js', import.meta.url)),
      contentType: 'text/javascript; charset=utf-8',
    },
  ],
]);

/** The scripts of the page, in load order. */
const SCRIPTS = ['react.production.min.js', 'react-dom.production.min.js', 'graphiql.min.js', 'start-explorer.js'];

/**
 * Nothing but this gateway: the browser itself refuses any request to another host (no CDN, no
 * fonts, no telemetry). GraphiQL sets inline styles; its fonts are data: URLs in its CSS.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'";

/** Text safe inside <script type="application/json">: no "</script>" can end it early. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The explorer's HTML: GraphiQL with the headers editor open and X-Store filled in. */
export function explorerPage(options: { store: string }): string {
  const headers = options.store ? { 'X-Store': options.store } : {};
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<title>Commerce graph explorer</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${EXPLORER_ASSET_PATH}graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading the explorer…</div>
<script id="explorer-settings" type="application/json">${scriptJson({ headers })}</script>
${SCRIPTS.map((name) => `<script src="${EXPLORER_ASSET_PATH}${name}"></script>`).join('\n')}
</body>
</html>
`;
}

/** Apollo Server's landing page (GET /graphql from a browser): the explorer, in place of Apollo's CDN-loaded Sandbox. */
export function explorerPlugin(options: { store: string }): ApolloServerPlugin<BaseContext> {
  const html = explorerPage(options);
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}

const contents = new Map<string, Buffer>();

/** Serves the explorer's files (and returns true), or returns false for any other path. */
export function serveExplorerAsset(request: IncomingMessage, response: ServerResponse, pathname: string): boolean {
  if (!pathname.startsWith(EXPLORER_ASSET_PATH)) return false;
  const asset = ASSETS.get(pathname.slice(EXPLORER_ASSET_PATH.length));
  if (!asset || (request.method !== 'GET' && request.method !== 'HEAD')) {
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
    return true;
  }
  let body = contents.get(asset.file);
  if (!body) {
    body = readFileSync(asset.file);
    contents.set(asset.file, body);
  }
  response.writeHead(200, {
    'content-type': asset.contentType,
    'content-length': body.length,
    'cache-control': 'public, max-age=3600',
    'x-content-type-options': 'nosniff',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
  return true;
}
