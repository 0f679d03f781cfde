-- Distributes the schema over a Citus cluster, sharded by store ("storeId").
--
-- WHEN: once, when the database outgrows one server. Run it on the Citus coordinator after
-- the migrations have run there (`pnpm db:migrate` with DATABASE_URL pointing at the
-- coordinator) and after the workers have joined (`SELECT citus_add_node('worker-1', 5432);`
-- for each). Migrations that come later run on the coordinator as before; Citus applies their
-- DDL to the shards.
--
-- HOW: as a superuser (the role that ran the migrations and owns the tables), in the
-- application's database:
--
--     psql "postgres://postgres@coordinator:5432/commerce" -v ON_ERROR_STOP=1 -f prisma/distribute.sql
--
-- It runs as one transaction: if anything fails, every table stays as it was, and you can fix
-- the cause and run it again.
--
-- WHAT IT NEEDS:
-- * Citus, in a release built for the cluster's PostgreSQL major version (this file was run on
--   Citus 13.2.2, the newest release for PostgreSQL 15), with `CREATE EXTENSION citus` run in
--   this database on the coordinator and on every worker before the workers are added. The
--   README ("What Citus supports") lists what the schema relies on and why.
-- * A schema that passes packages/database/test/distribution-contract.test.ts. Citus refuses to
--   distribute a table that breaks that contract: primary keys and unique constraints must lead
--   with "storeId"; foreign keys must stay on one node and must not cascade updates to
--   "storeId"; tables must have no triggers and no policies with subqueries.
--
-- WHICH TABLES GO WHERE, AND WHY
-- * Reference tables: every node keeps a full copy. These are the platform's accounts and the
--   store directory: "Seller", "SellerRefreshToken", "SellerLogInThrottle", "Store",
--   "StoreDomain" and "StaffMember". A request reads them to find its tenant (by id, slug or
--   hostname) before it knows which node holds that store. A seller's requests read them across
--   stores ("which stores do I work for"). They are small and rarely written, and a copy on
--   every node means any node can join them with a store's rows without a network hop.
-- * Distributed tables: every other table, sharded by "storeId". That is a store's settings,
--   catalog, inventory, customers, carts, orders, events and mail. They are all colocated with
--   "StoreCounter", so every row of one store sits in one shard group on one node. A store's
--   joins, foreign keys and transactions then never leave that node.
-- * "_prisma_migrations" is the migration runner's bookkeeping (packages/database/src/migrate.ts).
--   It stays a local table on the coordinator, where migrations run.
--
-- SETTINGS
-- * citus.shard_count: the number of shards of every distributed table. It is fixed when the
--   tables are distributed: changing it later means rewriting every table with
--   alter_distributed_table(). Shards are what the rebalancer moves between workers, so the
--   count also caps how many workers the stores can spread over. Citus advises 32 to 128 for
--   multi-tenant applications: 32 (its default) below about 100 GB, and 64 or 128 for larger
--   deployments. Change the number below before you run this file.
-- * citus.shard_replication_factor 1: foreign keys between distributed tables require a single
--   copy of each shard. High availability comes from replicating each node, not from extra
--   copies of shards.
-- * citus.multi_shard_modify_mode 'sequential': every distributed table has a foreign key to the
--   reference table "Store". Citus must create such tables over one connection per node, and in
--   a transaction it must do so from the first statement on.
--
-- ORDER: reference tables first, then "StoreCounter" (the anchor of the colocation group), then
-- every other table, each after the tables its foreign keys reference. The contract test checks
-- this order and that every table of the schema appears here exactly once.
--
-- Rows already in the tables are copied to the shards as each table is distributed. The
-- coordinator keeps its local copy, hidden, until truncate_local_data_after_distributing_table()
-- removes it; the last statement does that.

BEGIN;

SET LOCAL citus.shard_count TO 32;
SET LOCAL citus.shard_replication_factor TO 1;
SET LOCAL citus.multi_shard_modify_mode TO 'sequential';

-- The foreign keys step aside while the tables are distributed, and come back after. Making
-- "Store" a reference table would otherwise turn every local table that references it, directly
-- or not, into a Citus local table, and such a table can then neither reference a distributed
-- table nor be referenced by one ("foreign keys from reference tables and local tables to
-- distributed tables are not supported"): the first child distributed after its parent fails.
-- Each key is re-created exactly as it was, and checked again, at the end.
CREATE TEMPORARY TABLE distribute_foreign_keys ON COMMIT DROP AS
    SELECT c.conrelid::regclass::text AS "table", c.conname AS "name", pg_get_constraintdef(c.oid) AS "definition"
    FROM pg_constraint c
    WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace;

DO $$
DECLARE
    fk record;
BEGIN
    FOR fk IN SELECT * FROM distribute_foreign_keys LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk."table", fk."name");
    END LOOP;
END
$$;

-- Reference tables: the platform's accounts and the store directory.
SELECT create_reference_table('"Seller"');
SELECT create_reference_table('"SellerRefreshToken"');
SELECT create_reference_table('"SellerLogInThrottle"');
SELECT create_reference_table('"Store"');
SELECT create_reference_table('"StoreDomain"');
SELECT create_reference_table('"StaffMember"');

-- The anchor of the colocation group: one row per store.
SELECT create_distributed_table('"StoreCounter"', 'storeId');

-- A store's settings.
SELECT create_distributed_table('"ShippingZone"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"ShippingRate"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"TaxRate"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"StoreCurrency"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"App"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"Webhook"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"WebhookDelivery"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"WebhookDeliveryAttempt"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"WebhookCursor"', 'storeId', colocate_with => '"StoreCounter"');

-- Catalog and inventory.
SELECT create_distributed_table('"Product"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"ProductOption"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"ProductVariant"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"ProductVariantPrice"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"ProductImage"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"Category"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"ProductCategory"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"InventoryLocation"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"InventoryLevel"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"StockMovement"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"ProductReview"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"ProductReviewVote"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"ProductQuestion"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"ProductAnswer"', 'storeId', colocate_with => '"StoreCounter"');

-- Customers.
SELECT create_distributed_table('"Customer"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"CustomerAddress"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"CustomerToken"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"CustomerRefreshToken"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"CustomerLogInThrottle"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"Wishlist"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"WishlistItem"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"StoreFollow"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"StoreFollowerCount"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"FollowerMailCursor"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"LoyaltyProgram"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"LoyaltyBalance"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"LoyaltyTransaction"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"Translation"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"StoreTranslation"', 'storeId', colocate_with => '"StoreCounter"');

-- Carts, discounts and orders.
SELECT create_distributed_table('"Cart"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"CartLine"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"DiscountCode"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"DiscountCodeUsage"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"Order"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"OrderLine"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"OrderEvent"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"Payment"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"PaymentTransaction"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"Fulfillment"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"FulfillmentLine"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"Return"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"ReturnLine"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"DraftOrder"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"Refund"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"RefundLine"', 'storeId', colocate_with => '"StoreCounter"');

-- Custom fields: definitions and every owner's values.
SELECT create_distributed_table('"MetafieldDefinition"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"Metafield"', 'storeId', colocate_with => '"StoreCounter"');

-- Analytics' read models.
SELECT create_distributed_table('"CustomerOrderStats"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"AnalyticsCursor"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"AnalyticsDailySales"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"AnalyticsProductDaily"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"AnalyticsProductMonthly"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"AnalyticsBuyer"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"AnalyticsBuyerDaily"', 'storeId', colocate_with => '"StoreCounter"');

-- The event and mail outboxes.
SELECT create_distributed_table('"OutboxEvent"', 'storeId', colocate_with => '"StoreCounter"');
SELECT create_distributed_table('"MailMessage"', 'storeId', colocate_with => '"StoreCounter"');

-- The foreign keys again, now between reference tables and colocated distributed tables, which
-- is what Citus supports; each is checked against the rows as it is added.
DO $$
DECLARE
    fk record;
BEGIN
    FOR fk IN SELECT * FROM distribute_foreign_keys ORDER BY "table", "name" LOOP
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk."table", fk."name", fk."definition");
    END LOOP;
END
$$;

-- The rows are on the nodes now: drop the coordinator's hidden local copies. This is a local
-- TRUNCATE that cascades only through the local copies of the referencing tables.
SELECT truncate_local_data_after_distributing_table(logicalrelid) FROM pg_dist_partition;

COMMIT;
