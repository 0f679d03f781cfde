-- The event relay (packages/events/src/relay.ts) publishes the outbox of every store, while the
-- app role it logs in as sees one store's rows at a time (row-level security is forced on
-- "OutboxEvent"). These three functions are all the cross-store access it gets: read what is not
-- published yet, mark rows published, and delete published rows past their retention. Like
-- app_resolve_store they run as their owner, the role that ran this migration, which must be a
-- superuser or have BYPASSRLS; only the app role may call them.
--
-- Several relays may run at once (one per gateway process). They take turns through a
-- transaction-level advisory lock held from reading to marking, so a row is published by one
-- relay at a time, and a store's rows go out in sequence order: a store's sequence numbers are
-- handed out under its "StoreCounter" row lock, so they commit in order, and a reader that sees
-- one sees all before it.

-- The oldest unpublished events, at most max_rows, in commit order within each store.
-- Served by the index on ("publishedAt", "id").
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
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT o."id", o."storeId", o."sequence", o."type", o."aggregateType", o."aggregateId", o."payload", o."createdAt"
    FROM "OutboxEvent" o
    WHERE o."publishedAt" IS NULL
    ORDER BY o."id"
    LIMIT greatest(max_rows, 0)
$$;

-- Marks events published; returns how many were not marked already.
CREATE FUNCTION app_outbox_mark_published(ids bigint[])
RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    WITH marked AS (
        UPDATE "OutboxEvent"
        SET "publishedAt" = now()
        WHERE "id" = ANY(ids) AND "publishedAt" IS NULL
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
        SELECT o."id"
        FROM "OutboxEvent" o
        WHERE o."publishedAt" < now() - retention
        ORDER BY o."publishedAt", o."id"
        LIMIT greatest(max_rows, 0)
    ), deleted AS (
        DELETE FROM "OutboxEvent" o
        USING expired e
        WHERE o."id" = e."id"
        RETURNING 1
    )
    SELECT count(*)::integer FROM deleted
$$;

REVOKE ALL ON FUNCTION app_outbox_unpublished(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_outbox_mark_published(bigint[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_outbox_prune(interval, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_outbox_unpublished(integer) TO commerce_app;
GRANT EXECUTE ON FUNCTION app_outbox_mark_published(bigint[]) TO commerce_app;
GRANT EXECUTE ON FUNCTION app_outbox_prune(interval, integer) TO commerce_app;
