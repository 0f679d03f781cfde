export * from './mailer.js';
export * from './outbox-mailer.js';
export * from './smtp-mailer.js';
export * from './mailer-from-environment.js';
export * from './html.js';
export * from './layout.js';
