// The pure rules of logs and metrics: which settings start a process, which request ids are taken.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { callerKind } from '@commerce/graphql-kit';
import { PROCESS_EXEC_ARGV } from '@commerce/testkit';
import { logLevelSetting, metricsTokenSetting, requestIdFrom } from '../src/index.js';

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] });

describe('LOG_LEVEL', () => {
  it('is info when blank and refuses an unknown level, naming the variable', () => {
    expect(logLevelSetting('')).toBe('info');
    expect(logLevelSetting(' DEBUG ')).toBe('debug');
    expect(() => logLevelSetting('loud')).toThrow(
      /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "loud"/,
    );
  });
});

describe('METRICS_TOKEN', () => {
  it('is off when unset or blank', () => {
    expect(metricsTokenSetting('')).toBeNull();
    expect(metricsTokenSetting('  ')).toBeNull();
    expect(metricsTokenSetting('s3cret')).toBe('s3cret');
  });
});

describe('request ids', () => {
  it("take the caller's x-request-id, else the traceparent's trace id, else a new UUID", () => {
    expect(requestIdFrom(headers({ 'x-request-id': 'req-42' }))).toBe('req-42');
    expect(requestIdFrom(headers({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }))).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
    expect(requestIdFrom(headers({ traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' }))).toMatch(
      /^[\da-f-]{36}$/,
    );
    // Ids that would spoil a log line or a header are replaced.
    expect(requestIdFrom(headers({ 'x-request-id': 'two words' }))).toMatch(/^[\da-f-]{36}$/);
    expect(requestIdFrom(headers({ 'x-request-id': 'x'.repeat(129) }))).toMatch(/^[\da-f-]{36}$/);
  });
});

describe('caller kind', () => {
  const token = (payload: object) => `Bearer e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`;

  it('tells sellers, customers and anonymous callers apart by the token audience', () => {
    expect(callerKind(undefined)).toBe('anonymous');
    expect(callerKind(token({ aud: 'commerce:seller' }))).toBe('seller');
    expect(callerKind(token({ aud: ['commerce:customer'] }))).toBe('customer');
    expect(callerKind(token({ aud: 'elsewhere' }))).toBe('unknown');
    expect(callerKind('Bearer not-a-jwt')).toBe('unknown');
  });
});

describe('a process entry', () => {
  const start = (env: Record<string, string>) =>
    spawnSync(process.execPath, [...PROCESS_EXEC_ARGV, 'subgraphs/catalog/src/index.ts'], {
      cwd: fileURLToPath(new URL('../../../', import.meta.url)),
      env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', PORT: '0', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('stops at start, naming the setting, on a malformed OTEL_EXPORTER_OTLP_ENDPOINT or LOG_LEVEL', () => {
    const tracing = start({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector without a scheme' });
    expect(tracing.status).not.toBe(0);
    expect(tracing.stderr).toContain('OTEL_EXPORTER_OTLP_ENDPOINT must be a URL');
    const logging = start({ LOG_LEVEL: 'loud' });
    expect(logging.status).not.toBe(0);
    expect(logging.stderr).toContain('LOG_LEVEL must be one of');
  }, 120_000);
});
