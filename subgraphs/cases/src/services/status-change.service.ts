import type { Logger } from '@mash/service-kit';
import type { StatusChangeMessage } from '@mash/schema';
import type { DataSource } from 'typeorm';
import { findSubjectIdByIdentifier, lockIdentifier } from '../repositories/identifier.repository';
import { recordUnmatched } from '../repositories/unmatched.repository';
import { applyMatchedStatusChange } from './apply-status-change';

export type IngestOutcome =
  | { readonly outcome: 'applied'; readonly caseId: string }
  | { readonly outcome: 'replay'; readonly caseId: string }
  | { readonly outcome: 'unmatched' };

export interface StatusChangeServiceOptions {
  readonly dataSource: DataSource;
  readonly caseEventsTopic: string;
  /** Called after a commit that enqueued a case event (wakes the outbox relay). */
  readonly enqueued: () => void;
  readonly logger: Logger;
}

/** Matches one consumed status change to its subject's case, or keeps it for a person to link. */
export class StatusChangeService {
  private readonly log: Logger;

  constructor(private readonly options: StatusChangeServiceOptions) {
    this.log = options.logger.child({ component: 'status-changes' });
  }

  /** Idempotent: consuming the same change again changes nothing and publishes nothing. Database errors throw. */
  async ingest(message: StatusChangeMessage): Promise<IngestOutcome> {
    const key = { partnershipId: message.partnershipId, ...message.subject };
    const result = await this.options.dataSource.transaction(async (manager): Promise<IngestOutcome> => {
      await lockIdentifier(manager, key);
      const subjectId = await findSubjectIdByIdentifier(manager, key);
      if (subjectId === null) {
        await recordUnmatched(manager, message);
        return { outcome: 'unmatched' };
      }
      return applyMatchedStatusChange(manager, subjectId, message, this.options.caseEventsTopic);
    });
    if (result.outcome === 'applied') this.options.enqueued();
    // Identifier values are personal data: log the change and its case, never the identifier.
    this.log.info(
      { statusChangeId: message.id, agencyId: message.agencyId, kind: message.kind, ...result },
      `status change ${result.outcome}`,
    );
    return result;
  }
}
