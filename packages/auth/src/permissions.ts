import type { StaffRole } from '@commerce/database';

/** What a staff member may do in a store. */
export type Permission =
  | 'MANAGE_STORE'
  | 'MANAGE_STAFF'
  | 'MANAGE_PRODUCTS'
  | 'READ_PRODUCTS'
  | 'MANAGE_INVENTORY'
  | 'MANAGE_ORDERS'
  | 'MANAGE_CUSTOMERS'
  | 'VIEW_ANALYTICS';

const ALL: readonly Permission[] = [
  'MANAGE_STORE',
  'MANAGE_STAFF',
  'MANAGE_PRODUCTS',
  'READ_PRODUCTS',
  'MANAGE_INVENTORY',
  'MANAGE_ORDERS',
  'MANAGE_CUSTOMERS',
  'VIEW_ANALYTICS',
];

/** The permission matrix: one place that says what each role may do. */
export const ROLE_PERMISSIONS: Readonly<Record<StaffRole, ReadonlySet<Permission>>> = {
  OWNER: new Set(ALL),
  ADMIN: new Set<Permission>([
    'MANAGE_STAFF',
    'MANAGE_PRODUCTS',
    'READ_PRODUCTS',
    'MANAGE_INVENTORY',
    'MANAGE_ORDERS',
    'MANAGE_CUSTOMERS',
    'VIEW_ANALYTICS',
  ]),
  MANAGER: new Set<Permission>([
    'MANAGE_PRODUCTS',
    'READ_PRODUCTS',
    'MANAGE_INVENTORY',
    'MANAGE_ORDERS',
    'VIEW_ANALYTICS',
  ]),
  STAFF: new Set<Permission>(['READ_PRODUCTS', 'MANAGE_ORDERS']),
};

/** Whether a role grants a permission. */
export function roleHasPermission(role: StaffRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}
