import type { ApolloServerPlugin } from '@apollo/server';
import type { DataSource } from 'typeorm';
import { codedErrorResponse } from '../http';
import type { RequestContext } from '../context';
import type { Logger } from '../logger';
import { writeAuditEntries } from './writer';

/**
 * Writes each request's audit entries in one insert before its response leaves. If the trail cannot be written the
 * response carries no data (only INTERNAL): personal data is never released without its audit entry. With
 * auditing off (benchmarks only) the entries are dropped.
 */
export function auditPlugin<C extends RequestContext>(
  dataSource: DataSource,
  logger: Logger,
  enabled: boolean,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          // No context when the token was refused: nothing was read.
          const recorder = (contextValue as Partial<C> | undefined)?.audit;
          if (!recorder || recorder.size === 0) return;
          const entries = recorder.take();
          if (!enabled) return;
          try {
            await writeAuditEntries(dataSource, entries);
          } catch (err) {
            logger.error({ err, entries: entries.length }, 'audit entries could not be written');
            if (response.body.kind === 'single') {
              response.body.singleResult = codedErrorResponse('INTERNAL');
            }
          }
        },
      };
    },
  };
}
