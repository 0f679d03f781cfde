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
  | 'VIEW_ANALYTICS'
  | 'MANAGE_APPS';

/** Every permission, in the order the API lists them. */
export const PERMISSIONS: readonly Permission[] = [
  'MANAGE_STORE',
  'MANAGE_STAFF',
  'MANAGE_PRODUCTS',
  'READ_PRODUCTS',
  'MANAGE_INVENTORY',
  'MANAGE_ORDERS',
  'MANAGE_CUSTOMERS',
  'VIEW_ANALYTICS',
  'MANAGE_APPS',
];

/** Whether a string names a permission. */
export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

/**
 * What an app may be granted: everything but managing staff and apps, which stay with people
 * (an app that could add staff or mint apps could outlive its own revocation).
 */
export const APP_GRANTABLE_PERMISSIONS: ReadonlySet<Permission> = new Set(
  PERMISSIONS.filter((permission) => permission !== 'MANAGE_STAFF' && permission !== 'MANAGE_APPS'),
);

/** The permission matrix: one place that says what each role may do. */
export const ROLE_PERMISSIONS: Readonly<Record<StaffRole, ReadonlySet<Permission>>> = {
  OWNER: new Set(PERMISSIONS),
  ADMIN: new Set<Permission>([
    'MANAGE_STAFF',
    'MANAGE_PRODUCTS',
    'READ_PRODUCTS',
    'MANAGE_INVENTORY',
    'MANAGE_ORDERS',
    'MANAGE_CUSTOMERS',
    'VIEW_ANALYTICS',
    // Admins already decide who may work in the store; apps are the same delegation, and an
    // app gets no permission its creator lacks.
    'MANAGE_APPS',
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
