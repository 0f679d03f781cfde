export * from './metafield-types.js';
export * from './metafield-elements.js';
export * from './metafield-validations.js';
export * from './metafield-value.js';
export * from './metafield-read.js';
export * from './metafield-write.js';
export * from './metafield-events.js';
