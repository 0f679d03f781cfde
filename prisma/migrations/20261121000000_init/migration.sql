-- CreateEnum
CREATE TYPE "StoreStatus" AS ENUM ('ACTIVE', 'INACTIVE', 'MAINTENANCE', 'SUSPENDED');

-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('OWNER', 'ADMIN', 'MANAGER', 'STAFF');

-- CreateEnum
CREATE TYPE "ProductStatus" AS ENUM ('DRAFT', 'ACTIVE', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "CustomerStatus" AS ENUM ('ACTIVE', 'SUSPENDED', 'BLOCKED', 'DELETED');

-- CreateEnum
CREATE TYPE "CustomerGroup" AS ENUM ('REGULAR', 'BRONZE', 'SILVER', 'GOLD', 'VIP');

-- CreateEnum
CREATE TYPE "CustomerTokenKind" AS ENUM ('EMAIL_VERIFICATION', 'PASSWORD_RESET');

-- CreateEnum
CREATE TYPE "CartStatus" AS ENUM ('ACTIVE', 'COMPLETED', 'MERGED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('PENDING', 'CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('PENDING', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED', 'FAILED');

-- CreateEnum
CREATE TYPE "FulfillmentStatus" AS ENUM ('UNFULFILLED', 'PARTIALLY_FULFILLED', 'FULFILLED', 'DELIVERED');

-- CreateEnum
CREATE TYPE "DiscountType" AS ENUM ('PERCENTAGE', 'FIXED_AMOUNT', 'FREE_SHIPPING');

-- CreateTable
CREATE TABLE "Seller" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "failedLoginCount" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Seller_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SellerRefreshToken" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "sellerId" UUID NOT NULL,
    "familyId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SellerRefreshToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Store" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "status" "StoreStatus" NOT NULL DEFAULT 'ACTIVE',
    "currencyCode" CHAR(3) NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "branding" JSONB NOT NULL DEFAULT '{}',
    "seo" JSONB NOT NULL DEFAULT '{}',
    "contact" JSONB NOT NULL DEFAULT '{}',
    "socialLinks" JSONB NOT NULL DEFAULT '{}',
    "businessHours" JSONB NOT NULL DEFAULT '[]',
    "guestCheckoutEnabled" BOOLEAN NOT NULL DEFAULT true,
    "emailVerificationRequired" BOOLEAN NOT NULL DEFAULT false,
    "reviewsEnabled" BOOLEAN NOT NULL DEFAULT false,
    "wishlistEnabled" BOOLEAN NOT NULL DEFAULT false,
    "minOrderAmount" DECIMAL(19,4),
    "maxOrderAmount" DECIMAL(19,4),
    "lowStockThreshold" INTEGER NOT NULL DEFAULT 5,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Store_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StoreCounter" (
    "storeId" UUID NOT NULL,
    "lastOrderNumber" INTEGER NOT NULL DEFAULT 1000,
    "lastEventSequence" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "StoreCounter_pkey" PRIMARY KEY ("storeId")
);

-- CreateTable
CREATE TABLE "StoreDomain" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "hostname" TEXT NOT NULL,
    "verificationToken" TEXT NOT NULL,
    "verifiedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoreDomain_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffMember" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "sellerId" UUID,
    "email" TEXT NOT NULL,
    "role" "StaffRole" NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StaffMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShippingZone" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "countries" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShippingZone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShippingRate" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "zoneId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "price" DECIMAL(19,4) NOT NULL,
    "minOrderAmount" DECIMAL(19,4),
    "maxOrderAmount" DECIMAL(19,4),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShippingRate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TaxRate" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "countryCode" CHAR(2) NOT NULL,
    "region" TEXT,
    "rate" DECIMAL(7,6) NOT NULL,
    "inclusive" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TaxRate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Product" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "status" "ProductStatus" NOT NULL DEFAULT 'DRAFT',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "vendor" TEXT NOT NULL DEFAULT '',
    "productType" TEXT NOT NULL DEFAULT '',
    "minPrice" DECIMAL(19,4),
    "maxPrice" DECIMAL(19,4),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProductOption" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "productId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "values" TEXT[],

    CONSTRAINT "ProductOption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProductVariant" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "productId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "sku" TEXT,
    "barcode" TEXT,
    "price" DECIMAL(19,4) NOT NULL,
    "compareAtPrice" DECIMAL(19,4),
    "selectedOptions" JSONB NOT NULL DEFAULT '[]',
    "position" INTEGER NOT NULL DEFAULT 0,
    "trackInventory" BOOLEAN NOT NULL DEFAULT true,
    "allowOversell" BOOLEAN NOT NULL DEFAULT false,
    "lowStockThreshold" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProductVariant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProductImage" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "productId" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "altText" TEXT NOT NULL DEFAULT '',
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ProductImage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Category" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "parentId" UUID,
    "name" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Category_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProductCategory" (
    "storeId" UUID NOT NULL,
    "productId" UUID NOT NULL,
    "categoryId" UUID NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ProductCategory_pkey" PRIMARY KEY ("productId","categoryId")
);

-- CreateTable
CREATE TABLE "InventoryLocation" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "address" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InventoryLocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InventoryLevel" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "variantId" UUID NOT NULL,
    "locationId" UUID NOT NULL,
    "available" INTEGER NOT NULL DEFAULT 0,
    "committed" INTEGER NOT NULL DEFAULT 0,
    "allowOversell" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InventoryLevel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StockMovement" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "variantId" UUID NOT NULL,
    "locationId" UUID NOT NULL,
    "delta" INTEGER NOT NULL,
    "availableAfter" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "orderId" UUID,
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StockMovement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "passwordHash" TEXT,
    "firstName" TEXT NOT NULL DEFAULT '',
    "lastName" TEXT NOT NULL DEFAULT '',
    "phone" TEXT,
    "dateOfBirth" DATE,
    "gender" TEXT,
    "acceptsMarketing" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "currencyCode" CHAR(3),
    "status" "CustomerStatus" NOT NULL DEFAULT 'ACTIVE',
    "group" "CustomerGroup" NOT NULL DEFAULT 'REGULAR',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "note" TEXT NOT NULL DEFAULT '',
    "emailVerifiedAt" TIMESTAMPTZ(3),
    "failedLoginCount" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMPTZ(3),
    "defaultShippingAddressId" UUID,
    "defaultBillingAddressId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerAddress" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "firstName" TEXT NOT NULL DEFAULT '',
    "lastName" TEXT NOT NULL DEFAULT '',
    "company" TEXT NOT NULL DEFAULT '',
    "address1" TEXT NOT NULL,
    "address2" TEXT NOT NULL DEFAULT '',
    "city" TEXT NOT NULL,
    "province" TEXT NOT NULL DEFAULT '',
    "provinceCode" TEXT NOT NULL DEFAULT '',
    "countryCode" CHAR(2) NOT NULL,
    "zip" TEXT NOT NULL DEFAULT '',
    "phone" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerAddress_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerRefreshToken" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "familyId" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerRefreshToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerToken" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "kind" "CustomerTokenKind" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomerToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MailMessage" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "to" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MailMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Cart" (
    "id" TEXT NOT NULL,
    "storeId" UUID NOT NULL,
    "customerId" UUID,
    "email" TEXT,
    "currencyCode" CHAR(3) NOT NULL,
    "status" "CartStatus" NOT NULL DEFAULT 'ACTIVE',
    "discountCodes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "shippingAddress" JSONB,
    "shippingRateId" UUID,
    "orderId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Cart_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CartLine" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "cartId" TEXT NOT NULL,
    "variantId" UUID NOT NULL,
    "productId" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "variantTitle" TEXT NOT NULL DEFAULT '',
    "sku" TEXT,
    "imageUrl" TEXT,
    "selectedOptions" JSONB NOT NULL DEFAULT '[]',
    "unitPrice" DECIMAL(19,4) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CartLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "customerId" UUID,
    "email" TEXT NOT NULL,
    "status" "OrderStatus" NOT NULL DEFAULT 'PENDING',
    "paymentStatus" "PaymentStatus" NOT NULL DEFAULT 'PENDING',
    "fulfillmentStatus" "FulfillmentStatus" NOT NULL DEFAULT 'UNFULFILLED',
    "currencyCode" CHAR(3) NOT NULL,
    "subtotal" DECIMAL(19,4) NOT NULL,
    "discountTotal" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "shippingTotal" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "taxTotal" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "total" DECIMAL(19,4) NOT NULL,
    "totalRefunded" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "shippingAddress" JSONB,
    "billingAddress" JSONB,
    "shippingRateName" TEXT,
    "discountCodes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "note" TEXT NOT NULL DEFAULT '',
    "cancelReason" TEXT,
    "idempotencyKey" TEXT,
    "cartId" TEXT,
    "placedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmedAt" TIMESTAMPTZ(3),
    "cancelledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "variantId" UUID,
    "productId" UUID,
    "title" TEXT NOT NULL,
    "variantTitle" TEXT NOT NULL DEFAULT '',
    "sku" TEXT,
    "imageUrl" TEXT,
    "selectedOptions" JSONB NOT NULL DEFAULT '[]',
    "quantity" INTEGER NOT NULL,
    "unitPrice" DECIMAL(19,4) NOT NULL,
    "totalPrice" DECIMAL(19,4) NOT NULL,
    "discountTotal" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "taxTotal" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "fulfilledQuantity" INTEGER NOT NULL DEFAULT 0,
    "refundedQuantity" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrderLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderEvent" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrderEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Payment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "amount" DECIMAL(19,4) NOT NULL,
    "commissionAmount" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "netAmount" DECIMAL(19,4) NOT NULL,
    "currencyCode" CHAR(3) NOT NULL,
    "providerReference" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PaymentTransaction" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "paymentId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "amount" DECIMAL(19,4) NOT NULL,
    "providerReference" TEXT,
    "errorMessage" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PaymentTransaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Fulfillment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'SHIPPED',
    "carrier" TEXT NOT NULL DEFAULT '',
    "trackingNumber" TEXT NOT NULL DEFAULT '',
    "trackingUrl" TEXT NOT NULL DEFAULT '',
    "deliveredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Fulfillment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FulfillmentLine" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "fulfillmentId" UUID NOT NULL,
    "orderLineId" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,

    CONSTRAINT "FulfillmentLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Refund" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "amount" DECIMAL(19,4) NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "restock" BOOLEAN NOT NULL DEFAULT false,
    "idempotencyKey" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Refund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RefundLine" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "refundId" UUID NOT NULL,
    "orderLineId" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,
    "amount" DECIMAL(19,4) NOT NULL,

    CONSTRAINT "RefundLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiscountCode" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "type" "DiscountType" NOT NULL,
    "value" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "minOrderAmount" DECIMAL(19,4),
    "startsAt" TIMESTAMPTZ(3),
    "endsAt" TIMESTAMPTZ(3),
    "usageLimit" INTEGER,
    "usageLimitPerCustomer" INTEGER,
    "usedCount" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DiscountCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiscountCodeUsage" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "discountCodeId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "customerId" UUID,
    "email" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DiscountCodeUsage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerOrderStats" (
    "customerId" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "ordersCount" INTEGER NOT NULL DEFAULT 0,
    "totalSpent" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "lastOrderAt" TIMESTAMPTZ(3),

    CONSTRAINT "CustomerOrderStats_pkey" PRIMARY KEY ("customerId")
);

-- CreateTable
CREATE TABLE "OutboxEvent" (
    "id" BIGSERIAL NOT NULL,
    "storeId" UUID NOT NULL,
    "sequence" BIGINT NOT NULL,
    "type" TEXT NOT NULL,
    "aggregateType" TEXT NOT NULL,
    "aggregateId" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "OutboxEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Seller_email_key" ON "Seller"("email");

-- CreateIndex
CREATE UNIQUE INDEX "SellerRefreshToken_tokenHash_key" ON "SellerRefreshToken"("tokenHash");

-- CreateIndex
CREATE INDEX "SellerRefreshToken_familyId_idx" ON "SellerRefreshToken"("familyId");

-- CreateIndex
CREATE INDEX "SellerRefreshToken_sellerId_idx" ON "SellerRefreshToken"("sellerId");

-- CreateIndex
CREATE UNIQUE INDEX "Store_slug_key" ON "Store"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "StoreDomain_hostname_key" ON "StoreDomain"("hostname");

-- CreateIndex
CREATE INDEX "StoreDomain_storeId_idx" ON "StoreDomain"("storeId");

-- CreateIndex
CREATE UNIQUE INDEX "StaffMember_storeId_email_key" ON "StaffMember"("storeId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "StaffMember_storeId_sellerId_key" ON "StaffMember"("storeId", "sellerId");

-- CreateIndex
CREATE INDEX "StaffMember_sellerId_idx" ON "StaffMember"("sellerId");

-- CreateIndex
CREATE UNIQUE INDEX "ShippingZone_storeId_id_key" ON "ShippingZone"("storeId", "id");

-- CreateIndex
CREATE INDEX "ShippingZone_storeId_name_idx" ON "ShippingZone"("storeId", "name");

-- CreateIndex
CREATE INDEX "ShippingRate_storeId_zoneId_idx" ON "ShippingRate"("storeId", "zoneId");

-- CreateIndex
CREATE INDEX "TaxRate_storeId_countryCode_idx" ON "TaxRate"("storeId", "countryCode");

-- CreateIndex
CREATE UNIQUE INDEX "Product_storeId_id_key" ON "Product"("storeId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Product_storeId_handle_key" ON "Product"("storeId", "handle");

-- CreateIndex
CREATE INDEX "Product_storeId_createdAt_id_idx" ON "Product"("storeId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Product_storeId_updatedAt_id_idx" ON "Product"("storeId", "updatedAt", "id");

-- CreateIndex
CREATE INDEX "Product_storeId_title_id_idx" ON "Product"("storeId", "title", "id");

-- CreateIndex
CREATE INDEX "Product_storeId_minPrice_id_idx" ON "Product"("storeId", "minPrice", "id");

-- CreateIndex
CREATE INDEX "Product_storeId_status_idx" ON "Product"("storeId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ProductOption_storeId_productId_name_key" ON "ProductOption"("storeId", "productId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "ProductVariant_storeId_id_key" ON "ProductVariant"("storeId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ProductVariant_storeId_sku_key" ON "ProductVariant"("storeId", "sku");

-- CreateIndex
CREATE INDEX "ProductVariant_storeId_productId_position_idx" ON "ProductVariant"("storeId", "productId", "position");

-- CreateIndex
CREATE INDEX "ProductImage_storeId_productId_position_idx" ON "ProductImage"("storeId", "productId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Category_storeId_id_key" ON "Category"("storeId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Category_storeId_handle_key" ON "Category"("storeId", "handle");

-- CreateIndex
CREATE INDEX "Category_storeId_parentId_idx" ON "Category"("storeId", "parentId");

-- CreateIndex
CREATE INDEX "ProductCategory_storeId_categoryId_productId_idx" ON "ProductCategory"("storeId", "categoryId", "productId");

-- CreateIndex
CREATE UNIQUE INDEX "InventoryLocation_storeId_id_key" ON "InventoryLocation"("storeId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "InventoryLocation_storeId_name_key" ON "InventoryLocation"("storeId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "InventoryLevel_variantId_locationId_key" ON "InventoryLevel"("variantId", "locationId");

-- CreateIndex
CREATE INDEX "InventoryLevel_storeId_variantId_idx" ON "InventoryLevel"("storeId", "variantId");

-- CreateIndex
CREATE INDEX "InventoryLevel_storeId_locationId_idx" ON "InventoryLevel"("storeId", "locationId");

-- CreateIndex
CREATE UNIQUE INDEX "StockMovement_storeId_idempotencyKey_key" ON "StockMovement"("storeId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "StockMovement_storeId_variantId_createdAt_idx" ON "StockMovement"("storeId", "variantId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_storeId_id_key" ON "Customer"("storeId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_storeId_email_key" ON "Customer"("storeId", "email");

-- CreateIndex
CREATE INDEX "Customer_storeId_createdAt_id_idx" ON "Customer"("storeId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Customer_storeId_lastName_firstName_id_idx" ON "Customer"("storeId", "lastName", "firstName", "id");

-- CreateIndex
CREATE INDEX "CustomerAddress_storeId_customerId_idx" ON "CustomerAddress"("storeId", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerRefreshToken_tokenHash_key" ON "CustomerRefreshToken"("tokenHash");

-- CreateIndex
CREATE INDEX "CustomerRefreshToken_storeId_familyId_idx" ON "CustomerRefreshToken"("storeId", "familyId");

-- CreateIndex
CREATE INDEX "CustomerRefreshToken_storeId_customerId_idx" ON "CustomerRefreshToken"("storeId", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerToken_tokenHash_key" ON "CustomerToken"("tokenHash");

-- CreateIndex
CREATE INDEX "CustomerToken_storeId_customerId_idx" ON "CustomerToken"("storeId", "customerId");

-- CreateIndex
CREATE INDEX "MailMessage_storeId_createdAt_idx" ON "MailMessage"("storeId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Cart_storeId_id_key" ON "Cart"("storeId", "id");

-- CreateIndex
CREATE INDEX "Cart_storeId_customerId_status_idx" ON "Cart"("storeId", "customerId", "status");

-- CreateIndex
CREATE INDEX "Cart_storeId_status_expiresAt_idx" ON "Cart"("storeId", "status", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "CartLine_cartId_variantId_key" ON "CartLine"("cartId", "variantId");

-- CreateIndex
CREATE INDEX "CartLine_storeId_cartId_idx" ON "CartLine"("storeId", "cartId");

-- CreateIndex
CREATE UNIQUE INDEX "Order_storeId_id_key" ON "Order"("storeId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Order_storeId_number_key" ON "Order"("storeId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Order_storeId_idempotencyKey_key" ON "Order"("storeId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "Order_storeId_createdAt_id_idx" ON "Order"("storeId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Order_storeId_customerId_createdAt_id_idx" ON "Order"("storeId", "customerId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Order_storeId_status_createdAt_idx" ON "Order"("storeId", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "OrderLine_storeId_id_key" ON "OrderLine"("storeId", "id");

-- CreateIndex
CREATE INDEX "OrderLine_storeId_orderId_idx" ON "OrderLine"("storeId", "orderId");

-- CreateIndex
CREATE INDEX "OrderLine_storeId_productId_idx" ON "OrderLine"("storeId", "productId");

-- CreateIndex
CREATE INDEX "OrderEvent_storeId_orderId_createdAt_idx" ON "OrderEvent"("storeId", "orderId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_storeId_id_key" ON "Payment"("storeId", "id");

-- CreateIndex
CREATE INDEX "Payment_storeId_orderId_idx" ON "Payment"("storeId", "orderId");

-- CreateIndex
CREATE INDEX "PaymentTransaction_storeId_paymentId_idx" ON "PaymentTransaction"("storeId", "paymentId");

-- CreateIndex
CREATE UNIQUE INDEX "Fulfillment_storeId_id_key" ON "Fulfillment"("storeId", "id");

-- CreateIndex
CREATE INDEX "Fulfillment_storeId_orderId_idx" ON "Fulfillment"("storeId", "orderId");

-- CreateIndex
CREATE INDEX "FulfillmentLine_storeId_fulfillmentId_idx" ON "FulfillmentLine"("storeId", "fulfillmentId");

-- CreateIndex
CREATE UNIQUE INDEX "Refund_storeId_id_key" ON "Refund"("storeId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Refund_storeId_idempotencyKey_key" ON "Refund"("storeId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "Refund_storeId_orderId_idx" ON "Refund"("storeId", "orderId");

-- CreateIndex
CREATE INDEX "RefundLine_storeId_refundId_idx" ON "RefundLine"("storeId", "refundId");

-- CreateIndex
CREATE UNIQUE INDEX "DiscountCode_storeId_id_key" ON "DiscountCode"("storeId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "DiscountCode_storeId_code_key" ON "DiscountCode"("storeId", "code");

-- CreateIndex
CREATE INDEX "DiscountCodeUsage_storeId_discountCodeId_customerId_idx" ON "DiscountCodeUsage"("storeId", "discountCodeId", "customerId");

-- CreateIndex
CREATE INDEX "CustomerOrderStats_storeId_totalSpent_idx" ON "CustomerOrderStats"("storeId", "totalSpent");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxEvent_storeId_sequence_key" ON "OutboxEvent"("storeId", "sequence");

-- CreateIndex
CREATE INDEX "OutboxEvent_publishedAt_id_idx" ON "OutboxEvent"("publishedAt", "id");

-- AddForeignKey
ALTER TABLE "SellerRefreshToken" ADD CONSTRAINT "SellerRefreshToken_sellerId_fkey" FOREIGN KEY ("sellerId") REFERENCES "Seller"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoreCounter" ADD CONSTRAINT "StoreCounter_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StoreDomain" ADD CONSTRAINT "StoreDomain_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffMember" ADD CONSTRAINT "StaffMember_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffMember" ADD CONSTRAINT "StaffMember_sellerId_fkey" FOREIGN KEY ("sellerId") REFERENCES "Seller"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShippingZone" ADD CONSTRAINT "ShippingZone_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShippingRate" ADD CONSTRAINT "ShippingRate_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShippingRate" ADD CONSTRAINT "ShippingRate_storeId_zoneId_fkey" FOREIGN KEY ("storeId", "zoneId") REFERENCES "ShippingZone"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaxRate" ADD CONSTRAINT "TaxRate_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductOption" ADD CONSTRAINT "ProductOption_storeId_productId_fkey" FOREIGN KEY ("storeId", "productId") REFERENCES "Product"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductVariant" ADD CONSTRAINT "ProductVariant_storeId_productId_fkey" FOREIGN KEY ("storeId", "productId") REFERENCES "Product"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductImage" ADD CONSTRAINT "ProductImage_storeId_productId_fkey" FOREIGN KEY ("storeId", "productId") REFERENCES "Product"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Category" ADD CONSTRAINT "Category_storeId_parentId_fkey" FOREIGN KEY ("storeId", "parentId") REFERENCES "Category"("storeId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductCategory" ADD CONSTRAINT "ProductCategory_storeId_productId_fkey" FOREIGN KEY ("storeId", "productId") REFERENCES "Product"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductCategory" ADD CONSTRAINT "ProductCategory_storeId_categoryId_fkey" FOREIGN KEY ("storeId", "categoryId") REFERENCES "Category"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InventoryLevel" ADD CONSTRAINT "InventoryLevel_storeId_variantId_fkey" FOREIGN KEY ("storeId", "variantId") REFERENCES "ProductVariant"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InventoryLevel" ADD CONSTRAINT "InventoryLevel_storeId_locationId_fkey" FOREIGN KEY ("storeId", "locationId") REFERENCES "InventoryLocation"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StockMovement" ADD CONSTRAINT "StockMovement_storeId_variantId_fkey" FOREIGN KEY ("storeId", "variantId") REFERENCES "ProductVariant"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerAddress" ADD CONSTRAINT "CustomerAddress_storeId_customerId_fkey" FOREIGN KEY ("storeId", "customerId") REFERENCES "Customer"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerRefreshToken" ADD CONSTRAINT "CustomerRefreshToken_storeId_customerId_fkey" FOREIGN KEY ("storeId", "customerId") REFERENCES "Customer"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerToken" ADD CONSTRAINT "CustomerToken_storeId_customerId_fkey" FOREIGN KEY ("storeId", "customerId") REFERENCES "Customer"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CartLine" ADD CONSTRAINT "CartLine_storeId_cartId_fkey" FOREIGN KEY ("storeId", "cartId") REFERENCES "Cart"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_storeId_orderId_fkey" FOREIGN KEY ("storeId", "orderId") REFERENCES "Order"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderEvent" ADD CONSTRAINT "OrderEvent_storeId_orderId_fkey" FOREIGN KEY ("storeId", "orderId") REFERENCES "Order"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_storeId_orderId_fkey" FOREIGN KEY ("storeId", "orderId") REFERENCES "Order"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PaymentTransaction" ADD CONSTRAINT "PaymentTransaction_storeId_paymentId_fkey" FOREIGN KEY ("storeId", "paymentId") REFERENCES "Payment"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Fulfillment" ADD CONSTRAINT "Fulfillment_storeId_orderId_fkey" FOREIGN KEY ("storeId", "orderId") REFERENCES "Order"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FulfillmentLine" ADD CONSTRAINT "FulfillmentLine_storeId_fulfillmentId_fkey" FOREIGN KEY ("storeId", "fulfillmentId") REFERENCES "Fulfillment"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_storeId_orderId_fkey" FOREIGN KEY ("storeId", "orderId") REFERENCES "Order"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RefundLine" ADD CONSTRAINT "RefundLine_storeId_refundId_fkey" FOREIGN KEY ("storeId", "refundId") REFERENCES "Refund"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscountCodeUsage" ADD CONSTRAINT "DiscountCodeUsage_storeId_discountCodeId_fkey" FOREIGN KEY ("storeId", "discountCodeId") REFERENCES "DiscountCode"("storeId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Product" ADD CONSTRAINT "Product_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductOption" ADD CONSTRAINT "ProductOption_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductVariant" ADD CONSTRAINT "ProductVariant_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductImage" ADD CONSTRAINT "ProductImage_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Category" ADD CONSTRAINT "Category_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProductCategory" ADD CONSTRAINT "ProductCategory_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InventoryLocation" ADD CONSTRAINT "InventoryLocation_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InventoryLevel" ADD CONSTRAINT "InventoryLevel_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StockMovement" ADD CONSTRAINT "StockMovement_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerAddress" ADD CONSTRAINT "CustomerAddress_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerRefreshToken" ADD CONSTRAINT "CustomerRefreshToken_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerToken" ADD CONSTRAINT "CustomerToken_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MailMessage" ADD CONSTRAINT "MailMessage_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cart" ADD CONSTRAINT "Cart_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CartLine" ADD CONSTRAINT "CartLine_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderEvent" ADD CONSTRAINT "OrderEvent_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PaymentTransaction" ADD CONSTRAINT "PaymentTransaction_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Fulfillment" ADD CONSTRAINT "Fulfillment_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FulfillmentLine" ADD CONSTRAINT "FulfillmentLine_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Refund" ADD CONSTRAINT "Refund_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RefundLine" ADD CONSTRAINT "RefundLine_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscountCode" ADD CONSTRAINT "DiscountCode_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DiscountCodeUsage" ADD CONSTRAINT "DiscountCodeUsage_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomerOrderStats" ADD CONSTRAINT "CustomerOrderStats_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxEvent" ADD CONSTRAINT "OutboxEvent_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ─────────────────────────────────────────────────────────────────────────────────────────────
-- Everything below is what schema.prisma cannot express. Prisma ignores CHECK constraints, roles,
-- grants, policies, functions and triggers when it compares a database with the schema, so these
-- do not count as drift.
-- ─────────────────────────────────────────────────────────────────────────────────────────────

-- Invariants the database enforces even when a service has a bug: money is never negative,
-- quantities are positive, codes have their ISO shape.

ALTER TABLE "Store"
    ADD CONSTRAINT "Store_slug_check" CHECK ("slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    ADD CONSTRAINT "Store_currencyCode_check" CHECK ("currencyCode" ~ '^[A-Z]{3}$'),
    ADD CONSTRAINT "Store_minOrderAmount_check" CHECK ("minOrderAmount" >= 0),
    ADD CONSTRAINT "Store_maxOrderAmount_check" CHECK ("maxOrderAmount" >= 0 AND "maxOrderAmount" >= "minOrderAmount"),
    ADD CONSTRAINT "Store_lowStockThreshold_check" CHECK ("lowStockThreshold" >= 0);

ALTER TABLE "StoreCounter"
    ADD CONSTRAINT "StoreCounter_lastOrderNumber_check" CHECK ("lastOrderNumber" >= 0),
    ADD CONSTRAINT "StoreCounter_lastEventSequence_check" CHECK ("lastEventSequence" >= 0);

-- Hostnames are stored lower-case so that the case-insensitive lookup can use the unique index.
ALTER TABLE "StoreDomain"
    ADD CONSTRAINT "StoreDomain_hostname_check" CHECK ("hostname" = lower("hostname"));

ALTER TABLE "ShippingRate"
    ADD CONSTRAINT "ShippingRate_price_check" CHECK ("price" >= 0),
    ADD CONSTRAINT "ShippingRate_minOrderAmount_check" CHECK ("minOrderAmount" >= 0),
    ADD CONSTRAINT "ShippingRate_maxOrderAmount_check" CHECK ("maxOrderAmount" >= 0 AND "maxOrderAmount" >= "minOrderAmount");

ALTER TABLE "TaxRate"
    ADD CONSTRAINT "TaxRate_rate_check" CHECK ("rate" >= 0 AND "rate" <= 1);

ALTER TABLE "Product"
    ADD CONSTRAINT "Product_minPrice_check" CHECK ("minPrice" >= 0),
    ADD CONSTRAINT "Product_maxPrice_check" CHECK ("maxPrice" >= 0 AND "maxPrice" >= "minPrice");

ALTER TABLE "ProductVariant"
    ADD CONSTRAINT "ProductVariant_price_check" CHECK ("price" >= 0),
    ADD CONSTRAINT "ProductVariant_compareAtPrice_check" CHECK ("compareAtPrice" >= 0),
    ADD CONSTRAINT "ProductVariant_lowStockThreshold_check" CHECK ("lowStockThreshold" >= 0);

-- Stock may only go below zero where the variant allows overselling.
ALTER TABLE "InventoryLevel"
    ADD CONSTRAINT "InventoryLevel_available_check" CHECK ("available" >= 0 OR "allowOversell"),
    ADD CONSTRAINT "InventoryLevel_committed_check" CHECK ("committed" >= 0);

ALTER TABLE "Customer"
    ADD CONSTRAINT "Customer_currencyCode_check" CHECK ("currencyCode" ~ '^[A-Z]{3}$');

ALTER TABLE "Cart"
    ADD CONSTRAINT "Cart_currencyCode_check" CHECK ("currencyCode" ~ '^[A-Z]{3}$');

ALTER TABLE "CartLine"
    ADD CONSTRAINT "CartLine_quantity_check" CHECK ("quantity" > 0),
    ADD CONSTRAINT "CartLine_unitPrice_check" CHECK ("unitPrice" >= 0);

ALTER TABLE "Order"
    ADD CONSTRAINT "Order_number_check" CHECK ("number" > 0),
    ADD CONSTRAINT "Order_currencyCode_check" CHECK ("currencyCode" ~ '^[A-Z]{3}$'),
    ADD CONSTRAINT "Order_subtotal_check" CHECK ("subtotal" >= 0),
    ADD CONSTRAINT "Order_discountTotal_check" CHECK ("discountTotal" >= 0),
    ADD CONSTRAINT "Order_shippingTotal_check" CHECK ("shippingTotal" >= 0),
    ADD CONSTRAINT "Order_taxTotal_check" CHECK ("taxTotal" >= 0),
    ADD CONSTRAINT "Order_total_check" CHECK ("total" >= 0),
    ADD CONSTRAINT "Order_totalRefunded_check" CHECK ("totalRefunded" >= 0 AND "totalRefunded" <= "total");

ALTER TABLE "OrderLine"
    ADD CONSTRAINT "OrderLine_quantity_check" CHECK ("quantity" > 0),
    ADD CONSTRAINT "OrderLine_unitPrice_check" CHECK ("unitPrice" >= 0),
    ADD CONSTRAINT "OrderLine_totalPrice_check" CHECK ("totalPrice" >= 0),
    ADD CONSTRAINT "OrderLine_discountTotal_check" CHECK ("discountTotal" >= 0),
    ADD CONSTRAINT "OrderLine_taxTotal_check" CHECK ("taxTotal" >= 0),
    ADD CONSTRAINT "OrderLine_fulfilledQuantity_check" CHECK ("fulfilledQuantity" BETWEEN 0 AND "quantity"),
    ADD CONSTRAINT "OrderLine_refundedQuantity_check" CHECK ("refundedQuantity" BETWEEN 0 AND "quantity");

ALTER TABLE "Payment"
    ADD CONSTRAINT "Payment_amount_check" CHECK ("amount" >= 0),
    ADD CONSTRAINT "Payment_commissionAmount_check" CHECK ("commissionAmount" >= 0),
    ADD CONSTRAINT "Payment_netAmount_check" CHECK ("netAmount" >= 0),
    ADD CONSTRAINT "Payment_currencyCode_check" CHECK ("currencyCode" ~ '^[A-Z]{3}$');

ALTER TABLE "PaymentTransaction"
    ADD CONSTRAINT "PaymentTransaction_amount_check" CHECK ("amount" >= 0);

ALTER TABLE "FulfillmentLine"
    ADD CONSTRAINT "FulfillmentLine_quantity_check" CHECK ("quantity" > 0);

ALTER TABLE "Refund"
    ADD CONSTRAINT "Refund_amount_check" CHECK ("amount" >= 0);

ALTER TABLE "RefundLine"
    ADD CONSTRAINT "RefundLine_quantity_check" CHECK ("quantity" > 0),
    ADD CONSTRAINT "RefundLine_amount_check" CHECK ("amount" >= 0);

ALTER TABLE "DiscountCode"
    ADD CONSTRAINT "DiscountCode_value_check" CHECK ("value" >= 0 AND ("type" <> 'PERCENTAGE' OR "value" <= 100)),
    ADD CONSTRAINT "DiscountCode_minOrderAmount_check" CHECK ("minOrderAmount" >= 0),
    ADD CONSTRAINT "DiscountCode_usageLimit_check" CHECK ("usageLimit" >= 0),
    ADD CONSTRAINT "DiscountCode_usageLimitPerCustomer_check" CHECK ("usageLimitPerCustomer" >= 0),
    ADD CONSTRAINT "DiscountCode_usedCount_check" CHECK ("usedCount" >= 0),
    ADD CONSTRAINT "DiscountCode_endsAt_check" CHECK ("endsAt" > "startsAt");

ALTER TABLE "CustomerOrderStats"
    ADD CONSTRAINT "CustomerOrderStats_ordersCount_check" CHECK ("ordersCount" >= 0),
    ADD CONSTRAINT "CustomerOrderStats_totalSpent_check" CHECK ("totalSpent" >= 0);

-- The role the services log in as. Roles belong to the cluster, not to one database, so several
-- databases migrating at once may race to create it: whoever loses sees duplicate_object (it
-- exists) or unique_violation (it was created concurrently), both of which mean "done".
-- The password is not set here: the migration runner sets it on every run.
DO $$
BEGIN
    CREATE ROLE commerce_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

-- A role created by hand with more power than it should have is brought back into line. Only when
-- needed: two transactions altering the same role at once fail with "tuple concurrently updated".
DO $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM pg_roles
        WHERE rolname = 'commerce_app'
          AND (rolsuper OR rolbypassrls OR rolcreatedb OR rolcreaterole OR rolreplication OR NOT rolcanlogin)
    ) THEN
        ALTER ROLE commerce_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION;
    END IF;
END
$$;

-- Only the owner creates objects, so the app role can never own one (the default since PostgreSQL 15).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO commerce_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE
    "Seller", "SellerRefreshToken", "Store", "StoreCounter", "StoreDomain", "StaffMember",
    "ShippingZone", "ShippingRate", "TaxRate", "Product", "ProductOption", "ProductVariant",
    "ProductImage", "Category", "ProductCategory", "InventoryLocation", "InventoryLevel",
    "StockMovement", "Customer", "CustomerAddress", "CustomerRefreshToken", "CustomerToken",
    "MailMessage", "Cart", "CartLine", "Order", "OrderLine", "OrderEvent", "Payment",
    "PaymentTransaction", "Fulfillment", "FulfillmentLine", "Refund", "RefundLine", "DiscountCode",
    "DiscountCodeUsage", "CustomerOrderStats", "OutboxEvent"
    TO commerce_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO commerce_app;

-- Row-level security: a tenant row is visible and writable only inside a transaction whose
-- app.store_id names its store (set_config(..., true), see inScope). An unset setting reads as NULL
-- and an emptied one as '', which NULLIF turns into NULL: both match nothing. FORCE applies the
-- policies to the table owner as well; only superusers and BYPASSRLS roles skip them.

ALTER TABLE "StoreCounter" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "StoreCounter" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "StoreCounter" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "StoreDomain" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "StoreDomain" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "StoreDomain" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "StaffMember" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "StaffMember" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "StaffMember" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "ShippingZone" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ShippingZone" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ShippingZone" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "ShippingRate" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ShippingRate" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ShippingRate" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "TaxRate" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "TaxRate" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TaxRate" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "Product" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Product" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Product" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "ProductOption" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ProductOption" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ProductOption" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "ProductVariant" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ProductVariant" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ProductVariant" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "ProductImage" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ProductImage" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ProductImage" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "Category" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Category" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Category" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "ProductCategory" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "ProductCategory" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ProductCategory" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "InventoryLocation" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "InventoryLocation" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "InventoryLocation" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "InventoryLevel" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "InventoryLevel" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "InventoryLevel" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "StockMovement" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "StockMovement" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "StockMovement" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "Customer" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Customer" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Customer" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "CustomerAddress" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "CustomerAddress" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "CustomerAddress" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "CustomerRefreshToken" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "CustomerRefreshToken" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "CustomerRefreshToken" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "CustomerToken" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "CustomerToken" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "CustomerToken" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "MailMessage" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "MailMessage" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "MailMessage" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "Cart" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Cart" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Cart" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "CartLine" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "CartLine" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "CartLine" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "Order" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Order" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Order" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "OrderLine" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "OrderLine" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "OrderLine" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "OrderEvent" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "OrderEvent" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "OrderEvent" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "Payment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Payment" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Payment" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "PaymentTransaction" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "PaymentTransaction" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "PaymentTransaction" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "Fulfillment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Fulfillment" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Fulfillment" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "FulfillmentLine" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "FulfillmentLine" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "FulfillmentLine" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "Refund" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Refund" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Refund" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "RefundLine" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "RefundLine" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "RefundLine" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "DiscountCode" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "DiscountCode" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "DiscountCode" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "DiscountCodeUsage" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "DiscountCodeUsage" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "DiscountCodeUsage" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "CustomerOrderStats" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "CustomerOrderStats" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "CustomerOrderStats" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

ALTER TABLE "OutboxEvent" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "OutboxEvent" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "OutboxEvent" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

-- A seller at platform scope (no store set) lists the stores they staff and their memberships.
CREATE POLICY seller_memberships ON "StaffMember" FOR SELECT
    USING ("sellerId" = NULLIF(current_setting('app.seller_id', true), '')::uuid);

-- The store row itself is the tenant: writable in its own scope, readable by its staff. The
-- membership check reads "StaffMember" through the policy above, never through "Store" again.
ALTER TABLE "Store" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "Store" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Store" FOR ALL
    USING ("id" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("id" = NULLIF(current_setting('app.store_id', true), '')::uuid);
CREATE POLICY seller_membership ON "Store" FOR SELECT
    USING (EXISTS (
        SELECT 1 FROM "StaffMember" m
        WHERE m."storeId" = "Store"."id"
          AND m."sellerId" = NULLIF(current_setting('app.seller_id', true), '')::uuid
    ));

-- Tenant resolution happens before any tenant is set, when the policies above hide every store.
-- These functions run as their owner, the role that ran this migration: it must be a superuser or
-- have BYPASSRLS (FORCE ROW LEVEL SECURITY binds even the table owner), or they find nothing.
-- They return only what routing needs, and only the app role may call them.

-- A store by id or by slug. Text that is not a uuid is only compared with slugs: casting it
-- would raise an error, and the CASE keeps the cast from being evaluated.
CREATE FUNCTION app_resolve_store(ref text)
RETURNS TABLE (id uuid, slug text, status "StoreStatus", "currencyCode" text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT s."id", s."slug", s."status", s."currencyCode"::text
    FROM "Store" s
    WHERE s."slug" = ref
       OR s."id" = CASE
            WHEN ref ~ '^[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12}$'
            THEN ref::uuid
          END
$$;

-- The store behind a verified custom domain; hostnames are stored lower-case (see the check above).
CREATE FUNCTION app_resolve_store_domain(hostname text)
RETURNS TABLE (id uuid, slug text, status "StoreStatus", "currencyCode" text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT s."id", s."slug", s."status", s."currencyCode"::text
    FROM "StoreDomain" d
    JOIN "Store" s ON s."id" = d."storeId"
    WHERE d."hostname" = lower(app_resolve_store_domain.hostname)
      AND d."verifiedAt" IS NOT NULL
$$;

REVOKE ALL ON FUNCTION app_resolve_store(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_resolve_store_domain(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_resolve_store(text) TO commerce_app;
GRANT EXECUTE ON FUNCTION app_resolve_store_domain(text) TO commerce_app;

-- Wakes the event relay (LISTEN outbox_event) once per inserting statement; the relay then reads
-- the outbox itself, so the notification carries no payload.
CREATE FUNCTION app_notify_outbox_event()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM pg_notify('outbox_event', '');
    RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION app_notify_outbox_event() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_notify_outbox_event() TO commerce_app;

CREATE TRIGGER "OutboxEvent_notify"
    AFTER INSERT ON "OutboxEvent"
    FOR EACH STATEMENT
    EXECUTE FUNCTION app_notify_outbox_event();
