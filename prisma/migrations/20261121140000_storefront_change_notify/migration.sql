-- Tells listeners (the gateway's storefront response cache) that something a storefront can read
-- changed in a store: NOTIFY storefront_changed with the store id, delivered after commit.
-- PostgreSQL folds identical notifications of one transaction into one, so a bulk write sends
-- one per store. Listeners need no payload beyond the store id: they drop that store's entries.

CREATE FUNCTION app_notify_storefront_changed()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    changed uuid;
BEGIN
    IF TG_TABLE_NAME = 'Store' THEN
        changed := COALESCE(NEW."id", OLD."id");
    ELSIF TG_OP = 'DELETE' THEN
        changed := OLD."storeId";
    ELSE
        changed := NEW."storeId";
    END IF;
    PERFORM pg_notify('storefront_changed', changed::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER "Store_storefront_changed" AFTER INSERT OR UPDATE OR DELETE ON "Store"
    FOR EACH ROW EXECUTE FUNCTION app_notify_storefront_changed();
CREATE TRIGGER "Product_storefront_changed" AFTER INSERT OR UPDATE OR DELETE ON "Product"
    FOR EACH ROW EXECUTE FUNCTION app_notify_storefront_changed();
CREATE TRIGGER "ProductOption_storefront_changed" AFTER INSERT OR UPDATE OR DELETE ON "ProductOption"
    FOR EACH ROW EXECUTE FUNCTION app_notify_storefront_changed();
CREATE TRIGGER "ProductVariant_storefront_changed" AFTER INSERT OR UPDATE OR DELETE ON "ProductVariant"
    FOR EACH ROW EXECUTE FUNCTION app_notify_storefront_changed();
CREATE TRIGGER "ProductImage_storefront_changed" AFTER INSERT OR UPDATE OR DELETE ON "ProductImage"
    FOR EACH ROW EXECUTE FUNCTION app_notify_storefront_changed();
CREATE TRIGGER "Category_storefront_changed" AFTER INSERT OR UPDATE OR DELETE ON "Category"
    FOR EACH ROW EXECUTE FUNCTION app_notify_storefront_changed();
CREATE TRIGGER "ProductCategory_storefront_changed" AFTER INSERT OR UPDATE OR DELETE ON "ProductCategory"
    FOR EACH ROW EXECUTE FUNCTION app_notify_storefront_changed();
CREATE TRIGGER "InventoryLocation_storefront_changed" AFTER INSERT OR UPDATE OR DELETE ON "InventoryLocation"
    FOR EACH ROW EXECUTE FUNCTION app_notify_storefront_changed();
CREATE TRIGGER "InventoryLevel_storefront_changed" AFTER INSERT OR UPDATE OR DELETE ON "InventoryLevel"
    FOR EACH ROW EXECUTE FUNCTION app_notify_storefront_changed();
