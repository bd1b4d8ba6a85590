import type { Logger } from '@mash/service-kit';
import type { StatusChangeMessage } from '@mash/schema';
import type { DataSource } from 'typeorm';
import { enqueueOutbox, type OutboxMessage } from '@mash/kafka';
import { SCHEMA } from '../entities/schema-name';
import {
  findSubjectIdByIdentifier,
  findSubjectIdsByIdentifiers,
  identifierLockKey,
  lockIdentifier,
  lockIdentifiers,
} from '../repositories/identifier.repository';
import { lockSubjects } from '../repositories/subject.repository';
import { recordUnmatched, recordUnmatchedMany } from '../repositories/unmatched.repository';
import { applyMatchedStatusChange, applyMatchedStatusChanges } from './apply-status-change';

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

  /**
   * A batch of consecutive changes of one partition in one transaction, set-based where it can be: the
   * identifiers are locked and looked up together (`= ANY`), the unmatched ones kept with one multi-row insert,
   * the matched ones applied in order (one subject's changes share a key, so a partition holds them in order) and
   * their case events written to the outbox with one insert. Idempotent like `ingest`; database errors throw (the
   * consumer retries the batch, or isolates a record Postgres refuses).
   */
  async ingestBatch(messages: readonly StatusChangeMessage[]): Promise<IngestOutcome[]> {
    if (messages.length === 0) return [];
    const keyOf = (m: StatusChangeMessage) => ({ partnershipId: m.partnershipId, ...m.subject });
    const outcomes = await this.options.dataSource.transaction(async (manager) => {
      const keys = messages.map(keyOf);
      await lockIdentifiers(manager, keys);
      const subjects = await findSubjectIdsByIdentifiers(manager, keys);
      const subjectOf = (m: StatusChangeMessage) => subjects.get(identifierLockKey(keyOf(m))) ?? null;
      await recordUnmatchedMany(
        manager,
        messages.filter((m) => subjectOf(m) === null),
      );
      const matchedSubjects = [...new Set(messages.map(subjectOf).filter((id): id is string => id !== null))];
      await lockSubjects(manager, matchedSubjects);
      const outbox: OutboxMessage[] = [];
      const matched = messages.flatMap((message) => {
        const subjectId = subjectOf(message);
        return subjectId === null ? [] : [{ subjectId, message }];
      });
      const applied = await applyMatchedStatusChanges(manager, matched, this.options.caseEventsTopic, outbox);
      const results: IngestOutcome[] = [];
      let next = 0;
      for (const m of messages)
        results.push(subjectOf(m) === null ? { outcome: 'unmatched' } : applied[next++]!);
      await enqueueOutbox(manager, SCHEMA, outbox);
      return results;
    });
    if (outcomes.some((o) => o.outcome === 'applied')) this.options.enqueued();
    for (const [i, result] of outcomes.entries()) {
      const message = messages[i]!;
      this.log.debug(
        { statusChangeId: message.id, agencyId: message.agencyId, kind: message.kind, ...result },
        `status change ${result.outcome}`,
      );
    }
    this.log.info({ size: messages.length }, 'status changes ingested');
    return outcomes;
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
