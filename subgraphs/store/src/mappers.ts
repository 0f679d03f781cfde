import type { MetafieldRecord } from '@commerce/metafields';
import type {
  App,
  MetafieldDefinition,
  Seller,
  ShippingRate,
  ShippingZone,
  StaffMember,
  Store,
  StoreCurrency,
  StoreDomain,
  TaxRate,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryAttempt,
} from '@commerce/database';
import type { Connection, Edge, InCurrency } from '@commerce/graphql-kit';

/** Resolver parents of this subgraph's types: codegen.ts maps every exported `<Type>Parent` here to `<Type>`. */
export type SellerParent = Seller;
export type StoreParent = Store;
export type StoreDomainParent = StoreDomain;
export type StaffMemberParent = StaffMember;
export type ShippingZoneParent = ShippingZone;
/** A rate with its store's currency, which its Money fields are in. */
export type ShippingRateParent = InCurrency<ShippingRate>;
export type TaxRateParent = TaxRate;
export type StoreCurrencyParent = StoreCurrency;
export type AppParent = App;
export type WebhookParent = Webhook;
export type WebhookDeliveryParent = WebhookDelivery;
export type WebhookDeliveryAttemptParent = WebhookDeliveryAttempt;
/** A page of deliveries. */
export type WebhookDeliveryConnectionParent = Connection<WebhookDelivery>;
export type WebhookDeliveryEdgeParent = Edge<WebhookDelivery>;
/** A custom-field value with what its definition says (namespace, key, type). */
export type MetafieldParent = MetafieldRecord;
export type MetafieldConnectionParent = Connection<MetafieldRecord>;
export type MetafieldEdgeParent = Edge<MetafieldRecord>;
export type MetafieldDefinitionParent = MetafieldDefinition;
export type MetafieldDefinitionConnectionParent = Connection<MetafieldDefinition>;
export type MetafieldDefinitionEdgeParent = Edge<MetafieldDefinition>;
