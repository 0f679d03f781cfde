export * from './client.js';
export * from './graph.js';
export * from './subgraph.js';
export * from './seed.js';
export * from './eventually.js';
export * from './cpu-load.js';
