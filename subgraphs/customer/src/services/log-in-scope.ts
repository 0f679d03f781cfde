import type { LogInScope } from '@commerce/auth';
import { numberSetting } from '@commerce/database';

// The rules of the log-in throttle are @commerce/auth's, shared with sellers; what is the
// customers' own is the store-wide budget of failures per 15-minute window.

const DEFAULT_FAILURES_PER_STORE = 500;

/** Read on each use (tests change it), and once as the module loads: a malformed value stops the process at start. */
function failuresPerStore(): number {
  return numberSetting('CUSTOMER_LOG_IN_FAILURES_PER_STORE', process.env.CUSTOMER_LOG_IN_FAILURES_PER_STORE, DEFAULT_FAILURES_PER_STORE, { min: 1, whole: true });
}
failuresPerStore();

/** The log-in throttle's scope for a store's customers, with the store's budget (CUSTOMER_LOG_IN_FAILURES_PER_STORE). */
export function customerLogInScope(storeId: string): LogInScope {
  return { kind: 'customers', storeId, failureBudget: failuresPerStore() };
}
