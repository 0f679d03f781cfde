import { mailSettingsFromEnvironment, type MailSettings } from '@commerce/mail';
import { webhookSettingsFromEnvironment, type WebhookSettings } from './webhooks/settings.js';

/** What the store subgraph reads from the environment, once, when it is built. */
export interface StoreSettings {
  /** Where sellers sign up and sign in, the button of staff mails (ADMIN_URL, default http://localhost:3001). */
  adminUrl: string;
  mail: MailSettings;
  /** How webhook URLs are checked and deliveries sent. */
  webhooks: WebhookSettings;
}

/** The store subgraph's settings from the environment. */
export function storeSettingsFromEnvironment(): StoreSettings {
  return {
    adminUrl: process.env.ADMIN_URL?.trim() || 'http://localhost:3001',
    mail: mailSettingsFromEnvironment(),
    webhooks: webhookSettingsFromEnvironment(),
  };
}
