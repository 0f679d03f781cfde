// `pnpm exec tsx bench/query-limits.ts`: the gateway's checks before execution (parse under the token limit,
// graphql-js's validation with the limit rules, storable strings) of the most expensive documents
// the default limits let through, and of abusive ones they refuse. CPU time of this thread per
// document, the median and the worst of 20 runs after 5 warm-up runs. No server or database.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  buildSchema,
  getOperationAST,
  GraphQLError,
  Lexer,
  Source,
  specifiedRules,
  TokenKind,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { protectionConfigFromEnvironment } from '../gateway/src/protection/index.js';
import { limitRules, parseWithinLimits } from '../gateway/src/protection/limits.js';
import { unstorableStringRefusal } from '../gateway/src/protection/safe-strings.js';

const RUNS = 20;
const WARM_UP = 5;
const limits = protectionConfigFromEnvironment();
const rules = [...specifiedRules, ...limitRules(limits)];
const schema: GraphQLSchema = buildSchema(
  readFileSync(fileURLToPath(new URL('../schema/api.graphql', import.meta.url)), 'utf8'),
);

const many = (count: number, item: (index: number) => string) =>
  Array.from({ length: count }, (_, index) => item(index)).join(' ');
function tokens(query: string): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}

/** The longest document of a shape within the token limit: build(n) with the largest n that fits. */
function filling(build: (count: number) => string): string {
  let count = 1;
  while (tokens(build(count + 1)) <= limits.maxTokens) count++;
  return build(count);
}

interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

const ALLOWED: Case[] = [
  {
    name: 'one field repeated (graphql-js compares every pair)',
    query: filling((count) => `{ ${many(count, () => 'store { id }')} }`),
  },
  {
    name: 'a connection repeated',
    query: filling((count) => `{ ${many(count, () => 'store { products(first: 1) { nodes { id } } }')} }`),
  },
  {
    name: 'fragments of one connection, spread side by side',
    query: filling(
      (count) =>
        `{ store { ${many(count, (index) => `...F${index}`)} } } ${many(count, (index) => `fragment F${index} on Store { products(first: 1) { nodes { id } } }`)}`,
    ),
  },
  {
    name: 'fragments spreading each other twice, up to the field bound',
    query: `{ store { ...F7 } } fragment F0 on Store { id name } ${many(7, (index) => `fragment F${index + 1} on Store { ...F${index} ...F${index} }`)}`,
  },
  {
    name: `${limits.maxAliases} aliases of the deepest listing`,
    query: `{ ${many(limits.maxAliases, (index) => `s${index}: store { products(first: 100) { nodes { variants(first: 100) { nodes { product { categories { products(first: 100) { nodes { id } } } } } } } } }`)} }`,
  },
  {
    name: 'a list literal of strings',
    query: filling((count) => `{ nodes(ids: [${many(count, () => '"UHJvZHVjdDox"')}]) { id } }`),
  },
  {
    name: 'variables of 1 MB (the body limit): 60,000 strings to check',
    query: `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
    variables: { ids: Array.from({ length: 60_000 }, (_, index) => `UHJvZHVjdDo${index}`) },
  },
];

const REFUSED: Case[] = [
  {
    name: '10,000 aliases of name @skip(if: false) (289 KB)',
    query: `{ store { ${many(10_000, (index) => `name${index}: name @skip(if: false)`)} } }`,
  },
  {
    name: '10,000 chained fragments',
    query: `{ store { ...F0 } } ${many(10_000, (index) => `fragment F${index} on Store { id ...F${index + 1} }`)} fragment F10000 on Store { id }`,
  },
  {
    name: 'a fragment that doubles 60 times',
    query: `{ store { ...F60 } } fragment F0 on Store { id } ${many(60, (index) => `fragment F${index + 1} on Store { ...F${index} ...F${index} }`)}`,
  },
  { name: 'a 1 MB comment', query: `# ${'x'.repeat(1_000_000)}\n{ store { id } }` },
];

/** Parses, validates and checks strings as the gateway does; the refusal's code, or null. */
function check({ query, variables }: Case): string | null {
  let document: DocumentNode;
  try {
    document = parseWithinLimits(query, limits);
  } catch (error) {
    return error instanceof GraphQLError ? String(error.extensions.code ?? 'GRAPHQL_PARSE_FAILED') : 'ERROR';
  }
  const errors = validate(schema, document, rules);
  if (errors.length) return String(errors[0]?.extensions.code ?? 'GRAPHQL_VALIDATION_FAILED');
  const operation = getOperationAST(document);
  return operation
    ? ((unstorableStringRefusal(document, operation, variables)?.extensions.code as string | undefined) ?? null)
    : 'NO_OPERATION';
}

function measure(item: Case): { outcome: string; medianMs: number; worstMs: number } {
  const times: number[] = [];
  let outcome = '';
  for (let run = 0; run < WARM_UP + RUNS; run++) {
    const before = process.cpuUsage();
    outcome = check(item) ?? 'allowed';
    const { user, system } = process.cpuUsage(before);
    if (run >= WARM_UP) times.push((user + system) / 1000);
  }
  times.sort((a, b) => a - b);
  return { outcome, medianMs: times[Math.floor(times.length / 2)] ?? 0, worstMs: times[times.length - 1] ?? 0 };
}

console.log(
  `limits: depth ${limits.maxDepth}, aliases ${limits.maxAliases}, tokens ${limits.maxTokens}, directives ${limits.maxDirectives}, ${limits.maxDocumentBytes} bytes`,
);
for (const item of [...ALLOWED, ...REFUSED]) {
  const { outcome, medianMs, worstMs } = measure(item);
  const bytes =
    Buffer.byteLength(item.query) + (item.variables ? Buffer.byteLength(JSON.stringify(item.variables)) : 0);
  console.log(
    `${item.name} (${Math.round(bytes / 1024)} KB): ${outcome}; ${medianMs.toFixed(1)} ms median, ${worstMs.toFixed(1)} ms worst`,
  );
}
