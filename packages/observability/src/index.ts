export * from './logger.js';
export * from './request-scope.js';
export * from './metrics.js';
export * from './metrics-route.js';
export * from './cluster-metrics.js';
export * from './exit-hooks.js';
