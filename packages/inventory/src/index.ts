export * from './available-to-sell.js';
export * from './default-location.js';
export * from './stock-reservation.js';
