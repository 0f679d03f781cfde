// Generates the Prisma client. The Prisma CLI insists on a schema engine binary even for `generate`,
// which does not need it; pointing it at any existing file keeps it from trying to download one.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const result = spawnSync('prisma', ['generate', '--schema', 'prisma/schema.prisma'], {
  stdio: 'inherit',
  env,
  shell: false,
});
process.exit(result.status ?? 1);
