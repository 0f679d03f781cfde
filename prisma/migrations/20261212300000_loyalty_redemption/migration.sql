-- Loyalty redemption at checkout: the points a customer applies to a cart, and what an order
-- redeemed (the points and the discount they bought, taken off its total).
ALTER TABLE "Cart" ADD COLUMN "loyaltyPoints" INTEGER NOT NULL DEFAULT 0 CHECK ("loyaltyPoints" >= 0);
ALTER TABLE "Order" ADD COLUMN "loyaltyPointsRedeemed" INTEGER NOT NULL DEFAULT 0 CHECK ("loyaltyPointsRedeemed" >= 0);
ALTER TABLE "Order" ADD COLUMN "loyaltyDiscount" DECIMAL(19,4) NOT NULL DEFAULT 0;
