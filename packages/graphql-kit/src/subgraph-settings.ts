import { authSettings } from '@commerce/auth';
import { appDatabaseUrl, databasePoolSize, portSetting, SettingError } from '@commerce/database';
import { workerCount } from '@commerce/workers';
import { shutdownGraceMs } from './shutdown.js';

/** What a subgraph run as its own process reads from the environment. */
export interface SubgraphProcessSettings {
  /** The app role's URL (from DATABASE_URL, or APP_DATABASE_URL). */
  appDatabaseUrl: string;
  port: number;
  poolSize: number;
  shutdownGraceMs: number;
  /** Worker processes (WEB_CONCURRENCY, default 1: replicas are scaled by their orchestrator). */
  workers: number;
}

/**
 * The settings of a subgraph process, read and validated at once as it starts, before it connects
 * or listens: a malformed one throws a SettingError naming it. (The subgraph's own settings, such
 * as CHECKOUT_TIMEOUT_SECONDS, are read as its definition is built, just before this runs.)
 */
export function subgraphSettingsFromEnvironment(defaultPort: number): SubgraphProcessSettings {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new SettingError('DATABASE_URL is required: the database, as its owner (see .env.example).');
  authSettings();
  return {
    appDatabaseUrl: validUrl(process.env.APP_DATABASE_URL ? 'APP_DATABASE_URL' : 'DATABASE_URL', () =>
      appDatabaseUrl(databaseUrl),
    ),
    port: portSetting(defaultPort),
    poolSize: databasePoolSize(),
    shutdownGraceMs: shutdownGraceMs(),
    workers: workerCount(1),
  };
}

/** The URL `read` derives from a setting, or a SettingError naming it when the setting is not a URL. */
export function validUrl(
  setting: string,
  read: () => string,
  example = 'postgres://user:password@host:5432/database',
): string {
  let url: string;
  try {
    url = read();
    new URL(url);
  } catch {
    throw new SettingError(`${setting} must be a URL such as ${example}.`);
  }
  return url;
}
