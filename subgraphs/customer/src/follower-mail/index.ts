// The new-product mail to a store's followers, for the process that writes it (the gateway, beside
// the outbox relay): the writer and its setting.
export { FollowerMailWriter, type FollowerMailWriterOptions } from './follower-mail-writer.js';
export { writeFollowerMailBatch, type FollowerMailBatch } from './follower-mail-batch.js';
export { storefrontUrlFromEnvironment } from '../settings.js';
