import { numberSetting } from '@commerce/database';
import { mailSettingsFromEnvironment, type MailSettings } from '@commerce/mail';

/** What the customer subgraph reads from the environment, once, when it is built. */
export interface CustomerSettings {
  /**
   * Where storefronts live, for the links in customer mails (STOREFRONT_URL, default
   * http://localhost:3000/{store}; "{store}" stands for the store's slug).
   */
  storefrontUrl: string;
  /** Failed customer log-ins a store takes per 15-minute window before pausing them (CUSTOMER_LOG_IN_FAILURES_PER_STORE, default 500). */
  logInFailuresPerStore: number;
  mail: MailSettings;
}

/** Where storefronts live (STOREFRONT_URL, default http://localhost:3000/{store}), for the links in customer mails. */
export function storefrontUrlFromEnvironment(): string {
  return process.env.STOREFRONT_URL?.trim() || 'http://localhost:3000/{store}';
}

/** The customer subgraph's settings, validated: a malformed one throws a SettingError naming it. */
export function customerSettingsFromEnvironment(): CustomerSettings {
  return {
    storefrontUrl: storefrontUrlFromEnvironment(),
    logInFailuresPerStore: numberSetting(
      'CUSTOMER_LOG_IN_FAILURES_PER_STORE',
      process.env.CUSTOMER_LOG_IN_FAILURES_PER_STORE,
      500,
      { min: 1, whole: true },
    ),
    mail: mailSettingsFromEnvironment(),
  };
}
