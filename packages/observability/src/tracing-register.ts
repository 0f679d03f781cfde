// Preloaded by every process entry (`node --import tsx --import ./packages/observability/src/tracing-register.ts …`),
// so tracing is in place before the application's modules load. Without OTEL_EXPORTER_OTLP_ENDPOINT
// it does nothing and loads nothing.
if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
  const { startTracing } = await import('./tracing.js');
  await startTracing();
}

export {};
