export * from './config.js';
export * from './client.js';
export * from './tenant.js';
export * from './migrate.js';
export * from './embedded.js';
