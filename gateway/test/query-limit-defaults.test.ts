import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, type DocumentNode, getIntrospectionQuery, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { protectionConfigFromEnvironment } from '../src/protection/index.js';
import { limitRules, parseWithinLimits } from '../src/protection/limits.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const schema = buildSchema(readFileSync(`${ROOT}schema/api.graphql`, 'utf8'));
const defaults = protectionConfigFromEnvironment();
const EXECUTABLE = /^\s*(query|mutation|subscription|fragment|\{)/;

/** The GraphQL documents of the README's code blocks: JSON bodies ("query":"…") and template literals. */
function readmeDocuments(): string[] {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  const blocks = [...readme.matchAll(/```(?:sh|ts)\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  return blocks.flatMap((block) => [
    ...[...block.matchAll(/"query":("(?:[^"\\]|\\.)*")/g)].map((match) => JSON.parse(match[1] ?? '""') as string),
    ...[...block.matchAll(/`([^`]*)`/g)].map((match) => match[1] ?? '').filter((text) => EXECUTABLE.test(text)),
  ]);
}

/** The documents the load benchmarks send (template literals in bench/*.ts, with any ${…} filled); query-limits.ts builds abusive ones on purpose. */
function benchDocuments(): string[] {
  return readdirSync(`${ROOT}bench`)
    .filter((file) => file.endsWith('.ts') && file !== 'query-limits.ts')
    .flatMap((file) =>
      [...readFileSync(`${ROOT}bench/${file}`, 'utf8').matchAll(/`([^`]*)`/g)].map((match) =>
        (match[1] ?? '').replace(/\$\{[^}]*\}/g, 'x'),
      ),
    )
    .filter((text) => EXECUTABLE.test(text) && /[{}]/.test(text));
}

const admin = Object.values(
  JSON.parse(readFileSync(`${ROOT}clients/admin/src/__generated__/persisted-documents.json`, 'utf8')) as Record<
    string,
    string
  >,
);

/** The codes of the limits a document breaks under the default settings (none: it runs). */
function brokenLimits(text: string): string[] {
  let document: DocumentNode;
  try {
    document = parseWithinLimits(text, defaults);
  } catch (error) {
    return [String((error as { extensions?: { code?: unknown } }).extensions?.code ?? error)];
  }
  return validate(schema, document, limitRules(defaults)).map((error) => String(error.extensions.code));
}

describe('the default query limits', () => {
  it('let every operation of the admin app run', () => {
    expect(admin.length).toBeGreaterThanOrEqual(7);
    expect(admin.map(brokenLimits)).toEqual(admin.map(() => []));
  });

  it("let every GraphQL document of the README's examples run (and they are valid)", () => {
    const documents = readmeDocuments();
    expect(documents.length).toBeGreaterThanOrEqual(12);
    expect(documents.map(brokenLimits)).toEqual(documents.map(() => []));
    // The examples are real operations of the API, so the extraction above read them whole.
    expect(
      documents.map((text) =>
        validate(schema, parseWithinLimits(text, defaults), specifiedRules).map((error) => error.message),
      ),
    ).toEqual(documents.map(() => []));
  });

  it("let the benchmarks' documents run", () => {
    const documents = benchDocuments();
    expect(documents.length).toBeGreaterThanOrEqual(3);
    expect(documents.map(brokenLimits)).toEqual(documents.map(() => []));
  });

  it("let a client's full introspection (GraphiQL's) run", () => {
    const introspection = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
    });
    expect(brokenLimits(introspection)).toEqual([]);
  });

  it('are the documented ones', () => {
    expect(defaults).toMatchObject({
      maxDepth: 12,
      maxAliases: 20,
      maxTokens: 1_000,
      maxDirectives: 20,
      maxDocumentBytes: 32_768,
    });
  });
});
