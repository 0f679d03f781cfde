-- Wishlists and store follows, both the customer domain's (DESIGN §3). A wishlist belongs to a
-- customer, or to a guest who holds its id (a random token, as a cart's id is). Items name a
-- product, or one of its variants, of the same store; the catalog answers their current price and
-- availability through the graph. Guest wishlists expire after 90 days without a change. A follow is a customer of a store following that store, and
-- "StoreFollowerCount" keeps the number of followers exactly, changed in the transaction that
-- adds or removes a follow.

-- CreateTable
CREATE TABLE "Wishlist" (
    "id" TEXT NOT NULL,
    "storeId" UUID NOT NULL,
    "customerId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Wishlist_pkey" PRIMARY KEY ("storeId","id")
);

-- CreateTable
CREATE TABLE "WishlistItem" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "wishlistId" TEXT NOT NULL,
    "productId" UUID NOT NULL,
    "variantId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WishlistItem_pkey" PRIMARY KEY ("storeId","id")
);

-- CreateTable
CREATE TABLE "StoreFollow" (
    "storeId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoreFollow_pkey" PRIMARY KEY ("storeId","customerId")
);

-- CreateTable
CREATE TABLE "StoreFollowerCount" (
    "storeId" UUID NOT NULL,
    "followersCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "StoreFollowerCount_pkey" PRIMARY KEY ("storeId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Wishlist_storeId_customerId_key" ON "Wishlist"("storeId", "customerId");

-- CreateIndex: NULLS NOT DISTINCT (which schema.prisma cannot say) makes a product saved without
-- a variant a single item too, so saving it twice, even at once, keeps one row.
CREATE UNIQUE INDEX "WishlistItem_storeId_wishlistId_productId_variantId_key" ON "WishlistItem"("storeId", "wishlistId", "productId", "variantId") NULLS NOT DISTINCT;

-- CreateIndex
CREATE INDEX "Wishlist_storeId_updatedAt_idx" ON "Wishlist"("storeId", "updatedAt");

-- CreateIndex
CREATE INDEX "WishlistItem_storeId_wishlistId_createdAt_id_idx" ON "WishlistItem"("storeId", "wishlistId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "StoreFollow_storeId_createdAt_idx" ON "StoreFollow"("storeId", "createdAt");

-- AddForeignKey
ALTER TABLE "Wishlist" ADD CONSTRAINT "Wishlist_storeId_customerId_fkey" FOREIGN KEY ("storeId", "customerId") REFERENCES "Customer"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "Wishlist" ADD CONSTRAINT "Wishlist_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "WishlistItem" ADD CONSTRAINT "WishlistItem_storeId_wishlistId_fkey" FOREIGN KEY ("storeId", "wishlistId") REFERENCES "Wishlist"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "WishlistItem" ADD CONSTRAINT "WishlistItem_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "StoreFollow" ADD CONSTRAINT "StoreFollow_storeId_customerId_fkey" FOREIGN KEY ("storeId", "customerId") REFERENCES "Customer"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "StoreFollow" ADD CONSTRAINT "StoreFollow_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "StoreFollowerCount" ADD CONSTRAINT "StoreFollowerCount_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- Everything below is what schema.prisma cannot express (see the init migration).

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Wishlist", "WishlistItem", "StoreFollow", "StoreFollowerCount" TO commerce_app;

-- Tenant isolation, as on every store table (see the init migration).
DO $$
DECLARE
    table_name text;
BEGIN
    FOREACH table_name IN ARRAY ARRAY['Wishlist', 'WishlistItem', 'StoreFollow', 'StoreFollowerCount'] LOOP
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
