-- Each enum type gets an explicit cast to text through an IMMUTABLE function, so that Prisma's
-- writes work on Citus (README, "What Citus supports").
--
-- Prisma reads an enum column back as "status"::text, also in the RETURNING clause of its
-- inserts and updates. Without a cast of its own, that is an I/O conversion through enum_out,
-- which is STABLE (a label can be renamed), and Citus refuses any function that is not IMMUTABLE
-- in the RETURNING clause of a statement on a distributed or reference table ("non-IMMUTABLE
-- functions are not allowed in the RETURNING clause"). Citus checks this on the coordinator,
-- where it plans; it sends the shards the statement with the cast written out as ::text, which
-- each node converts as before. A label is never renamed in place here: a migration that
-- changed one would restart the services, like any migration that changes what they query.
--
-- On plain PostgreSQL the casts give the same text as before. They apply in assignment too,
-- as the I/O conversion did (an enum is still assignable to a text column): a cast declared
-- only for explicit use would replace that conversion and refuse the assignment.

CREATE FUNCTION app_enum_text(value anyenum)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
BEGIN
    -- Not value::text: that is the cast this function implements.
    RETURN textin(enum_out(value));
END
$$;

CREATE CAST ("StoreStatus" AS text) WITH FUNCTION app_enum_text(anyenum) AS ASSIGNMENT;
CREATE CAST ("StaffRole" AS text) WITH FUNCTION app_enum_text(anyenum) AS ASSIGNMENT;
CREATE CAST ("ProductStatus" AS text) WITH FUNCTION app_enum_text(anyenum) AS ASSIGNMENT;
CREATE CAST ("CustomerStatus" AS text) WITH FUNCTION app_enum_text(anyenum) AS ASSIGNMENT;
CREATE CAST ("CustomerGroup" AS text) WITH FUNCTION app_enum_text(anyenum) AS ASSIGNMENT;
CREATE CAST ("CustomerTokenKind" AS text) WITH FUNCTION app_enum_text(anyenum) AS ASSIGNMENT;
CREATE CAST ("CartStatus" AS text) WITH FUNCTION app_enum_text(anyenum) AS ASSIGNMENT;
CREATE CAST ("OrderStatus" AS text) WITH FUNCTION app_enum_text(anyenum) AS ASSIGNMENT;
CREATE CAST ("PaymentStatus" AS text) WITH FUNCTION app_enum_text(anyenum) AS ASSIGNMENT;
CREATE CAST ("FulfillmentStatus" AS text) WITH FUNCTION app_enum_text(anyenum) AS ASSIGNMENT;
CREATE CAST ("DiscountType" AS text) WITH FUNCTION app_enum_text(anyenum) AS ASSIGNMENT;
