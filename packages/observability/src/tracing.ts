// OpenTelemetry for one process. Loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set (see
// tracing-register.ts): without it, no SDK module is even read.
import { register } from 'node:module';
import path from 'node:path';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { beforeProcessExit } from './exit-hooks.js';

/** The service a process is, from its entry file: gateway, a subgraph's name, or the all-in-one graph. */
export function defaultServiceName(entry = process.argv[1] ?? ''): string {
  const parts = path.resolve(entry).split(path.sep);
  const subgraphs = parts.lastIndexOf('subgraphs');
  if (subgraphs >= 0 && parts[subgraphs + 1]) return parts[subgraphs + 1] as string;
  if (parts.includes('gateway')) return 'gateway';
  return 'commerce-graph';
}

/**
 * Starts the OpenTelemetry Node SDK: spans of incoming and outgoing HTTP, GraphQL parse, validate
 * and execute, node-postgres statements, and @apollo/gateway's own (plan, fetch per subgraph),
 * exported over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (the SDK reads the other OTEL_* settings).
 * Must run before the application's modules load: pg and graphql are patched as they are imported.
 */
export async function startTracing(): Promise<void> {
  // ES modules are patched by a loader hook, told which modules to wrap by the instrumentations
  // below: every other module loads untouched.
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  const [
    { NodeSDK },
    { OTLPTraceExporter },
    { HttpInstrumentation },
    { PgInstrumentation },
    { GraphQLInstrumentation },
  ] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-graphql'),
  ]);
  const sdk = new NodeSDK({
    // OTEL_SERVICE_NAME, when set, names the service; else the entry file does.
    ...(process.env.OTEL_SERVICE_NAME ? {} : { serviceName: defaultServiceName() }),
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes would drown the traces of requests.
        ignoreIncomingRequestHook: (request) => /^\/(healthz|readyz|metrics)\b/.test(request.url ?? ''),
      }),
      new PgInstrumentation({ requireParentSpan: true }),
      new GraphQLInstrumentation({ ignoreTrivialResolveSpans: true, mergeItems: true }),
    ],
  });
  sdk.start();
  await waitForAllMessagesAcknowledged();
  // Spans still batched when the process ends are sent first: on its own, or stopped by a signal.
  process.once('beforeExit', () => void sdk.shutdown());
  beforeProcessExit(() => sdk.shutdown());
}
