-- The durable mail outbox (DESIGN §14): every mail a store sends is a "MailMessage" row written in
-- the transaction of the change that causes it (an account created, an order placed or shipped),
-- and a sender delivers the rows over SMTP afterwards, retrying with backoff. Account mails are
-- stored rendered (their links carry tokens kept only hashed elsewhere); buyer notifications store
-- their kind and the ids they are about ("data") and are rendered when sent. Without an SMTP
-- server the rows stay readable locally (status LOCAL), as the table was used before.

-- CreateEnum
CREATE TYPE "MailStatus" AS ENUM ('PENDING', 'SENT', 'FAILED', 'LOCAL');

-- AlterTable
ALTER TABLE "MailMessage"
    ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'ACCOUNT',
    ADD COLUMN "fromName" TEXT NOT NULL DEFAULT '',
    ADD COLUMN "data" JSONB NOT NULL DEFAULT '{}',
    -- Rows written before the outbox were the local copies of development mail: never to be sent.
    ADD COLUMN "status" "MailStatus" NOT NULL DEFAULT 'LOCAL',
    ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ADD COLUMN "lastError" TEXT,
    ADD COLUMN "sentAt" TIMESTAMPTZ(3),
    ADD COLUMN "idempotencyKey" TEXT,
    ALTER COLUMN "subject" SET DEFAULT '',
    ALTER COLUMN "text" SET DEFAULT '';
ALTER TABLE "MailMessage" ALTER COLUMN "status" SET DEFAULT 'PENDING';

-- AlterTable
ALTER TABLE "Store" ADD COLUMN "disabledBuyerNotifications" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE UNIQUE INDEX "MailMessage_storeId_idempotencyKey_key" ON "MailMessage"("storeId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "MailMessage_status_nextAttemptAt_idx" ON "MailMessage"("status", "nextAttemptAt");

-- Everything below is what schema.prisma cannot express (see the init migration).

-- As every enum (see 20261207030000_enum_text_casts).
CREATE CAST ("MailStatus" AS text) WITH FUNCTION app_enum_text(anyenum) AS ASSIGNMENT;

-- The stores with mail due: the one cross-store read the sender makes (the app role sees one
-- store per transaction), served by the (status, nextAttemptAt) index. PL/pgSQL, like the
-- platform's other cross-store functions, so that Citus runs it on the coordinator.
CREATE FUNCTION app_stores_with_mail_due(max_stores integer)
RETURNS TABLE ("storeId" uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT DISTINCT m."storeId"
    FROM "MailMessage" m
    WHERE m."status" = 'PENDING' AND m."nextAttemptAt" <= CURRENT_TIMESTAMP
    LIMIT greatest(max_stores, 0);
END
$$;

REVOKE ALL ON FUNCTION app_stores_with_mail_due(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_stores_with_mail_due(integer) TO commerce_app;

-- Mails of every store waiting to be sent, for the backlog metric.
CREATE FUNCTION app_mail_outbox_backlog()
RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    RETURN (SELECT count(*) FROM "MailMessage" m WHERE m."status" = 'PENDING');
END
$$;

REVOKE ALL ON FUNCTION app_mail_outbox_backlog() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_mail_outbox_backlog() TO commerce_app;
