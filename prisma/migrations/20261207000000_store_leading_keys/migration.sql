-- Keys that lead with "storeId", so that the schema can be distributed on Citus by store (a
-- distributed table's primary key and unique constraints must contain its distribution column,
-- and a store's rows then live together on one node).
--
-- Reference tables: the platform and the store directory, replicated to every node. They are read
-- across stores (log-in, tenant resolution by slug or domain, a seller's memberships) and written
-- rarely, so their keys stay as they are:
--   "Seller", "SellerRefreshToken", "SellerLogInThrottle", "Store", "StoreDomain", "StaffMember".
--
-- Distributed tables, by "storeId", all colocated: every other table. Their primary keys, unique
-- constraints and unique indexes lead with "storeId", and their foreign keys to one another carry
-- "storeId" (they did already):
--   "StoreCounter", "ShippingZone", "ShippingRate", "TaxRate", "Product", "ProductOption",
--   "ProductVariant", "ProductImage", "Category", "ProductCategory", "InventoryLocation",
--   "InventoryLevel", "StockMovement", "Customer", "CustomerAddress", "CustomerRefreshToken",
--   "CustomerToken", "CustomerLogInThrottle", "MailMessage", "Cart", "CartLine", "Order",
--   "OrderLine", "OrderEvent", "Payment", "PaymentTransaction", "Fulfillment", "FulfillmentLine",
--   "Refund", "RefundLine", "DiscountCode", "DiscountCodeUsage", "CustomerOrderStats",
--   "OutboxEvent".
-- "StoreCounter" and "CustomerLogInThrottle" are keyed by "storeId" first already.
--
-- Every key below holds for the rows a database has: a key that gains "storeId" is only less
-- strict than the one it replaces.

-- Primary keys where a unique index on ("storeId", "id") exists: that index becomes the primary
-- key. The foreign keys that reference it keep referencing it, now as the primary key, without
-- being dropped and checked again, and the index is not built a second time.

ALTER TABLE "ShippingZone" DROP CONSTRAINT "ShippingZone_pkey",
ADD CONSTRAINT "ShippingZone_pkey" PRIMARY KEY USING INDEX "ShippingZone_storeId_id_key";

ALTER TABLE "Product" DROP CONSTRAINT "Product_pkey",
ADD CONSTRAINT "Product_pkey" PRIMARY KEY USING INDEX "Product_storeId_id_key";

ALTER TABLE "ProductVariant" DROP CONSTRAINT "ProductVariant_pkey",
ADD CONSTRAINT "ProductVariant_pkey" PRIMARY KEY USING INDEX "ProductVariant_storeId_id_key";

ALTER TABLE "Category" DROP CONSTRAINT "Category_pkey",
ADD CONSTRAINT "Category_pkey" PRIMARY KEY USING INDEX "Category_storeId_id_key";

ALTER TABLE "InventoryLocation" DROP CONSTRAINT "InventoryLocation_pkey",
ADD CONSTRAINT "InventoryLocation_pkey" PRIMARY KEY USING INDEX "InventoryLocation_storeId_id_key";

ALTER TABLE "Customer" DROP CONSTRAINT "Customer_pkey",
ADD CONSTRAINT "Customer_pkey" PRIMARY KEY USING INDEX "Customer_storeId_id_key";

ALTER TABLE "Cart" DROP CONSTRAINT "Cart_pkey",
ADD CONSTRAINT "Cart_pkey" PRIMARY KEY USING INDEX "Cart_storeId_id_key";

ALTER TABLE "Order" DROP CONSTRAINT "Order_pkey",
ADD CONSTRAINT "Order_pkey" PRIMARY KEY USING INDEX "Order_storeId_id_key";

ALTER TABLE "OrderLine" DROP CONSTRAINT "OrderLine_pkey",
ADD CONSTRAINT "OrderLine_pkey" PRIMARY KEY USING INDEX "OrderLine_storeId_id_key";

ALTER TABLE "Payment" DROP CONSTRAINT "Payment_pkey",
ADD CONSTRAINT "Payment_pkey" PRIMARY KEY USING INDEX "Payment_storeId_id_key";

ALTER TABLE "Fulfillment" DROP CONSTRAINT "Fulfillment_pkey",
ADD CONSTRAINT "Fulfillment_pkey" PRIMARY KEY USING INDEX "Fulfillment_storeId_id_key";

ALTER TABLE "Refund" DROP CONSTRAINT "Refund_pkey",
ADD CONSTRAINT "Refund_pkey" PRIMARY KEY USING INDEX "Refund_storeId_id_key";

ALTER TABLE "DiscountCode" DROP CONSTRAINT "DiscountCode_pkey",
ADD CONSTRAINT "DiscountCode_pkey" PRIMARY KEY USING INDEX "DiscountCode_storeId_id_key";

-- Primary keys of the other distributed tables.

ALTER TABLE "ShippingRate" DROP CONSTRAINT "ShippingRate_pkey",
ADD CONSTRAINT "ShippingRate_pkey" PRIMARY KEY ("storeId", "id");

ALTER TABLE "TaxRate" DROP CONSTRAINT "TaxRate_pkey",
ADD CONSTRAINT "TaxRate_pkey" PRIMARY KEY ("storeId", "id");

ALTER TABLE "ProductOption" DROP CONSTRAINT "ProductOption_pkey",
ADD CONSTRAINT "ProductOption_pkey" PRIMARY KEY ("storeId", "id");

ALTER TABLE "ProductImage" DROP CONSTRAINT "ProductImage_pkey",
ADD CONSTRAINT "ProductImage_pkey" PRIMARY KEY ("storeId", "id");

ALTER TABLE "ProductCategory" DROP CONSTRAINT "ProductCategory_pkey",
ADD CONSTRAINT "ProductCategory_pkey" PRIMARY KEY ("storeId", "productId", "categoryId");

ALTER TABLE "InventoryLevel" DROP CONSTRAINT "InventoryLevel_pkey",
ADD CONSTRAINT "InventoryLevel_pkey" PRIMARY KEY ("storeId", "id");

ALTER TABLE "StockMovement" DROP CONSTRAINT "StockMovement_pkey",
ADD CONSTRAINT "StockMovement_pkey" PRIMARY KEY ("storeId", "id");

ALTER TABLE "CustomerAddress" DROP CONSTRAINT "CustomerAddress_pkey",
ADD CONSTRAINT "CustomerAddress_pkey" PRIMARY KEY ("storeId", "id");

ALTER TABLE "CustomerRefreshToken" DROP CONSTRAINT "CustomerRefreshToken_pkey",
ADD CONSTRAINT "CustomerRefreshToken_pkey" PRIMARY KEY ("storeId", "id");

ALTER TABLE "CustomerToken" DROP CONSTRAINT "CustomerToken_pkey",
ADD CONSTRAINT "CustomerToken_pkey" PRIMARY KEY ("storeId", "id");

ALTER TABLE "MailMessage" DROP CONSTRAINT "MailMessage_pkey",
ADD CONSTRAINT "MailMessage_pkey" PRIMARY KEY ("storeId", "id");

ALTER TABLE "CartLine" DROP CONSTRAINT "CartLine_pkey",
ADD CONSTRAINT "CartLine_pkey" PRIMARY KEY ("storeId", "id");

ALTER TABLE "OrderEvent" DROP CONSTRAINT "OrderEvent_pkey",
ADD CONSTRAINT "OrderEvent_pkey" PRIMARY KEY ("storeId", "id");

ALTER TABLE "PaymentTransaction" DROP CONSTRAINT "PaymentTransaction_pkey",
ADD CONSTRAINT "PaymentTransaction_pkey" PRIMARY KEY ("storeId", "id");

ALTER TABLE "FulfillmentLine" DROP CONSTRAINT "FulfillmentLine_pkey",
ADD CONSTRAINT "FulfillmentLine_pkey" PRIMARY KEY ("storeId", "id");

ALTER TABLE "RefundLine" DROP CONSTRAINT "RefundLine_pkey",
ADD CONSTRAINT "RefundLine_pkey" PRIMARY KEY ("storeId", "id");

ALTER TABLE "DiscountCodeUsage" DROP CONSTRAINT "DiscountCodeUsage_pkey",
ADD CONSTRAINT "DiscountCodeUsage_pkey" PRIMARY KEY ("storeId", "id");

ALTER TABLE "CustomerOrderStats" DROP CONSTRAINT "CustomerOrderStats_pkey",
ADD CONSTRAINT "CustomerOrderStats_pkey" PRIMARY KEY ("storeId", "customerId");

ALTER TABLE "OutboxEvent" DROP CONSTRAINT "OutboxEvent_pkey",
ADD CONSTRAINT "OutboxEvent_pkey" PRIMARY KEY ("storeId", "id");

-- Unique indexes that left "storeId" out. The plain indexes on a prefix of the new ones answered
-- the same lookups and go with them.

DROP INDEX "InventoryLevel_variantId_locationId_key";
DROP INDEX "InventoryLevel_storeId_variantId_idx";
CREATE UNIQUE INDEX "InventoryLevel_storeId_variantId_locationId_key" ON "InventoryLevel"("storeId", "variantId", "locationId");

DROP INDEX "CartLine_cartId_variantId_key";
DROP INDEX "CartLine_storeId_cartId_idx";
CREATE UNIQUE INDEX "CartLine_storeId_cartId_variantId_key" ON "CartLine"("storeId", "cartId", "variantId");

-- A token is looked up by its hash within the store of the request that carries it.
DROP INDEX "CustomerRefreshToken_tokenHash_key";
CREATE UNIQUE INDEX "CustomerRefreshToken_storeId_tokenHash_key" ON "CustomerRefreshToken"("storeId", "tokenHash");

DROP INDEX "CustomerToken_tokenHash_key";
CREATE UNIQUE INDEX "CustomerToken_storeId_tokenHash_key" ON "CustomerToken"("storeId", "tokenHash");
