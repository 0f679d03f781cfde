-- Draft orders: staff build an order for a customer who phones in (variant lines, with an optional
-- price override, and custom lines), see it priced as checkout prices a cart, and complete it into
-- an Order. The order subgraph owns the table; like every store table it is keyed by "storeId"
-- first and colocated with "StoreCounter" on Citus (prisma/distribute.sql). The lines are a jsonb
-- array: a draft is read and written whole, and its lines become order lines only on completion.

-- CreateTable
CREATE TABLE "DraftOrder" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "customerId" UUID,
    "email" TEXT NOT NULL,
    "lines" JSONB NOT NULL DEFAULT '[]',
    "shippingAddress" JSONB,
    "shippingRateId" UUID,
    "discountCodes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "note" TEXT NOT NULL DEFAULT '',
    "orderId" UUID,
    "createdById" TEXT,
    "completedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DraftOrder_pkey" PRIMARY KEY ("storeId","id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DraftOrder_storeId_orderId_key" ON "DraftOrder"("storeId", "orderId");

-- CreateIndex
CREATE INDEX "DraftOrder_storeId_createdAt_id_idx" ON "DraftOrder"("storeId", "createdAt", "id");

-- AddForeignKey
ALTER TABLE "DraftOrder" ADD CONSTRAINT "DraftOrder_storeId_orderId_fkey" FOREIGN KEY ("storeId", "orderId") REFERENCES "Order"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "DraftOrder" ADD CONSTRAINT "DraftOrder_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- Everything below is what schema.prisma cannot express (see the init migration).

-- A completed draft names its order; an open one none.
ALTER TABLE "DraftOrder"
    ADD CONSTRAINT "DraftOrder_status_check" CHECK ("status" IN ('OPEN', 'COMPLETED')),
    ADD CONSTRAINT "DraftOrder_lines_check" CHECK (jsonb_typeof("lines") = 'array');

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "DraftOrder" TO commerce_app;

-- Tenant isolation, as on every store table (see the init migration).
DO $$
DECLARE
    table_name text;
BEGIN
    FOREACH table_name IN ARRAY ARRAY['DraftOrder'] LOOP
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
