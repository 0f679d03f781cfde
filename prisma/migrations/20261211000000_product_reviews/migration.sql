-- Product reviews and questions (catalog). A product keeps the figures of its published reviews
-- (count, sum and count per star), changed in the transaction that publishes, edits, hides or
-- deletes a review, so that listings show ratings from the product row alone. The store chooses
-- whether reviews and questions wait for moderation and whether buyers may answer questions.

-- AlterTable
ALTER TABLE "Store" ADD COLUMN     "reviewModerationRequired" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "buyersAnswerQuestions" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Product" ADD COLUMN     "ratingCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "ratingSum" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "ratingCount1" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "ratingCount2" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "ratingCount3" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "ratingCount4" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "ratingCount5" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ProductReview" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "productId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "authorName" TEXT NOT NULL,
    "rating" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "verifiedBuyer" BOOLEAN NOT NULL DEFAULT false,
    "helpfulCount" INTEGER NOT NULL DEFAULT 0,
    "reply" TEXT,
    "repliedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProductReview_pkey" PRIMARY KEY ("storeId","id")
);

-- CreateTable
CREATE TABLE "ProductReviewVote" (
    "storeId" UUID NOT NULL,
    "reviewId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProductReviewVote_pkey" PRIMARY KEY ("storeId","reviewId","customerId")
);

-- CreateTable
CREATE TABLE "ProductQuestion" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "productId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "authorName" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProductQuestion_pkey" PRIMARY KEY ("storeId","id")
);

-- CreateTable
CREATE TABLE "ProductAnswer" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "questionId" UUID NOT NULL,
    "authorType" TEXT NOT NULL,
    "sellerId" UUID,
    "customerId" UUID,
    "authorName" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProductAnswer_pkey" PRIMARY KEY ("storeId","id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProductReview_storeId_productId_customerId_key" ON "ProductReview"("storeId", "productId", "customerId");

-- CreateIndex
CREATE INDEX "ProductReview_storeId_productId_status_createdAt_id_idx" ON "ProductReview"("storeId", "productId", "status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ProductReview_storeId_customerId_createdAt_idx" ON "ProductReview"("storeId", "customerId", "createdAt");

-- CreateIndex
CREATE INDEX "ProductQuestion_storeId_productId_status_createdAt_id_idx" ON "ProductQuestion"("storeId", "productId", "status", "createdAt", "id");

-- CreateIndex
CREATE INDEX "ProductQuestion_storeId_customerId_createdAt_idx" ON "ProductQuestion"("storeId", "customerId", "createdAt");

-- CreateIndex
CREATE INDEX "ProductAnswer_storeId_questionId_createdAt_idx" ON "ProductAnswer"("storeId", "questionId", "createdAt");

-- CreateIndex
CREATE INDEX "ProductAnswer_storeId_customerId_createdAt_idx" ON "ProductAnswer"("storeId", "customerId", "createdAt");

-- AddForeignKey
ALTER TABLE "ProductReview" ADD CONSTRAINT "ProductReview_storeId_productId_fkey" FOREIGN KEY ("storeId", "productId") REFERENCES "Product"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "ProductReview" ADD CONSTRAINT "ProductReview_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "ProductReviewVote" ADD CONSTRAINT "ProductReviewVote_storeId_reviewId_fkey" FOREIGN KEY ("storeId", "reviewId") REFERENCES "ProductReview"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "ProductReviewVote" ADD CONSTRAINT "ProductReviewVote_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "ProductQuestion" ADD CONSTRAINT "ProductQuestion_storeId_productId_fkey" FOREIGN KEY ("storeId", "productId") REFERENCES "Product"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "ProductQuestion" ADD CONSTRAINT "ProductQuestion_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "ProductAnswer" ADD CONSTRAINT "ProductAnswer_storeId_questionId_fkey" FOREIGN KEY ("storeId", "questionId") REFERENCES "ProductQuestion"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "ProductAnswer" ADD CONSTRAINT "ProductAnswer_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- Everything below is what schema.prisma cannot express (see the init migration).

-- Statuses are text with a check rather than enum types: no cast to declare for Citus.
ALTER TABLE "ProductReview" ADD CONSTRAINT "ProductReview_rating_check" CHECK ("rating" BETWEEN 1 AND 5);
ALTER TABLE "ProductReview" ADD CONSTRAINT "ProductReview_status_check" CHECK ("status" IN ('PENDING', 'PUBLISHED', 'HIDDEN'));
ALTER TABLE "ProductReview" ADD CONSTRAINT "ProductReview_helpfulCount_check" CHECK ("helpfulCount" >= 0);
ALTER TABLE "ProductQuestion" ADD CONSTRAINT "ProductQuestion_status_check" CHECK ("status" IN ('PENDING', 'PUBLISHED', 'HIDDEN'));
ALTER TABLE "ProductAnswer" ADD CONSTRAINT "ProductAnswer_status_check" CHECK ("status" IN ('PENDING', 'PUBLISHED', 'HIDDEN'));
ALTER TABLE "ProductAnswer" ADD CONSTRAINT "ProductAnswer_authorType_check" CHECK (
    ("authorType" = 'STAFF' AND "sellerId" IS NOT NULL) OR ("authorType" = 'BUYER' AND "customerId" IS NOT NULL));
-- The published figures never go below zero: a bug in their bookkeeping fails the transaction.
ALTER TABLE "Product" ADD CONSTRAINT "Product_rating_check" CHECK (
    "ratingCount" >= 0 AND "ratingSum" >= 0 AND "ratingCount1" >= 0 AND "ratingCount2" >= 0
    AND "ratingCount3" >= 0 AND "ratingCount4" >= 0 AND "ratingCount5" >= 0
    AND "ratingCount" = "ratingCount1" + "ratingCount2" + "ratingCount3" + "ratingCount4" + "ratingCount5");

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE
    "ProductReview", "ProductReviewVote", "ProductQuestion", "ProductAnswer"
TO commerce_app;

-- Tenant isolation, as on every store table (see the init migration).
DO $$
DECLARE
    table_name text;
BEGIN
    FOREACH table_name IN ARRAY ARRAY['ProductReview', 'ProductReviewVote', 'ProductQuestion', 'ProductAnswer'] LOOP
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
