export * from './conversion.js';
export * from './rounding.js';
export * from './store-currencies.js';
