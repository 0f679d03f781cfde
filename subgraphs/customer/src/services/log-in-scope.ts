import type { LogInScope } from '@commerce/auth';
import type { SubgraphContext } from '../context.js';

// The rules of the log-in throttle are @commerce/auth's, shared with sellers; what is the
// customers' own is the store-wide budget of failures per 15-minute window.

/** The log-in throttle's scope for a store's customers, with the store's budget (CUSTOMER_LOG_IN_FAILURES_PER_STORE). */
export function customerLogInScope(context: SubgraphContext, storeId: string): LogInScope {
  return { kind: 'customers', storeId, failureBudget: context.settings.logInFailuresPerStore };
}
