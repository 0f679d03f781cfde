-- CreateIndex
CREATE INDEX "StaffMember_email_idx" ON "StaffMember"("email");

-- ─────────────────────────────────────────────────────────────────────────────────────────────
-- Everything below is what schema.prisma cannot express (see the init migration).
-- ─────────────────────────────────────────────────────────────────────────────────────────────

-- Codes have their ISO 3166-1 alpha-2 shape; a zone covers at least one country.
ALTER TABLE "ShippingZone"
    ADD CONSTRAINT "ShippingZone_countries_check"
    CHECK (cardinality("countries") > 0 AND array_to_string("countries", ',') ~ '^[A-Z]{2}(,[A-Z]{2})*$');

ALTER TABLE "TaxRate"
    ADD CONSTRAINT "TaxRate_countryCode_check" CHECK ("countryCode" ~ '^[A-Z]{2}$');

-- A seller who signs up or in takes up the invitations sent to their email before the account
-- existed. Those rows belong to other stores, which the policies hide at platform scope, so this
-- runs as its owner (a superuser or BYPASSRLS role, as for the tenant-resolution functions). It
-- attaches only rows addressed to the seller's own email, in stores the seller is not yet on the
-- staff of, and returns how many it attached.
CREATE FUNCTION app_accept_staff_invitations(seller_id uuid)
RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    WITH accepted AS (
        UPDATE "StaffMember" m
        SET "sellerId" = s."id", "updatedAt" = CURRENT_TIMESTAMP
        FROM "Seller" s
        WHERE s."id" = app_accept_staff_invitations.seller_id
          AND m."sellerId" IS NULL
          AND m."email" = s."email"
          AND NOT EXISTS (
              SELECT 1 FROM "StaffMember" o
              WHERE o."storeId" = m."storeId" AND o."sellerId" = s."id"
          )
        RETURNING 1
    )
    SELECT count(*)::integer FROM accepted
$$;

REVOKE ALL ON FUNCTION app_accept_staff_invitations(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_accept_staff_invitations(uuid) TO commerce_app;
