import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase, migrate } from '../src/index.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations/', import.meta.url));
const MIGRATIONS = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

// A database of its own: these tests rewrite the migrations table, which the shared one must keep.
describe('migrate', () => {
  const serverUrl = inject('databaseUrl');
  const name = `commerce_migrate_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  let client: pg.Client;

  beforeAll(async () => {
    await createDatabase(serverUrl, name);
    client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await dropDatabase(serverUrl, name);
  });

  it('applies every migration once, recording Prisma’s checksum, and nothing on a second run', async () => {
    const lines: string[] = [];
    expect(await migrate(databaseUrl, { log: (line) => lines.push(line) })).toEqual({ applied: MIGRATIONS });
    expect(lines).toEqual(MIGRATIONS.map((migration) => `applied ${migration}`));
    expect(await migrate(databaseUrl)).toEqual({ applied: [] });

    const { rows } = await client.query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
      `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations"
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
    );
    expect(rows).toEqual(
      MIGRATIONS.map((migration) => ({
        migration_name: migration,
        checksum: createHash('sha256')
          .update(readFileSync(`${MIGRATIONS_DIR}${migration}/migration.sql`))
          .digest('hex'),
        applied_steps_count: 1,
      })),
    );
  });

  it('keeps the migrations table in the shape Prisma creates', async () => {
    const { rows } = await client.query<{ column_name: string; data_type: string; is_nullable: string }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(rows.map((row) => [row.column_name, row.data_type, row.is_nullable])).toEqual([
      ['id', 'character varying', 'NO'],
      ['checksum', 'character varying', 'NO'],
      ['finished_at', 'timestamp with time zone', 'YES'],
      ['migration_name', 'character varying', 'NO'],
      ['logs', 'text', 'YES'],
      ['rolled_back_at', 'timestamp with time zone', 'YES'],
      ['started_at', 'timestamp with time zone', 'NO'],
      ['applied_steps_count', 'integer', 'NO'],
    ]);
  });

  it('refuses to run when an applied migration no longer matches its file', async () => {
    const [first] = MIGRATIONS;
    await client.query(`UPDATE "_prisma_migrations" SET checksum = $1 WHERE migration_name = $2`, ['0'.repeat(64), first]);
    await expect(migrate(databaseUrl)).rejects.toThrow(/was modified after it was applied/);
  });
});
