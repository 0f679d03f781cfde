-- Nothing the application relies on happens in a trigger or travels by NOTIFY from inside the
-- database. Sharded by store (Citus), triggers on distributed tables are off by default and a
-- NOTIFY raised on a data node never reaches a listener on the coordinator, so:
--
-- - the storefront cache of the gateways hears of changes from the outbox (product.*, category.*,
--   location.*, store.updated and inventory.updated events, written by the services in the
--   transaction of the change), not from triggers on the catalog, stock and store tables;
-- - the event relay is woken by the application after a commit that wrote events (in its own
--   process, or by pg_notify sent after the commit from another process), and polls the outbox
--   by each store's sequence in any case: the outbox is the truth, a wake-up only saves waiting;
-- - a product's search document is a generated column of its own row, and its variants' SKUs are
--   kept by the catalog service in the transaction that changes the variants.

-- The storefront notifications (20261121140000_storefront_change_notify).
DROP TRIGGER "Store_storefront_changed" ON "Store";
DROP TRIGGER "Product_storefront_changed" ON "Product";
DROP TRIGGER "ProductOption_storefront_changed" ON "ProductOption";
DROP TRIGGER "ProductVariant_storefront_changed" ON "ProductVariant";
DROP TRIGGER "ProductImage_storefront_changed" ON "ProductImage";
DROP TRIGGER "Category_storefront_changed" ON "Category";
DROP TRIGGER "ProductCategory_storefront_changed" ON "ProductCategory";
DROP TRIGGER "InventoryLocation_storefront_changed" ON "InventoryLocation";
DROP TRIGGER "InventoryLevel_storefront_changed" ON "InventoryLevel";
DROP FUNCTION app_notify_storefront_changed();

-- The relay's wake-up (20261121000000_init).
DROP TRIGGER "OutboxEvent_notify" ON "OutboxEvent";
DROP FUNCTION app_notify_outbox_event();

-- Search (20261121110000_catalog_search_inventory): the SKUs now come from the catalog service.
DROP TRIGGER "ProductVariant_skus_insert" ON "ProductVariant";
DROP TRIGGER "ProductVariant_skus_update" ON "ProductVariant";
DROP TRIGGER "ProductVariant_skus_delete" ON "ProductVariant";
DROP FUNCTION app_product_variant_skus();
DROP TRIGGER "Product_searchVector" ON "Product";
DROP FUNCTION app_product_search_vector();

-- A search document's tags as words: array_to_string is only STABLE because it prints elements of
-- any type through their output functions, which may read settings; text prints as itself, so
-- for text[] the result depends on nothing but the array, and a generated column may use it.
CREATE FUNCTION app_search_words(words text[])
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = public, pg_temp
AS $$
    SELECT array_to_string(words, ' ')
$$;

REVOKE ALL ON FUNCTION app_search_words(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_search_words(text[]) TO commerce_app;

-- The search document of a product, as the trigger made it: its title weighs most (A), then its
-- tags and its variants' SKUs (B), then its description (C), in the 'simple' configuration (words
-- lower-cased, not stemmed, so prefixes typed into a search box match words as written, SKUs
-- included, in any language). The configuration is given as a regconfig constant: the one-argument
-- to_tsvector reads default_text_search_config and is not immutable. PostgreSQL 15 cannot turn a
-- column into a generated one, so the column is made again (with its index); adding it computes
-- it for every product.
ALTER TABLE "Product" DROP COLUMN "searchVector";
ALTER TABLE "Product" ADD COLUMN "searchVector" tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, "title"), 'A')
    || setweight(to_tsvector('simple'::regconfig, app_search_words("tags") || ' ' || "variantSkus"), 'B')
    || setweight(to_tsvector('simple'::regconfig, "description"), 'C')
) STORED;

-- CreateIndex
CREATE INDEX "Product_searchVector_idx" ON "Product" USING GIN ("searchVector");

-- The relay reads by each store's sequence: ids are handed out by a sequence of one node and say
-- nothing about the order of events across nodes. These two indexes hold only unpublished events:
-- the oldest ones, to pick the stores to publish first, and each store's in sequence order.
DROP INDEX "OutboxEvent_unpublished_id_idx";

-- CreateIndex
CREATE INDEX "OutboxEvent_unpublished_createdAt_idx" ON "OutboxEvent"("createdAt") WHERE "publishedAt" IS NULL;

-- CreateIndex
CREATE INDEX "OutboxEvent_unpublished_storeId_sequence_idx" ON "OutboxEvent"("storeId", "sequence") WHERE "publishedAt" IS NULL;

DROP FUNCTION app_outbox_unpublished(integer);
DROP FUNCTION app_outbox_mark_published(bigint[]);
DROP FUNCTION app_outbox_prune(interval, integer);

-- At most max_rows unpublished events: the stores whose oldest unpublished events are the oldest
-- come first, and of each store an unbroken run of its unpublished events from the lowest
-- sequence up. A store's sequence numbers are handed out under its "StoreCounter" row lock, so
-- they commit in order and a snapshot that sees one sees all before it: a batch is always a prefix
-- of what each store has left to publish. Each store's rows are read by a query of that store alone.
CREATE FUNCTION app_outbox_unpublished(max_rows integer)
RETURNS TABLE (
    id bigint,
    "storeId" uuid,
    sequence bigint,
    type text,
    "aggregateType" text,
    "aggregateId" text,
    payload jsonb,
    "createdAt" timestamptz
)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    remaining integer := greatest(max_rows, 0);
    store uuid;
    taken integer;
BEGIN
    IF remaining = 0 THEN
        RETURN;
    END IF;
    -- The stores of the oldest unpublished events (at most max_rows of them to look at), oldest first.
    FOR store IN
        SELECT oldest."storeId"
        FROM (
            SELECT o."storeId", o."createdAt"
            FROM "OutboxEvent" o
            WHERE o."publishedAt" IS NULL
            ORDER BY o."createdAt"
            LIMIT remaining
        ) oldest
        GROUP BY oldest."storeId"
        ORDER BY min(oldest."createdAt"), oldest."storeId"
    LOOP
        RETURN QUERY
            SELECT o."id", o."storeId", o."sequence", o."type", o."aggregateType", o."aggregateId", o."payload", o."createdAt"
            FROM "OutboxEvent" o
            WHERE o."storeId" = store AND o."publishedAt" IS NULL
            ORDER BY o."sequence"
            LIMIT remaining;
        GET DIAGNOSTICS taken = ROW_COUNT;
        remaining := remaining - taken;
        EXIT WHEN remaining <= 0;
    END LOOP;
END
$$;

-- When the oldest unpublished event was written (null when none waits): the relay's lag.
CREATE FUNCTION app_outbox_oldest_unpublished()
RETURNS timestamptz
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT min(o."createdAt") FROM "OutboxEvent" o WHERE o."publishedAt" IS NULL
$$;

-- Marks events published, each named by its store and id; returns how many were not marked already.
-- One statement per store, each naming its store, so that on Citus each goes to one shard.
CREATE FUNCTION app_outbox_mark_published(store_ids uuid[], ids bigint[])
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    batch record;
    marked integer := 0;
    taken integer;
BEGIN
    FOR batch IN
        SELECT m."storeId", array_agg(m."id") AS ids
        FROM unnest(store_ids, ids) AS m("storeId", "id")
        GROUP BY m."storeId"
    LOOP
        UPDATE "OutboxEvent" o
        SET "publishedAt" = now()
        WHERE o."storeId" = batch."storeId" AND o."id" = ANY(batch.ids) AND o."publishedAt" IS NULL;
        GET DIAGNOSTICS taken = ROW_COUNT;
        marked := marked + taken;
    END LOOP;
    RETURN marked;
END
$$;

-- Deletes at most max_rows events published longer ago than retention, oldest first; returns
-- how many. Unpublished events are never deleted. A store's events are published in sequence
-- order, so what remains of a store is always an unbroken run up to its latest event, which is
-- what replaying by sequence relies on. The deletes go store by store, like the marking above.
CREATE FUNCTION app_outbox_prune(retention interval, max_rows integer)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    batch record;
    deleted integer := 0;
    taken integer;
BEGIN
    FOR batch IN
        SELECT expired."storeId", array_agg(expired."id") AS ids
        FROM (
            SELECT o."storeId", o."id"
            FROM "OutboxEvent" o
            WHERE o."publishedAt" < now() - retention
            ORDER BY o."publishedAt", o."id"
            LIMIT greatest(max_rows, 0)
        ) expired
        GROUP BY expired."storeId"
    LOOP
        DELETE FROM "OutboxEvent" o WHERE o."storeId" = batch."storeId" AND o."id" = ANY(batch.ids);
        GET DIAGNOSTICS taken = ROW_COUNT;
        deleted := deleted + taken;
    END LOOP;
    RETURN deleted;
END
$$;

REVOKE ALL ON FUNCTION app_outbox_unpublished(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_outbox_oldest_unpublished() FROM PUBLIC;
REVOKE ALL ON FUNCTION app_outbox_mark_published(uuid[], bigint[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_outbox_prune(interval, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_outbox_unpublished(integer) TO commerce_app;
GRANT EXECUTE ON FUNCTION app_outbox_oldest_unpublished() TO commerce_app;
GRANT EXECUTE ON FUNCTION app_outbox_mark_published(uuid[], bigint[]) TO commerce_app;
GRANT EXECUTE ON FUNCTION app_outbox_prune(interval, integer) TO commerce_app;
