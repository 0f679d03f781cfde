-- Webhooks (DESIGN §14): a store's events POSTed to its URLs, each delivery and every attempt kept.
-- Deliveries are written from the outbox by a consumer that keeps a cursor per store (like the
-- analytics consumer), and sent by workers that take them with FOR UPDATE SKIP LOCKED and a lease.
-- Every table is the store's, keyed by "storeId" first, and colocated with "StoreCounter" on
-- Citus (prisma/distribute.sql).

-- CreateTable
CREATE TABLE "Webhook" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "topics" TEXT[],
    "query" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "disabledReason" TEXT,
    "disabledAt" TIMESTAMPTZ(3),
    "appId" UUID,
    "createdBySellerId" UUID,
    "secret" TEXT NOT NULL,
    "secretCreatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "previousSecret" TEXT,
    "previousSecretExpiresAt" TIMESTAMPTZ(3),
    "fromSequence" BIGINT NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Webhook_pkey" PRIMARY KEY ("storeId","id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "webhookId" UUID NOT NULL,
    "topic" TEXT,
    "eventSequence" BIGINT,
    "eventType" TEXT NOT NULL,
    "aggregateType" TEXT NOT NULL,
    "aggregateId" TEXT NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attemptsCount" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) DEFAULT CURRENT_TIMESTAMP,
    "retryingSince" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leasedUntil" TIMESTAMPTZ(3),
    "requestBody" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("storeId","id")
);

-- CreateTable
CREATE TABLE "WebhookDeliveryAttempt" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "deliveryId" UUID NOT NULL,
    "attemptedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "statusCode" INTEGER,
    "durationMs" INTEGER NOT NULL,
    "responseExcerpt" TEXT,
    "error" TEXT,
    "succeeded" BOOLEAN NOT NULL,

    CONSTRAINT "WebhookDeliveryAttempt_pkey" PRIMARY KEY ("storeId","id")
);

-- CreateTable
CREATE TABLE "WebhookCursor" (
    "storeId" UUID NOT NULL,
    "lastSequence" BIGINT NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookCursor_pkey" PRIMARY KEY ("storeId")
);

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_storeId_webhookId_eventSequence_key" ON "WebhookDelivery"("storeId", "webhookId", "eventSequence");

-- CreateIndex
CREATE INDEX "WebhookDelivery_storeId_webhookId_createdAt_idx" ON "WebhookDelivery"("storeId", "webhookId", "createdAt");

-- The deliveries still to send, in the order each webhook and topic sends them: the worker finds
-- the head of each line, and whether a delivery has one before it, here.
CREATE INDEX "WebhookDelivery_pending_idx" ON "WebhookDelivery"("storeId", "webhookId", "topic", "eventSequence") WHERE "status" = 'PENDING';

-- CreateIndex
CREATE INDEX "WebhookDeliveryAttempt_storeId_deliveryId_attemptedAt_idx" ON "WebhookDeliveryAttempt"("storeId", "deliveryId", "attemptedAt");

-- AddForeignKey
ALTER TABLE "Webhook" ADD CONSTRAINT "Webhook_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_storeId_webhookId_fkey" FOREIGN KEY ("storeId", "webhookId") REFERENCES "Webhook"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "WebhookDeliveryAttempt" ADD CONSTRAINT "WebhookDeliveryAttempt_storeId_deliveryId_fkey" FOREIGN KEY ("storeId", "deliveryId") REFERENCES "WebhookDelivery"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "WebhookCursor" ADD CONSTRAINT "WebhookCursor_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- Everything below is what schema.prisma cannot express (see the init migration).

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE
    "Webhook", "WebhookDelivery", "WebhookDeliveryAttempt", "WebhookCursor"
TO commerce_app;

-- Tenant isolation, as on every store table (see the init migration).
DO $$
DECLARE
    table_name text;
BEGIN
    FOREACH table_name IN ARRAY ARRAY['Webhook', 'WebhookDelivery', 'WebhookDeliveryAttempt', 'WebhookCursor'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', table_name);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', table_name);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I FOR ALL '
            'USING ("storeId" = NULLIF(current_setting(''app.store_id'', true), '''')::uuid) '
            'WITH CHECK ("storeId" = NULLIF(current_setting(''app.store_id'', true), '''')::uuid)',
            table_name
        );
    END LOOP;
END
$$;

-- The stores whose webhook deliveries are behind their events: stores with an active webhook
-- whose cursor is behind the store's event counter. The app role sees one store per
-- transaction; PL/pgSQL so that Citus runs it on the coordinator.
CREATE FUNCTION app_stores_with_webhooks_behind(max_stores integer)
RETURNS TABLE ("storeId" uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT w."storeId"
    FROM "WebhookCursor" w
    JOIN "StoreCounter" c ON c."storeId" = w."storeId"
    WHERE c."lastEventSequence" > w."lastSequence"
    LIMIT greatest(max_stores, 0);
END
$$;

-- The stores with a delivery due now (pending, its time come, no lease held), most overdue first.
CREATE FUNCTION app_stores_with_webhook_deliveries_due(max_stores integer)
RETURNS TABLE ("storeId" uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT d."storeId"
    FROM "WebhookDelivery" d
    WHERE d."status" = 'PENDING'
      AND d."nextAttemptAt" <= now()
      AND (d."leasedUntil" IS NULL OR d."leasedUntil" < now())
    GROUP BY d."storeId"
    ORDER BY min(d."nextAttemptAt")
    LIMIT greatest(max_stores, 0);
END
$$;

-- Deletes deliveries (with their attempts) created before the cutoff that are no longer pending,
-- at most max_rows per call; answers how many.
CREATE FUNCTION app_webhook_deliveries_prune(older_than interval, max_rows integer)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    deleted integer;
BEGIN
    WITH old AS (
        SELECT d."storeId", d."id"
        FROM "WebhookDelivery" d
        WHERE d."createdAt" < now() - older_than AND d."status" <> 'PENDING'
        LIMIT greatest(max_rows, 0)
    )
    DELETE FROM "WebhookDelivery" d USING old
    WHERE d."storeId" = old."storeId" AND d."id" = old."id";
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END
$$;

REVOKE ALL ON FUNCTION app_stores_with_webhooks_behind(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_stores_with_webhook_deliveries_due(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_webhook_deliveries_prune(interval, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_stores_with_webhooks_behind(integer) TO commerce_app;
GRANT EXECUTE ON FUNCTION app_stores_with_webhook_deliveries_due(integer) TO commerce_app;
GRANT EXECUTE ON FUNCTION app_webhook_deliveries_prune(interval, integer) TO commerce_app;
