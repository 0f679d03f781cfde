-- The cart sweeper (subgraphs/order/src/services/cart-sweeper.ts) cleans up the expired carts of
-- every store, while the app role it logs in as sees one store's rows at a time. This function is
-- all the cross-store access it gets: which stores have carts to clean up; the cleanup itself
-- runs in each store's tenant transaction. Like the event relay's functions it runs as its owner,
-- the role that ran this migration (a superuser or BYPASSRLS); only the app role may call it.

-- The carts a sweep looks for: expired and not cleaned up yet (anonymous ones are deleted,
-- customers' ones leave the index as they are marked EXPIRED).
CREATE INDEX "Cart_sweep_expiresAt_idx" ON "Cart"("expiresAt") WHERE "customerId" IS NULL OR "status" = 'ACTIVE';

-- Stores with expired carts to clean up, at most max_stores of them.
CREATE FUNCTION app_stores_with_expired_carts(max_stores integer)
RETURNS TABLE ("storeId" uuid)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT DISTINCT c."storeId"
    FROM "Cart" c
    WHERE c."expiresAt" <= CURRENT_TIMESTAMP AND (c."customerId" IS NULL OR c."status" = 'ACTIVE')
    LIMIT greatest(max_stores, 0)
$$;

REVOKE ALL ON FUNCTION app_stores_with_expired_carts(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_stores_with_expired_carts(integer) TO commerce_app;
