import os from 'node:os';
import path from 'node:path';
import { authSettings } from '@commerce/auth';
import { customerSettingsFromEnvironment, type CustomerSettings } from '@commerce/customer/settings';
import { orderSettingsFromEnvironment, type OrderSettings } from '@commerce/order/settings';
import { storeSettingsFromEnvironment, type StoreSettings } from '@commerce/store/settings';
import { databasePoolSize, dataDirectory, embeddedPostgresPort, portSetting } from '@commerce/database';
import {
  storefrontCacheFromEnvironment,
  type StorefrontCacheOptions,
} from '@commerce/gateway/storefront-cache-settings';
import { edgeSettingsFromEnvironment, type EdgeSettings } from '@commerce/gateway/edge-settings';
import { shutdownGraceMs, validUrl } from '@commerce/graphql-kit';
import { workerCount } from '@commerce/workers';

/** What `pnpm start` reads from the environment. */
export interface StartSettings extends EdgeSettings {
  /** DATABASE_URL, or null for an embedded PostgreSQL. */
  databaseUrl: string | null;
  /** The embedded PostgreSQL's data directory (DATA_DIR/postgres) and port. */
  embedded: { dataDir: string; port: number };
  /** The gateway's port and interface. */
  port: number;
  host: string;
  poolSize: number;
  /** The storefront cache's size and lifetime (off when undefined). */
  storefrontCache: StorefrontCacheOptions | undefined;
  shutdownGraceMs: number;
  /** Worker processes serving the graph (WEB_CONCURRENCY, default one per core). */
  workers: number;
  /** The subgraphs' own settings. */
  subgraphSettings: { order: OrderSettings; customer: CustomerSettings; store: StoreSettings };
}

/**
 * Every setting of `pnpm start`, the subgraphs' own included, read and validated at once before
 * anything starts: a malformed one throws a SettingError naming it, before PostgreSQL starts.
 */
export function startSettingsFromEnvironment(): StartSettings {
  const configured = process.env.DATABASE_URL;
  authSettings();
  return {
    ...edgeSettingsFromEnvironment(),
    databaseUrl: configured ? validUrl('DATABASE_URL', () => configured) : null,
    embedded: { dataDir: path.join(dataDirectory(), 'postgres'), port: embeddedPostgresPort() },
    port: portSetting(4000),
    host: process.env.HOST ?? '127.0.0.1',
    poolSize: databasePoolSize(),
    storefrontCache: storefrontCacheFromEnvironment(),
    shutdownGraceMs: shutdownGraceMs(),
    workers: workerCount(os.availableParallelism()),
    subgraphSettings: {
      order: orderSettingsFromEnvironment(),
      customer: customerSettingsFromEnvironment(),
      store: storeSettingsFromEnvironment(),
    },
  };
}
