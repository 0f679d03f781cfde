// One load run with autocannon, the way every storefront read is measured, real graph or floor.
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  /** The request bodies, sent in turn. */
  bodies: string[];
  connections: number;
  seconds: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  /** Latency percentiles in milliseconds. */
  latencyMs: { p50: number; p90: number; p95: number; p97_5: number; p99: number };
  requests: number;
  /** Failed requests and answers other than 2xx. */
  errors: number;
}

/** The `fraction` percentile (nearest rank) of `values`, sorted in place. */
function percentile(values: number[], fraction: number): number {
  values.sort((a, b) => a - b);
  return values[Math.max(0, Math.ceil(fraction * values.length) - 1)] ?? 0;
}

/** Loads `url` with `connections` connections for `seconds` seconds, cycling through the bodies. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  // autocannon reports p90 and p97.5 but not p95: every response's time is kept to compute it.
  const times: number[] = [];
  let next = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: 'POST',
        headers: options.headers,
        connections: options.connections,
        duration: options.seconds,
        requests: [
          { setupRequest: (request) => ({ ...request, body: options.bodies[next++ % options.bodies.length] }) },
        ],
      },
      (error: unknown, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p95: Math.round(percentile(times, 0.95) * 10) / 10,
      p97_5: result.latency.p97_5,
      p99: result.latency.p99,
    },
    requests: result.requests.total,
    errors: result.errors + result.non2xx,
  };
}

/** The median of the figures of several runs (the upper one of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
