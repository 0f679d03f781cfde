export * from './config.js';
export * from './settings.js';
export * from './client.js';
export * from './statement-count.js';
export * from './tenant.js';
export * from './sql-transaction.js';
export * from './migrate.js';
export * from './embedded.js';
