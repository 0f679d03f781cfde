// Preloaded by every process entry (`node --import tsx --import ./packages/observability/src/tracing-register.ts …`),
// so tracing is in place before the application's modules load. Without OTEL_EXPORTER_OTLP_ENDPOINT
// it does nothing and loads nothing.
const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
if (endpoint) {
  if (!URL.canParse(endpoint))
    throw new Error(
      `OTEL_EXPORTER_OTLP_ENDPOINT must be a URL such as http://collector:4318, not "${endpoint}" (see .env.example)`,
    );
  const { startTracing } = await import('./tracing.js');
  await startTracing();
}

export {};
