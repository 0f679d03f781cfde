import type { Seller, ShippingRate, ShippingZone, StaffMember, Store, StoreDomain, TaxRate } from '@commerce/database';

/** Resolver parents of this subgraph's types: codegen.ts maps every exported `<Type>Parent` here to `<Type>`. */
export type SellerParent = Seller;
export type StoreParent = Store;
export type StoreDomainParent = StoreDomain;
export type StaffMemberParent = StaffMember;
export type ShippingZoneParent = ShippingZone;
export type ShippingRateParent = ShippingRate;
export type TaxRateParent = TaxRate;
