import type { GraphQLFormattedError } from 'graphql';
import { formatErrorFor, type Logger } from '@mash/service-kit';

const UNAVAILABLE = /ECONNREFUSED|fetch failed|aborted|timeout|socket hang up|Couldn't find/i;

/**
 * Subgraph errors keep their registry codes; a subgraph that did not answer becomes SUBGRAPH_UNAVAILABLE.
 */
export function gatewayFormatError(logger: Logger) {
  const base = formatErrorFor(logger);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.['code'];
    const serviceName = formatted.extensions?.['serviceName'];
    if ((code === 'INTERNAL_SERVER_ERROR' || code === undefined) && UNAVAILABLE.test(formatted.message)) {
      logger.warn({ serviceName, message: formatted.message }, 'subgraph unavailable');
      return {
        message: `A service behind the gateway did not answer${serviceName ? ` (${String(serviceName)})` : ''}.`,
        ...(formatted.path && { path: formatted.path }),
        extensions: {
          code: 'SUBGRAPH_UNAVAILABLE',
          retriable: true,
          ...(serviceName ? { serviceName } : {}),
        },
      };
    }
    return base(formatted, error);
  };
}
