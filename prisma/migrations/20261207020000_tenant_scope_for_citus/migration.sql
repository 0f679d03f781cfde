-- What the tenant scope, the policies and the platform functions need to work the same on Citus
-- as on one PostgreSQL (README, "Past one database: Citus"; each point was tried on a Citus 13.2
-- cluster). On plain PostgreSQL nothing here changes what anyone can see or do.

-- ─────────────────────────── the tenant scope reaches the data nodes ───────────────────────────
-- Row-level security on a distributed table is evaluated on the node that holds the shard, so
-- app.store_id must be set there too. Citus forwards `SET LOCAL` statements to the nodes of the
-- transaction when citus.propagate_set_commands is 'local', and never forwards a set_config()
-- call: under set_config the app role saw no rows of a distributed table, and its writes to a
-- reference table reached the coordinator's copy only. SET takes no bind parameters, hence a
-- function that quotes them. The first set_config is transaction-local too, and on plain
-- PostgreSQL only records a placeholder setting nobody reads.
CREATE FUNCTION app_set_scope(store_id text, seller_id text)
RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    PERFORM set_config('citus.propagate_set_commands', 'local', true);
    EXECUTE format('SET LOCAL app.store_id = %L', coalesce(store_id, ''));
    EXECUTE format('SET LOCAL app.seller_id = %L', coalesce(seller_id, ''));
END
$$;

REVOKE ALL ON FUNCTION app_set_scope(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_set_scope(text, text) TO commerce_app;

-- ─────────────────────────── policies without subqueries ───────────────────────────
-- Citus refuses a policy with a subquery on any table it manages. Store's staff may still read
-- their stores: the membership check moves into a function, which reads "StaffMember" as the
-- caller, through that table's own policies, exactly as the subquery did. The cheap comparison
-- first spares storefront requests (no seller in scope) the call.
CREATE FUNCTION app_seller_staffs_store(store_id uuid)
RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
AS $$
BEGIN
    RETURN EXISTS (
        SELECT 1 FROM "StaffMember" m
        WHERE m."storeId" = store_id
          AND m."sellerId" = NULLIF(current_setting('app.seller_id', true), '')::uuid
    );
END
$$;

REVOKE ALL ON FUNCTION app_seller_staffs_store(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_seller_staffs_store(uuid) TO commerce_app;

DROP POLICY seller_membership ON "Store";
CREATE POLICY seller_membership ON "Store" FOR SELECT
    USING (NULLIF(current_setting('app.seller_id', true), '') IS NOT NULL AND app_seller_staffs_store("id"));

-- ─────────────────────────── platform functions in PL/pgSQL ───────────────────────────
-- Citus plans the queries of a LANGUAGE sql function that uses its parameters only when they read
-- one shard or one reference table ("could not create distributed plan … use of parameters in
-- SQL functions"); PL/pgSQL hands it each query with the values bound. Same bodies, same results.
CREATE OR REPLACE FUNCTION app_accept_staff_invitations(seller_id uuid)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    accepted integer;
BEGIN
    UPDATE "StaffMember" m
    SET "sellerId" = s."id", "updatedAt" = CURRENT_TIMESTAMP
    FROM "Seller" s
    WHERE s."id" = app_accept_staff_invitations.seller_id
      AND m."sellerId" IS NULL
      AND m."email" = s."email"
      AND NOT EXISTS (
          SELECT 1 FROM "StaffMember" o
          WHERE o."storeId" = m."storeId" AND o."sellerId" = s."id"
      );
    GET DIAGNOSTICS accepted = ROW_COUNT;
    RETURN accepted;
END
$$;

CREATE OR REPLACE FUNCTION app_stores_with_expired_carts(max_stores integer)
RETURNS TABLE ("storeId" uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT DISTINCT c."storeId"
    FROM "Cart" c
    WHERE c."expiresAt" <= CURRENT_TIMESTAMP AND (c."customerId" IS NULL OR c."status" = 'ACTIVE')
    LIMIT greatest(max_stores, 0);
END
$$;

-- ─────────────────────────── keys never change ───────────────────────────
-- Citus refuses ON UPDATE CASCADE (and SET NULL / SET DEFAULT) on a foreign key that includes the
-- distribution column, and every foreign key here does (Prisma's default action). No key is ever
-- updated, so NO ACTION loses nothing; schema.prisma says `onUpdate: NoAction` on each relation.
DO $$
DECLARE
    fk record;
BEGIN
    FOR fk IN
        SELECT c.conname, c.conrelid::regclass AS tbl, pg_get_constraintdef(c.oid) AS def
        FROM pg_constraint c
        WHERE c.contype = 'f' AND c.confupdtype <> 'a' AND c.connamespace = 'public'::regnamespace
        ORDER BY c.conrelid::regclass::text, c.conname
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.tbl, fk.conname);
        EXECUTE format(
            'ALTER TABLE %s ADD CONSTRAINT %I %s',
            fk.tbl, fk.conname, regexp_replace(fk.def, ' ON UPDATE (CASCADE|SET NULL|SET DEFAULT|RESTRICT)', '')
        );
    END LOOP;
END
$$;
