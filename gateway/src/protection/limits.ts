import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  GraphQLError,
  Kind,
  parse,
  type ASTVisitor,
  type DocumentNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { ProtectionConfig } from './config.js';

/** The codes of documents refused for their size or shape, before anything runs. */
export const LIMIT_CODES = [
  'MAX_DEPTH_EXCEEDED',
  'MAX_ALIASES_EXCEEDED',
  'MAX_TOKENS_EXCEEDED',
  'MAX_DIRECTIVES_EXCEEDED',
  'MAX_DOCUMENT_SIZE_EXCEEDED',
] as const;
export type LimitCode = (typeof LIMIT_CODES)[number];

const LIMIT_CODE_SET: ReadonlySet<string> = new Set(LIMIT_CODES);

function refusal(code: LimitCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

export type DocumentLimits = Pick<
  ProtectionConfig,
  'maxDepth' | 'maxAliases' | 'maxTokens' | 'maxDirectives' | 'maxDocumentBytes'
>;

/**
 * graphql-js's parser counts tokens itself (ParseOptions.maxTokens, what armor's max-tokens plugin
 * adds to envelop's parser) and stops at the first one over, before a document can nest deep
 * enough to overflow the stack of the parser or of validation. This is its message.
 */
const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more th(?:at|an) \d+ tokens\./;

function tokensExceeded(limit: number): GraphQLError {
  return refusal(
    'MAX_TOKENS_EXCEEDED',
    `The document has more than ${limit} tokens (names, punctuation, values). Send a smaller document, or split it.`,
  );
}

/** Parses a document under the token limit: a longer one is refused with MAX_TOKENS_EXCEEDED, a malformed one with graphql-js's syntax error. */
export function parseWithinLimits(source: string, limits: DocumentLimits): DocumentNode {
  try {
    return parse(source, { maxTokens: limits.maxTokens });
  } catch (error) {
    if (error instanceof GraphQLError && TOKEN_LIMIT_MESSAGE.test(error.message))
      throw tokensExceeded(limits.maxTokens);
    throw error;
  }
}

/** The limit refusal behind an error Apollo Server re-coded (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED), if it is one. */
export function limitRefusalBehind(error: unknown, limits: DocumentLimits): GraphQLError | null {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (!(original instanceof GraphQLError)) return null;
  const code = original.extensions.code;
  if (typeof code === 'string' && LIMIT_CODE_SET.has(code)) return original;
  return TOKEN_LIMIT_MESSAGE.test(original.message) ? tokensExceeded(limits.maxTokens) : null;
}

/** Reports armor's rejection as a validation error with our code, rather than throwing out of validation. */
function reportAs(code: LimitCode, advice: string) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        context?.reportError(refusal(code, `${error.message.replace(/^Syntax Error: /, '')} ${advice}`));
      },
    ],
  };
}

/**
 * The document's text in bytes. Written here rather than with armor's character-limit plugin,
 * which hooks envelop's parser: Apollo Server has no hook before parsing that can refuse a request
 * (an error there is a 500), so the size is checked on the parsed document, whose parse the
 * token limit keeps short.
 */
function maxDocumentBytesRule(limit: number): ValidationRule {
  return (context) => ({
    Document(document) {
      const bytes = Buffer.byteLength(document.loc?.source.body ?? '');
      if (bytes > limit)
        context.reportError(
          refusal(
            'MAX_DOCUMENT_SIZE_EXCEEDED',
            `The document has ${bytes} bytes; at most ${limit} are accepted. Send a smaller document.`,
          ),
        );
    },
  });
}

/**
 * Fields an operation selects with its fragments spread out, bounded by the token limit: nested
 * fragments that spread each other several times multiply a short document into millions of
 * fields for the query planner. Apollo Server's maxRecursiveSelections counts the same, but only
 * on its own HTTP path, and the subscription socket needs it as well. Each fragment is counted
 * once (memoized), so the count itself stays linear.
 */
function maxSpreadSelectionsRule(limit: number): ValidationRule {
  return (context) => {
    const counted = new Map<string, number>();
    const selections = (set: SelectionSetNode | undefined, visiting: Set<string>): number => {
      let count = 0;
      for (const selection of set?.selections ?? []) {
        if (selection.kind === Kind.FRAGMENT_SPREAD) count += fragmentSelections(selection.name.value, visiting);
        else count += 1 + selections(selection.selectionSet, visiting);
        if (count > limit) return count;
      }
      return count;
    };
    const fragmentSelections = (name: string, visiting: Set<string>): number => {
      const known = counted.get(name);
      if (known !== undefined) return known;
      // A cycle is graphql-js's own error (NoFragmentCyclesRule); it adds nothing here.
      if (visiting.has(name)) return 0;
      visiting.add(name);
      const count = 1 + selections(context.getFragment(name)?.selectionSet, visiting);
      visiting.delete(name);
      counted.set(name, count);
      return count;
    };
    const visitor: ASTVisitor = {
      OperationDefinition(operation) {
        if (selections(operation.selectionSet, new Set()) > limit) {
          context.reportError(
            refusal(
              'MAX_TOKENS_EXCEEDED',
              `With its fragments spread out, the operation selects more than ${limit} fields, more than a document of ${limit} tokens could. Select fewer fields.`,
            ),
          );
        }
      },
    };
    return visitor;
  };
}

/** The validation rules of the limits (graphql-armor's where one exists), to run with graphql-js's own. */
export function limitRules(limits: DocumentLimits): ValidationRule[] {
  return [
    maxDocumentBytesRule(limits.maxDocumentBytes),
    maxSpreadSelectionsRule(limits.maxTokens),
    // Fragments count by the fields they hold, not as a level of their own.
    maxDepthRule({
      n: limits.maxDepth,
      flattenFragments: true,
      ...reportAs('MAX_DEPTH_EXCEEDED', 'Nest fewer fields, or split the query.'),
    }),
    maxAliasesRule({
      n: limits.maxAliases,
      ...reportAs('MAX_ALIASES_EXCEEDED', 'Use fewer aliases, or split the query.'),
    }),
    maxDirectivesRule({ n: limits.maxDirectives, ...reportAs('MAX_DIRECTIVES_EXCEEDED', 'Use fewer directives.') }),
  ];
}
