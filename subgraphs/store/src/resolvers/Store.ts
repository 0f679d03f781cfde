import { keyOrNull, money, toGlobalId } from '@commerce/graphql-kit';
import { ownerMetafield, ownerMetafields } from '@commerce/metafields';
import type { StoreResolvers } from '../__generated__/resolvers-types.js';
import { listMetafieldDefinitions } from '../services/metafield-definition.service.js';
import { storeApps } from '../services/app.service.js';
import { storeCurrencies } from '../services/currency.service.js';
import { readBusinessHours } from '../services/business-hours.js';
import { buyerNotificationSettings } from '../services/buyer-notification-settings.js';
import { storeDomains, storeShippingZones, storeStaffMembers, storeTaxRates } from '../services/store-access.js';
import { storeLocales, storeTranslations, translatedSeo } from '../services/store-languages.service.js';
import { storeWebhooks } from '../services/webhook.service.js';
import { BRANDING_RULES, readContact, readSection, SEO_RULES, SOCIAL_LINK_RULES } from '../services/store-config.js';

export const Store: StoreResolvers = {
  __resolveReference: (reference, context) => {
    const key = keyOrNull(reference.id, 'Store');
    return key ? context.loaders.storeById.load(key) : null;
  },
  id: (store) => toGlobalId('Store', store.id),
  viewerRole: (store, _args, context) => context.loaders.viewerRoleByStore.load(store.id),
  branding: (store) => readSection(store.branding, BRANDING_RULES),
  seo: (store, _args, context) => translatedSeo(context, store, readSection(store.seo, SEO_RULES)),
  locales: (store) => storeLocales(store),
  translations: (store, { locale }, context) => storeTranslations(context, store, locale),
  contact: (store) => readContact(store.contact),
  socialLinks: (store) => readSection(store.socialLinks, SOCIAL_LINK_RULES),
  businessHours: (store) => readBusinessHours(store.businessHours),
  settings: (store) => ({
    guestCheckoutEnabled: store.guestCheckoutEnabled,
    emailVerificationRequired: store.emailVerificationRequired,
    reviewsEnabled: store.reviewsEnabled,
    wishlistEnabled: store.wishlistEnabled,
    reviewModerationRequired: store.reviewModerationRequired,
    buyersAnswerQuestions: store.buyersAnswerQuestions,
    minOrderAmount: store.minOrderAmount && money(store.minOrderAmount, store.currencyCode),
    maxOrderAmount: store.maxOrderAmount && money(store.maxOrderAmount, store.currencyCode),
    lowStockThreshold: store.lowStockThreshold,
    paymentCaptureMode: store.paymentCaptureMode,
    partialDeliveryEnabled: store.partialDeliveryEnabled,
    returnWindowDays: store.returnWindowDays,
    buyerNotifications: buyerNotificationSettings(store.disabledBuyerNotifications),
  }),
  metafield: (store, { namespace, key }, context) =>
    ownerMetafield(context.loaders.storeMetafields, store.id, namespace, key),
  metafields: (store, args, context) => ownerMetafields(context.loaders.storeMetafields, store.id, args),
  metafieldDefinitions: (store, args, context) => listMetafieldDefinitions(context, store.id, args),
  domains: (store, _args, context) => storeDomains(context, store.id),
  staffMembers: (store, _args, context) => storeStaffMembers(context, store.id),
  shippingZones: (store, _args, context) => storeShippingZones(context, store.id),
  taxRates: (store, _args, context) => storeTaxRates(context, store.id),
  currencies: (store, _args, context) => storeCurrencies(context, store.id),
  apps: (store, _args, context) => storeApps(context, store.id),
  webhooks: (store, _args, context) => storeWebhooks(context, store.id),
};
