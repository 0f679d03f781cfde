-- Authorize and capture, and the order states sellers use (README, "Checkout": Payments, Orders).
--
-- New enum labels are added but not used here: PostgreSQL refuses a label added in the same
-- transaction until it commits, and each migration runs in one transaction. The text casts of
-- 20261207030000_enum_text_casts belong to the types, so they cover the new labels as well.

-- A card payment authorized at checkout, captured later by staff (in part, then in full).
ALTER TYPE "PaymentStatus" ADD VALUE IF NOT EXISTS 'AUTHORIZED' AFTER 'PENDING';
ALTER TYPE "PaymentStatus" ADD VALUE IF NOT EXISTS 'PARTIALLY_PAID' AFTER 'AUTHORIZED';
-- An order cancelled before any money moved: its pending payment or authorization was called off.
ALTER TYPE "PaymentStatus" ADD VALUE IF NOT EXISTS 'VOIDED';

-- Packed and waiting at the store for the buyer.
ALTER TYPE "OrderStatus" ADD VALUE IF NOT EXISTS 'READY_FOR_PICKUP' AFTER 'PROCESSING';

-- Whether checkout takes card payments at once, or authorizes them to be captured when the order
-- ships in full or by staff.
CREATE TYPE "PaymentCaptureMode" AS ENUM ('AUTOMATIC', 'ON_FULFILLMENT', 'MANUAL');
CREATE CAST ("PaymentCaptureMode" AS text) WITH FUNCTION app_enum_text(anyenum) AS ASSIGNMENT;

ALTER TABLE "Store"
    ADD COLUMN "paymentCaptureMode" "PaymentCaptureMode" NOT NULL DEFAULT 'AUTOMATIC',
    ADD COLUMN "partialDeliveryEnabled" BOOLEAN NOT NULL DEFAULT false;

-- What was captured of a payment (an authorization is captured in parts); payments received
-- before this column existed were captured in full.
ALTER TABLE "Payment" ADD COLUMN "capturedAmount" DECIMAL(19,4) NOT NULL DEFAULT 0;
UPDATE "Payment" SET "capturedAmount" = "amount" WHERE "status" IN ('PAID', 'PARTIALLY_REFUNDED', 'REFUNDED');

-- A capture is made once per key of its store.
ALTER TABLE "PaymentTransaction" ADD COLUMN "idempotencyKey" TEXT;
CREATE UNIQUE INDEX "PaymentTransaction_storeId_idempotencyKey_key" ON "PaymentTransaction"("storeId", "idempotencyKey");

-- The authorizations the sweeper looks for: open ones, oldest first.
CREATE INDEX "Payment_authorization_sweep_idx" ON "Payment"("createdAt") WHERE "status" IN ('AUTHORIZED', 'PARTIALLY_PAID');

-- Stores with authorizations placed before `cutoff` still open, at most max_stores of them. Like
-- app_stores_with_expired_carts, the sweeper's only cross-store read; the voiding runs in each
-- store's tenant transaction.
CREATE FUNCTION app_stores_with_expired_authorizations(cutoff timestamptz, max_stores integer)
RETURNS TABLE ("storeId" uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT DISTINCT p."storeId"
    FROM "Payment" p
    WHERE p."createdAt" <= cutoff AND p."status" IN ('AUTHORIZED', 'PARTIALLY_PAID')
    LIMIT greatest(max_stores, 0);
END
$$;

REVOKE ALL ON FUNCTION app_stores_with_expired_authorizations(timestamptz, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_stores_with_expired_authorizations(timestamptz, integer) TO commerce_app;
