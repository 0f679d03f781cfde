import { Prisma, SettingError } from '@commerce/database';
import { manualProvider } from './manual.js';
import type { PaymentProvider, PaymentProviderId } from './provider.js';
import { testCardProvider } from './test-card.js';

export type { PaymentOutcome, PaymentProvider, PaymentProviderId, PaymentRequest } from './provider.js';

const PROVIDERS: Readonly<Record<PaymentProviderId, PaymentProvider>> = {
  MANUAL: manualProvider('MANUAL'),
  CASH_ON_DELIVERY: manualProvider('CASH_ON_DELIVERY'),
  TEST_CARD: testCardProvider,
};

/** The provider behind an id of the PaymentProvider enum. */
export function paymentProvider(id: PaymentProviderId): PaymentProvider {
  return PROVIDERS[id];
}

function commissionRate(): Prisma.Decimal {
  const configured = process.env.PLATFORM_COMMISSION_RATE?.trim();
  if (!configured) return new Prisma.Decimal('0.03');
  if (!/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/.test(configured)) throw new SettingError(`PLATFORM_COMMISSION_RATE must be a fraction from 0 to 1 with at most 6 decimals (0.03 is 3%), not "${configured}".`);
  return new Prisma.Decimal(configured);
}

/** The platform's share of every payment (PLATFORM_COMMISSION_RATE, default 0.03 = 3%). */
export const PLATFORM_COMMISSION_RATE = commissionRate();
