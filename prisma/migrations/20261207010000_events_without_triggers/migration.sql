-- The event relay does not rely on anything crossing nodes. Sharded by store (Citus), ids come
-- from each node's own sequence and say nothing about the order of events across nodes, and a
-- NOTIFY raised on a data node (by a trigger on the outbox) never reaches a listener on the
-- coordinator. So the relay polls the outbox by each store's sequence, which is the truth, and is
-- woken early by the application after a commit that wrote events (in its own process, or by
-- pg_notify sent after the commit from another process).

-- The relay's wake-up (20261121000000_init).
DROP TRIGGER "OutboxEvent_notify" ON "OutboxEvent";
DROP FUNCTION app_notify_outbox_event();

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
CREATE FUNCTION app_outbox_mark_published(store_ids uuid[], ids bigint[])
RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    WITH marked AS (
        UPDATE "OutboxEvent" o
        SET "publishedAt" = now()
        FROM unnest(store_ids, ids) AS m("storeId", "id")
        WHERE o."storeId" = m."storeId" AND o."id" = m."id" AND o."publishedAt" IS NULL
        RETURNING 1
    )
    SELECT count(*)::integer FROM marked
$$;

-- Deletes at most max_rows events published longer ago than retention, oldest first; returns
-- how many. Unpublished events are never deleted. A store's events are published in sequence
-- order, so what remains of a store is always an unbroken run up to its latest event, which is
-- what replaying by sequence relies on.
CREATE FUNCTION app_outbox_prune(retention interval, max_rows integer)
RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    WITH expired AS (
        SELECT o."storeId", o."id"
        FROM "OutboxEvent" o
        WHERE o."publishedAt" < now() - retention
        ORDER BY o."publishedAt", o."id"
        LIMIT greatest(max_rows, 0)
    ), deleted AS (
        DELETE FROM "OutboxEvent" o
        USING expired e
        WHERE o."storeId" = e."storeId" AND o."id" = e."id"
        RETURNING 1
    )
    SELECT count(*)::integer FROM deleted
$$;

REVOKE ALL ON FUNCTION app_outbox_unpublished(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_outbox_oldest_unpublished() FROM PUBLIC;
REVOKE ALL ON FUNCTION app_outbox_mark_published(uuid[], bigint[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_outbox_prune(interval, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_outbox_unpublished(integer) TO commerce_app;
GRANT EXECUTE ON FUNCTION app_outbox_oldest_unpublished() TO commerce_app;
GRANT EXECUTE ON FUNCTION app_outbox_mark_published(uuid[], bigint[]) TO commerce_app;
GRANT EXECUTE ON FUNCTION app_outbox_prune(interval, integer) TO commerce_app;
