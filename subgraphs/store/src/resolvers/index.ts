import { scalarResolvers } from '@commerce/graphql-kit';
import { metafieldResolvers } from '@commerce/metafields';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import type { NodeReference } from '../services/node.service.js';
import { App } from './App.js';
import { MetafieldDefinition } from './MetafieldDefinition.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { Seller } from './Seller.js';
import { ShippingRate } from './ShippingRate.js';
import { ShippingZone } from './ShippingZone.js';
import { StaffMember } from './StaffMember.js';
import { Store } from './Store.js';
import { StoreDomain } from './StoreDomain.js';
import { TaxRate } from './TaxRate.js';
import { Webhook, WebhookDelivery, WebhookDeliveryAttempt } from './Webhook.js';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query,
  Mutation,
  Seller,
  Store,
  StoreDomain,
  StaffMember,
  ShippingZone,
  ShippingRate,
  TaxRate,
  App,
  Metafield: metafieldResolvers,
  MetafieldDefinition,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  Node: { __resolveType: (node) => (node as unknown as NodeReference).__typename },
};
