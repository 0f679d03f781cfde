-- Seller log-ins are throttled by the customers' rules (one throttle, in the auth package),
-- counted per email hash whether or not an account has the email, instead of by counters on the
-- Seller row, which only existing accounts had and so told which emails have accounts.

-- AlterTable
ALTER TABLE "Seller" DROP COLUMN "failedLoginCount",
DROP COLUMN "lockedUntil";

-- CreateTable
CREATE TABLE "SellerLogInThrottle" (
    "subject" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "windowStart" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMPTZ(3),

    CONSTRAINT "SellerLogInThrottle_pkey" PRIMARY KEY ("subject")
);

-- Everything below is what schema.prisma cannot express (see the init migration).

ALTER TABLE "SellerLogInThrottle"
    ADD CONSTRAINT "SellerLogInThrottle_failures_check" CHECK ("failures" >= 0);

-- A platform table like "Seller": it has no store, so no row-level security.
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "SellerLogInThrottle" TO commerce_app;
