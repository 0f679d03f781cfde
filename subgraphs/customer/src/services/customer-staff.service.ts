import { revokeAllCustomerSessions } from '@commerce/auth';
import type { CustomerGroup, CustomerStatus, Prisma } from '@commerce/database';
import { InputErrors, keyOf, notFound, requirePermission, userError } from '@commerce/graphql-kit';
import type { SubgraphContext } from '../context.js';
import { announceCustomer } from './customer-events.js';
import type { CustomerResult } from './result.js';
import type { CustomerErrorCode } from '../__generated__/resolvers-types.js';

/** What staff may change about a customer: their own notes and grouping, and whether the account may be used. */
export interface CustomerStaffUpdateInput {
  id: string;
  note?: string | null;
  tags?: string[] | null;
  group?: CustomerGroup | null;
  status?: CustomerStatus | null;
}

const NOTE_MAX = 5000;
const TAG_MAX = 64;
const TAGS_MAX = 50;

function staffChanges(input: CustomerStaffUpdateInput): {
  errors: InputErrors<CustomerErrorCode>;
  data: Prisma.CustomerUpdateInput;
} {
  const errors = new InputErrors<CustomerErrorCode>();
  const data: Prisma.CustomerUpdateInput = {};
  if (input.note !== undefined) {
    const note = input.note?.trim() ?? '';
    if (note.length > NOTE_MAX) errors.add(['input', 'note'], `Use at most ${NOTE_MAX} characters.`, 'TOO_LONG');
    data.note = note;
  }
  if (input.tags != null) {
    // Tags compare as typed, trimmed; duplicates collapse.
    const tags = [...new Set(input.tags.map((tag) => tag.trim()).filter((tag) => tag !== ''))];
    if (tags.length > TAGS_MAX) errors.add(['input', 'tags'], `Use at most ${TAGS_MAX} tags.`, 'TOO_LONG');
    if (tags.some((tag) => tag.length > TAG_MAX))
      errors.add(['input', 'tags'], `Each tag may have at most ${TAG_MAX} characters.`, 'TOO_LONG');
    data.tags = tags;
  }
  if (input.group != null) data.group = input.group;
  if (input.status != null) {
    if (input.status === 'DELETED')
      errors.add(['input', 'status'], 'Delete an account with customerDelete, which also removes its personal data.');
    data.status = input.status;
  }
  return { errors, data };
}

/**
 * Staff (customers permission) change a customer's note, tags, group or status. Suspending or
 * blocking ends the customer's sessions and voids their pending links.
 */
export async function updateCustomerByStaff(
  context: SubgraphContext,
  input: CustomerStaffUpdateInput,
): Promise<CustomerResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_CUSTOMERS');
  const key = keyOf(input.id, 'Customer', ['input', 'id']);
  const { errors, data } = staffChanges(input);
  if (!errors.ok) return { customer: null, userErrors: errors.errors };
  return context.db.transaction(async (tx): Promise<CustomerResult> => {
    const current = await tx.customer.findUnique({ where: { storeId_id: { storeId, id: key } } });
    if (!current) throw notFound(`Customer "${input.id}"`);
    if (current.status === 'DELETED')
      return {
        customer: null,
        userErrors: [userError(['input', 'id'], 'A deleted account cannot be changed.', 'ACCOUNT_DELETED')],
      };
    const customer = await tx.customer.update({ where: { storeId_id: { storeId, id: key } }, data });
    if (customer.status !== 'ACTIVE' && current.status !== customer.status) {
      await revokeAllCustomerSessions(tx, storeId, key);
      await tx.customerToken.deleteMany({ where: { storeId, customerId: key } });
    }
    await announceCustomer(tx, 'customer.updated', customer);
    return { customer, userErrors: [] };
  });
}
