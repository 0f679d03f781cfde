import type { Seller, ShippingRate, ShippingZone, StaffMember, Store, StoreDomain, TaxRate } from '@commerce/database';

/** Resolver parents of this subgraph's types (see codegen.ts). */
export type SellerParent = Seller;
export type StoreParent = Store;
export type StoreDomainParent = StoreDomain;
export type StaffMemberParent = StaffMember;
export type ShippingZoneParent = ShippingZone;
export type ShippingRateParent = ShippingRate;
export type TaxRateParent = TaxRate;
