// `pnpm build`: compiles the services' TypeScript to JavaScript for deployments, file by file, each
// package's `src/` into its `dist/` (same depth, so paths made from import.meta.url still point at
// schema/ and prisma/), with the files that are not TypeScript copied beside them.
//
// Deployed processes run `node --conditions=compiled <package>/dist/index.js`: the "compiled"
// condition of each package's `exports` picks `dist/`, every other resolver (tsc, Vitest, tsx) keeps
// `src/`. Without tsx at run time a process has no module-loader thread and no compiler in memory:
// about 35 MB less per process (see README, "Memory"). Development, `pnpm start` and the tests run
// the sources with tsx as before.
import { cp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { COMPILED_PACKAGES } from './compiled-packages.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/** Compiles one package: `src/**\/*.ts` to `dist/**\/*.js`, other files copied as they are. */
async function compilePackage(packageDirectory: string): Promise<number> {
  const source = path.join(ROOT, packageDirectory, 'src');
  const output = path.join(ROOT, packageDirectory, 'dist');
  await rm(output, { recursive: true, force: true });
  const files = await filesUnder(source);
  const typescript = files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
  await build({
    entryPoints: typescript,
    outdir: output,
    outbase: source,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Stack traces name the TypeScript files when a process runs with --enable-source-maps.
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  for (const file of files.filter((file) => !file.endsWith('.ts'))) {
    await cp(file, path.join(output, path.relative(source, file)));
  }
  return typescript.length;
}

let compiled = 0;
for (const packageDirectory of COMPILED_PACKAGES) compiled += await compilePackage(packageDirectory);
console.log(`compiled ${compiled} files of ${COMPILED_PACKAGES.length} packages into their dist/ folders`);
