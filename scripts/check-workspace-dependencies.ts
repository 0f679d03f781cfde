// Every package a workspace's code imports is declared in that workspace's package.json, so that
// a workspace builds and deploys from its own manifest and the dependency graph between workspaces
// is the one pnpm sees. Source files must use the workspace's `dependencies`; tests, benches and
// scripts may also use its `devDependencies` and the root's (the suite runs from the root, with one
// vitest and one testkit).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { parse } from 'yaml';

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const root = path.resolve(import.meta.dirname, '..');
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '__generated__', 'dist', '.data']);

function workspaceDirectories(): string[] {
  const { packages } = parse(readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8')) as { packages: string[] };
  return packages.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [path.join(root, pattern)];
    const parent = path.join(root, pattern.slice(0, -2));
    return readdirSync(parent).map((name) => path.join(parent, name));
  });
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    if (SKIPPED_DIRECTORIES.has(name)) return [];
    const file = path.join(directory, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return /\.(ts|tsx|js|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [file] : [];
  });
}

/** The npm package a bare import names (`@scope/name/sub` → `@scope/name`), or null for relative and built-in ones. */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return null;
  const [first = '', second = ''] = specifier.split('/');
  const name = specifier.startsWith('@') ? `${first}/${second}` : first;
  return builtinModules.includes(name) ? null : name;
}

function isDevelopmentFile(relative: string): boolean {
  return /(^|\/)(test|bench|scripts)\//.test(relative) || /\.test\.ts$/.test(relative);
}

const rootManifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
const problems: string[] = [];
for (const directory of workspaceDirectories()) {
  const manifest = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as Manifest;
  const runtime = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    manifest.name,
  ]);
  const development = new Set([
    ...runtime,
    ...Object.keys(manifest.devDependencies ?? {}),
    ...Object.keys(rootManifest.devDependencies ?? {}),
  ]);
  for (const file of sourceFiles(directory)) {
    const relative = path.relative(directory, file);
    const allowed = isDevelopmentFile(relative) ? development : runtime;
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const name = packageOf(match[1] ?? match[2] ?? '');
      if (name && !allowed.has(name)) {
        const where = isDevelopmentFile(relative) ? "its or the root's devDependencies" : 'dependencies';
        problems.push(
          `${path.relative(root, file)} imports ${name}, which ${manifest.name} does not declare in ${where}`,
        );
      }
    }
  }
}

if (problems.length > 0) {
  console.error(
    `Undeclared workspace dependencies (add them to the workspace's package.json):\n${problems.join('\n')}`,
  );
  process.exit(1);
}
console.log('Every workspace declares what it imports.');
