export * from './verified-buyer.js';
