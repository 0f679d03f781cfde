import type { StaffRole, Transaction } from '@commerce/database';

/** The role of a seller in a store, or null when the seller is not on its staff. */
export async function staffRoleIn(tx: Transaction, storeId: string, sellerId: string): Promise<StaffRole | null> {
  const member = await tx.staffMember.findUnique({
    where: { storeId_sellerId: { storeId, sellerId } },
    select: { role: true },
  });
  return member?.role ?? null;
}
