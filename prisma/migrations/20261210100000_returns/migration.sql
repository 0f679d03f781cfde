-- Returns (RMA): a buyer or staff asks to send back delivered units of an order; staff approve or
-- decline, receive the units (back to stock at a location, or written off) and settle the return
-- with a refund. The order subgraph owns both tables; like every store table they are keyed by
-- "storeId" first and colocated with "StoreCounter" on Citus (prisma/distribute.sql).

-- AlterTable: how many days after delivery a customer may still ask for a return (0: only staff).
ALTER TABLE "Store" ADD COLUMN "returnWindowDays" INTEGER NOT NULL DEFAULT 30;

-- CreateTable
CREATE TABLE "Return" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'REQUESTED',
    "note" TEXT NOT NULL DEFAULT '',
    "declineReason" TEXT,
    "requestedByType" TEXT NOT NULL,
    "requestedById" TEXT,
    "approvedAt" TIMESTAMPTZ(3),
    "declinedAt" TIMESTAMPTZ(3),
    "receivedAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Return_pkey" PRIMARY KEY ("storeId","id")
);

-- CreateTable
CREATE TABLE "ReturnLine" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "returnId" UUID NOT NULL,
    "orderLineId" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "receivedQuantity" INTEGER NOT NULL DEFAULT 0,
    "restockedQuantity" INTEGER NOT NULL DEFAULT 0,
    "refundedQuantity" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReturnLine_pkey" PRIMARY KEY ("storeId","id")
);

-- AlterTable: a refund may settle a return, and may give back shipping.
ALTER TABLE "Refund" ADD COLUMN "returnId" UUID,
ADD COLUMN "shippingAmount" DECIMAL(19,4) NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Return_storeId_orderId_idx" ON "Return"("storeId", "orderId");

-- CreateIndex
CREATE INDEX "Return_storeId_createdAt_id_idx" ON "Return"("storeId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Return_storeId_status_createdAt_idx" ON "Return"("storeId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "ReturnLine_storeId_returnId_idx" ON "ReturnLine"("storeId", "returnId");

-- CreateIndex
CREATE INDEX "ReturnLine_storeId_orderLineId_idx" ON "ReturnLine"("storeId", "orderLineId");

-- CreateIndex
CREATE INDEX "Refund_storeId_returnId_idx" ON "Refund"("storeId", "returnId");

-- AddForeignKey
ALTER TABLE "Return" ADD CONSTRAINT "Return_storeId_orderId_fkey" FOREIGN KEY ("storeId", "orderId") REFERENCES "Order"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "Return" ADD CONSTRAINT "Return_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "ReturnLine" ADD CONSTRAINT "ReturnLine_storeId_returnId_fkey" FOREIGN KEY ("storeId", "returnId") REFERENCES "Return"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "ReturnLine" ADD CONSTRAINT "ReturnLine_storeId_orderLineId_fkey" FOREIGN KEY ("storeId", "orderLineId") REFERENCES "OrderLine"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "ReturnLine" ADD CONSTRAINT "ReturnLine_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_storeId_returnId_fkey" FOREIGN KEY ("storeId", "returnId") REFERENCES "Return"("storeId", "id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- Everything below is what schema.prisma cannot express (see the init migration).

ALTER TABLE "Store"
    ADD CONSTRAINT "Store_returnWindowDays_check" CHECK ("returnWindowDays" >= 0 AND "returnWindowDays" <= 365);

ALTER TABLE "Return"
    ADD CONSTRAINT "Return_status_check" CHECK ("status" IN ('REQUESTED', 'APPROVED', 'DECLINED', 'PARTIALLY_RECEIVED', 'RECEIVED', 'REFUNDED', 'CLOSED'));

-- Units received never exceed those asked for, and only received units are restocked or refunded.
ALTER TABLE "ReturnLine"
    ADD CONSTRAINT "ReturnLine_quantity_check" CHECK ("quantity" > 0),
    ADD CONSTRAINT "ReturnLine_receivedQuantity_check" CHECK ("receivedQuantity" >= 0 AND "receivedQuantity" <= "quantity"),
    ADD CONSTRAINT "ReturnLine_restockedQuantity_check" CHECK ("restockedQuantity" >= 0 AND "restockedQuantity" <= "receivedQuantity"),
    ADD CONSTRAINT "ReturnLine_refundedQuantity_check" CHECK ("refundedQuantity" >= 0 AND "refundedQuantity" <= "receivedQuantity");

ALTER TABLE "Refund"
    ADD CONSTRAINT "Refund_shippingAmount_check" CHECK ("shippingAmount" >= 0 AND "shippingAmount" <= "amount");

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Return", "ReturnLine" TO commerce_app;

-- Tenant isolation, as on every store table (see the init migration).
DO $$
DECLARE
    table_name text;
BEGIN
    FOREACH table_name IN ARRAY ARRAY['Return', 'ReturnLine'] LOOP
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
