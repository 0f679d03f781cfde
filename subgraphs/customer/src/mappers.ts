import type { Customer, CustomerAddress } from '@commerce/database';
import type { Connection, Edge } from '@commerce/graphql-kit';

/** Resolver parents of this subgraph's types: codegen.ts maps every exported `<Type>Parent` here to `<Type>`. */
export type StoreParent = { id: string };
export type CustomerParent = Customer;
export type CustomerAddressParent = CustomerAddress;
export type CustomerConnectionParent = Connection<Customer>;
export type CustomerEdgeParent = Edge<Customer>;
