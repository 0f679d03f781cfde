import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin, BaseContext, GraphQLResponse, HeaderMap } from '@apollo/server';
import { CUSTOMER_AUDIENCE, SELLER_AUDIENCE } from '@commerce/auth';
import {
  currentRequestScope,
  graphqlErrors,
  graphqlRefusals,
  graphqlRequestDuration,
  graphqlRequests,
  inRequestScope,
  logger,
  requestIdFrom,
  type RequestScope,
} from '@commerce/observability';
import { bearerTokenOf } from './context.js';

/** Who calls, as a log field: read from the token without verifying it (the servers verify it; a log line only describes). */
export function callerKind(authorization: string | undefined): 'anonymous' | 'seller' | 'customer' | 'unknown' {
  if (!authorization) return 'anonymous';
  const token = bearerTokenOf({ get: () => authorization });
  const payload = token && /^[\w-]+\.([\w-]+)\.[\w-]+$/.exec(token)?.[1];
  if (!payload) return 'unknown';
  try {
    const { aud } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { aud?: unknown };
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (audiences.includes(SELLER_AUDIENCE)) return 'seller';
    if (audiences.includes(CUSTOMER_AUDIENCE)) return 'customer';
  } catch {
    // Not JSON: the server answers UNAUTHENTICATED; the line says unknown.
  }
  return 'unknown';
}

/** Operation names are chosen by clients: metrics keep this many distinct ones per process, the rest are "other". */
const MAX_OPERATION_LABELS = 500;
const operationLabels = new Set<string>();
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function operationLabel(name: string | null): string {
  if (!name) return 'anonymous';
  if (operationLabels.has(name)) return name;
  if (!OPERATION_NAME.test(name) || operationLabels.size >= MAX_OPERATION_LABELS) return 'other';
  operationLabels.add(name);
  return name;
}

/** Codes of refusals by the gateway's limits (depth, aliases, cost …) and its rate limit. */
const REFUSAL = /^(MAX_[A-Z_]+_EXCEEDED|THROTTLED)$/;

interface FormattedErrors {
  errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }>;
}

function codesOf(errors: FormattedErrors['errors']): string[] {
  return (errors ?? []).map((error) => String(error.extensions?.code ?? 'UNKNOWN'));
}

/**
 * One GraphQL request as it is served: its id (the scope of every log line written meanwhile),
 * what Apollo Server made of it, and at the end one log line and its metrics.
 */
export class GraphQLRequestRecord {
  readonly scope: RequestScope;
  private readonly started = performance.now();
  private operationName: string | null = null;
  private response: GraphQLResponse | null = null;
  private encoded: { text: string; bytes: Buffer[] } | null = null;

  constructor(
    private readonly service: string,
    private readonly headers: HeaderMap,
  ) {
    this.scope = { requestId: requestIdFrom(headers) };
    records.set(this.scope, this);
  }

  /** Runs the request's work with its id in every log line. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return inRequestScope(this.scope, work);
  }

  /** Notes what Apollo Server resolved and answered (read at the end, after every plugin ran). */
  observe(operationName: string | null, response: GraphQLResponse): void {
    this.operationName = operationName;
    this.response = response;
  }

  /** Notes that the answer `text` is already at hand as UTF-8 `bytes`, in parts (see answerBytes). */
  encode(text: string, bytes: Buffer[]): void {
    this.encoded = { text, bytes };
  }

  /**
   * The body to write for the answer `text`: the bytes noted for that very text, else the text
   * itself. The check is by value, so bytes noted for another text are never written.
   */
  body(text: string): string | Buffer[] {
    return this.encoded?.text === text ? this.encoded.bytes : text;
  }

  /** Logs the request's line and counts it; `body` is read for error codes only when Apollo did not answer (refused before it). */
  finish(status: number, body: unknown): void {
    const seconds = (performance.now() - this.started) / 1000;
    const result =
      this.response?.body.kind === 'single' ? this.response.body.singleResult : this.response ? null : parseSmall(body);
    const codes = codesOf(result?.errors);
    const cost = (result?.extensions?.cost as { requestedQueryCost?: unknown } | undefined)?.requestedQueryCost;
    const outcome =
      status >= 500 || codes.includes('INTERNAL_SERVER_ERROR')
        ? 'server_error'
        : codes.length > 0
          ? 'client_error'
          : 'ok';
    const operation = operationLabel(this.operationName);
    graphqlRequests.inc({ service: this.service, operation, outcome });
    graphqlRequestDuration.observe({ service: this.service, operation, outcome }, seconds);
    for (const code of codes) {
      graphqlErrors.inc({ service: this.service, code });
      if (this.service === 'gateway' && REFUSAL.test(code)) graphqlRefusals.inc({ code });
    }
    // The gateway's line is the request's; the subgraphs' lines (debug) show where its time went.
    const level = this.service === 'gateway' ? 'info' : 'debug';
    if (!logger.isLevelEnabled(level)) return;
    logger[level](
      {
        service: this.service,
        operation: this.operationName,
        client: this.headers.get('apollographql-client-name') ?? null,
        clientVersion: this.headers.get('apollographql-client-version') ?? null,
        store: this.headers.get('x-store') ?? this.headers.get('x-forwarded-host') ?? this.headers.get('host') ?? null,
        caller: callerKind(this.headers.get('authorization')),
        status,
        durationMs: Math.round(seconds * 10_000) / 10,
        ...(typeof cost === 'number' && { cost }),
        ...(codes.length > 0 && { errorCodes: codes }),
      },
      'graphql request',
    );
  }
}

/** Answers refused before Apollo Server ran are small JSON bodies of ours: their codes count too. */
function parseSmall(body: unknown): (FormattedErrors & { extensions?: Record<string, unknown> }) | null {
  if (typeof body !== 'string' || body.length > 4096) return null;
  try {
    return JSON.parse(body) as FormattedErrors;
  } catch {
    return null;
  }
}

const records = new WeakMap<RequestScope, GraphQLRequestRecord>();

/**
 * Tells the server answering the current request that `text`, an answer just made for it (in
 * Apollo Server's `stringifyResult`), is the UTF-8 `bytes` it holds, in parts: the server writes
 * those rather than encoding the text again. A cached answer's data is kept as bytes, so its hits skip
 * measuring and encoding some 25 KB per listing. Outside a request, or for any other text (a
 * batch that joins answers, say), the server writes the text as before.
 */
export function answerBytes(text: string, bytes: Buffer[]): void {
  const scope = currentRequestScope();
  if (scope) records.get(scope)?.encode(text, bytes);
}

/** Tells the current request's record what was run and answered, for its log line and metrics. */
export function observeAnswer(operationName: string | null, response: GraphQLResponse): void {
  const scope = currentRequestScope();
  if (scope) records.get(scope)?.observe(operationName, response);
}

/** Apollo Server plugin: tells the current request's record what was run and answered. */
export function requestRecordPlugin<Context extends BaseContext>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operationName, request, response }) {
          observeAnswer(operationName ?? request.operationName ?? null, response);
        },
      };
    },
  };
}
