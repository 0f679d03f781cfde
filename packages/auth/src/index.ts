export * from './keys.js';
export * from './tokens.js';
export * from './passwords.js';
export * from './permissions.js';
export * from './refresh-tokens.js';
export * from './staff.js';
export * from './log-in-throttle.js';
