import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { ProtectionConfig } from './config.js';
import { limitRefusalBehind, limitRules, parseWithinLimits } from './limits.js';
import { unstorableStringRefusal } from './safe-strings.js';
import { fetchesPerOperation, type FetchLimiter } from './subgraph-fetches.js';

export { protectionConfigFromEnvironment, type ProtectionConfig } from './config.js';
export { LIMIT_CODES, type LimitCode } from './limits.js';

type FormatError = NonNullable<ApolloServerOptions<BaseContext>['formatError']>;

/** graphql-js's suggestions name fields, arguments, types and enum values the client did not know. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** What the subscription socket applies to a subscribe message, as the HTTP path does. */
export interface SocketProtection {
  /** Parses and validates a document under the limits: the document, or the errors to answer with (coded, without suggestions when introspection is off). */
  check(schema: GraphQLSchema, source: string): { document: DocumentNode | null; errors: readonly GraphQLError[] };
  /** BAD_USER_INPUT for a string PostgreSQL cannot store in the operation's arguments or variables. */
  unstorableStrings(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Readonly<Record<string, unknown>> | null | undefined,
  ): GraphQLError | null;
  /** An error as a client may see it: without suggestions when introspection is off. */
  formatted(error: GraphQLFormattedError): GraphQLFormattedError;
}

export interface Protection {
  /** Apollo Server's options for the limits and introspection. */
  server: Pick<ApolloServerOptions<BaseContext>, 'parseOptions' | 'validationRules' | 'introspection'>;
  /** Refuses unstorable strings once the operation is known, before it runs. */
  plugin: ApolloServerPlugin<BaseContext>;
  /** Wraps the gateway's formatError: limit refusals keep their codes, suggestions go when introspection is off. */
  formatError(format: FormatError): FormatError;
  /** Wraps a subgraph's data source: one operation has at most maxSubgraphFetches of its requests in flight. */
  subgraph: FetchLimiter;
  socket: SocketProtection;
}

/** The error with a code (its own, if it has one) and, optionally, another message. */
function coded(error: GraphQLError, code: string, message = error.message): GraphQLError {
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { code, ...error.extensions },
  });
}

/**
 * Static query limits, safe input strings and introspection for the gateway (DESIGN §9): one
 * configuration for its HTTP path (Apollo Server) and its subscription socket.
 */
export function createProtection(config: ProtectionConfig): Protection {
  const rules = config.limits ? limitRules(config) : [];
  const parseOptions = config.limits ? { maxTokens: config.maxTokens } : {};
  const hideSuggestions = !config.introspection;
  const shown = (message: string): string => (hideSuggestions ? message.replace(SUGGESTION, '') : message);
  const withoutSuggestions = <Formatted extends GraphQLFormattedError>(error: Formatted): Formatted =>
    shown(error.message) === error.message ? error : { ...error, message: shown(error.message) };
  return {
    server: { parseOptions, validationRules: rules, introspection: config.introspection },
    plugin: {
      async requestDidStart() {
        return {
          async didResolveOperation({ document, operation, request }) {
            const refusal = operation && unstorableStringRefusal(document, operation, request.variables);
            // 400, as Apollo Server answers any other invalid variable: the client's fault, never a 500.
            if (refusal)
              throw new GraphQLError(refusal.message, { extensions: { ...refusal.extensions, http: { status: 400 } } });
          },
        };
      },
    },
    formatError: (format) => (formatted, error) => {
      // Apollo Server re-codes parse and validation errors (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED).
      const refusal = limitRefusalBehind(error, config);
      const coded = refusal
        ? {
            message: refusal.message,
            locations: formatted.locations,
            extensions: { ...formatted.extensions, code: refusal.extensions.code },
          }
        : formatted;
      return withoutSuggestions(format(coded, error));
    },
    subgraph: fetchesPerOperation(config.maxSubgraphFetches),
    socket: {
      check(schema, source) {
        let document: DocumentNode;
        try {
          document = config.limits ? parseWithinLimits(source, config) : parse(source);
        } catch (error) {
          if (!(error instanceof GraphQLError)) throw error;
          return { document: null, errors: [coded(error, 'GRAPHQL_PARSE_FAILED', shown(error.message))] };
        }
        const errors = validate(schema, document, [...specifiedRules, ...rules]);
        return {
          document,
          errors: errors.map((error) => coded(error, 'GRAPHQL_VALIDATION_FAILED', shown(error.message))),
        };
      },
      unstorableStrings: unstorableStringRefusal,
      formatted: withoutSuggestions,
    },
  };
}
