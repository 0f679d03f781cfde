export * from './settings.js';
export * from './worker-role.js';
export * from './supervisor.js';
export * from './broadcast.js';
export * from './heap-growth.js';
