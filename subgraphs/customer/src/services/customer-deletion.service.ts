import { clearLogInFailures } from '@commerce/auth';
import type { Customer, Transaction } from '@commerce/database';
import {
  keyOf,
  keyOrNull,
  notFound,
  requirePermission,
  requireCustomer,
  forbidden,
  toGlobalId,
  unauthenticated,
  userError,
  type UserError,
} from '@commerce/graphql-kit';
import type { SubgraphContext } from '../context.js';
import { confirmPassword } from './customer-auth.service.js';
import { customerLogInScope } from './log-in-scope.js';
import { removeFollow } from './store-follow.service.js';
import { deleteCustomerWishlist } from './wishlist.service.js';
import type { CustomerErrorCode } from '../__generated__/resolvers-types.js';
import { deleteOwnerMetafields } from '@commerce/metafields';

export interface CustomerDeleteInput {
  id?: string | null;
  password?: string | null;
}

/** The customerDelete payload: the deleted customer's global id, or null and what the caller can fix. */
export interface DeletionResult {
  deletedCustomerId: string | null;
  userErrors: UserError<CustomerErrorCode>[];
}

/**
 * Erases a customer's personal data and closes the account, keeping the row so that orders keep
 * pointing at it (orders hold their own copies of email and addresses, which are not touched).
 * The email becomes a placeholder unique to the row, so the address can sign up again.
 */
async function anonymise(context: SubgraphContext, tx: Transaction, customer: Customer): Promise<void> {
  const { id: customerId, storeId } = customer;
  await tx.customerAddress.deleteMany({ where: { storeId, customerId } });
  await tx.customerRefreshToken.deleteMany({ where: { storeId, customerId } });
  await tx.customerToken.deleteMany({ where: { storeId, customerId } });
  await deleteCustomerWishlist(tx, storeId, customerId);
  await removeFollow(tx, storeId, customerId);
  // Custom fields may hold personal data: they go with the account.
  await deleteOwnerMetafields(tx, storeId, 'CUSTOMER', [customerId]);
  await tx.mailMessage.deleteMany({ where: { storeId, to: customer.email } });
  await clearLogInFailures(tx, customerLogInScope(context, storeId), customer.email);
  await tx.customer.update({
    where: { storeId_id: { storeId, id: customerId } },
    data: {
      email: `deleted-${customerId}@deleted.invalid`,
      passwordHash: null,
      firstName: '',
      lastName: '',
      phone: null,
      dateOfBirth: null,
      gender: null,
      acceptsMarketing: false,
      locale: null,
      currencyCode: null,
      note: '',
      tags: [],
      emailVerifiedAt: null,
      defaultShippingAddressId: null,
      defaultBillingAddressId: null,
      status: 'DELETED',
    },
  });
}

/** The calling customer deletes their own account, confirming it with their password. */
async function deleteOwnAccount(context: SubgraphContext, input: CustomerDeleteInput): Promise<DeletionResult> {
  const { customerId } = requireCustomer(context);
  if (input.id != null && keyOrNull(input.id, 'Customer') !== customerId)
    throw forbidden('Customers can delete only their own account.');
  const customer = await context.loaders.customerById.load(customerId);
  if (!customer || customer.status === 'DELETED') throw unauthenticated('This account no longer exists.');
  if (!input.password)
    return {
      deletedCustomerId: null,
      userErrors: [userError(['input', 'password'], 'Confirm with your password.', 'BLANK')],
    };
  const wrongPassword = await confirmPassword(context, customer, input.password, ['input', 'password']);
  if (wrongPassword) return { deletedCustomerId: null, userErrors: [wrongPassword] };
  await context.db.transaction((tx) => anonymise(context, tx, customer));
  return { deletedCustomerId: toGlobalId('Customer', customer.id), userErrors: [] };
}

/** Staff with the customers permission delete a customer's account on the customer's request. */
async function deleteAccountAsStaff(context: SubgraphContext, input: CustomerDeleteInput): Promise<DeletionResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_CUSTOMERS');
  if (input.id == null)
    return {
      deletedCustomerId: null,
      userErrors: [userError(['input', 'id'], 'Name the customer to delete.', 'BLANK')],
    };
  const key = keyOf(input.id, 'Customer', ['input', 'id']);
  return context.db.transaction(async (tx): Promise<DeletionResult> => {
    const customer = await tx.customer.findUnique({ where: { storeId_id: { storeId, id: key } } });
    if (!customer) throw notFound(`Customer "${input.id}"`);
    if (customer.status === 'DELETED')
      return {
        deletedCustomerId: null,
        userErrors: [userError(['input', 'id'], 'This account is already deleted.', 'ALREADY_DELETED')],
      };
    await anonymise(context, tx, customer);
    return { deletedCustomerId: toGlobalId('Customer', customer.id), userErrors: [] };
  });
}

/** Deletes an account on request: by the customer (password confirmed) or by staff (MANAGE_CUSTOMERS). */
export function deleteCustomer(context: SubgraphContext, input: CustomerDeleteInput): Promise<DeletionResult> {
  return context.viewer.kind === 'customer' ? deleteOwnAccount(context, input) : deleteAccountAsStaff(context, input);
}
