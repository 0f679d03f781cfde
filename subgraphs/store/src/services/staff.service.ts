import type { StaffMember, StaffRole, Transaction } from '@commerce/database';
import { roleHasPermission } from '@commerce/auth';
import {
  forbidden,
  InputErrors,
  isUniqueViolation,
  keyOf,
  normalizeEmail,
  notFound,
  requireStaffPermission,
  toGlobalId,
  userError,
  type UserError,
} from '@commerce/graphql-kit';
import { queueMail } from '@commerce/mail';
import type { SubgraphContext } from '../context.js';
import { staffMail } from '../mail/staff-mail.js';
import type { StoreErrorCode } from '../__generated__/resolvers-types.js';

export interface StaffMemberResult {
  staffMember: StaffMember | null;
  userErrors: UserError<StoreErrorCode>[];
}

const OWNER_ONLY = 'Only an OWNER can make someone an OWNER or change or remove an OWNER.';

function lastOwnerError(field: string[]): UserError<StoreErrorCode> {
  return userError(field, 'This is the last OWNER of the store; make someone else an OWNER first.', 'LAST_OWNER');
}

/**
 * Locks the store's OWNER rows for the rest of the transaction and returns the seller-backed
 * ones. Concurrent changes to owners queue here, and each sees the owners the previous one left.
 */
async function lockOwners(tx: Transaction, storeId: string): Promise<string[]> {
  const owners = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id"::text AS id FROM "StaffMember"
    WHERE "storeId" = ${storeId}::uuid AND "role" = 'OWNER' AND "sellerId" IS NOT NULL
    ORDER BY "id"
    FOR UPDATE`;
  return owners.map((owner) => owner.id);
}

/**
 * The caller's role read again inside the transaction: a role taken away by a change that
 * committed while this request waited for the owners' lock no longer counts.
 */
async function currentRole(tx: Transaction, storeId: string, sellerId: string): Promise<StaffRole> {
  const member = await tx.staffMember.findUnique({
    where: { storeId_sellerId: { storeId, sellerId } },
    select: { role: true },
  });
  if (!member || !roleHasPermission(member.role, 'MANAGE_STAFF'))
    throw forbidden('Your role in this store no longer allows managing staff.');
  return member.role;
}

/**
 * Adds a seller to the request's store's staff by email (MANAGE_STAFF; OWNER only by an OWNER).
 * Without a seller account for the email, the row is an invitation that sign-up takes up.
 */
export async function addStaffMember(
  context: SubgraphContext,
  input: { email: string; role: StaffRole },
): Promise<StaffMemberResult> {
  const { storeId, sellerId, role } = await requireStaffPermission(context, 'MANAGE_STAFF');
  if (input.role === 'OWNER' && role !== 'OWNER') throw forbidden(OWNER_ONLY);
  const errors = new InputErrors<StoreErrorCode>().email(['input', 'email'], input.email);
  if (!errors.ok) return { staffMember: null, userErrors: errors.errors };
  const email = normalizeEmail(input.email);
  try {
    const staffMember = await context.db.transaction(async (tx) => {
      const seller = await tx.seller.findUnique({ where: { email }, select: { id: true } });
      const created = await tx.staffMember.create({
        data: { storeId, sellerId: seller?.id ?? null, email, role: input.role },
      });
      const inviter = await tx.seller.findUnique({ where: { id: sellerId }, select: { name: true } });
      // The new member (or invitee) hears of it once the row has committed: the mail commits with it.
      await queueMail(
        tx,
        await staffMail(
          tx,
          storeId,
          { email, role: input.role, invitation: !seller, inviterName: inviter?.name ?? null },
          context.settings.adminUrl,
        ),
      );
      return created;
    });
    return { staffMember, userErrors: [] };
  } catch (error) {
    if (isUniqueViolation(error)) {
      return {
        staffMember: null,
        userErrors: [
          userError(['input', 'email'], 'This email is already on the staff of this store or invited.', 'TAKEN'),
        ],
      };
    }
    throw error;
  }
}

/** Changes a staff member's role (MANAGE_STAFF; OWNERs by an OWNER only); the last OWNER stays. */
export async function updateStaffMember(
  context: SubgraphContext,
  input: { id: string; role: StaffRole },
): Promise<StaffMemberResult> {
  const { storeId, sellerId, role } = await requireStaffPermission(context, 'MANAGE_STAFF');
  const key = keyOf(input.id, 'StaffMember', ['input', 'id']);
  if (input.role === 'OWNER' && role !== 'OWNER') throw forbidden(OWNER_ONLY);
  return context.db.transaction(async (tx): Promise<StaffMemberResult> => {
    const owners = await lockOwners(tx, storeId);
    const member = await tx.staffMember.findUnique({ where: { id: key } });
    if (!member) throw notFound(`Staff member "${input.id}"`);
    if (member.role === 'OWNER' && role !== 'OWNER') throw forbidden(OWNER_ONLY);
    if (member.role === input.role) return { staffMember: member, userErrors: [] };
    if (member.role === 'OWNER' && member.sellerId !== null && owners.every((id) => id === member.id)) {
      return { staffMember: null, userErrors: [lastOwnerError(['input', 'role'])] };
    }
    const actorRole = await currentRole(tx, storeId, sellerId);
    if ((member.role === 'OWNER' || input.role === 'OWNER') && actorRole !== 'OWNER') throw forbidden(OWNER_ONLY);
    return {
      staffMember: await tx.staffMember.update({ where: { id: key }, data: { role: input.role } }),
      userErrors: [],
    };
  });
}

/** Removes a staff member or invitation (MANAGE_STAFF; OWNERs by an OWNER only); the last OWNER stays. */
export async function removeStaffMember(
  context: SubgraphContext,
  input: { id: string },
): Promise<{ removedStaffMemberId: string | null; userErrors: UserError<StoreErrorCode>[] }> {
  const { storeId, sellerId, role } = await requireStaffPermission(context, 'MANAGE_STAFF');
  const key = keyOf(input.id, 'StaffMember', ['input', 'id']);
  return context.db.transaction(async (tx) => {
    const owners = await lockOwners(tx, storeId);
    const member = await tx.staffMember.findUnique({ where: { id: key } });
    if (!member) throw notFound(`Staff member "${input.id}"`);
    if (member.role === 'OWNER' && role !== 'OWNER') throw forbidden(OWNER_ONLY);
    if (member.role === 'OWNER' && member.sellerId !== null && owners.every((id) => id === member.id)) {
      return { removedStaffMemberId: null, userErrors: [lastOwnerError(['input', 'id'])] };
    }
    const actorRole = await currentRole(tx, storeId, sellerId);
    if (member.role === 'OWNER' && actorRole !== 'OWNER') throw forbidden(OWNER_ONLY);
    await tx.staffMember.delete({ where: { id: key } });
    return { removedStaffMemberId: toGlobalId('StaffMember', key), userErrors: [] };
  });
}

/**
 * Attaches the invitations addressed to a seller's email to the seller (on sign-up and sign-in),
 * through a database function that may see the inviting stores' rows.
 */
export async function acceptStaffInvitations(tx: Transaction, sellerId: string): Promise<number> {
  const rows = await tx.$queryRaw<
    { accepted: number }[]
  >`SELECT app_accept_staff_invitations(${sellerId}::uuid) AS accepted`;
  return rows[0]?.accepted ?? 0;
}
