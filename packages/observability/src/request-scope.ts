import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The response header that carries a request's id, and the request header that may set it. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What every log line written while a request runs knows about it. */
export interface RequestScope {
  requestId: string;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** Reads a header from a Fetch-style or Node-style collection. */
type Headers = { get(name: string): string | undefined | null };

/** A caller's id is echoed into logs and headers: only short, plain tokens are taken as they are. */
const SAFE_REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;
/** W3C trace context: version-traceid-parentid-flags; an all-zero trace id is invalid. */
const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/**
 * The id of a request: the caller's `x-request-id` when it sent a usable one, else the trace id of
 * its W3C `traceparent`, else a new UUID. The gateway forwards it, so one id names a request in
 * the lines of every process it crosses.
 */
export function requestIdFrom(headers: Headers): string {
  const sent = headers.get(REQUEST_ID_HEADER)?.trim();
  if (sent && SAFE_REQUEST_ID.test(sent)) return sent;
  const traceId = TRACEPARENT.exec(headers.get('traceparent')?.trim().toLowerCase() ?? '')?.[1];
  if (traceId && !/^0+$/.test(traceId)) return traceId;
  return randomUUID();
}

/** Runs `work` with `scope` as the current request's (nested calls see the innermost). */
export function inRequestScope<T>(scope: RequestScope, work: () => T): T {
  return scopes.run(scope, work);
}

/** The request being served, when there is one. */
export function currentRequestScope(): RequestScope | undefined {
  return scopes.getStore();
}
