import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** Seeds a store with `count` active products of three variants, two images, a category and stock each, in bulk SQL. */
export async function seedBenchCatalog(ownerUrl: string, slug: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const storeId = randomUUID();
    await client.query('BEGIN');
    await client.query(`INSERT INTO "Store" (id, name, slug, "currencyCode") VALUES ($1, 'Bench Store', $2, 'EUR')`, [
      storeId,
      slug,
    ]);
    await client.query(`INSERT INTO "StoreCounter" ("storeId") VALUES ($1)`, [storeId]);
    await seedBenchProducts(client, storeId, count);
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * Adds `count` active products of three variants (up to 50 units each), two images and a category
 * each, and a default location, to an existing store, on the owner's connection (in its transaction).
 */
export async function seedBenchProducts(client: pg.ClientBase, storeId: string, count: number): Promise<void> {
  await client.query(
    `INSERT INTO "InventoryLocation" (id, "storeId", name, "isDefault") VALUES (gen_random_uuid(), $1, 'Warehouse', true)`,
    [storeId],
  );
  await client.query(
    `INSERT INTO "Category" (id, "storeId", name, handle, position)
       SELECT gen_random_uuid(), $1, 'Category ' || n, 'category-' || n, n FROM generate_series(1, 20) AS n`,
    [storeId],
  );
  await client.query(
    // variantSkus: the SKUs of the variants inserted below, as the catalog service keeps them for search.
    `INSERT INTO "Product" (id, "storeId", title, handle, description, status, tags, "minPrice", "maxPrice", "variantSkus", "createdAt", "updatedAt")
       SELECT gen_random_uuid(), $1,
              (ARRAY['Linen','Merino','Canvas','Trail','Classic','Urban','Summer','Organic'])[1 + n % 8] || ' ' ||
              (ARRAY['Shirt','Trousers','Jacket','Bag','Hat','Scarf','Shoe','Belt'])[1 + (n / 8) % 8] || ' ' || n,
              'product-' || n, 'A well made product number ' || n || '.', 'ACTIVE', ARRAY['tag-' || (n % 50)],
              (10 + n % 90)::numeric + 0.99, (14 + n % 90)::numeric + 0.99,
              upper('product-' || n) || '-S ' || upper('product-' || n) || '-M ' || upper('product-' || n) || '-L',
              now() - (n || ' minutes')::interval, now() - (n || ' minutes')::interval
       FROM generate_series(1, $2::int) AS n`,
    [storeId, count],
  );
  await client.query(
    `INSERT INTO "ProductOption" (id, "storeId", "productId", name, position, values)
       SELECT gen_random_uuid(), p."storeId", p.id, 'Size', 0, ARRAY['S','M','L'] FROM "Product" p WHERE p."storeId" = $1`,
    [storeId],
  );
  await client.query(
    `INSERT INTO "ProductVariant" (id, "storeId", "productId", title, sku, price, "selectedOptions", position)
       SELECT gen_random_uuid(), p."storeId", p.id, s.size, upper(p.handle) || '-' || s.size, p."minPrice" + s.position * 2,
              jsonb_build_array(jsonb_build_object('name', 'Size', 'value', s.size)), s.position
       FROM "Product" p CROSS JOIN (VALUES ('S', 0), ('M', 1), ('L', 2)) AS s(size, position) WHERE p."storeId" = $1`,
    [storeId],
  );
  await client.query(
    `INSERT INTO "ProductImage" (id, "storeId", "productId", url, "altText", position)
       SELECT gen_random_uuid(), p."storeId", p.id, 'https://img.example.com/' || p.handle || '-' || i || '.jpg', p.title, i
       FROM "Product" p CROSS JOIN generate_series(0, 1) AS i WHERE p."storeId" = $1`,
    [storeId],
  );
  await client.query(
    `INSERT INTO "ProductCategory" ("storeId", "productId", "categoryId")
       SELECT p."storeId", p.id, (SELECT c.id FROM "Category" c WHERE c."storeId" = p."storeId" AND c.position = 1 + abs(hashtext(p.handle)) % 20)
       FROM "Product" p WHERE p."storeId" = $1`,
    [storeId],
  );
  await client.query(
    `INSERT INTO "InventoryLevel" (id, "storeId", "variantId", "locationId", available)
       SELECT gen_random_uuid(), v."storeId", v.id, l.id, abs(hashtext(v.sku)) % 50
       FROM "ProductVariant" v JOIN "InventoryLocation" l ON l."storeId" = v."storeId" WHERE v."storeId" = $1`,
    [storeId],
  );
}
