import type { PrismaClient } from '@commerce/database';

/**
 * How far the relay is behind: the age in seconds of the oldest event not yet published, 0 when
 * none waits. A lag that grows means subscribers and webhooks are not hearing of changes.
 */
export async function outboxLagSeconds(prisma: PrismaClient): Promise<number> {
  // Through the relay's own function (SECURITY DEFINER): the app role sees every store's backlog.
  const [oldest] = await prisma.$queryRaw<
    Array<{ createdAt: Date }>
  >`SELECT "createdAt" FROM app_outbox_unpublished(1)`;
  return oldest ? Math.max(0, (Date.now() - oldest.createdAt.getTime()) / 1000) : 0;
}
