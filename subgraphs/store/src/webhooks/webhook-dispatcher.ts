// The webhook worker (DESIGN §14). Two steps, both safe with any number of replicas:
//
// 1. Deliveries from the outbox: for a store, it locks the store's WebhookCursor row, writes one
//    WebhookDelivery per active webhook of each event's topic after the cursor (committed events
//    only: a sequence is visible once its transaction committed, and they commit in order), and
//    moves the cursor, in one tenant transaction. The unique (storeId, webhookId, eventSequence)
//    makes a repeated batch write nothing twice.
// 2. Sending: a replica takes due deliveries with FOR UPDATE SKIP LOCKED and a lease, only the
//    first pending one of each webhook and topic (so they arrive in order and a failing one holds
//    the later ones back), sends them outside any transaction, and records the attempt. A replica
//    that dies mid-delivery leaves its lease to expire; another sends the delivery again with the
//    same webhook-id, so receivers can tell the repeat. The lease covers a payload query (at least
//    5 s) and an attempt (WEBHOOK_TIMEOUT_MS), plus 2 s.
import pg from 'pg';
import { inScope, OneAtATime, Prisma, runUncounted, type PrismaClient } from '@commerce/database';
import { StoreCatchUpLoop, type EventBus } from '@commerce/events';
import { toGlobalId } from '@commerce/graphql-kit';
import { logger } from '@commerce/observability';
import { postTo, type PostOutcome } from './http-post.js';
import type { WebhookSettings } from './settings.js';
import { signedHeaders, signingSecrets } from './signing.js';
import {
  checkedAddresses,
  readTarget,
  systemResolver,
  TargetNotAllowedError,
  type AddressResolver,
} from './target-guard.js';
import { TOPIC_EVENT_TYPES, type WebhookTopic } from './topics.js';

/** What the payload of a delivery is resolved from. */
export interface PayloadRequest {
  storeId: string;
  webhook: { id: string; query: string; appId: string | null; createdBySellerId: string | null };
  delivery: {
    id: string;
    topic: WebhookTopic | null;
    eventSequence: bigint | null;
    aggregateType: string;
    aggregateId: string;
    occurredAt: Date;
  };
}

/** Resolves a delivery's body (JSON text) through the graph with the webhook owner's permissions. */
export type PayloadResolver = (request: PayloadRequest) => Promise<string>;

/** Tells the store's owners that a webhook was turned off. */
export type WebhookDisabledNotice = (
  storeId: string,
  webhook: { id: string; url: string },
  reason: string,
) => Promise<void>;

export interface WebhookDispatcherOptions {
  prisma: PrismaClient;
  settings: WebhookSettings;
  resolvePayload: PayloadResolver;
  /** Wakes the dispatcher as events are published. */
  bus?: EventBus;
  /** DNS for the delivery-time address check; the system's unless given. */
  resolver?: AddressResolver;
  /** Mail to the store's owners when a webhook is turned off. */
  onDisabled?: WebhookDisabledNotice;
  /** Events per batch of step 1. Default 500. */
  batchSize?: number;
  /** The app role's URL: the polls for work run on a connection of their own (off the pool and its statement counts). */
  connectionString?: string | null;
}

interface ClaimedDelivery {
  id: string;
  webhookId: string;
  topic: WebhookTopic | null;
  eventSequence: bigint | null;
  aggregateType: string;
  aggregateId: string;
  occurredAt: Date;
  attemptsCount: number;
  retryingSince: Date;
  requestBody: string | null;
  url: string;
  query: string;
  appId: string | null;
  createdBySellerId: string | null;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

const STORES_PER_POLL = 1_000;
/** How long resolving a payload through the graph may take at least (the receiver's timeout is apart). */
const PAYLOAD_TIMEOUT_MS = 5_000;
const JITTER = 0.2;

/** The delay before retry number `attempt` (1 for the first retry): base × 4^(attempt−1), capped, ±20 %. */
export function retryDelayMs(settings: WebhookSettings, attempt: number, random = Math.random): number {
  const plain = Math.min(settings.retryBaseMs * 4 ** Math.max(attempt - 1, 0), settings.retryMaxDelayMs);
  return Math.round(plain * (1 - JITTER + 2 * JITTER * random()));
}

function eventTypeTopics(): { types: string[]; topics: string[] } {
  const entries = Object.entries(TOPIC_EVENT_TYPES);
  return { types: entries.map(([, type]) => type), topics: entries.map(([topic]) => topic) };
}

export class WebhookDispatcher {
  private readonly resolver: AddressResolver;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly payloadTimeoutMs: number;
  private readonly dueStores = new Set<string>();
  /** Finds the stores whose events have no deliveries written yet, and writes them (consumeStore). */
  private readonly loop: StoreCatchUpLoop;
  private sending: Promise<void> | null = null;
  private inFlight = 0;
  private pruneTimer: NodeJS.Timeout | null = null;
  private stopped = true;
  private session: pg.Client | null = null;
  private readonly sessionReads = new OneAtATime();
  private readonly topicMap = eventTypeTopics();

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.resolver = options.resolver ?? systemResolver;
    this.batchSize = options.batchSize ?? 500;
    this.payloadTimeoutMs = Math.max(options.settings.timeoutMs, PAYLOAD_TIMEOUT_MS);
    // Long enough for a payload query and a whole attempt; a replica that died frees it after this.
    this.leaseMs = this.payloadTimeoutMs + options.settings.timeoutMs + 2_000;
    this.loop = new StoreCatchUpLoop({
      catchUp: (storeId) => this.consumeStore(storeId),
      storesBehind: () => this.lookForWork(),
      bus: options.bus,
      pollIntervalMs: options.settings.pollIntervalMs,
      // Background work of no request: its statements count towards none (an event published after a
      // request's commit would otherwise wake this inside that request's statement count).
      run: (work) => void runUncounted(async () => work()),
      onError: (error, storeId) =>
        storeId === null
          ? logger.error({ err: error }, 'webhooks: looking for work failed')
          : logger.error({ err: error, storeId }, 'webhooks: writing deliveries failed'),
    });
  }

  /** Starts listening and polling; resolves once listening to the bus. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    if (this.options.connectionString) {
      const client = new pg.Client({ connectionString: this.options.connectionString });
      client.on('error', (error) => {
        logger.error({ reason: error.message }, 'webhooks: the polling connection failed; using the pool');
        this.session = null;
        client.end().catch(() => undefined);
      });
      await client.connect();
      this.session = client;
    }
    await this.loop.start();
    this.pruneTimer = setInterval(() => void runUncounted(() => this.prune()), 3_600_000);
    this.pruneTimer.unref();
  }

  /** Stops; attempts under way finish and are recorded first. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pruneTimer = null;
    await this.loop.stop();
    await this.sending;
    const session = this.session;
    this.session = null;
    await session?.end().catch(() => undefined);
  }

  /**
   * A cross-store read of the platform (a SECURITY DEFINER function): on the own connection if
   * there is one, one read at a time (the poll makes two at once, the prune one beside them).
   */
  private async read<Row>(query: Prisma.Sql): Promise<Row[]> {
    const session = this.session;
    if (!session) return this.options.prisma.$queryRaw<Row[]>(query);
    return (await this.sessionReads.run(() => session.query(query.text, query.values))).rows as Row[];
  }

  /** Looks at a store now: its new events, then its due deliveries (webhookPing and retries call this in-process). */
  wakeStore(storeId: string): void {
    this.loop.wake(storeId);
  }

  /** Writes the deliveries of every event of the store committed so far; resolves with how many. */
  async catchUp(storeId: string): Promise<number> {
    let written = 0;
    for (;;) {
      const batch = await inScope(this.options.prisma, { storeId }, async (tx) => {
        const [cursor] = await tx.$queryRaw<{ lastSequence: bigint }[]>`
          SELECT "lastSequence" FROM "WebhookCursor" WHERE "storeId" = ${storeId}::uuid FOR UPDATE`;
        if (!cursor) return { events: 0, deliveries: 0 };
        const [result] = await tx.$queryRaw<{ upTo: bigint | null; events: number; deliveries: number }[]>`
          WITH batch AS (
            SELECT e."storeId", e."sequence", e."type", e."aggregateType", e."aggregateId", e."createdAt"
            FROM "OutboxEvent" e
            WHERE e."storeId" = ${storeId}::uuid AND e."sequence" > ${cursor.lastSequence}
            ORDER BY e."sequence" LIMIT ${this.batchSize}::int
          ), written AS (
            INSERT INTO "WebhookDelivery"
              ("storeId", "webhookId", "topic", "eventSequence", "eventType", "aggregateType", "aggregateId", "occurredAt")
            SELECT ${storeId}::uuid, w."id", t."topic", b."sequence", b."type", b."aggregateType", b."aggregateId", b."createdAt"
            FROM batch b
            JOIN unnest(${this.topicMap.types}::text[], ${this.topicMap.topics}::text[]) AS t("type", "topic") ON t."type" = b."type"
            JOIN "Webhook" w ON w."storeId" = b."storeId" AND w."isActive" AND t."topic" = ANY (w."topics")
              AND b."sequence" > w."fromSequence"
            ON CONFLICT DO NOTHING
            RETURNING 1
          )
          SELECT (SELECT max("sequence") FROM batch) AS "upTo", (SELECT count(*)::int FROM batch) AS "events",
            (SELECT count(*)::int FROM written) AS "deliveries"`;
        if (result?.upTo != null)
          await tx.$executeRaw`
            UPDATE "WebhookCursor" SET "lastSequence" = ${result.upTo}, "updatedAt" = now() WHERE "storeId" = ${storeId}::uuid`;
        return { events: result?.events ?? 0, deliveries: result?.deliveries ?? 0 };
      });
      written += batch.deliveries;
      if (batch.events < this.batchSize) return written;
    }
  }

  /** Writes the store's deliveries, then sends those due, even when the writing failed. */
  private async consumeStore(storeId: string): Promise<void> {
    try {
      await this.catchUp(storeId);
    } finally {
      this.dueStores.add(storeId);
      this.scheduleSend();
    }
  }

  private scheduleSend(): void {
    if (this.sending || this.stopped || this.dueStores.size === 0) return;
    this.sending = this.send().finally(() => {
      this.sending = null;
      this.scheduleSend();
    });
  }

  /** Sends the due deliveries of the stores woken, up to `concurrency` at once. */
  private async send(): Promise<void> {
    const running = new Set<Promise<void>>();
    while (!this.stopped) {
      const [storeId] = this.dueStores;
      if (storeId === undefined) break;
      this.dueStores.delete(storeId);
      let claimed: ClaimedDelivery[];
      try {
        claimed = await this.claim(storeId, this.options.settings.concurrency);
      } catch (error) {
        logger.error({ err: error, storeId }, 'webhooks: taking deliveries failed');
        continue;
      }
      for (const delivery of claimed) {
        while (this.inFlight >= this.options.settings.concurrency) await Promise.race(running);
        this.inFlight += 1;
        const attempt = this.attempt(storeId, delivery)
          .catch((error: unknown) => logger.error({ err: error, storeId }, 'webhooks: recording an attempt failed'))
          .finally(() => {
            this.inFlight -= 1;
            running.delete(attempt);
            // The line behind a finished delivery may be due now.
            this.dueStores.add(storeId);
          });
        running.add(attempt);
      }
      if (this.dueStores.size === 0 && running.size > 0) await Promise.race(running);
    }
    await Promise.all(running);
  }

  /** Leases the store's due deliveries that head their webhook's and topic's line. */
  private claim(storeId: string, limit: number): Promise<ClaimedDelivery[]> {
    return inScope(
      this.options.prisma,
      { storeId },
      (tx) =>
        tx.$queryRaw<ClaimedDelivery[]>`
        WITH due AS (
          SELECT d."storeId", d."id"
          FROM "WebhookDelivery" d
          JOIN "Webhook" w ON w."storeId" = d."storeId" AND w."id" = d."webhookId" AND w."isActive"
          WHERE d."storeId" = ${storeId}::uuid AND d."status" = 'PENDING' AND d."nextAttemptAt" <= now()
            AND (d."leasedUntil" IS NULL OR d."leasedUntil" < now())
            AND (d."eventSequence" IS NULL OR NOT EXISTS (
              SELECT 1 FROM "WebhookDelivery" p
              WHERE p."storeId" = ${storeId}::uuid AND p."webhookId" = d."webhookId" AND p."topic" = d."topic"
                AND p."status" = 'PENDING' AND p."eventSequence" < d."eventSequence"))
          ORDER BY d."nextAttemptAt", d."eventSequence"
          LIMIT ${limit}::int
          FOR UPDATE OF d SKIP LOCKED
        ), leased AS (
          UPDATE "WebhookDelivery" d
          SET "leasedUntil" = now() + ${this.leaseMs}::int * interval '1 millisecond', "updatedAt" = now()
          FROM due WHERE d."storeId" = ${storeId}::uuid AND d."id" = due."id"
          RETURNING d.*
        )
        SELECT l."id", l."webhookId", l."topic", l."eventSequence", l."aggregateType", l."aggregateId",
          l."occurredAt", l."attemptsCount", l."retryingSince", l."requestBody",
          w."url", w."query", w."appId", w."createdBySellerId", w."secret", w."previousSecret", w."previousSecretExpiresAt"
        FROM leased l JOIN "Webhook" w ON w."storeId" = l."storeId" AND w."storeId" = ${storeId}::uuid AND w."id" = l."webhookId"
        ORDER BY l."eventSequence"`,
    );
  }

  /** One attempt: the payload (resolved once), the address check, the POST, and its record. */
  private async attempt(storeId: string, delivery: ClaimedDelivery): Promise<void> {
    const { settings } = this.options;
    const attemptedAt = new Date();
    let outcome: PostOutcome;
    let body = delivery.requestBody;
    try {
      body ??= await this.payloadWithin(storeId, delivery);
      const target = readTarget(delivery.url, settings);
      const [address] = await checkedAddresses(target, settings, this.resolver);
      if (!address) throw new TargetNotAllowedError(`The host ${target.host} does not resolve.`);
      // The delivery's global id, as Webhook.deliveries shows it: the same on every attempt.
      const messageId = toGlobalId('WebhookDelivery', delivery.id);
      const headers = signedHeaders(messageId, body, signingSecrets(delivery, attemptedAt), attemptedAt);
      outcome = await postTo(target, address, headers, body, settings.timeoutMs);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcome = { kind: 'failed', error: message, durationMs: Date.now() - attemptedAt.getTime() };
    }
    await this.record(storeId, delivery, attemptedAt, body, outcome);
  }

  private async payloadWithin(storeId: string, delivery: ClaimedDelivery): Promise<string> {
    const timeoutMs = this.payloadTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.options.resolvePayload({
          storeId,
          webhook: {
            id: delivery.webhookId,
            query: delivery.query,
            appId: delivery.appId,
            createdBySellerId: delivery.createdBySellerId,
          },
          delivery,
        }),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(
            () => reject(new Error(`The payload was not resolved within ${timeoutMs} ms.`)),
            timeoutMs,
          );
        }),
      ]);
    } catch (error) {
      throw new Error(`Payload: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  private async record(
    storeId: string,
    delivery: ClaimedDelivery,
    attemptedAt: Date,
    body: string | null,
    outcome: PostOutcome,
  ): Promise<void> {
    const { settings } = this.options;
    const succeeded = outcome.kind === 'answered' && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const attempts = delivery.attemptsCount + 1;
    const nextAt = new Date(Date.now() + retryDelayMs(settings, attempts));
    const isPing = delivery.eventSequence === null;
    const givesUp =
      !succeeded && (isPing || nextAt.getTime() > delivery.retryingSince.getTime() + settings.retryWindowMs);
    const status = succeeded ? 'SUCCEEDED' : givesUp ? 'FAILED' : 'PENDING';
    const reason = givesUp && !isPing ? disabledReason(delivery, attempts, outcome) : null;
    const disabled = await inScope(this.options.prisma, { storeId }, async (tx) => {
      await tx.webhookDeliveryAttempt.create({
        data: {
          storeId,
          deliveryId: delivery.id,
          attemptedAt,
          statusCode: outcome.kind === 'answered' ? outcome.statusCode : null,
          durationMs: outcome.durationMs,
          responseExcerpt: outcome.kind === 'answered' ? outcome.excerpt : null,
          error: outcome.kind === 'failed' ? outcome.error.slice(0, 1_000) : null,
          succeeded,
        },
      });
      await tx.webhookDelivery.update({
        where: { storeId_id: { storeId, id: delivery.id } },
        data: {
          status,
          attemptsCount: attempts,
          requestBody: body,
          leasedUntil: null,
          nextAttemptAt: status === 'PENDING' ? nextAt : null,
        },
      });
      if (!reason) return null;
      const turnedOff = await tx.webhook.updateMany({
        where: { storeId, id: delivery.webhookId, isActive: true },
        data: { isActive: false, disabledReason: reason, disabledAt: new Date() },
      });
      return turnedOff.count > 0 ? reason : null;
    });
    if (disabled) {
      logger.warn({ storeId, webhookId: delivery.webhookId, reason: disabled }, 'webhooks: a webhook was turned off');
      await this.options
        .onDisabled?.(storeId, { id: delivery.webhookId, url: delivery.url }, disabled)
        .catch((error: unknown) => logger.error({ err: error, storeId }, 'webhooks: the owners could not be told'));
    }
  }

  /** The stores with events to write deliveries for; those with deliveries due are sent now. */
  private async lookForWork(): Promise<string[]> {
    const [behind, due] = await Promise.all([
      this.read<{ storeId: string }>(
        Prisma.sql`SELECT "storeId" FROM app_stores_with_webhooks_behind(${STORES_PER_POLL}::int)`,
      ),
      this.read<{ storeId: string }>(
        Prisma.sql`SELECT "storeId" FROM app_stores_with_webhook_deliveries_due(${STORES_PER_POLL}::int)`,
      ),
    ]);
    for (const { storeId } of due) this.dueStores.add(storeId);
    this.scheduleSend();
    return behind.map(({ storeId }) => storeId);
  }

  /** Deletes deliveries and attempts older than the retention, in slices. */
  async prune(): Promise<number> {
    const seconds = Math.round(this.options.settings.retentionMs / 1_000);
    let deleted = 0;
    try {
      for (;;) {
        const [row] = await this.read<{ deleted: number }>(
          Prisma.sql`SELECT app_webhook_deliveries_prune(${seconds}::int * interval '1 second', 1000) AS "deleted"`,
        );
        deleted += row?.deleted ?? 0;
        if ((row?.deleted ?? 0) < 1_000 || this.stopped) return deleted;
      }
    } catch (error) {
      logger.error({ err: error }, 'webhooks: pruning old deliveries failed');
      return deleted;
    }
  }
}

function disabledReason(delivery: ClaimedDelivery, attempts: number, outcome: PostOutcome): string {
  const last = outcome.kind === 'answered' ? `HTTP ${outcome.statusCode}` : outcome.error;
  return `Delivery ${delivery.id} failed ${attempts} times over the retry window (last: ${last}); turned off.`.slice(
    0,
    500,
  );
}
