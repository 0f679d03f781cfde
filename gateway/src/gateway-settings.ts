import { appDatabaseUrl, portSetting, SettingError } from '@commerce/database';
import { shutdownGraceMs, validUrl } from '@commerce/graphql-kit';
import { browserConfigFromEnvironment, type BrowserConfig } from './browser-config.js';
import { persistedQueriesConfigFromEnvironment, realtimeConfigFromEnvironment, SUBGRAPHS, subgraphUrlsFromEnvironment, subgraphUrlVariable, type PersistedQueriesConfig, type RealtimeConfig, type SubgraphName } from './config.js';
import { protectionConfigFromEnvironment, type ProtectionConfig } from './protection/config.js';
import { validQueryCostConfigFromEnvironment, type QueryCostConfig } from './protection/cost-config.js';
import { storefrontCacheFromEnvironment, type StorefrontCacheOptions } from './server.js';

/** What the gateway run as its own process reads from the environment. */
export interface GatewayProcessSettings {
  /** The app role's URL (from DATABASE_URL, or APP_DATABASE_URL). */
  appDatabaseUrl: string;
  port: number;
  subgraphUrls: Record<SubgraphName, string>;
  storefrontCache: StorefrontCacheOptions | undefined;
  realtime: RealtimeConfig;
  persistedQueries: PersistedQueriesConfig;
  browser: BrowserConfig;
  protection: ProtectionConfig;
  queryCost: QueryCostConfig;
  shutdownGraceMs: number;
}

/**
 * Every setting of the gateway process, read and validated at once as it starts, before it
 * connects or listens: a malformed one throws a SettingError naming it.
 */
export function gatewaySettingsFromEnvironment(): GatewayProcessSettings {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new SettingError('DATABASE_URL is required: the gateway checks the database in /readyz and relays the outbox (see .env.example).');
  const appUrl = validUrl(process.env.APP_DATABASE_URL ? 'APP_DATABASE_URL' : 'DATABASE_URL', () => appDatabaseUrl(databaseUrl));
  const subgraphUrls = subgraphUrlsFromEnvironment();
  for (const name of SUBGRAPHS) validUrl(subgraphUrlVariable(name), () => subgraphUrls[name], 'http://catalog:4002/graphql');
  return {
    appDatabaseUrl: appUrl,
    port: portSetting(4000),
    subgraphUrls,
    storefrontCache: storefrontCacheFromEnvironment(appUrl),
    realtime: { ...realtimeConfigFromEnvironment(), relayDatabaseUrl: appUrl },
    persistedQueries: persistedQueriesConfigFromEnvironment(),
    browser: browserConfigFromEnvironment(),
    protection: protectionConfigFromEnvironment(),
    queryCost: validQueryCostConfigFromEnvironment(),
    shutdownGraceMs: shutdownGraceMs(),
  };
}
