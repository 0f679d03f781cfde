import { numberSetting, switchSetting } from '@commerce/database';

/** Static limits on a GraphQL document and what the gateway tells about its schema (DESIGN §9). */
export interface ProtectionConfig {
  /** Off: the document limits below are not applied (to measure what they cost); unstorable strings are still refused. */
  limits: boolean;
  /** Fields nested in one another (fragments spread out; introspection's __schema not counted). */
  maxDepth: number;
  /** Aliased fields in one operation, its fragments included. */
  maxAliases: number;
  /** Lexical tokens of the document; the parser stops at the first one over. */
  maxTokens: number;
  /** Directives in one operation, its fragments included. */
  maxDirectives: number;
  /** The document's text, in UTF-8 bytes. */
  maxDocumentBytes: number;
  /** Subgraph requests one operation has in flight at once (each may hold a database connection). */
  maxSubgraphFetches: number;
  /** Schema introspection; when off, error messages suggest no field, argument or enum value ("Did you mean …"). */
  introspection: boolean;
}

const LIMIT = { min: 1, whole: true };

/** Query limits and introspection from the environment, with their documented defaults. */
export function protectionConfigFromEnvironment(): ProtectionConfig {
  return {
    limits: switchSetting('GRAPHQL_QUERY_LIMITS', process.env.GRAPHQL_QUERY_LIMITS, true),
    maxDepth: numberSetting('GRAPHQL_MAX_DEPTH', process.env.GRAPHQL_MAX_DEPTH, 12, LIMIT),
    maxAliases: numberSetting('GRAPHQL_MAX_ALIASES', process.env.GRAPHQL_MAX_ALIASES, 20, LIMIT),
    maxTokens: numberSetting('GRAPHQL_MAX_TOKENS', process.env.GRAPHQL_MAX_TOKENS, 1_000, LIMIT),
    maxDirectives: numberSetting('GRAPHQL_MAX_DIRECTIVES', process.env.GRAPHQL_MAX_DIRECTIVES, 20, LIMIT),
    maxDocumentBytes: numberSetting(
      'GRAPHQL_MAX_DOCUMENT_BYTES',
      process.env.GRAPHQL_MAX_DOCUMENT_BYTES,
      32_768,
      LIMIT,
    ),
    maxSubgraphFetches: numberSetting(
      'GRAPHQL_MAX_SUBGRAPH_FETCHES',
      process.env.GRAPHQL_MAX_SUBGRAPH_FETCHES,
      4,
      LIMIT,
    ),
    // A production schema is not described to strangers unless asked for.
    introspection: switchSetting(
      'GRAPHQL_INTROSPECTION',
      process.env.GRAPHQL_INTROSPECTION,
      process.env.NODE_ENV !== 'production',
    ),
  };
}
