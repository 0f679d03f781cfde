import type { MutationResolvers } from '../__generated__/resolvers-types.js';
import { createApp, deleteApp, rotateAppToken, updateApp } from '../services/app.service.js';
import {
  createMetafieldDefinition,
  deleteMetafieldDefinition,
  updateMetafieldDefinition,
} from '../services/metafield-definition.service.js';
import { deleteStoreMetafields, setStoreMetafields } from '../services/metafield.service.js';
import { updateStoreCurrencies } from '../services/currency.service.js';
import { addDomain, removeDomain, verifyDomain } from '../services/domain.service.js';
import { logInSeller, signUpSeller } from '../services/seller.service.js';
import { logOut, refreshTokens } from '../services/session.service.js';
import {
  createShippingRate,
  createShippingZone,
  deleteShippingRate,
  deleteShippingZone,
  updateShippingRate,
  updateShippingZone,
} from '../services/shipping.service.js';
import { addStaffMember, removeStaffMember, updateStaffMember } from '../services/staff.service.js';
import { updateStore, updateStoreConfig } from '../services/store-settings.service.js';
import { createStore } from '../services/store.service.js';
import { createTaxRate, deleteTaxRate, updateTaxRate } from '../services/tax.service.js';
import {
  createWebhook,
  deleteWebhook,
  pingWebhook,
  retryDelivery,
  updateWebhook,
} from '../services/webhook.service.js';
import { updateStoreLocales } from '../services/store-languages.service.js';

export const Mutation: MutationResolvers = {
  metafieldDefinitionCreate: (_parent, { input }, context) => createMetafieldDefinition(context, input),
  metafieldDefinitionUpdate: (_parent, { input }, context) => updateMetafieldDefinition(context, input),
  metafieldDefinitionDelete: async (_parent, { input }, context) => ({
    deletedMetafieldDefinitionId: await deleteMetafieldDefinition(context, input.id),
    userErrors: [],
  }),
  metafieldsSet: async (_parent, { metafields }, context) => {
    const result = await setStoreMetafields(context, metafields);
    return { metafields: result.userErrors.length > 0 ? null : result.metafields, userErrors: result.userErrors };
  },
  metafieldsDelete: async (_parent, { metafields }, context) => {
    const result = await deleteStoreMetafields(context, metafields);
    return { deletedMetafields: result.userErrors.length > 0 ? null : result.deleted, userErrors: result.userErrors };
  },
  sellerSignUp: (_parent, { input }, context) => signUpSeller(context, input),
  sellerLogIn: (_parent, { input }, context) => logInSeller(context, input),
  tokenRefresh: (_parent, { refreshToken }, context) => refreshTokens(context, refreshToken),
  logOut: (_parent, { refreshToken }, context) => logOut(context, refreshToken),
  storeCreate: (_parent, { input }, context) => createStore(context, input),
  storeUpdate: (_parent, { input }, context) => updateStore(context, input),
  storeConfigUpdate: (_parent, { input }, context) => updateStoreConfig(context, input),
  storeLocalesUpdate: (_parent, { input }, context) => updateStoreLocales(context, input),
  storeDomainAdd: (_parent, { input }, context) => addDomain(context, input),
  storeDomainVerify: (_parent, { input }, context) => verifyDomain(context, input),
  storeDomainRemove: (_parent, { input }, context) => removeDomain(context, input),
  staffMemberAdd: (_parent, { input }, context) => addStaffMember(context, input),
  staffMemberUpdate: (_parent, { input }, context) => updateStaffMember(context, input),
  staffMemberRemove: (_parent, { input }, context) => removeStaffMember(context, input),
  shippingZoneCreate: (_parent, { input }, context) => createShippingZone(context, input),
  shippingZoneUpdate: (_parent, { input }, context) => updateShippingZone(context, input),
  shippingZoneDelete: (_parent, { input }, context) => deleteShippingZone(context, input),
  shippingRateCreate: (_parent, { input }, context) => createShippingRate(context, input),
  shippingRateUpdate: (_parent, { input }, context) => updateShippingRate(context, input),
  shippingRateDelete: (_parent, { input }, context) => deleteShippingRate(context, input),
  taxRateCreate: (_parent, { input }, context) => createTaxRate(context, input),
  taxRateUpdate: (_parent, { input }, context) => updateTaxRate(context, input),
  taxRateDelete: (_parent, { input }, context) => deleteTaxRate(context, input),
  storeCurrenciesUpdate: (_parent, { input }, context) => updateStoreCurrencies(context, input),
  appCreate: (_parent, { input }, context) => createApp(context, input),
  appUpdate: (_parent, { input }, context) => updateApp(context, input),
  appTokenRotate: (_parent, { appId }, context) => rotateAppToken(context, appId),
  appDelete: (_parent, { appId }, context) => deleteApp(context, appId),
  webhookCreate: (_parent, { input }, context) => createWebhook(context, input),
  webhookUpdate: (_parent, { input }, context) => updateWebhook(context, input),
  webhookDelete: (_parent, { input }, context) => deleteWebhook(context, input),
  webhookDeliveryRetry: (_parent, { deliveryId }, context) => retryDelivery(context, deliveryId),
  webhookPing: (_parent, { webhookId }, context) => pingWebhook(context, webhookId),
};
