import type { GraphQLFormattedError } from 'graphql';
import { formatErrorFor, type Logger } from '@mash/service-kit';
import { ErrorCodes } from '@mash/schema';
import { limitCodeOf } from './limits';

/** What a subgraph that did not answer looks like when the failure came from below the data source. */
const UNAVAILABLE = /ECONNREFUSED|fetch failed|aborted|timeout|socket hang up|Couldn't find/i;

/**
 * Subgraph errors keep their registry codes (the data source hands on each subgraph's GraphQL errors as they are);
 * a subgraph that did not answer becomes SUBGRAPH_UNAVAILABLE; everything else goes through the shared formatter,
 * which keeps only public extensions.
 */
export function gatewayFormatError(logger: Logger) {
  const base = formatErrorFor(logger);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const limit = limitCodeOf(formatted);
    if (limit) {
      return {
        message: formatted.message.replace(/^Syntax Error: /, ''),
        ...(formatted.locations && { locations: formatted.locations }),
        extensions: { code: limit, retriable: ErrorCodes[limit].retriable },
      };
    }
    const code = formatted.extensions?.['code'];
    const serviceName = formatted.extensions?.['serviceName'];
    if ((code === 'INTERNAL_SERVER_ERROR' || code === undefined) && UNAVAILABLE.test(formatted.message)) {
      logger.warn({ serviceName }, 'subgraph unavailable');
      return {
        message: ErrorCodes.SUBGRAPH_UNAVAILABLE.description,
        ...(formatted.path && { path: formatted.path }),
        extensions: {
          code: 'SUBGRAPH_UNAVAILABLE',
          retriable: true,
          ...(typeof serviceName === 'string' && { serviceName }),
        },
      };
    }
    return base(formatted, error);
  };
}
