import { trace } from '@opentelemetry/api';
import { pino, stdTimeFunctions, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { currentRequestScope } from './request-scope.js';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LEVELS)[number];

function isLevel(value: string): value is LogLevel {
  return (LEVELS as readonly string[]).includes(value);
}

/** LOG_LEVEL (default info); any other word stops the process at start, naming the variable. */
export function logLevelSetting(value = process.env.LOG_LEVEL): LogLevel {
  const level = value?.trim().toLowerCase() || 'info';
  if (!isLevel(level))
    throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, not "${value}" (see .env.example)`);
  return level;
}

/**
 * Fields that may hold a secret, wherever a caller puts them: they are written as [redacted].
 * Request lines never carry variables, bodies or the Authorization header in the first place;
 * this catches an object logged whole by mistake.
 */
const REDACTED_PATHS = [
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'cardNumber',
  'authorization',
  'cookie',
  'variables',
  'body',
  'headers',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.cardNumber',
  '*.authorization',
  '*.cookie',
  '*.variables',
  '*.body',
  '*.headers',
];

/** The request id and, when tracing is on, the trace id of the line's moment. */
function contextFields(): Record<string, string> {
  const fields: Record<string, string> = {};
  const scope = currentRequestScope();
  if (scope) fields.requestId = scope.requestId;
  const span = trace.getActiveSpan()?.spanContext();
  if (span && trace.isSpanContextValid(span)) {
    fields.traceId = span.traceId;
    fields.spanId = span.spanId;
  }
  return fields;
}

function createLogger(): Logger {
  const options = {
    level: logLevelSetting(),
    timestamp: stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: contextFields,
  };
  // A person at a terminal reads lines; a collector reads JSON.
  if (process.stdout.isTTY)
    return pino(options, pretty({ colorize: true, sync: true, singleLine: true, ignore: 'pid,hostname' }));
  return pino(options);
}

/** The process's logger (pino): JSON lines on stdout, readable ones in a terminal. */
export const logger: Logger = createLogger();
