export * from './mailer.js';
export * from './smtp-mailer.js';
export * from './mailer-from-environment.js';
export * from './html.js';
export * from './layout.js';
export * from './outbox.js';
export * from './buyer-notifications.js';
export * from './sender.js';
