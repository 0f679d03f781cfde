// The webhooks of the store subgraph's domain, for the process that sends them (the gateway, beside
// the outbox relay): settings, the dispatcher, and what it needs from outside (a payload resolver).
import type { Database } from '@commerce/database';
import type { EventBus } from '@commerce/events';
import type { MailSettings } from '@commerce/mail';
import type { WebhookSettings } from './settings.js';
import type { AddressResolver } from './target-guard.js';
import { WebhookDispatcher, type PayloadResolver } from './webhook-dispatcher.js';
import { mailOwnersOnDisable } from './webhook-mail.js';

export { webhookSettingsFromEnvironment, type WebhookSettings } from './settings.js';
export { systemResolver, type AddressResolver } from './target-guard.js';
export { WebhookDispatcher, retryDelayMs, type PayloadRequest, type PayloadResolver } from './webhook-dispatcher.js';
export { webhookEventTypeName, type WebhookTopic } from './topics.js';

export interface WebhookDispatcherStart {
  database: Database;
  settings: WebhookSettings;
  mail: MailSettings;
  /** The button of the mail to owners (ADMIN_URL). */
  adminUrl: string;
  resolvePayload: PayloadResolver;
  bus?: EventBus;
  resolver?: AddressResolver;
  /** The app role's URL for the dispatcher's polls (see WebhookDispatcherOptions). */
  connectionString?: string | null;
}

/** The dispatcher of this process, with the owners' mail when a webhook is turned off. */
export function createWebhookDispatcher(options: WebhookDispatcherStart): WebhookDispatcher {
  return new WebhookDispatcher({
    prisma: options.database.prisma,
    settings: options.settings,
    resolvePayload: options.resolvePayload,
    bus: options.bus,
    resolver: options.resolver,
    connectionString: options.connectionString,
    onDisabled: mailOwnersOnDisable(options.database, options.adminUrl),
  });
}
