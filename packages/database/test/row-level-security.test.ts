// Tenant isolation is enforced by PostgreSQL, not by the services' where clauses: these tests act
// as the app role through the same helper the services use and try to reach another store's rows.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { APP_ROLE, inScope, openDatabase, type PrismaClient } from '../src/index.js';

let owner: pg.Pool;
let app: PrismaClient;

beforeAll(() => {
  owner = new pg.Pool({ connectionString: inject('databaseUrl'), max: 4 });
  app = openDatabase({ connectionString: inject('appDatabaseUrl'), poolSize: 4 }).prisma;
});

afterAll(async () => {
  await app.$disconnect();
  await owner.end();
});

// Seeding runs as the owner (a superuser), which row-level security does not restrict.
async function seedStore(label: string, productTitles: string[] = []): Promise<{ id: string; slug: string }> {
  const slug = `${label}-${randomUUID().slice(0, 8)}`;
  const { rows } = await owner.query<{ id: string }>(
    `INSERT INTO "Store" (name, slug, "currencyCode") VALUES ($1, $2, 'EUR') RETURNING id`,
    [label, slug],
  );
  const id = rows[0]?.id;
  if (!id) throw new Error('store insert returned no id');
  for (const title of productTitles) {
    await owner.query(`INSERT INTO "Product" ("storeId", title, handle) VALUES ($1, $2, $3)`, [
      id,
      title,
      `${title.toLowerCase().replace(/\W+/g, '-')}-${randomUUID().slice(0, 8)}`,
    ]);
  }
  return { id, slug };
}

async function productTitles(storeId: string): Promise<string[]> {
  const { rows } = await owner.query<{ title: string }>(
    `SELECT title FROM "Product" WHERE "storeId" = $1 ORDER BY title`,
    [storeId],
  );
  return rows.map((row) => row.title);
}

describe('the app role', () => {
  it('is not a superuser, cannot bypass row-level security and owns nothing', async () => {
    const [role] = await app.$queryRaw<{ name: string; superuser: boolean; bypassrls: boolean }[]>`
      SELECT rolname AS name, rolsuper AS superuser, rolbypassrls AS bypassrls FROM pg_roles WHERE rolname = current_user`;
    expect(role).toEqual({ name: APP_ROLE, superuser: false, bypassrls: false });

    const [owned] = await app.$queryRaw<{ count: number }[]>`
      SELECT ((SELECT count(*) FROM pg_class WHERE relowner = r.oid)
            + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)
            + (SELECT count(*) FROM pg_type WHERE typowner = r.oid)
            + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid))::int AS count
      FROM pg_roles r WHERE r.rolname = current_user`;
    expect(owned?.count).toBe(0);
  });

  it('meets enabled and forced row-level security on the stores and every table with a storeId', async () => {
    const tables = await app.$queryRaw<{ name: string; enabled: boolean; forced: boolean }[]>`
      SELECT c.relname AS name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      WHERE c.relkind = 'r'
        AND (c.relname = 'Store'
             OR EXISTS (SELECT 1 FROM pg_attribute a
                        WHERE a.attrelid = c.oid AND a.attname = 'storeId' AND NOT a.attisdropped))
      ORDER BY c.relname`;
    expect(tables.length).toBeGreaterThan(30);
    expect(tables.filter((table) => !table.enabled || !table.forced)).toEqual([]);
  });
});

describe('tenant isolation', () => {
  it('returns only the scoped store’s rows from a query without a where', async () => {
    const a = await seedStore('iso-a', ['A one', 'A two']);
    const b = await seedStore('iso-b', ['B one']);

    const products = await inScope(app, { storeId: a.id }, (tx) => tx.product.findMany({ orderBy: { title: 'asc' } }));
    expect(products.map((product) => product.title)).toEqual(['A one', 'A two']);
    expect(new Set(products.map((product) => product.storeId))).toEqual(new Set([a.id]));

    const stores = await inScope(app, { storeId: b.id }, (tx) => tx.store.findMany());
    expect(stores.map((store) => store.id)).toEqual([b.id]);
  });

  it('returns nothing from tenant tables when no store is set', async () => {
    await seedStore('unset', ['Hidden']);
    expect(await inScope(app, {}, (tx) => tx.product.findMany())).toEqual([]);
    expect(await inScope(app, {}, (tx) => tx.store.findMany())).toEqual([]);
    // Outside any tenant transaction as well, on a pooled connection that may have served one.
    expect(await app.product.findMany()).toEqual([]);

    const tables = await app.$queryRaw<{ name: string }[]>`
      SELECT table_name AS name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'storeId'`;
    const visible = await inScope(app, {}, async (tx) => {
      const counts: Record<string, number> = {};
      for (const { name } of tables) {
        const [row] = await tx.$queryRawUnsafe<{ count: number }[]>(`SELECT count(*)::int AS count FROM "${name}"`);
        counts[name] = row?.count ?? -1;
      }
      return counts;
    });
    expect(Object.values(visible).every((count) => count === 0)).toBe(true);
    expect(Object.keys(visible).length).toBeGreaterThan(30);
  });

  it('refuses to insert a row for another store', async () => {
    const a = await seedStore('ins-a');
    const b = await seedStore('ins-b');
    const insert = inScope(app, { storeId: a.id }, (tx) =>
      tx.product.create({ data: { storeId: b.id, title: 'Smuggled', handle: `smuggled-${randomUUID()}` } }),
    );
    await expect(insert).rejects.toThrow(/row-level security/);
    expect(await productTitles(b.id)).toEqual([]);
  });

  it('changes nothing when updating or deleting another store’s rows', async () => {
    const a = await seedStore('upd-a', ['Mine']);
    const b = await seedStore('upd-b', ['Theirs']);

    const updated = await inScope(app, { storeId: a.id }, (tx) =>
      tx.product.updateMany({ where: { storeId: b.id }, data: { title: 'Defaced' } }),
    );
    const deleted = await inScope(app, { storeId: a.id }, (tx) => tx.product.deleteMany({ where: { storeId: b.id } }));
    expect(updated.count).toBe(0);
    expect(deleted.count).toBe(0);
    expect(await productTitles(b.id)).toEqual(['Theirs']);

    // Nor can a row be moved into another store.
    const move = inScope(app, { storeId: a.id }, (tx) => tx.product.updateMany({ data: { storeId: b.id } }));
    await expect(move).rejects.toThrow(/row-level security/);
    expect(await productTitles(a.id)).toEqual(['Mine']);
  });

  it('lets a seller at platform scope read only the stores they staff', async () => {
    const mine = await seedStore('seller-mine');
    await seedStore('seller-other');
    const sellerId = randomUUID();
    await owner.query(`INSERT INTO "Seller" (id, email, "passwordHash", name) VALUES ($1, $2, 'x', 'Seller')`, [
      sellerId,
      `${sellerId}@example.com`,
    ]);
    await owner.query(`INSERT INTO "StaffMember" ("storeId", "sellerId", email, role) VALUES ($1, $2, $3, 'OWNER')`, [
      mine.id,
      sellerId,
      `${sellerId}@example.com`,
    ]);

    const { stores, memberships, renamed } = await inScope(app, { sellerId }, async (tx) => ({
      stores: await tx.store.findMany(),
      memberships: await tx.staffMember.findMany(),
      renamed: await tx.store.updateMany({ data: { name: 'Renamed' } }),
    }));
    expect(stores.map((store) => store.id)).toEqual([mine.id]);
    expect(memberships.map((member) => member.storeId)).toEqual([mine.id]);
    expect(renamed.count).toBe(0);
  });

  // On Citus only SET LOCAL, with citus.propagate_set_commands = 'local', reaches the nodes where
  // the policies of distributed tables are evaluated (README, "Past one database: Citus").
  it('is set with SET LOCAL for the transaction only, asking Citus to forward it', async () => {
    const store = await seedStore('scope-form');
    const settings = (client: Pick<PrismaClient, '$queryRaw'>) =>
      client.$queryRaw<{ store: string | null; seller: string | null; forward: string | null }[]>`
      SELECT current_setting('app.store_id', true) AS store, current_setting('app.seller_id', true) AS seller,
             current_setting('citus.propagate_set_commands', true) AS forward`;
    const [inside] = await inScope(app, { storeId: store.id }, (tx) => settings(tx));
    expect(inside).toEqual({ store: store.id, seller: '', forward: 'local' });
    const [after] = await settings(app);
    expect(after?.store ?? '').toBe('');
    expect(after?.forward ?? 'none').not.toBe('local');

    const sources = await owner.query<{ source: string }>(
      `SELECT pg_get_functiondef('app_set_scope(text,text)'::regprocedure) AS source`,
    );
    expect(sources.rows[0]?.source).toMatch(/SET LOCAL app\.store_id/);
  });
});

describe('tenant resolution before a tenant is set', () => {
  it('app_resolve_store finds a store by slug and by id, and nothing for garbage', async () => {
    const store = await seedStore('resolve');
    const resolve = (ref: string) =>
      app.$queryRaw<{ id: string; slug: string; status: string; currencyCode: string }[]>`
        SELECT id, slug, status::text, "currencyCode" FROM app_resolve_store(${ref})`;

    const found = { id: store.id, slug: store.slug, status: 'ACTIVE', currencyCode: 'EUR' };
    expect(await resolve(store.slug)).toEqual([found]);
    expect(await resolve(store.id)).toEqual([found]);
    expect(await resolve(store.id.toUpperCase())).toHaveLength(1);
    expect(await resolve('no-such-store')).toEqual([]);
    expect(await resolve('\'; DROP TABLE "Store"; --')).toEqual([]);
    expect(await resolve(randomUUID())).toEqual([]);
    expect(await resolve('')).toEqual([]);
  });

  it('app_resolve_store_domain finds a store by verified hostname, case-insensitively', async () => {
    const store = await seedStore('domain');
    const verified = `shop-${randomUUID().slice(0, 8)}.example.com`;
    const pending = `pending-${randomUUID().slice(0, 8)}.example.com`;
    await owner.query(
      `INSERT INTO "StoreDomain" ("storeId", hostname, "verificationToken", "verifiedAt")
       VALUES ($1, $2, 't', now()), ($1, $3, 't', NULL)`,
      [store.id, verified, pending],
    );
    const resolve = (hostname: string) =>
      app.$queryRaw<{ id: string }[]>`SELECT id FROM app_resolve_store_domain(${hostname})`;

    expect(await resolve(verified.toUpperCase())).toEqual([{ id: store.id }]);
    expect(await resolve(pending)).toEqual([]);
    expect(await resolve('unknown.example.com')).toEqual([]);
  });
});
