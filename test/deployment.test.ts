// docker-compose.yml cannot run on these machines (no Docker engine), so this test keeps it, the
// Dockerfile and .env.example honest against the code instead: services, ports, URL variables,
// environment, commands, images and dependencies. It needs no database.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SUBGRAPHS, SUBGRAPH_PORTS, subgraphUrlVariable } from '../gateway/src/config.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');
const exists = (file: string): boolean => existsSync(path.join(ROOT, file));

// ---------------------------------------------------------------------------------------------
// docker-compose.yml

interface ComposeService {
  image?: string;
  build?: string | { context?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: string | string[] };
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: Array<string | number>;
  restart?: string;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
}

const COMPOSE_TEXT = read('docker-compose.yml');
// Compose resolves `<<` merge keys (the file shares settings through anchors); so does this parse.
const compose = parse(COMPOSE_TEXT, { merge: true }) as ComposeFile;
const services = compose.services;
const GATEWAY_PORT = 4000;

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

function environment(svc: ComposeService): Record<string, string> {
  const env = svc.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((entry) => [entry.split('=')[0] ?? entry, entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : '']));
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

function command(svc: ComposeService): string[] {
  if (svc.command === undefined) return [];
  return Array.isArray(svc.command) ? svc.command : svc.command.trim().split(/\s+/);
}

function dependsOn(svc: ComposeService): Record<string, string> {
  const deps = svc.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, dep]) => [name, dep.condition ?? 'service_started']));
}

function healthcheckText(svc: ComposeService): string {
  const test = svc.healthcheck?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
}

/** The services built from this repository (the gateway, the subgraphs, the migration job). */
const appServices = Object.entries(services).filter(([, svc]) => svc.build !== undefined);

/** `${NAME}`, `${NAME:-default}`, `${NAME:?error}` … interpolated by compose. */
const interpolations = [...COMPOSE_TEXT.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}/g)].map((match) => ({
  name: match[1]!,
  operator: match[2],
  value: match[3] ?? '',
}));

// ---------------------------------------------------------------------------------------------
// package.json, the workspace and the source files

interface PackageJson {
  scripts: Record<string, string>;
  packageManager?: string;
  engines?: { node?: string };
}
const packageJson = JSON.parse(read('package.json')) as PackageJson;

/** The file a `tsx <file>` package script runs. */
function scriptFile(script: string): string {
  const body = packageJson.scripts[script];
  if (!body) throw new Error(`package.json has no "${script}" script`);
  const file = /\btsx\s+(\S+\.[cm]?[jt]s)\b/.exec(body)?.[1];
  if (!file) throw new Error(`the "${script}" script does not run a file with tsx: ${body}`);
  return file;
}

/** The directories of the workspace's packages, from pnpm-workspace.yaml (`dir` and `dir/*`). */
function workspacePackageDirectories(): string[] {
  const { packages } = parse(read('pnpm-workspace.yaml')) as { packages: string[] };
  return packages.flatMap((pattern) => {
    if (pattern.endsWith('/*')) {
      const parent = pattern.slice(0, -2);
      return readdirSync(path.join(ROOT, parent), { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && exists(`${parent}/${entry.name}/package.json`))
        .map((entry) => `${parent}/${entry.name}`);
    }
    if (/[*?{[]/.test(pattern)) throw new Error(`unsupported workspace pattern in pnpm-workspace.yaml: ${pattern}`);
    return [pattern];
  });
}

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.data', '.ci', 'coverage', 'dist', 'test', '__generated__']);

/** Non-test, non-generated source files of the repository, relative to the root. */
function sourceFiles(directory = ''): string[] {
  return readdirSync(path.join(ROOT, directory), { withFileTypes: true }).flatMap((entry) => {
    const relative = directory ? `${directory}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return SKIPPED_DIRECTORIES.has(entry.name) || entry.name.startsWith('.') ? [] : sourceFiles(relative);
    return /\.[cm]?[jt]s$/.test(entry.name) && !/\.(test|spec)\.[cm]?[jt]s$|\.d\.[cm]?ts$/.test(entry.name) ? [relative] : [];
  });
}

/** How the one dynamic read works: process.env[subgraphUrlVariable(name)] in gateway/src/config.ts. */
const DYNAMIC_READ = 'process.env[subgraphUrlVariable(';

/** Every environment variable the code reads, and where. */
function variablesReadByCode(): { variables: Map<string, string[]>; unknownDynamicReads: string[] } {
  const variables = new Map<string, string[]>();
  const unknownDynamicReads: string[] = [];
  const note = (name: string, file: string): void => {
    variables.set(name, [...(variables.get(name) ?? []), file]);
  };
  for (const file of sourceFiles()) {
    const text = read(file);
    for (const match of text.matchAll(/process\.env\.([A-Za-z_][A-Za-z0-9_]*)/g)) note(match[1]!, file);
    for (const match of text.matchAll(/process\.env\[\s*(['"`])([A-Za-z_][A-Za-z0-9_]*)\1\s*\]/g)) note(match[2]!, file);
    for (const match of text.matchAll(/process\.env\[(?!\s*['"`])/g)) {
      const isSubgraphUrl = file === 'gateway/src/config.ts' && text.startsWith(DYNAMIC_READ, match.index);
      if (isSubgraphUrl) for (const name of SUBGRAPHS) note(subgraphUrlVariable(name), file);
      else unknownDynamicReads.push(file);
    }
  }
  return { variables, unknownDynamicReads };
}

// ---------------------------------------------------------------------------------------------
// .env.example

const ENV_EXAMPLE_TEXT = read('.env.example');
const NOT_READ_YET_SECTION = 'Not read by the code yet';

interface ExampleVariable {
  name: string;
  value: string;
  commented: boolean;
  section: string;
}

function exampleVariables(): ExampleVariable[] {
  let section = '';
  const found: ExampleVariable[] = [];
  for (const line of ENV_EXAMPLE_TEXT.split('\n')) {
    const heading = /^#\s*===\s*(.+?)\s*===\s*$/.exec(line);
    if (heading) {
      section = heading[1]!;
      continue;
    }
    const assignment = /^(#\s*)?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (assignment) found.push({ name: assignment[2]!, value: assignment[3]!.trim(), commented: Boolean(assignment[1]), section });
  }
  return found;
}

const example = exampleVariables();
const exampleNames = new Set(example.map((variable) => variable.name));
const notReadYet = new Set(example.filter((variable) => variable.section === NOT_READ_YET_SECTION).map((variable) => variable.name));

// ---------------------------------------------------------------------------------------------

describe('docker-compose.yml', () => {
  it('runs each subgraph as a service on its port from gateway/src/config.ts, health-checked there', () => {
    for (const name of SUBGRAPHS) {
      const svc = service(name);
      const port = SUBGRAPH_PORTS[name];
      expect(environment(svc).PORT, `${name}: PORT`).toBe(String(port));
      expect(command(svc), `${name}: command`).toContain(`subgraphs/${name}/src/index.ts`);
      const health = healthcheckText(svc);
      expect(health, `${name}: healthcheck`).toContain('/healthz');
      expect([...health.matchAll(/:(\d+)\/healthz/g)].map((match) => Number(match[1])), `${name}: healthcheck port`).toEqual([port]);
    }
  });

  it("agrees with each entry point's own default port", () => {
    for (const name of SUBGRAPHS) {
      // runSubgraphProcess(name, definition, defaultPort): PORT, else defaultPort.
      const fallback = /runSubgraphProcess\([^,]+,\s*\w+,\s*(\d+)\)/.exec(read(`subgraphs/${name}/src/index.ts`))?.[1];
      expect(Number(fallback), `subgraphs/${name}/src/index.ts falls back to SUBGRAPH_PORTS.${name}`).toBe(SUBGRAPH_PORTS[name]);
    }
    const gatewayFallback = /portSetting\((\d+)\)/.exec(read('gateway/src/gateway-settings.ts'))?.[1];
    expect(Number(gatewayFallback)).toBe(GATEWAY_PORT);
  });

  it('gives the gateway each subgraph URL under the variable the gateway reads', () => {
    const gateway = service('gateway');
    const env = environment(gateway);
    const expected = Object.fromEntries(SUBGRAPHS.map((name) => [subgraphUrlVariable(name), `http://${name}:${SUBGRAPH_PORTS[name]}/graphql`]));
    const configured = Object.fromEntries(Object.entries(env).filter(([key]) => key.endsWith('_SUBGRAPH_URL')));
    expect(configured).toEqual(expected);
    for (const name of SUBGRAPHS) expect(dependsOn(gateway)[name], `gateway waits for ${name}`).toBe('service_healthy');
  });

  it('publishes the gateway on its port and health-checks it', () => {
    const gateway = service('gateway');
    expect(command(gateway)).toContain('gateway/src/index.ts');
    expect(environment(gateway).PORT).toBe(String(GATEWAY_PORT));
    expect((gateway.ports ?? []).map(String)).toContain(`${GATEWAY_PORT}:${GATEWAY_PORT}`);
    expect(healthcheckText(gateway)).toContain(`:${GATEWAY_PORT}/healthz`);
  });

  it('starts every service it builds from a file that exists, all from the one image', () => {
    expect(appServices.map(([name]) => name).sort()).toEqual([...SUBGRAPHS, 'gateway', 'migrate'].sort());
    for (const [name, svc] of appServices) {
      const context = typeof svc.build === 'string' ? svc.build : svc.build?.context;
      expect(context, `${name}: build context`).toBe('.');
      expect(svc.image, `${name}: image`).toBe(service('gateway').image);
      const args = command(svc);
      const files = args.filter((arg) => /\.[cm]?[jt]s$/.test(arg));
      if (args[0] === 'pnpm') {
        const script = args[1] === 'run' ? args[2]! : args[1]!;
        files.push(scriptFile(script));
      }
      expect(files.length, `${name}: its command names no file to run`).toBeGreaterThan(0);
      for (const file of files) expect(exists(file), `${name}: ${file} exists`).toBe(true);
    }
  });

  it('runs the db:migrate script once, before any subgraph starts', () => {
    const migrate = service('migrate');
    expect(command(migrate)).toEqual(['pnpm', 'db:migrate']);
    expect(exists(scriptFile('db:migrate'))).toBe(true);
    expect(String(migrate.restart)).toBe('no');
    expect(dependsOn(migrate).postgres).toBe('service_healthy');
    for (const name of SUBGRAPHS) expect(dependsOn(service(name)).migrate, `${name} waits for the migration`).toBe('service_completed_successfully');
  });

  it('uses PostgreSQL 16 or later and Redis 7, both health-checked', () => {
    const postgres = service('postgres');
    const redis = service('redis');
    expect(Number(/^postgres:(\d+)/.exec(postgres.image ?? '')?.[1])).toBeGreaterThanOrEqual(16);
    expect(redis.image).toMatch(/^redis:7(?:$|[.-])/);
    expect(healthcheckText(postgres)).toContain('pg_isready');
    expect(healthcheckText(redis)).toContain('redis-cli');
  });

  it('migrates as the database owner and points every service at the same database and Redis', () => {
    const postgres = environment(service('postgres'));
    const owner = new URL(environment(service('migrate')).DATABASE_URL ?? '');
    expect(owner.hostname).toBe('postgres');
    expect(owner.username).toBe('postgres');
    expect(decodeURIComponent(owner.password)).toBe(postgres.POSTGRES_PASSWORD);
    const database = owner.pathname.slice(1);
    expect(database).toBe(postgres.POSTGRES_DB ?? 'postgres');

    for (const name of [...SUBGRAPHS, 'gateway']) {
      const env = environment(service(name));
      const url = new URL(env.DATABASE_URL ?? '');
      expect(url.hostname, `${name}: DATABASE_URL host`).toBe('postgres');
      expect(url.pathname.slice(1), `${name}: database`).toBe(database);
      expect(new URL(env.REDIS_URL ?? '').hostname, `${name}: REDIS_URL host`).toBe('redis');
    }
  });

  it('shares one signing key, required, and one app-role password across the processes', () => {
    const keys = [...SUBGRAPHS, 'gateway'].map((name) => environment(service(name)).AUTH_SIGNING_KEY);
    for (const key of keys) expect(key).toMatch(/^\$\{AUTH_SIGNING_KEY:\?/);
    expect(new Set(keys).size).toBe(1);
    const passwords = [...SUBGRAPHS, 'gateway', 'migrate'].map((name) => environment(service(name)).APP_DATABASE_PASSWORD);
    expect(passwords[0]).toBeDefined();
    expect(new Set(passwords).size).toBe(1);
  });

  it('sets and interpolates only variables documented in .env.example', () => {
    for (const [name, svc] of appServices) {
      for (const variable of Object.keys(environment(svc))) {
        expect(exampleNames.has(variable), `${name} sets ${variable}, which .env.example does not document`).toBe(true);
      }
    }
    for (const { name } of interpolations) {
      expect(exampleNames.has(name), `docker-compose.yml interpolates ${name}, which .env.example does not document`).toBe(true);
    }
  });

  it('falls back to the defaults .env.example documents', () => {
    const documented = new Map(example.map((variable) => [variable.name, variable.value]));
    for (const { name, operator, value } of interpolations) {
      if (operator?.endsWith('-') && value !== '') expect(value, `default of \${${name}}`).toBe(documented.get(name));
    }
  });
});

describe('.env.example', () => {
  const { variables: codeReads, unknownDynamicReads } = variablesReadByCode();

  it('finds every variable the code reads (no dynamic reads it cannot name)', () => {
    expect(unknownDynamicReads, 'process.env[...] with a computed name: teach this test what it reads').toEqual([]);
    expect(codeReads.size).toBeGreaterThan(0);
  });

  it('documents every variable the code reads', () => {
    const undocumented = [...codeReads.keys()].filter((name) => !exampleNames.has(name));
    expect(undocumented, 'read by the code but missing from .env.example').toEqual([]);
  });

  it('documents only variables the code reads, apart from its "not read yet" section', () => {
    const unread = [...exampleNames].filter((name) => !notReadYet.has(name) && !codeReads.has(name));
    expect(unread, 'in .env.example but read by no source file').toEqual([]);
    const nowRead = [...notReadYet].filter((name) => codeReads.has(name)).map((name) => `${name} (${codeReads.get(name)!.join(', ')})`);
    expect(nowRead, `read by the code now: move them out of "${NOT_READ_YET_SECTION}" in .env.example`).toEqual([]);
  });

  it('changes nothing when copied to .env: every value is commented out', () => {
    expect(example.filter((variable) => !variable.commented).map((variable) => variable.name)).toEqual([]);
    expect(new Set(example.map((variable) => variable.name)).size, 'each variable once').toBe(example.length);
  });

  it('points at the signing-key generator, which exists', () => {
    expect(ENV_EXAMPLE_TEXT).toContain('scripts/generate-signing-key.ts');
    expect(exists('scripts/generate-signing-key.ts')).toBe(true);
  });
});

describe('Dockerfile', () => {
  const dockerfile = exists('Dockerfile') ? read('Dockerfile') : '';
  const lines = dockerfile.split('\n').map((line) => line.trim());
  const installLine = lines.findIndex((line) => /^RUN\b.*\bpnpm install\b/.test(line));
  /** Files COPYed before `pnpm install` (the dependency layer). */
  const copiedBeforeInstall = lines
    .slice(0, Math.max(installLine, 0))
    .filter((line) => line.startsWith('COPY '))
    .flatMap((line) => {
      const args = line.split(/\s+/).slice(1).filter((arg) => !arg.startsWith('--'));
      return args.slice(0, -1);
    });

  it('builds on Node 20 slim with pnpm 10 and a frozen lockfile', () => {
    expect(dockerfile).not.toBe('');
    expect(lines.find((line) => line.startsWith('FROM '))).toBe('FROM node:20-bookworm-slim');
    const pnpmMajor = /^pnpm@(\d+)\./.exec(packageJson.packageManager ?? '')?.[1];
    expect(dockerfile).toContain(`npm install -g pnpm@${pnpmMajor}`);
    expect(lines[installLine]).toMatch(/pnpm install --frozen-lockfile/);
  });

  it('copies every manifest and what the postinstall needs before installing', () => {
    const needed = ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', ...workspacePackageDirectories().map((dir) => `${dir}/package.json`)];
    needed.push('prisma/schema.prisma', scriptFile('postinstall'));
    const missing = needed.filter((file) => !copiedBeforeInstall.includes(file));
    expect(missing, 'not COPYed before `pnpm install`').toEqual([]);
  });

  it('runs as a non-root user, with NODE_ENV=production set after the install', () => {
    const user = lines.filter((line) => line.startsWith('USER ')).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER\s+(root|0)\b/);
    const productionLine = lines.findIndex((line) => /^ENV\s+NODE_ENV=production\b/.test(line));
    expect(productionLine, 'pnpm would skip the devDependencies (tsx) under NODE_ENV=production').toBeGreaterThan(installLine);
  });

  it('keeps local state and installed modules out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    for (const entry of ['node_modules', '**/node_modules', '.data', '.git', 'coverage']) expect(ignored).toContain(entry);
  });
});
