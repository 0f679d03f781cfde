import { authSettings } from '@commerce/auth';
import { storefrontUrlFromEnvironment } from '@commerce/customer/follower-mail';
import { appDatabaseUrl, portSetting, SettingError } from '@commerce/database';
import { shutdownGraceMs, validUrl } from '@commerce/graphql-kit';
import { storeSettingsFromEnvironment, type StoreSettings } from '@commerce/store/settings';
import { workerCount } from '@commerce/workers';
import { SUBGRAPHS, subgraphUrlsFromEnvironment, subgraphUrlVariable, type SubgraphName } from './config.js';
import { edgeSettingsFromEnvironment, type EdgeSettings } from './edge-settings.js';
import { storefrontCacheFromEnvironment, type StorefrontCacheOptions } from './storefront-cache-settings.js';

/** What the gateway run as its own process reads from the environment. */
export interface GatewayProcessSettings extends EdgeSettings {
  /** The app role's URL (from DATABASE_URL, or APP_DATABASE_URL). */
  appDatabaseUrl: string;
  port: number;
  subgraphUrls: Record<SubgraphName, string>;
  storefrontCache: StorefrontCacheOptions | undefined;
  shutdownGraceMs: number;
  /** Worker processes (WEB_CONCURRENCY, default 1: replicas are scaled by their orchestrator). */
  workers: number;
  /** What webhook delivery runs with: the webhook settings, mail to store owners and ADMIN_URL. */
  webhooks: StoreSettings;
  /** Where storefronts live (STOREFRONT_URL), for the links of followers' new-product mail. */
  storefrontUrl: string;
}

/**
 * Every setting of the gateway process, read and validated at once as it starts, before it
 * connects or listens: a malformed one throws a SettingError naming it.
 */
export function gatewaySettingsFromEnvironment(): GatewayProcessSettings {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl)
    throw new SettingError(
      'DATABASE_URL is required: the gateway checks the database in /readyz and relays the outbox (see .env.example).',
    );
  const appUrl = validUrl(process.env.APP_DATABASE_URL ? 'APP_DATABASE_URL' : 'DATABASE_URL', () =>
    appDatabaseUrl(databaseUrl),
  );
  const subgraphUrls = subgraphUrlsFromEnvironment();
  for (const name of SUBGRAPHS)
    validUrl(subgraphUrlVariable(name), () => subgraphUrls[name], 'http://catalog:4002/graphql');
  const edge = edgeSettingsFromEnvironment();
  authSettings();
  return {
    ...edge,
    appDatabaseUrl: appUrl,
    port: portSetting(4000),
    subgraphUrls,
    storefrontCache: storefrontCacheFromEnvironment(),
    realtime: { ...edge.realtime, relayDatabaseUrl: appUrl },
    shutdownGraceMs: shutdownGraceMs(),
    workers: workerCount(1),
    webhooks: storeSettingsFromEnvironment(),
    storefrontUrl: storefrontUrlFromEnvironment(),
  };
}
