-- Checkout: orders remember whether their prices include tax, order lines remember where their
-- units are committed (so fulfilment, cancellation and refunds release the same locations), and
-- a cart can become at most one order.

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "taxesIncluded" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "OrderLine" ADD COLUMN     "allocations" JSONB NOT NULL DEFAULT '[]';

-- CreateIndex
CREATE UNIQUE INDEX "Order_storeId_cartId_key" ON "Order"("storeId", "cartId");

-- Everything below is what schema.prisma cannot express.

ALTER TABLE "OrderLine"
    ADD CONSTRAINT "OrderLine_allocations_check" CHECK (jsonb_typeof("allocations") = 'array');
