export * from './client.js';
export * from './graph.js';
export * from './subgraph.js';
export * from './seed.js';
export * from './eventually.js';
export * from './service-process.js';
export * from './otlp-receiver.js';
export * from './cpu-load.js';
