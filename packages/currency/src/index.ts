export * from './conversion.js';
export * from './rounding.js';
