// Which environment variables a process reads, found by reading its code rather than a hand-kept
// list: from an entry point, the modules it loads (relative imports and the workspace's
// `@commerce/*` packages, resolved through their package.json exports) and, in them, the code that
// can run: every module's top level, and each function or class once something that runs names it;
// a file it starts as a child process (`new URL('./child.ts', import.meta.url)`) counts as its own.
// Reads are `process.env.NAME`, `process.env['NAME']`, and the names passed to settings helpers
// (a parameter a function reads as `process.env[parameter]`, or the `name` first parameter of the
// helpers of a settings module, such as numberSetting('NAME', …)).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';

/** What the code a process can run reads, from its entry files. */
export interface EnvironmentReads {
  /** Each variable, with the files whose reached code reads it. */
  variables: Map<string, string[]>;
  /** Reads whose name the analysis cannot tell (`process.env[computed]`, a helper given a computed name). */
  unresolved: string[];
  /** A helper given one name and the environment value of another: numberSetting('A', process.env.B). */
  mismatched: string[];
  /** npm packages the loaded modules import (some read settings of their own, like OTEL_*). */
  packages: Set<string>;
  /** Every string literal of the reached code (routes such as '/readyz'). */
  strings: Set<string>;
}

export interface EnvironmentReadOptions {
  /** The repository, whose pnpm-workspace.yaml lists the packages. */
  root: string;
  /** Files (relative to root) whose functions with a first parameter `name` are given a variable's name there. */
  settingsModules: string[];
  /** Names read by `process.env[expression]` that only the caller can tell, or undefined. */
  dynamicRead?: (file: string, expression: string) => string[] | undefined;
}

type Declaration =
  | ts.FunctionDeclaration
  | ts.ClassDeclaration
  | ts.VariableDeclaration
  | ts.EnumDeclaration
  | ts.Expression;

interface Binding {
  /** The module imported from, relative to the root; null for an npm package. */
  from: string | null;
  /** The name exported there: 'default', '*' (a namespace) or a plain name. */
  name: string;
}

/** Where a settings helper takes a variable's name, and whether it reads that variable itself. */
interface NameParameter {
  index: number;
  reads: boolean;
}

interface Module {
  file: string;
  source: ts.SourceFile;
  declarations: Map<string, Declaration>;
  imports: Map<string, Binding>;
  exports: Map<string, { local: string } | Binding>;
  starExports: string[];
  /** Modules this one loads when it loads. */
  loads: string[];
  packages: string[];
  /** Code that runs when the module loads. */
  topLevel: ts.Node[];
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === kind);
}

function isFunctionLike(node: ts.Node | undefined): node is ts.ArrowFunction | ts.FunctionExpression {
  return node !== undefined && (ts.isArrowFunction(node) || ts.isFunctionExpression(node));
}

function bindingNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : bindingNames(element.name)));
}

function isProcessEnv(node: ts.Node): boolean {
  return (
    ts.isPropertyAccessExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'process' &&
    node.name.text === 'env'
  );
}

function literalText(node: ts.Node | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}

/** The package name of a bare import specifier: `@scope/name` or `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Workspace package names with their directories and exports, from pnpm-workspace.yaml. */
function workspacePackages(root: string): Map<string, { directory: string; exports: Record<string, unknown> }> {
  const { packages } = parse(readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8')) as { packages: string[] };
  const directories = packages.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(path.join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`);
  });
  const found = new Map<string, { directory: string; exports: Record<string, unknown> }>();
  for (const directory of directories) {
    const manifest = path.join(root, directory, 'package.json');
    if (!existsSync(manifest)) continue;
    const json = JSON.parse(readFileSync(manifest, 'utf8')) as {
      name: string;
      exports?: string | Record<string, unknown>;
    };
    const exports = typeof json.exports === 'string' ? { '.': json.exports } : (json.exports ?? {});
    found.set(json.name, { directory, exports });
  }
  return found;
}

/** The file an `exports` entry points at (a path, or conditions of which `import` or `default` applies). */
function exportTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (entry && typeof entry === 'object') {
    const conditions = entry as Record<string, unknown>;
    return exportTarget(conditions.import ?? conditions.default);
  }
  return undefined;
}

/** Reads the code reachable from each entry point; modules are parsed once for all of them. */
export class EnvironmentReader {
  private readonly modules = new Map<string, Module>();
  private readonly packages: ReturnType<typeof workspacePackages>;

  constructor(private readonly options: EnvironmentReadOptions) {
    this.packages = workspacePackages(options.root);
  }

  /** What the code reachable from the entry files (relative to the root; preloaded modules first) reads. */
  read(...entries: string[]): EnvironmentReads {
    return new Walk(this, this.options, entries).run();
  }

  /** The module of a file relative to the root, parsed on first use. */
  module(file: string): Module {
    let found = this.modules.get(file);
    if (!found) {
      found = this.parse(file);
      this.modules.set(file, found);
    }
    return found;
  }

  /** The file a specifier names from `fromFile`, null for an npm package or a file that is not TypeScript. */
  resolve(specifier: string, fromFile: string): string | null {
    let absolute: string | undefined;
    if (specifier.startsWith('.')) absolute = path.resolve(this.options.root, path.dirname(fromFile), specifier);
    else {
      const name = packageName(specifier);
      const workspace = this.packages.get(name);
      if (!workspace) return null;
      const subpath = `.${specifier.slice(name.length)}`;
      const target = exportTarget(workspace.exports[subpath]);
      if (!target) throw new Error(`${fromFile}: ${specifier} is not exported by ${workspace.directory}/package.json`);
      absolute = path.resolve(this.options.root, workspace.directory, target);
    }
    const candidates = [
      absolute,
      absolute.replace(/\.js$/, '.ts'),
      absolute.replace(/\.mjs$/, '.mts'),
      `${absolute}.ts`,
      path.join(absolute, 'index.ts'),
    ];
    const file = candidates.find((candidate) => /\.[cm]?ts$/.test(candidate) && existsSync(candidate));
    if (!file) {
      if (/\.(json|node)$/.test(absolute)) return null;
      throw new Error(`${fromFile}: cannot resolve ${specifier}`);
    }
    return path.relative(this.options.root, file).split(path.sep).join('/');
  }

  private parse(file: string): Module {
    const source = ts.createSourceFile(
      file,
      readFileSync(path.join(this.options.root, file), 'utf8'),
      ts.ScriptTarget.Latest,
      true,
      ts.ScriptKind.TS,
    );
    const module: Module = {
      file,
      source,
      declarations: new Map(),
      imports: new Map(),
      exports: new Map(),
      starExports: [],
      loads: [],
      packages: [],
      topLevel: [],
    };
    const load = (specifier: string): string | null => {
      const resolved = this.resolve(specifier, file);
      if (resolved) module.loads.push(resolved);
      else if (!specifier.startsWith('.') && !specifier.startsWith('node:'))
        module.packages.push(packageName(specifier));
      return resolved;
    };
    for (const statement of source.statements) {
      if (ts.isImportDeclaration(statement)) {
        const clause = statement.importClause;
        if (clause?.isTypeOnly) continue;
        const from = load((statement.moduleSpecifier as ts.StringLiteral).text);
        if (clause?.name) module.imports.set(clause.name.text, { from, name: 'default' });
        const bindings = clause?.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) module.imports.set(bindings.name.text, { from, name: '*' });
        if (bindings && ts.isNamedImports(bindings)) {
          for (const element of bindings.elements) {
            if (!element.isTypeOnly)
              module.imports.set(element.name.text, { from, name: (element.propertyName ?? element.name).text });
          }
        }
      } else if (ts.isExportDeclaration(statement)) {
        if (statement.isTypeOnly) continue;
        const from = statement.moduleSpecifier ? load((statement.moduleSpecifier as ts.StringLiteral).text) : undefined;
        const clause = statement.exportClause;
        if (!clause) {
          if (from) module.starExports.push(from);
        } else if (ts.isNamespaceExport(clause)) {
          module.exports.set(clause.name.text, { from: from ?? null, name: '*' });
        } else {
          for (const element of clause.elements) {
            if (element.isTypeOnly) continue;
            const local = (element.propertyName ?? element.name).text;
            module.exports.set(element.name.text, from === undefined ? { local } : { from, name: local });
          }
        }
      } else if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) {
        const name = statement.name?.text ?? 'default';
        module.declarations.set(name, statement);
        if (hasModifier(statement, ts.SyntaxKind.ExportKeyword))
          module.exports.set(hasModifier(statement, ts.SyntaxKind.DefaultKeyword) ? 'default' : name, { local: name });
      } else if (ts.isVariableStatement(statement)) {
        const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
        for (const declaration of statement.declarationList.declarations) {
          for (const name of bindingNames(declaration.name)) {
            module.declarations.set(name, declaration);
            if (exported) module.exports.set(name, { local: name });
          }
          // A function kept in a constant runs only when something calls it; any other initializer runs now.
          if (declaration.initializer && !isFunctionLike(declaration.initializer))
            module.topLevel.push(declaration.initializer);
        }
      } else if (ts.isEnumDeclaration(statement)) {
        module.declarations.set(statement.name.text, statement);
        module.topLevel.push(statement);
        if (hasModifier(statement, ts.SyntaxKind.ExportKeyword))
          module.exports.set(statement.name.text, { local: statement.name.text });
      } else if (ts.isExportAssignment(statement)) {
        module.declarations.set('default', statement.expression);
        module.exports.set('default', { local: 'default' });
        module.topLevel.push(statement.expression);
      } else if (
        !ts.isInterfaceDeclaration(statement) &&
        !ts.isTypeAliasDeclaration(statement) &&
        !ts.isModuleDeclaration(statement)
      ) {
        module.topLevel.push(statement);
      }
    }
    return module;
  }
}

/** One entry point's walk through the code it can run. */
class Walk {
  private readonly loaded = new Set<string>();
  private readonly reached = new Set<ts.Node>();
  private readonly queue: Array<{ module: Module; node: ts.Node }> = [];
  private readonly nameParameters = new Map<ts.Node, NameParameter | undefined>();
  private readonly result: EnvironmentReads = {
    variables: new Map(),
    unresolved: [],
    mismatched: [],
    packages: new Set(),
    strings: new Set(),
  };

  constructor(
    private readonly reader: EnvironmentReader,
    private readonly options: EnvironmentReadOptions,
    private readonly entries: string[],
  ) {}

  run(): EnvironmentReads {
    for (const entry of this.entries) this.load(path.posix.normalize(entry));
    for (let next = this.queue.shift(); next; next = this.queue.shift()) this.visit(next.module, next.node);
    return this.result;
  }

  private load(file: string): void {
    if (this.loaded.has(file)) return;
    this.loaded.add(file);
    const module = this.reader.module(file);
    for (const name of module.packages) this.result.packages.add(name);
    for (const dependency of module.loads) this.load(dependency);
    for (const node of module.topLevel) this.reach(module, node);
  }

  private reach(module: Module, node: ts.Node): void {
    if (this.reached.has(node)) return;
    this.reached.add(node);
    this.queue.push({ module, node });
  }

  private note(name: string, file: string): void {
    const files = this.result.variables.get(name) ?? [];
    if (!files.includes(file)) files.push(file);
    this.result.variables.set(name, files);
  }

  /** The declaration a name of `module` stands for, following imports and re-exports. */
  private declarationOf(
    module: Module,
    name: string,
    seen = new Set<string>(),
  ): { module: Module; declaration: Declaration } | { namespace: Module } | undefined {
    const declaration = module.declarations.get(name);
    if (declaration) return { module, declaration };
    const binding = module.imports.get(name);
    return binding?.from ? this.exported(this.reader.module(binding.from), binding.name, seen) : undefined;
  }

  private exported(
    module: Module,
    name: string,
    seen: Set<string>,
  ): { module: Module; declaration: Declaration } | { namespace: Module } | undefined {
    const key = `${module.file}#${name}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    if (name === '*') return { namespace: module };
    const entry = module.exports.get(name);
    if (entry && 'local' in entry) return this.declarationOf(module, entry.local, seen);
    if (entry) return entry.from ? this.exported(this.reader.module(entry.from), entry.name, seen) : undefined;
    for (const star of module.starExports) {
      const found = this.exported(this.reader.module(star), name, seen);
      if (found) return found;
    }
    return undefined;
  }

  private reachName(module: Module, name: string): Declaration | undefined {
    const found = this.declarationOf(module, name);
    if (!found) return undefined;
    if ('namespace' in found) {
      this.reachNamespace(found.namespace);
      return undefined;
    }
    const declaration = found.declaration;
    // A constant's initializer ran when its module loaded; only a function kept in one runs later.
    if (!ts.isVariableDeclaration(declaration) || isFunctionLike(declaration.initializer))
      this.reach(found.module, declaration);
    return declaration;
  }

  private reachNamespace(module: Module, seen = new Set<string>()): void {
    if (seen.has(module.file)) return;
    seen.add(module.file);
    for (const name of module.exports.keys()) this.reachName(module, name);
    for (const star of module.starExports) this.reachNamespace(this.reader.module(star), seen);
  }

  /**
   * The parameter a helper takes a variable's name in, if it is one: a parameter it reads as
   * process.env[parameter] or passes on to another helper as the name (`reads`), or the `name` of a
   * settings module's helper, which is given the value as well (numberSetting('NAME', value)).
   */
  private nameParameter(
    module: Module,
    declaration: Declaration,
    visiting = new Set<ts.Node>(),
  ): NameParameter | undefined {
    const fn = ts.isVariableDeclaration(declaration) ? declaration.initializer : declaration;
    if (!fn || !(ts.isFunctionDeclaration(fn) || isFunctionLike(fn)) || visiting.has(fn)) return undefined;
    if (this.nameParameters.has(fn)) return this.nameParameters.get(fn);
    visiting.add(fn);
    const parameters = fn.parameters.map((parameter) => (ts.isIdentifier(parameter.name) ? parameter.name.text : ''));
    let found: NameParameter | undefined;
    const find = (node: ts.Node): void => {
      if (
        ts.isElementAccessExpression(node) &&
        isProcessEnv(node.expression) &&
        ts.isIdentifier(node.argumentExpression)
      ) {
        const at = parameters.indexOf(node.argumentExpression.text);
        if (at >= 0) found = { index: at, reads: true };
      }
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
        const callee = this.declarationOf(module, node.expression.text);
        const inner =
          callee && 'declaration' in callee
            ? this.nameParameter(callee.module, callee.declaration, visiting)
            : undefined;
        const argument = inner ? node.arguments[inner.index] : undefined;
        const at = argument && ts.isIdentifier(argument) ? parameters.indexOf(argument.text) : -1;
        if (inner && at >= 0) found = { index: at, reads: inner.reads };
      }
      ts.forEachChild(node, find);
    };
    if (fn.body) find(fn.body);
    if (!found && this.options.settingsModules.includes(module.file) && parameters[0] === 'name')
      found = { index: 0, reads: false };
    this.nameParameters.set(fn, found);
    return found;
  }

  /** Whether `process.env[node]` reads a parameter of a named function, whose callers name the variable. */
  private isHelperParameter(node: ts.Identifier): boolean {
    for (let parent: ts.Node | undefined = node.parent; parent; parent = parent.parent) {
      if (!ts.isFunctionLike(parent)) continue;
      const named =
        ts.isFunctionDeclaration(parent) || (isFunctionLike(parent) && ts.isVariableDeclaration(parent.parent));
      return (
        named &&
        parent.parameters.some((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === node.text)
      );
    }
    return false;
  }

  private visit(module: Module, node: ts.Node): void {
    if (ts.isTypeNode(node) && !ts.isExpressionWithTypeArguments(node)) return;
    if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
    const file = module.file;
    const literal = literalText(node);
    if (literal !== undefined) this.result.strings.add(literal);

    if (ts.isPropertyAccessExpression(node) && isProcessEnv(node.expression)) {
      this.note(node.name.text, file);
      return;
    }
    if (ts.isElementAccessExpression(node) && isProcessEnv(node.expression)) {
      const argument = node.argumentExpression;
      const name = literalText(argument);
      if (name !== undefined) this.note(name, file);
      else if (!(ts.isIdentifier(argument) && this.isHelperParameter(argument))) {
        const names = this.options.dynamicRead?.(file, argument.getText());
        if (names) for (const each of names) this.note(each, file);
        else this.result.unresolved.push(`${file}: process.env[${argument.getText()}]`);
      }
    }
    // new URL('./child.ts', import.meta.url): a file this code starts as a process of its own
    // (child_process.fork), which inherits this process's environment.
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL') {
      const [target, base] = node.arguments ?? [];
      const relative = literalText(target);
      if (
        relative?.startsWith('.') &&
        /\.[cm]?ts$/.test(relative) &&
        base &&
        ts.isPropertyAccessExpression(base) &&
        ts.isMetaProperty(base.expression)
      ) {
        const child = this.reader.resolve(relative, file);
        if (child) this.load(child);
      }
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const specifier = literalText(node.arguments[0]);
      const target = specifier ? this.reader.resolve(specifier, file) : null;
      if (target) {
        this.load(target);
        this.reachNamespace(this.reader.module(target));
      } else if (specifier && !specifier.startsWith('.') && !specifier.startsWith('node:')) {
        this.result.packages.add(packageName(specifier));
      }
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      const found = this.declarationOf(module, node.expression.text);
      const helper = found && 'declaration' in found ? this.nameParameter(found.module, found.declaration) : undefined;
      if (helper) {
        const argument = node.arguments[helper.index];
        const name = literalText(argument);
        if (name === undefined) {
          // A helper passing its own parameter on: its callers name the variable. A helper that is
          // given the value too reads nothing itself: the value's own read is found where it is made.
          const passedOn = argument && ts.isIdentifier(argument) && this.isHelperParameter(argument);
          if (helper.reads && !passedOn) this.result.unresolved.push(`${file}: ${node.getText().slice(0, 80)}`);
        } else {
          this.note(name, file);
          for (const argument of node.arguments) {
            if (
              ts.isPropertyAccessExpression(argument) &&
              isProcessEnv(argument.expression) &&
              argument.name.text !== name
            ) {
              this.result.mismatched.push(
                `${file}: ${node.expression.text}('${name}', process.env.${argument.name.text})`,
              );
            }
          }
        }
      }
    }
    if (ts.isIdentifier(node) && this.isReference(node)) this.reachName(module, node.text);
    ts.forEachChild(node, (child) => this.visit(module, child));
  }

  /** Whether an identifier names a value (not a property or a declaration's own name). */
  private isReference(node: ts.Identifier): boolean {
    const parent = node.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
    if (
      (ts.isPropertyAssignment(parent) ||
        ts.isMethodDeclaration(parent) ||
        ts.isPropertyDeclaration(parent) ||
        ts.isGetAccessor(parent) ||
        ts.isSetAccessor(parent)) &&
      parent.name === node
    )
      return false;
    if (ts.isBindingElement(parent) && parent.propertyName === node) return false;
    if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
    return true;
  }
}
