export * from './outbox.js';
export * from './event.js';
export * from './bus.js';
export * from './redis-bus.js';
export * from './outbox-read.js';
export * from './store-event-stream.js';
export * from './relay.js';
export * from './push-queue.js';
