// One POST of a webhook attempt, to an address that was checked (target-guard.ts): the socket
// connects to that address whatever the name resolves to by then, TLS still checks the name.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookTarget } from './target-guard.js';

/** What an attempt got: the status and the start of the answer, or why there was none. */
export type PostOutcome =
  | { kind: 'answered'; statusCode: number; excerpt: string; durationMs: number }
  | { kind: 'failed'; error: string; durationMs: number };

/** The part of an answer that is kept. */
export const RESPONSE_EXCERPT_CHARS = 1_000;

function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as LookupFunction;
}

/** POSTs `body` to the target at `address`, within `timeoutMs` for the whole exchange. */
export function postTo(
  target: WebhookTarget,
  address: { address: string; family: 4 | 6 },
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<PostOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise<PostOutcome>((resolve) => {
    let settled = false;
    const settle = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = client.request(
      target.url,
      {
        method: 'POST',
        lookup: pinnedLookup(address.address, address.family),
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'commerce-graph-webhooks/1',
        },
        agent: false,
      },
      (response) => {
        let excerpt = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (excerpt.length < RESPONSE_EXCERPT_CHARS) excerpt += chunk;
          if (excerpt.length >= RESPONSE_EXCERPT_CHARS) response.destroy();
        });
        const done = () =>
          settle({
            kind: 'answered',
            statusCode: response.statusCode ?? 0,
            excerpt: excerpt.slice(0, RESPONSE_EXCERPT_CHARS),
            durationMs: elapsed(),
          });
        response.on('end', done);
        response.on('close', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      settle({ kind: 'failed', error: `No answer within ${timeoutMs} ms (timeout).`, durationMs: elapsed() });
    }, timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) =>
      settle({ kind: 'failed', error: `${error.code ?? 'Error'}: ${error.message}`, durationMs: elapsed() }),
    );
    request.end(body);
  });
}
