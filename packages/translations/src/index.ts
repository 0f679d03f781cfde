export * from './store-translations.js';
