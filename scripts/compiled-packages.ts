// The packages `pnpm build` compiles (scripts/build.ts), and that the deployment's processes run compiled.

/** The workspace packages a deployed process runs (the test kit is for tests and benchmarks only). */
export const COMPILED_PACKAGES = [
  'gateway',
  'packages/auth',
  'packages/currency',
  'packages/database',
  'packages/events',
  'packages/graphql-kit',
  'packages/inventory',
  'packages/loyalty',
  'packages/mail',
  'packages/metafields',
  'packages/observability',
  'packages/purchases',
  'packages/translations',
  'packages/workers',
  'subgraphs/analytics',
  'subgraphs/catalog',
  'subgraphs/customer',
  'subgraphs/order',
  'subgraphs/store',
] as const;
