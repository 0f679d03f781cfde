-- New-product mail to a store's followers: when a product was first published, whether a follower
-- wants the mail, and how far the writer of these mails has read each store's outbox.
ALTER TABLE "Product" ADD COLUMN "publishedAt" TIMESTAMPTZ(3);
ALTER TABLE "StoreFollow" ADD COLUMN "notifyNewProducts" BOOLEAN NOT NULL DEFAULT true;

-- Products that are or were for sale count as published already (their first activation is not
-- recorded; creation is the closest date), so activating one again announces nothing.
UPDATE "Product" SET "publishedAt" = "createdAt" WHERE "status" IN ('ACTIVE', 'ARCHIVED');

-- CreateTable
CREATE TABLE "FollowerMailCursor" (
    "storeId" UUID NOT NULL,
    "lastSequence" BIGINT NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FollowerMailCursor_pkey" PRIMARY KEY ("storeId")
);

-- AddForeignKey
ALTER TABLE "FollowerMailCursor" ADD CONSTRAINT "FollowerMailCursor_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- Everything below is what schema.prisma cannot express (see the init migration).

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "FollowerMailCursor" TO commerce_app;

-- Tenant isolation, as on every store table (see the init migration).
ALTER TABLE "FollowerMailCursor" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "FollowerMailCursor" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "FollowerMailCursor" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

-- Existing stores start at their last event: the events before this change announce no product
-- as published. A store created later has no cursor and starts at its first event.
INSERT INTO "FollowerMailCursor" ("storeId", "lastSequence")
SELECT c."storeId", c."lastEventSequence" FROM "StoreCounter" c;

-- The stores whose outbox has events after their follower-mail cursor, for the writer's poll:
-- the one cross-store look it makes (the app role sees one store per transaction). PL/pgSQL, like
-- the platform's other cross-store functions, so that Citus runs it on the coordinator.
CREATE FUNCTION app_stores_with_follower_mail_behind(max_stores integer)
RETURNS TABLE ("storeId" uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT c."storeId"
    FROM "StoreCounter" c
    LEFT JOIN "FollowerMailCursor" f ON f."storeId" = c."storeId"
    WHERE c."lastEventSequence" > coalesce(f."lastSequence", 0)
    LIMIT greatest(max_stores, 0);
END
$$;

REVOKE ALL ON FUNCTION app_stores_with_follower_mail_behind(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_stores_with_follower_mail_behind(integer) TO commerce_app;
