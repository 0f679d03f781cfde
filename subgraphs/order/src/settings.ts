import { databasePoolSize, numberSetting, Prisma, SettingError } from '@commerce/database';
import { mailSettingsFromEnvironment, type MailSettings } from '@commerce/mail';

/** What the order subgraph reads from the environment, once, when it is built. */
export interface OrderSettings {
  /** How long a checkout transaction may take (CHECKOUT_TIMEOUT_SECONDS, default 20). */
  checkoutTimeoutMs: number;
  /** Checkout transactions a process runs at once: the pool's connections (DATABASE_POOL_SIZE) but two. */
  checkoutsPerProcess: number;
  /** Checkout transactions a process runs at once in one store (CHECKOUT_CONCURRENCY_PER_STORE, default 3). */
  checkoutsPerStore: number;
  /** How long a cart lives without a change (CART_TTL_DAYS, default 30). */
  cartTtlMs: number;
  /** Minutes between sweeps of expired carts and authorizations (CART_SWEEP_INTERVAL_MINUTES, default 60; 0 turns sweeping off). */
  cartSweepIntervalMinutes: number;
  /** How long an authorization waits for its capture before the sweep voids it (AUTHORIZATION_EXPIRY_HOURS, default 168 = 7 days). */
  authorizationExpiryHours: number;
  /** The platform's share of every payment (PLATFORM_COMMISSION_RATE, default 0.03 = 3%). */
  platformCommissionRate: Prisma.Decimal;
  /** How buyer notifications are sent (SMTP_URL, MAIL_FROM). */
  mail: MailSettings;
}

const DAY_MS = 86_400_000;

/** The order subgraph's settings, validated: a malformed one throws a SettingError naming it. */
export function orderSettingsFromEnvironment(): OrderSettings {
  return {
    checkoutTimeoutMs:
      numberSetting('CHECKOUT_TIMEOUT_SECONDS', process.env.CHECKOUT_TIMEOUT_SECONDS, 20, { min: 1, max: 3600 }) * 1000,
    checkoutsPerProcess: Math.max(1, databasePoolSize() - 2),
    checkoutsPerStore: numberSetting('CHECKOUT_CONCURRENCY_PER_STORE', process.env.CHECKOUT_CONCURRENCY_PER_STORE, 3, {
      min: 1,
      whole: true,
    }),
    cartTtlMs: cartTtlDays(process.env.CART_TTL_DAYS) * DAY_MS,
    cartSweepIntervalMinutes: numberSetting(
      'CART_SWEEP_INTERVAL_MINUTES',
      process.env.CART_SWEEP_INTERVAL_MINUTES,
      60,
      { max: 10_080 },
    ),
    authorizationExpiryHours: numberSetting('AUTHORIZATION_EXPIRY_HOURS', process.env.AUTHORIZATION_EXPIRY_HOURS, 168, {
      min: 1,
      max: 8_760,
    }),
    platformCommissionRate: commissionRate(process.env.PLATFORM_COMMISSION_RATE),
    mail: mailSettingsFromEnvironment(),
  };
}

function cartTtlDays(configured: string | undefined): number {
  if (configured === undefined || configured.trim() === '') return 30;
  const days = Number(configured);
  if (!Number.isFinite(days) || days <= 0)
    throw new SettingError(`CART_TTL_DAYS must be a positive number of days, not "${configured}".`);
  return days;
}

function commissionRate(value: string | undefined): Prisma.Decimal {
  const configured = value?.trim();
  if (!configured) return new Prisma.Decimal('0.03');
  if (!/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/.test(configured)) {
    throw new SettingError(
      `PLATFORM_COMMISSION_RATE must be a fraction from 0 to 1 with at most 6 decimals (0.03 is 3%), not "${configured}".`,
    );
  }
  return new Prisma.Decimal(configured);
}
