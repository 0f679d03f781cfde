import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { processMetrics } from './cluster-metrics.js';
import { metricsRegistry } from './metrics.js';

/** METRICS_TOKEN: when set, /metrics answers only `Authorization: Bearer <token>`. */
export function metricsTokenSetting(value = process.env.METRICS_TOKEN): string | null {
  return value?.trim() || null;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * A route for GET /metrics (Prometheus text), guarded by METRICS_TOKEN when it is set. Returns
 * false for other paths, so it chains with a server's other routes.
 */
export function createMetricsRoute(
  token = metricsTokenSetting(),
): (request: IncomingMessage, response: ServerResponse) => Promise<boolean> {
  const expected = token ? digest(`Bearer ${token}`) : null;
  return async (request, response) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/metrics') return false;
    // Compared as digests, in constant time: the token is a password for the figures.
    if (expected && !timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) {
      response
        .writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' })
        .end('METRICS_TOKEN is set: send Authorization: Bearer <token>\n');
      return true;
    }
    response.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(await processMetrics());
    return true;
  };
}
