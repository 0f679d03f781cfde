export { AnalyticsConsumer, type AnalyticsConsumerOptions } from './analytics-consumer.js';
export { rebuildInTransaction } from './rollup-rebuild.js';
export { applyBatch, ANALYTICS_EVENT_TYPES } from './rollup-batch.js';
export { poolSql, sessionSql, type RunSql, type StoreSql } from './store-sql.js';
