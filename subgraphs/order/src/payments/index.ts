import { manualProvider } from './manual.js';
import type { PaymentProvider, PaymentProviderId } from './provider.js';
import { testCardProvider } from './test-card.js';

export type {
  OperationOutcome,
  PaymentOperation,
  PaymentOutcome,
  PaymentProvider,
  PaymentProviderId,
  PaymentRequest,
} from './provider.js';

const PROVIDERS: Readonly<Record<PaymentProviderId, PaymentProvider>> = {
  MANUAL: manualProvider('MANUAL'),
  CASH_ON_DELIVERY: manualProvider('CASH_ON_DELIVERY'),
  TEST_CARD: testCardProvider,
};

/** The provider behind an id of the PaymentProvider enum. */
export function paymentProvider(id: PaymentProviderId): PaymentProvider {
  return PROVIDERS[id];
}
