import type { PrismaClient } from '@commerce/database';

/**
 * How far the relay is behind: the age in seconds of the oldest event not yet published, 0 when
 * none waits. A lag that grows means subscribers and webhooks are not hearing of changes.
 */
export async function outboxLagSeconds(prisma: PrismaClient): Promise<number> {
  // Through a function of the relay's (SECURITY DEFINER): the app role sees every store's backlog.
  const [row] = await prisma.$queryRaw<
    Array<{ oldest: Date | null }>
  >`SELECT app_outbox_oldest_unpublished() AS "oldest"`;
  return row?.oldest ? Math.max(0, (Date.now() - row.oldest.getTime()) / 1000) : 0;
}
