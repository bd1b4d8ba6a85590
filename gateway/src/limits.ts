import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerOptions } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { ErrorCode } from '@mash/schema';
import { DEFAULT_LIMITS, type GatewayLimits } from './config';
import type { GatewayContext } from './context';

/** graphql-armor's protections (depth, cost, aliases, tokens, directives, no field suggestions) for the gateway. */
export function armorFor(
  limits: Partial<GatewayLimits> = {},
): Pick<ApolloServerOptions<GatewayContext>, 'plugins' | 'validationRules' | 'parseOptions'> {
  const l = { ...DEFAULT_LIMITS, ...limits };
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { n: l.maxDepth, exposeLimits: true, flattenFragments: true },
    maxAliases: { n: l.maxAliases, exposeLimits: true },
    costLimit: { maxCost: l.maxCost, exposeLimits: true },
    // graphql's own parser limit instead: armor's throws from a plugin hook, which Apollo answers as a 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: l.maxDirectives, exposeLimits: true },
    blockFieldSuggestion: { enabled: true },
  }).protect();
  return { plugins, validationRules, parseOptions: { maxTokens: l.maxTokens } };
}

/**
 * graphql-armor reports its refusals as parse or validation failures; Apollo Server then codes them
 * GRAPHQL_PARSE_FAILED or GRAPHQL_VALIDATION_FAILED. A caller needs to know which limit it met.
 */
const LIMIT_MESSAGES: readonly [RegExp, ErrorCode][] = [
  [/Query depth limit of \d+ exceeded/, 'QUERY_TOO_DEEP'],
  [/Query Cost limit of \d+ exceeded/, 'QUERY_TOO_COSTLY'],
  [/Aliases limit of \d+ exceeded/, 'TOO_MANY_ALIASES'],
  [/Document contains more th\w+ \d+ tokens/, 'DOCUMENT_TOO_LARGE'],
  [/Directives limit of \d+ exceeded/, 'TOO_MANY_DIRECTIVES'],
  [/introspection is not allowed/i, 'INTROSPECTION_DISABLED'],
];

export function limitCodeOf(formatted: GraphQLFormattedError): ErrorCode | undefined {
  const code = formatted.extensions?.['code'];
  if (code !== 'GRAPHQL_VALIDATION_FAILED' && code !== 'GRAPHQL_PARSE_FAILED') return undefined;
  for (const [pattern, limitCode] of LIMIT_MESSAGES) if (pattern.test(formatted.message)) return limitCode;
  return undefined;
}
