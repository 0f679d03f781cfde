import { browserConfigFromEnvironment, type BrowserConfig } from './browser-config.js';
import {
  persistedQueriesConfigFromEnvironment,
  realtimeConfigFromEnvironment,
  type PersistedQueriesConfig,
  type RealtimeConfig,
} from './config.js';
import { protectionConfigFromEnvironment, type ProtectionConfig } from './protection/config.js';
import { validQueryCostConfigFromEnvironment, type QueryCostConfig } from './protection/cost-config.js';

/** What the gateway applies to every request and socket, whichever process runs it (the gateway alone, or `pnpm start`). */
export interface EdgeSettings {
  realtime: RealtimeConfig;
  persistedQueries: PersistedQueriesConfig;
  browser: BrowserConfig;
  protection: ProtectionConfig;
  queryCost: QueryCostConfig;
}

/** The gateway's request and socket settings from the environment, validated (a SettingError names a bad one). */
export function edgeSettingsFromEnvironment(): EdgeSettings {
  return {
    realtime: realtimeConfigFromEnvironment(),
    persistedQueries: persistedQueriesConfigFromEnvironment(),
    browser: browserConfigFromEnvironment(),
    protection: protectionConfigFromEnvironment(),
    queryCost: validQueryCostConfigFromEnvironment(),
  };
}
