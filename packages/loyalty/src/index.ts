export * from './loyalty-ledger.js';
export * from './loyalty-rules.js';
