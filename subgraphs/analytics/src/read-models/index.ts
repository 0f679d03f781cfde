export { AnalyticsConsumer, type AnalyticsConsumerOptions } from './analytics-consumer.js';
export { applyBatch, type BatchResult } from './rollup-batch.js';
export { rebuildInTransaction } from './rollup-rebuild.js';
export { rebuildStores, type StoreRebuilt } from './rebuild-stores.js';
export { poolSql, type RunSql, type StoreSql } from './store-sql.js';
