import { numberSetting, SettingError, switchSetting } from '@commerce/database';

/** How webhooks are checked and sent: read once, at start, by the store subgraph and by the process that sends. */
export interface WebhookSettings {
  /** Per-attempt timeout (WEBHOOK_TIMEOUT_MS, default 10,000). */
  timeoutMs: number;
  /** The first retry's delay; each next one is four times longer, with ±20 % jitter (WEBHOOK_RETRY_BASE_MS, default 10,000). */
  retryBaseMs: number;
  /** The longest delay between two attempts (WEBHOOK_RETRY_MAX_DELAY_MS, default 6 hours). */
  retryMaxDelayMs: number;
  /** How long a delivery is retried before it is given up and its webhook turned off (WEBHOOK_RETRY_WINDOW_SECONDS, default 26 hours). */
  retryWindowMs: number;
  /** Send to private, loopback and link-local addresses (WEBHOOK_ALLOW_PRIVATE_TARGETS, default off; for development and tests). */
  allowPrivateTargets: boolean;
  /** Accept http:// URLs to loopback addresses (WEBHOOK_ALLOW_HTTP_LOOPBACK, default off; refused with NODE_ENV=production). */
  allowHttpLoopback: boolean;
  /** How long deliveries and their attempts are kept (WEBHOOK_DELIVERY_RETENTION_DAYS, default 30). */
  retentionMs: number;
  /** Deliveries one process sends at once (WEBHOOK_CONCURRENCY, default 16). */
  concurrency: number;
  /** How long the previous secret signs too after a rotation (WEBHOOK_SECRET_OVERLAP_HOURS, default 24). */
  secretOverlapMs: number;
  /** How often the worker looks for due deliveries when not woken (WEBHOOK_POLL_INTERVAL_MS, default 1,000). */
  pollIntervalMs: number;
}

const HOUR = 3_600_000;

/** The webhook settings from the environment, with their documented defaults. */
export function webhookSettingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const allowHttpLoopback = switchSetting('WEBHOOK_ALLOW_HTTP_LOOPBACK', env.WEBHOOK_ALLOW_HTTP_LOOPBACK, false);
  if (allowHttpLoopback && env.NODE_ENV === 'production')
    throw new SettingError('WEBHOOK_ALLOW_HTTP_LOOPBACK is for development; it cannot be on with NODE_ENV=production');
  return {
    timeoutMs: numberSetting('WEBHOOK_TIMEOUT_MS', env.WEBHOOK_TIMEOUT_MS, 10_000, {
      min: 100,
      max: 60_000,
      whole: true,
    }),
    retryBaseMs: numberSetting('WEBHOOK_RETRY_BASE_MS', env.WEBHOOK_RETRY_BASE_MS, 10_000, { min: 10, whole: true }),
    retryMaxDelayMs: numberSetting('WEBHOOK_RETRY_MAX_DELAY_MS', env.WEBHOOK_RETRY_MAX_DELAY_MS, 6 * HOUR, {
      min: 10,
      whole: true,
    }),
    retryWindowMs:
      numberSetting('WEBHOOK_RETRY_WINDOW_SECONDS', env.WEBHOOK_RETRY_WINDOW_SECONDS, 26 * 3_600, { min: 1 }) * 1_000,
    allowPrivateTargets: switchSetting('WEBHOOK_ALLOW_PRIVATE_TARGETS', env.WEBHOOK_ALLOW_PRIVATE_TARGETS, false),
    allowHttpLoopback,
    retentionMs:
      numberSetting('WEBHOOK_DELIVERY_RETENTION_DAYS', env.WEBHOOK_DELIVERY_RETENTION_DAYS, 30, { min: 1 }) * 24 * HOUR,
    concurrency: numberSetting('WEBHOOK_CONCURRENCY', env.WEBHOOK_CONCURRENCY, 16, { min: 1, max: 1_000, whole: true }),
    secretOverlapMs:
      numberSetting('WEBHOOK_SECRET_OVERLAP_HOURS', env.WEBHOOK_SECRET_OVERLAP_HOURS, 24, { min: 0 }) * HOUR,
    pollIntervalMs: numberSetting('WEBHOOK_POLL_INTERVAL_MS', env.WEBHOOK_POLL_INTERVAL_MS, 1_000, {
      min: 10,
      whole: true,
    }),
  };
}
