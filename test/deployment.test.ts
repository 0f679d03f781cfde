// docker-compose.yml and the Kubernetes manifests cannot run on these machines (no Docker engine,
// no cluster), so this test keeps them, the Dockerfile and .env.example honest against the code
// instead. Which settings each process reads is found in its code (./environment-reads.ts), not in
// a hand-kept list: a setting added to the code fails here until it reaches every service that
// reads it. Also services, ports, probes, URL variables, commands, images and dependencies. It
// needs no database.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { SUBGRAPHS, SUBGRAPH_PORTS, subgraphUrlVariable } from '../gateway/src/config.js';
import { COMPILED_PACKAGES } from '../scripts/compiled-packages.js';
import { EnvironmentReader, type EnvironmentReads } from './environment-reads.js';

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
  stop_grace_period?: string;
  env_file?: string | Array<string | { path: string; required?: boolean }>;
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
    return Object.fromEntries(
      env.map((entry) => [
        entry.split('=')[0] ?? entry,
        entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : '',
      ]),
    );
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
const interpolations = [...COMPOSE_TEXT.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}/g)].map(
  (match) => ({
    name: match[1]!,
    operator: match[2],
    value: match[3] ?? '',
  }),
);

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

/** The processes a package script runs with tsx, each as its files (`tsx --import ./a.ts b.ts && tsx c.ts` runs two). */
function scriptProcesses(script: string): string[][] {
  return (packageJson.scripts[script] ?? '')
    .split(/&&|\|\||;/)
    .map((command) => command.trim().split(/\s+/))
    .filter((words) => words[0] === 'tsx')
    .map((words) => words.filter((word) => /\.[cm]?[jt]s$/.test(word)).map((file) => path.posix.normalize(file)));
}

/**
 * The source a file of a `node` command comes from: a compiled `<package>/dist/…/x.js` (`pnpm build`)
 * is its `<package>/src/…/x.ts`; a source file is itself.
 */
function sourceFile(file: string): string {
  const compiled = /^(.+)\/dist\/(.+)\.js$/.exec(file);
  return compiled ? `${compiled[1]}/src/${compiled[2]}.ts` : file;
}

/** The source files a `node` command runs: the modules it preloads with --import (tsx apart), then its script. */
function processFiles(args: string[]): string[] {
  const preloaded = args.flatMap((arg, index) =>
    args[index - 1] === '--import' && arg !== 'tsx' ? [sourceFile(path.posix.normalize(arg))] : [],
  );
  const script = args.at(-1);
  return [...preloaded, ...(script && /\.[cm]?[jt]s$/.test(script) ? [sourceFile(script)] : [])];
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

const SKIPPED_DIRECTORIES = new Set([
  'node_modules',
  '.git',
  '.data',
  '.ci',
  'coverage',
  'dist',
  'test',
  '__generated__',
]);

/** Non-test, non-generated source files of the repository, relative to the root. */
function sourceFiles(directory = ''): string[] {
  return readdirSync(path.join(ROOT, directory), { withFileTypes: true }).flatMap((entry) => {
    const relative = directory ? `${directory}/${entry.name}` : entry.name;
    if (entry.isDirectory())
      return SKIPPED_DIRECTORIES.has(entry.name) || entry.name.startsWith('.') ? [] : sourceFiles(relative);
    return /\.[cm]?[jt]s$/.test(entry.name) && !/\.(test|spec)\.[cm]?[jt]s$|\.d\.[cm]?ts$/.test(entry.name)
      ? [relative]
      : [];
  });
}

// ---------------------------------------------------------------------------------------------
// What each process reads, from its code

const reader = new EnvironmentReader({
  root: ROOT,
  // Their helpers that take a variable's name, such as numberSetting('NAME', …), are read as reads of NAME.
  settingsModules: ['packages/database/src/settings.ts', 'packages/database/src/config.ts'],
  // The one read with a computed name: process.env[subgraphUrlVariable(name)] for each subgraph.
  dynamicRead: (file, expression) =>
    file === 'gateway/src/config.ts' && expression === 'subgraphUrlVariable(name)'
      ? SUBGRAPHS.map(subgraphUrlVariable)
      : undefined,
});

/** The processes a deployment runs, by their compose service and Kubernetes workload name, and the file each starts. */
const SERVICE_ENTRIES: Record<string, string> = {
  gateway: 'gateway/src/index.ts',
  ...Object.fromEntries(SUBGRAPHS.map((name) => [name, `subgraphs/${name}/src/index.ts`])),
  migrate: scriptFile('db:migrate'),
};
const SERVERS = ['gateway', ...SUBGRAPHS];
const SERVER_PORTS: Record<string, number> = { gateway: 4000, ...SUBGRAPH_PORTS };

/**
 * What each service's process reads: the files its compose command runs (its entry point, and any
 * module it preloads). The Kubernetes workloads must run the same command.
 */
const serviceReads: Record<string, EnvironmentReads> = Object.fromEntries(
  Object.entries(SERVICE_ENTRIES).map(([name, entry]) => {
    const files = services[name]?.command === undefined ? [entry] : processFiles(command(service(name)));
    return [name, reader.read(...(files.includes(entry) ? files : [...files, entry]))];
  }),
);
/** Every process of the repository: the services, and what the package scripts run (pnpm start, the seed, the benchmarks …). */
const allReads: Array<[string, EnvironmentReads]> = [
  ...Object.entries(serviceReads).map(([name, reads]): [string, EnvironmentReads] => [name, reads]),
  ...Object.keys(packageJson.scripts)
    .flatMap(scriptProcesses)
    .filter((files, index, all) => all.findIndex((other) => other.join(' ') === files.join(' ')) === index)
    .map((files): [string, EnvironmentReads] => [files.join(' '), reader.read(...files)]),
];
const readByAnyProcess = new Map<string, string[]>();
for (const [, reads] of allReads) {
  for (const [name, files] of reads.variables)
    readByAnyProcess.set(name, [...new Set([...(readByAnyProcess.get(name) ?? []), ...files])]);
}

/** Settings that an npm package reads itself, in every process that imports it. */
const LIBRARY_SETTINGS: Array<{ packageName: string; variables: RegExp }> = [
  // The OpenTelemetry SDK configures its exporter and resource from OTEL_* variables.
  { packageName: '@opentelemetry/sdk-node', variables: /^OTEL_[A-Z0-9_]+$/ },
];

/**
 * Read by the services' code but given to no container, and why. Anything else a service reads must
 * reach it.
 */
const NOT_FOR_CONTAINERS: Record<string, string> = {
  DATA_DIR: 'local state of `pnpm start`; containers get AUTH_SIGNING_KEY, required there, and keep no files',
};
/** As NOT_FOR_CONTAINERS, for docker-compose.yml only. */
const NOT_FOR_COMPOSE: Record<string, string> = {
  APP_DATABASE_URL:
    "derived from DATABASE_URL and APP_DATABASE_PASSWORD, which compose sets; one in .env would be the host's",
};

/** The variables a service needs in its container, each with the files that read it. */
function neededBy(service: string, skipped: Record<string, string>): Map<string, string[]> {
  const reads = serviceReads[service];
  if (!reads) throw new Error(`no entry point for the service "${service}"`);
  const needed = new Map([...reads.variables].filter(([name]) => !(name in NOT_FOR_CONTAINERS) && !(name in skipped)));
  for (const { packageName, variables } of LIBRARY_SETTINGS) {
    if (!reads.packages.has(packageName)) continue;
    for (const name of exampleNames)
      if (variables.test(name)) needed.set(name, [...(needed.get(name) ?? []), packageName]);
  }
  return needed;
}

/** What each service lacks of what it needs ("NAME (read in file)"), by service; empty services left out. */
function missingSettings(
  provided: (service: string) => Set<string>,
  services: string[],
  skipped: Record<string, string>,
): Record<string, string[]> {
  const missing = services.map((service): [string, string[]] => {
    const has = provided(service);
    return [
      service,
      [...neededBy(service, skipped)]
        .filter(([name]) => !has.has(name))
        .map(([name, files]) => `${name} (read in ${files.join(', ')})`),
    ];
  });
  return Object.fromEntries(missing.filter(([, names]) => names.length > 0));
}

/** The variables the image itself sets (`ENV NAME=value`), present in every container. */
function imageEnvironment(): Set<string> {
  const names = read('Dockerfile')
    .split('\n')
    .flatMap((line) => /^ENV\s+(.+)$/.exec(line.trim())?.[1]?.split(/\s+/) ?? [])
    .map((assignment) => assignment.split('=')[0] ?? '');
  return new Set(names.filter(Boolean));
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
    if (assignment)
      found.push({ name: assignment[2]!, value: assignment[3]!.trim(), commented: Boolean(assignment[1]), section });
  }
  return found;
}

const example = exampleVariables();
const exampleNames = new Set(example.map((variable) => variable.name));
const notReadYet = new Set(
  example.filter((variable) => variable.section === NOT_READ_YET_SECTION).map((variable) => variable.name),
);

// ---------------------------------------------------------------------------------------------

/** What a compose service's container gets: its environment, an env_file of .env (any documented variable), the image's ENV. */
function composeProvides(name: string): Set<string> {
  const svc = service(name);
  const envFiles =
    svc.env_file === undefined
      ? []
      : [svc.env_file].flat().map((entry) => (typeof entry === 'string' ? entry : entry.path));
  const fromEnvFile = envFiles.some((file) => path.basename(file) === '.env') ? [...exampleNames] : [];
  return new Set([...Object.keys(environment(svc)), ...fromEnvFile, ...imageEnvironment()]);
}

/** The seconds of a compose duration such as 35s or 1m30s. */
function durationSeconds(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|m|s|ms)/g)];
  if (parts.length === 0) throw new Error(`not a duration: ${text}`);
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  return parts.reduce((sum, [, amount, suffix]) => sum + Number(amount) * (unit[suffix ?? 's'] ?? 1), 0);
}

/** What a stop may take after the grace before the process exits anyway (SHUTDOWN_MARGIN_MS of packages/graphql-kit/src/shutdown.ts). */
const SHUTDOWN_MARGIN_SECONDS = 10;

/** SHUTDOWN_GRACE_SECONDS as .env.example documents it: how long a stopping process drains. */
function documentedShutdownGrace(): number {
  const documented = example.find((variable) => variable.name === 'SHUTDOWN_GRACE_SECONDS');
  expect(documented, '.env.example documents SHUTDOWN_GRACE_SECONDS').toBeDefined();
  return Number(documented?.value);
}

describe('docker-compose.yml', () => {
  it('passes every setting a service reads, found in its code, to that service', () => {
    expect(
      missingSettings(composeProvides, Object.keys(SERVICE_ENTRIES), NOT_FOR_COMPOSE),
      'read by the code, not passed by docker-compose.yml',
    ).toEqual({});
  });

  it('passes a service only settings its code reads, or planned ones', () => {
    const extra = Object.fromEntries(
      Object.keys(SERVICE_ENTRIES)
        .map((name): [string, string[]] => {
          const needed = neededBy(name, {});
          return [
            name,
            Object.keys(environment(service(name))).filter(
              (variable) => !needed.has(variable) && !notReadYet.has(variable),
            ),
          ];
        })
        .filter(([, names]) => names.length > 0),
    );
    expect(extra, 'passed by docker-compose.yml, read by no code of that service').toEqual({});
  });

  it('runs node itself in every service, never through pnpm, on its entry point', () => {
    for (const [name, entry] of Object.entries(SERVICE_ENTRIES)) {
      const args = command(service(name));
      expect(args[0], `${name}: command`).toBe('node');
      expect(sourceFile(args.at(-1) ?? ''), `${name}: entry point`).toBe(entry);
      for (const file of processFiles(args)) expect(exists(file), `${name}: ${file} exists`).toBe(true);
    }
  });

  it('runs the servers compiled (pnpm build) with the "compiled" condition, the migration with tsx', () => {
    for (const name of SERVERS) {
      const args = command(service(name));
      expect(args.slice(0, 2), `${name}: command`).toEqual(['node', '--conditions=compiled']);
      const compiledFiles = args.filter((arg) => /\/dist\/.+\.js$/.test(arg));
      expect(compiledFiles.length, `${name}: compiled preloads and entry`).toBe(
        args.filter((arg) => /\.[cm]?[jt]s$/.test(arg)).length,
      );
      for (const file of compiledFiles.map((arg) => path.posix.normalize(arg))) {
        const packageDirectory = file.slice(0, file.indexOf('/dist/'));
        expect(COMPILED_PACKAGES, `${name}: ${packageDirectory} is compiled by pnpm build`).toContain(packageDirectory);
      }
    }
    expect(command(service('migrate')).slice(0, 3)).toEqual(['node', '--import', 'tsx']);
    expect(read('Dockerfile')).toMatch(/^RUN pnpm build$/m);
    expect(packageJson.scripts.build).toBe('tsx scripts/build.ts');
  });

  it('resolves every compiled package to dist/ under the "compiled" condition and to src/ otherwise', () => {
    for (const directory of COMPILED_PACKAGES) {
      const { exports } = JSON.parse(read(`${directory}/package.json`)) as {
        exports: Record<string, { compiled?: string; default?: string }>;
      };
      for (const [subpath, target] of Object.entries(exports)) {
        expect(target.default, `${directory} ${subpath}`).toMatch(/^\.\/src\/.+\.ts$/);
        expect(target.compiled, `${directory} ${subpath}`).toBe(
          target.default?.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '.js'),
        );
      }
    }
  });

  it('health-checks every server at /readyz on its port, a route its code serves', () => {
    for (const name of SERVERS) {
      const port = SERVER_PORTS[name];
      expect(environment(service(name)).PORT, `${name}: PORT`).toBe(String(port));
      const health = healthcheckText(service(name));
      expect(
        [...health.matchAll(/:(\d+)(\/\w+)\b/g)].map((match) => `${match[1]}${match[2]}`),
        `${name}: healthcheck`,
      ).toEqual([`${port}/readyz`]);
      expect(serviceReads[name]?.strings.has('/readyz'), `${name}: its code serves /readyz`).toBe(true);
    }
  });

  it('gives a stopping server longer than its drain and its margin before it is killed', () => {
    const grace = documentedShutdownGrace() + SHUTDOWN_MARGIN_SECONDS;
    for (const name of SERVERS) {
      const stopGrace = service(name).stop_grace_period;
      expect(stopGrace, `${name}: stop_grace_period (compose's default is 10 s)`).toBeDefined();
      expect(durationSeconds(stopGrace ?? '0s'), `${name}: stop_grace_period`).toBeGreaterThan(grace);
    }
  });

  it("agrees with each entry point's own default port", () => {
    for (const name of SUBGRAPHS) {
      // runSubgraphProcess(name, definition, defaultPort): PORT, else defaultPort.
      const fallback = /runSubgraphProcess\([^,]+,\s*[^,]+,\s*(\d+)\)/.exec(
        read(`subgraphs/${name}/src/index.ts`),
      )?.[1];
      expect(Number(fallback), `subgraphs/${name}/src/index.ts falls back to SUBGRAPH_PORTS.${name}`).toBe(
        SUBGRAPH_PORTS[name],
      );
    }
    const gatewayFallback = /portSetting\((\d+)\)/.exec(read('gateway/src/gateway-settings.ts'))?.[1];
    expect(Number(gatewayFallback)).toBe(GATEWAY_PORT);
  });

  it('gives the gateway each subgraph URL under the variable the gateway reads', () => {
    const gateway = service('gateway');
    const env = environment(gateway);
    const expected = Object.fromEntries(
      SUBGRAPHS.map((name) => [subgraphUrlVariable(name), `http://${name}:${SUBGRAPH_PORTS[name]}/graphql`]),
    );
    const configured = Object.fromEntries(Object.entries(env).filter(([key]) => key.endsWith('_SUBGRAPH_URL')));
    expect(configured).toEqual(expected);
    for (const name of SUBGRAPHS) expect(dependsOn(gateway)[name], `gateway waits for ${name}`).toBe('service_healthy');
  });

  it('publishes the gateway on its port', () => {
    const gateway = service('gateway');
    expect((gateway.ports ?? []).map(String)).toContain(`${GATEWAY_PORT}:${GATEWAY_PORT}`);
  });

  it('starts every service it builds from a file that exists, all from the one image', () => {
    expect(appServices.map(([name]) => name).sort()).toEqual(Object.keys(SERVICE_ENTRIES).sort());
    for (const [name, svc] of appServices) {
      const context = typeof svc.build === 'string' ? svc.build : svc.build?.context;
      expect(context, `${name}: build context`).toBe('.');
      expect(svc.image, `${name}: image`).toBe(service('gateway').image);
      // A compiled file (`pnpm build`, run by the image) exists once built: its source must.
      const files = command(svc)
        .filter((arg) => /\.[cm]?[jt]s$/.test(arg))
        .map((file) => sourceFile(path.posix.normalize(file)));
      expect(files.length, `${name}: its command names no file to run`).toBeGreaterThan(0);
      for (const file of files) expect(exists(file), `${name}: ${file} exists`).toBe(true);
    }
  });

  it('runs the migration once, before any subgraph starts', () => {
    const migrate = service('migrate');
    expect(String(migrate.restart)).toBe('no');
    expect(dependsOn(migrate).postgres).toBe('service_healthy');
    for (const name of SUBGRAPHS)
      expect(dependsOn(service(name)).migrate, `${name} waits for the migration`).toBe(
        'service_completed_successfully',
      );
  });

  it('uses PostgreSQL 16 or later and Redis 7, both health-checked', () => {
    const postgres = service('postgres');
    const redis = service('redis');
    expect(Number(/^postgres:(\d+)/.exec(postgres.image ?? '')?.[1])).toBeGreaterThanOrEqual(16);
    expect(redis.image).toMatch(/^redis:7(?:$|[.-])/);
    expect(healthcheckText(postgres)).toContain('pg_isready');
    expect(healthcheckText(redis)).toContain('redis-cli');
  });

  it('migrates as the database owner and points every service at the same database, the gateway at Redis', () => {
    const postgres = environment(service('postgres'));
    const owner = new URL(environment(service('migrate')).DATABASE_URL ?? '');
    expect(owner.hostname).toBe('postgres');
    expect(owner.username).toBe('postgres');
    expect(decodeURIComponent(owner.password)).toBe(postgres.POSTGRES_PASSWORD);
    const database = owner.pathname.slice(1);
    expect(database).toBe(postgres.POSTGRES_DB ?? 'postgres');

    for (const name of SERVERS) {
      const url = new URL(environment(service(name)).DATABASE_URL ?? '');
      expect(url.hostname, `${name}: DATABASE_URL host`).toBe('postgres');
      expect(url.pathname.slice(1), `${name}: database`).toBe(database);
      expect(url.password, `${name}: no owner password`).toBe('');
    }
    expect(new URL(environment(service('gateway')).REDIS_URL ?? '').hostname).toBe('redis');
    expect(dependsOn(service('gateway')).redis).toBe('service_healthy');
  });

  it('shares one signing key, required, and one app-role password across the processes', () => {
    const keys = SERVERS.map((name) => environment(service(name)).AUTH_SIGNING_KEY);
    for (const key of keys) expect(key).toMatch(/^\$\{AUTH_SIGNING_KEY:\?/);
    expect(new Set(keys).size).toBe(1);
    const passwords = Object.keys(SERVICE_ENTRIES).map((name) => environment(service(name)).APP_DATABASE_PASSWORD);
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
      expect(
        exampleNames.has(name),
        `docker-compose.yml interpolates ${name}, which .env.example does not document`,
      ).toBe(true);
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
  it('finds every variable the code reads (no computed names it cannot tell)', () => {
    const unresolved = allReads.flatMap(([, reads]) => reads.unresolved);
    expect(
      [...new Set(unresolved)],
      'process.env[...] or a settings helper with a computed name: teach this test what it reads',
    ).toEqual([]);
    const mismatched = allReads.flatMap(([, reads]) => reads.mismatched);
    expect([...new Set(mismatched)], 'a setting named one way and read another').toEqual([]);
    expect(readByAnyProcess.size).toBeGreaterThan(0);
  });

  it('documents every variable a process reads', () => {
    const undocumented = [...readByAnyProcess]
      .filter(([name]) => !exampleNames.has(name))
      .map(([name, files]) => `${name} (read in ${files.join(', ')})`);
    expect(undocumented, 'read by the code but missing from .env.example').toEqual([]);
  });

  it('documents only variables some process reads, apart from its "not read yet" section', () => {
    const readByLibraries = (name: string): boolean =>
      LIBRARY_SETTINGS.some(
        ({ packageName, variables }) =>
          variables.test(name) && allReads.some(([, reads]) => reads.packages.has(packageName)),
      );
    const unread = [...exampleNames].filter(
      (name) => !notReadYet.has(name) && !readByAnyProcess.has(name) && !readByLibraries(name),
    );
    expect(unread, 'in .env.example but read by no process').toEqual([]);
    const nowRead = [...notReadYet]
      .filter((name) => readByAnyProcess.has(name))
      .map((name) => `${name} (${readByAnyProcess.get(name)?.join(', ')})`);
    expect(nowRead, `read by the code now: move them out of "${NOT_READ_YET_SECTION}" in .env.example`).toEqual([]);
  });

  it('knows every process that reads the environment: each file reading it is reached from one', () => {
    const reached = new Set(allReads.flatMap(([, reads]) => [...reads.variables.values()].flat()));
    // The testkit and the test runner's configuration read the test run's own settings.
    const testSupport = (file: string): boolean => file.startsWith('packages/testkit/') || file === 'vitest.config.ts';
    const unreached = sourceFiles().filter(
      (file) => /process\.env\b(?!\s*[,}])/.test(read(file)) && !reached.has(file) && !testSupport(file),
    );
    expect(unreached, 'read the environment but no process reaches them: add their entry point to this test').toEqual(
      [],
    );
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
      const args = line
        .split(/\s+/)
        .slice(1)
        .filter((arg) => !arg.startsWith('--'));
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
    const needed = [
      'package.json',
      'pnpm-lock.yaml',
      'pnpm-workspace.yaml',
      ...workspacePackageDirectories().map((dir) => `${dir}/package.json`),
    ];
    needed.push('prisma/schema.prisma', scriptFile('postinstall'));
    const missing = needed.filter((file) => !copiedBeforeInstall.includes(file));
    expect(missing, 'not COPYed before `pnpm install`').toEqual([]);
  });

  it('runs as a non-root user, with NODE_ENV=production set after the install', () => {
    const user = lines.filter((line) => line.startsWith('USER ')).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER\s+(root|0)\b/);
    const productionLine = lines.findIndex((line) => /^ENV\s+NODE_ENV=production\b/.test(line));
    expect(productionLine, 'pnpm would skip the devDependencies (tsx) under NODE_ENV=production').toBeGreaterThan(
      installLine,
    );
  });

  it('runs node as the child of tini, PID 1, which passes the stop signals on', () => {
    expect(
      lines.some((line) => /^RUN\b.*\bapt-get install\b.*\btini\b/.test(line)),
      'tini installed from Debian',
    ).toBe(true);
    const entrypoint = lines.filter((line) => line.startsWith('ENTRYPOINT ')).at(-1) ?? '';
    expect(JSON.parse(entrypoint.slice('ENTRYPOINT '.length)) as unknown).toEqual(['/usr/bin/tini', '--']);
    const cmd = lines.filter((line) => line.startsWith('CMD ')).at(-1) ?? '';
    expect(JSON.parse(cmd.slice('CMD '.length)) as unknown, "the gateway's command, as compose runs it").toEqual(
      command(service('gateway')),
    );
  });

  it('keeps local state and installed modules out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim());
    for (const entry of ['node_modules', '**/node_modules', '.data', '.git', 'coverage'])
      expect(ignored).toContain(entry);
  });
});

// ---------------------------------------------------------------------------------------------
// deploy/kubernetes

const KUBERNETES = 'deploy/kubernetes';
const SECRET_TEMPLATE = 'secret.example.yaml';

interface Kustomization {
  resources?: string[];
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
}
const kustomization = parse(read(`${KUBERNETES}/kustomization.yaml`)) as Kustomization;

interface ManifestObject {
  file: string;
  object: { apiVersion?: string; kind?: string; metadata?: { name?: string } };
}
/** Every object of the manifests kustomization.yaml lists, and of the Secret template. */
const manifestObjects: ManifestObject[] = [...(kustomization.resources ?? []), SECRET_TEMPLATE].flatMap((file) =>
  parseAllDocuments(read(`${KUBERNETES}/${file}`)).map((document) => ({
    file,
    object: document.toJS() as ManifestObject['object'],
  })),
);

function named<T>(guard: (value: unknown) => boolean, build: (value: never) => T, name: string): T {
  const found = manifestObjects.find(({ object }) => guard(object) && object.metadata?.name === name);
  if (!found) throw new Error(`${KUBERNETES} has no ${name}`);
  return build(found.object as never);
}
const deployment = (name: string): Deployment => named(Deployment.is, (value) => new Deployment(value), name);
const kubernetesService = (name: string): Service => named(Service.is, (value) => new Service(value), name);
const migrationJob = (): Job => named(Job.is, (value) => new Job(value), 'migrate');

/** The keys of a ConfigMap or Secret of the manifests, by kind and name. */
function configKeys(kind: 'ConfigMap' | 'Secret', name: string): string[] {
  const found = manifestObjects.find(({ object }) => object.kind === kind && object.metadata?.name === name);
  if (!found) throw new Error(`${KUBERNETES} has no ${kind} ${name}`);
  const { data, stringData } = found.object as { data?: Record<string, string>; stringData?: Record<string, string> };
  return [...Object.keys(data ?? {}), ...Object.keys(stringData ?? {})];
}
function configValues(kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> {
  const found = manifestObjects.find(({ object }) => object.kind === kind && object.metadata?.name === name);
  const { data, stringData } = (found?.object ?? {}) as {
    data?: Record<string, string>;
    stringData?: Record<string, string>;
  };
  return { ...data, ...stringData };
}

type PodSpec = NonNullable<NonNullable<NonNullable<Deployment['spec']>['template']>['spec']>;
type Container = PodSpec['containers'][number];

/** The pod of a workload: a server's Deployment, or the migration Job. */
function podSpec(workload: string): PodSpec {
  const spec = workload === 'migrate' ? migrationJob().spec?.template.spec : deployment(workload).spec?.template.spec;
  if (!spec) throw new Error(`${workload} has no pod spec`);
  return spec;
}
function container(workload: string): Container {
  const containers = podSpec(workload).containers;
  expect(
    containers.map((each) => each.name),
    `${workload}: one container`,
  ).toEqual([workload]);
  const [only] = containers;
  if (!only) throw new Error(`${workload} has no container`);
  return only;
}

/** The ConfigMaps and Secrets a workload loads whole (envFrom). */
function loadedConfig(workload: string): Array<{ kind: 'ConfigMap' | 'Secret'; name: string }> {
  return (container(workload).envFrom ?? []).flatMap((source) => [
    ...(source.configMapRef?.name ? [{ kind: 'ConfigMap' as const, name: source.configMapRef.name }] : []),
    ...(source.secretRef?.name ? [{ kind: 'Secret' as const, name: source.secretRef.name }] : []),
  ]);
}

/** What a workload's container gets: env, the keys of what envFrom loads, the image's ENV. */
function kubernetesProvides(workload: string): Set<string> {
  const env = (container(workload).env ?? []).map((variable) => variable.name);
  const loaded = loadedConfig(workload).flatMap(({ kind, name }) => configKeys(kind, name));
  return new Set([...env, ...loaded, ...imageEnvironment()]);
}

function envValue(workload: string, name: string): string | undefined {
  return (container(workload).env ?? []).find((variable) => variable.name === name)?.value;
}

/** Bytes of a Kubernetes memory quantity (256Mi, 1Gi, 500M). */
function bytes(quantity: string | number | undefined): number {
  const match = /^(\d+(?:\.\d+)?)([KMGT]i?)?$/.exec(String(quantity ?? ''));
  if (!match) throw new Error(`not a memory quantity: ${quantity}`);
  const units: Record<string, number> = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    K: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
  };
  return Number(match[1]) * (match[2] ? (units[match[2]] ?? 1) : 1);
}

/** The port number a probe or Service names, by number or by the container port's name. */
function portNumber(workload: string, port: string | number | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container(workload).ports?.find((each) => each.name === port)?.containerPort;
}

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  const WORKLOADS = Object.keys(SERVICE_ENTRIES);
  const IMAGE = (service('gateway').image ?? '').split(':')[0];

  it('lists every manifest in kustomization.yaml, the Secret template apart', () => {
    const files = readdirSync(path.join(ROOT, KUBERNETES)).filter(
      (file) => /\.ya?ml$/.test(file) && file !== 'kustomization.yaml' && file !== SECRET_TEMPLATE,
    );
    expect([...(kustomization.resources ?? [])].sort()).toEqual(files.sort());
  });

  it('holds only objects the Kubernetes API schema accepts', () => {
    const models = [ConfigMap, Secret, Service, Deployment, HorizontalPodAutoscaler, Job, PodDisruptionBudget];
    for (const { file, object } of manifestObjects) {
      const model = models.find((each) => each.is(object));
      expect(model, `${file}: ${object.apiVersion} ${object.kind} is not one this test knows`).toBeDefined();
      const label = `${file}: ${object.kind} ${object.metadata?.name}`;
      expect(() => (model ? new model(object as never).validate() : undefined), label).not.toThrow();
    }
  });

  it('passes every setting a workload reads, found in its code, to it', () => {
    expect(missingSettings(kubernetesProvides, WORKLOADS, {}), `read by the code, not passed by ${KUBERNETES}`).toEqual(
      {},
    );
  });

  it('keeps in its ConfigMap and Secrets only documented settings that a workload loading them reads', () => {
    const sources = manifestObjects.filter(({ object }) => object.kind === 'ConfigMap' || object.kind === 'Secret');
    expect(sources.length).toBeGreaterThan(0);
    for (const { object } of sources) {
      const kind = object.kind as 'ConfigMap' | 'Secret';
      const name = object.metadata?.name ?? '';
      const loaders = WORKLOADS.filter((workload) =>
        loadedConfig(workload).some((each) => each.kind === kind && each.name === name),
      );
      expect(loaders.length, `${kind} ${name}: loaded by no workload`).toBeGreaterThan(0);
      const keys = configKeys(kind, name);
      expect(
        keys.filter((key) => !exampleNames.has(key)),
        `${kind} ${name}: not in .env.example`,
      ).toEqual([]);
      const unread = keys.filter(
        (key) => !notReadYet.has(key) && !loaders.some((workload) => neededBy(workload, {}).has(key)),
      );
      expect(unread, `${kind} ${name}: read by none of ${loaders.join(', ')}`).toEqual([]);
    }
  });

  it('runs each process from the image of the Dockerfile, as node under the image entry point, tini', () => {
    expect(kustomization.images?.map((image) => image.name)).toEqual([IMAGE]);
    for (const [workload, entry] of Object.entries(SERVICE_ENTRIES)) {
      const each = container(workload);
      expect(each.image, `${workload}: image`).toBe(IMAGE);
      expect(each.command, `${workload}: a command would replace tini`).toBeUndefined();
      expect(each.args, `${workload}: args, the command of docker-compose.yml`).toEqual(command(service(workload)));
      expect(sourceFile(each.args?.at(-1) ?? ''), `${workload}: entry point`).toBe(entry);
    }
  });

  it('runs every pod as the unprivileged user of the image', () => {
    for (const workload of WORKLOADS) {
      expect(podSpec(workload).securityContext?.runAsNonRoot, `${workload}: runAsNonRoot`).toBe(true);
      expect(
        container(workload).securityContext?.allowPrivilegeEscalation,
        `${workload}: allowPrivilegeEscalation`,
      ).toBe(false);
    }
  });

  it('serves each server on its port, probed at /readyz and /healthz, routes its code serves', () => {
    for (const name of SERVERS) {
      const port = SERVER_PORTS[name];
      const each = container(name);
      expect(envValue(name, 'PORT'), `${name}: PORT`).toBe(String(port));
      expect(
        each.ports?.map((entry) => entry.containerPort),
        `${name}: containerPort`,
      ).toEqual([port]);
      expect(each.readinessProbe?.httpGet?.path, `${name}: readiness`).toBe('/readyz');
      expect(portNumber(name, each.readinessProbe?.httpGet?.port), `${name}: readiness port`).toBe(port);
      expect(each.livenessProbe?.httpGet?.path, `${name}: liveness`).toBe('/healthz');
      expect(portNumber(name, each.livenessProbe?.httpGet?.port), `${name}: liveness port`).toBe(port);
      for (const route of ['/readyz', '/healthz'])
        expect(serviceReads[name]?.strings.has(route), `${name}: its code serves ${route}`).toBe(true);

      const svc = kubernetesService(name);
      expect(svc.spec?.selector, `${name}: Service selector`).toEqual(deployment(name).spec?.selector.matchLabels);
      const servicePort = svc.spec?.ports?.[0];
      expect(servicePort?.port, `${name}: Service port`).toBe(port);
      expect(portNumber(name, servicePort?.targetPort), `${name}: Service targetPort`).toBe(port);
    }
  });

  it('gives the gateways each subgraph URL at its Service', () => {
    const settings = Object.fromEntries(
      loadedConfig('gateway').flatMap(({ kind, name }) =>
        Object.entries(kind === 'ConfigMap' ? configValues(kind, name) : {}),
      ),
    );
    for (const name of SUBGRAPHS) {
      expect(settings[subgraphUrlVariable(name)], subgraphUrlVariable(name)).toBe(
        `http://${kubernetesService(name).metadata?.name}:${SUBGRAPH_PORTS[name]}/graphql`,
      );
    }
  });

  it('lets a stopping pod drain: unlisted during a preStop pause, killed only after the drain and its margin', () => {
    for (const name of SERVERS) {
      const grace = Number(
        loadedConfig(name)
          .map(({ kind, name: source }) => configValues(kind, source).SHUTDOWN_GRACE_SECONDS)
          .find((value) => value !== undefined) ?? documentedShutdownGrace(),
      );
      const preStop = container(name).lifecycle?.preStop?.exec?.command ?? [];
      expect(preStop[0], `${name}: preStop pauses`).toBe('sleep');
      const pause = Number(preStop[1]);
      expect(pause, `${name}: preStop pause`).toBeGreaterThan(0);
      expect(podSpec(name).terminationGracePeriodSeconds, `${name}: terminationGracePeriodSeconds`).toBeGreaterThan(
        pause + grace + SHUTDOWN_MARGIN_SECONDS,
      );
    }
  });

  it('reserves CPU and memory for every container, with a memory limit above the request', () => {
    for (const workload of WORKLOADS) {
      const resources = container(workload).resources;
      expect(resources?.requests?.cpu, `${workload}: CPU request`).toBeDefined();
      const request = bytes(resources?.requests?.memory);
      expect(request, `${workload}: memory request`).toBeGreaterThanOrEqual(128 * 2 ** 20);
      expect(bytes(resources?.limits?.memory), `${workload}: memory limit`).toBeGreaterThan(request);
    }
  });

  it('scales each server with an autoscaler, and a disruption budget keeps all but one pod up', () => {
    for (const name of SERVERS) {
      expect(deployment(name).spec?.replicas, `${name}: replicas belong to the autoscaler`).toBeUndefined();
      const autoscaler = named(HorizontalPodAutoscaler.is, (value) => new HorizontalPodAutoscaler(value), name);
      expect(autoscaler.spec?.scaleTargetRef, `${name}: autoscaler target`).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name,
      });
      const minimum = autoscaler.spec?.minReplicas ?? 1;
      expect(minimum, `${name}: at least two pods`).toBeGreaterThanOrEqual(2);
      expect(autoscaler.spec?.maxReplicas, `${name}: maxReplicas`).toBeGreaterThanOrEqual(minimum);

      const budget = named(PodDisruptionBudget.is, (value) => new PodDisruptionBudget(value), name);
      expect(budget.spec?.selector?.matchLabels, `${name}: budget selector`).toEqual(
        deployment(name).spec?.selector.matchLabels,
      );
      expect(budget.spec?.maxUnavailable, `${name}: one pod at a time`).toBe(1);
      const podLabels = deployment(name).spec?.template.metadata?.labels ?? {};
      for (const [key, value] of Object.entries(deployment(name).spec?.selector.matchLabels ?? {}))
        expect(podLabels[key], `${name}: pod label ${key}`).toBe(value);
    }
  });

  it("runs the migration as a Job that alone holds the owner's credentials", () => {
    const job = migrationJob();
    expect(job.spec?.template.spec?.restartPolicy).toBe('Never');
    expect(job.spec?.backoffLimit).toBeGreaterThanOrEqual(1);
    const jobSecrets = loadedConfig('migrate')
      .filter(({ kind }) => kind === 'Secret')
      .map(({ name }) => name);
    const owner = new URL(
      Object.assign({}, ...jobSecrets.map((name) => configValues('Secret', name))).DATABASE_URL ?? '',
    );
    expect(owner.password, "the Job's DATABASE_URL has the owner's password").not.toBe('');
    for (const name of SERVERS) {
      const loaded = loadedConfig(name);
      expect(
        loaded.filter(({ name: source }) => jobSecrets.includes(source)),
        `${name} loads the Job's Secret`,
      ).toEqual([]);
      for (const { kind, name: source } of loaded) {
        const url = configValues(kind, source).DATABASE_URL;
        if (url) expect(new URL(url).password, `${name}: DATABASE_URL without a password`).toBe('');
      }
    }
  });

  it('ships a Secret template without secrets, one app-role password in both Secrets', () => {
    const secrets = manifestObjects
      .filter(({ file, object }) => file === SECRET_TEMPLATE && object.kind === 'Secret')
      .map(({ object }) => configValues('Secret', object.metadata?.name ?? ''));
    expect(secrets.length).toBeGreaterThan(0);
    const privateKey = (text: string): boolean => {
      try {
        return typeof (JSON.parse(text) as { d?: unknown } | null)?.d === 'string';
      } catch {
        return false;
      }
    };
    for (const values of secrets) {
      for (const [key, value] of Object.entries(values)) {
        expect(privateKey(value), `${key} holds a private key`).toBe(false);
        if (/PASSWORD$/.test(key)) expect(value, `${key} is a placeholder`).toBe('change-me');
        if (/_URL$/.test(key) && /^\w+:\/\//.test(value) && new URL(value).password)
          expect(new URL(value).password, `${key}: placeholder password`).toBe('change-me');
      }
    }
    expect(new Set(secrets.map((values) => values.APP_DATABASE_PASSWORD)).size).toBe(1);
  });
});
