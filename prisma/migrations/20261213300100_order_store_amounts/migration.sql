-- Orders placed in a presentment currency (README, "Currencies") keep their amounts in that
-- currency, as before, and also in the store's currency, derived exactly at checkout: each line's
-- amounts divided by the rate and rounded to the store's minor units, the order's as their sums.
-- Refunds record their share of the store total. All null for orders in the store's currency, so
-- existing orders and single-currency checkouts are unchanged.

ALTER TABLE "Order"
    ADD COLUMN "storeCurrencyCode" CHAR(3),
    ADD COLUMN "exchangeRate" DECIMAL(16,6),
    ADD COLUMN "storeSubtotal" DECIMAL(19,4),
    ADD COLUMN "storeDiscountTotal" DECIMAL(19,4),
    ADD COLUMN "storeShippingTotal" DECIMAL(19,4),
    ADD COLUMN "storeTaxTotal" DECIMAL(19,4),
    ADD COLUMN "storeLoyaltyDiscount" DECIMAL(19,4),
    ADD COLUMN "storeTotal" DECIMAL(19,4),
    ADD COLUMN "storeTotalRefunded" DECIMAL(19,4);

ALTER TABLE "OrderLine"
    ADD COLUMN "storeTotalPrice" DECIMAL(19,4),
    ADD COLUMN "storeDiscountTotal" DECIMAL(19,4),
    ADD COLUMN "storeTaxTotal" DECIMAL(19,4);

ALTER TABLE "Refund" ADD COLUMN "storeAmount" DECIMAL(19,4);
