import { planForKeyLookups, type Logger } from '@mash/service-kit';
import type { StatusChangeMessage } from '@mash/schema';
import type { DataSource } from 'typeorm';
import { enqueueOutbox, type OutboxMessage } from '@mash/kafka';
import { identifiersOf, resolveSubject } from '../domain/identifiers';
import type { UnmatchedReasonCode } from '../entities';
import { SCHEMA } from '../entities/schema-name';
import {
  addIdentifiers,
  findSubjectIdsByIdentifiers,
  identifierLockKey,
  lockIdentifiers,
  type IdentifierKey,
} from '../repositories/identifier.repository';
import { lockFreeSubjects, lockSubjects } from '../repositories/subject.repository';
import { recordUnmatchedMany } from '../repositories/unmatched.repository';
import { applyMatchedStatusChanges } from './apply-status-change';

export type IngestOutcome =
  | { readonly outcome: 'applied'; readonly caseId: string }
  | { readonly outcome: 'replay'; readonly caseId: string }
  | { readonly outcome: 'unmatched'; readonly reason: UnmatchedReasonCode };

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
   * A batch of consecutive changes of one partition, set-based where it can be: every identifier the changes carry
   * (their own and their records' other identifiers) is locked and looked up together (`= ANY`); each change is
   * then resolved to a subject in order (`resolveSubject`), identifiers a matched change brings are recorded against
   * its subject with one insert (a later change in the batch sees them), the held ones kept with one multi-row
   * insert (with their reason code), and the matched ones applied in order (one subject's changes share a key, so a
   * partition holds them in order) with their case events written to the outbox with one insert.
   *
   * One subject's changes from two agencies arrive on two partitions (they are keyed by the identifier the agency
   * sent), so another run may hold some of this run's subjects. The first transaction locks only the subjects free
   * now (`SKIP LOCKED`) and applies their changes; the changes of the subjects held elsewhere (every one of a
   * subject's, so its order holds) are applied next, in a second transaction that waits for those subjects. A run
   * thus waits only for the subjects it shares, not for the whole of the other run. Idempotent like `ingest`: a
   * crash between the two redelivers the run, whose first part is then a replay. Database errors throw (the
   * consumer retries the batch, or isolates a record Postgres refuses).
   */
  async ingestBatch(messages: readonly StatusChangeMessage[]): Promise<IngestOutcome[]> {
    if (messages.length === 0) return [];
    const first = await this.ingestRun(messages, 'free-subjects');
    if (first.waiting.length === 0) return first.outcomes as IngestOutcome[];
    const rest = await this.ingestRun(
      first.waiting.map((i) => messages[i]!),
      'wait',
    );
    const outcomes = [...first.outcomes];
    first.waiting.forEach((index, j) => (outcomes[index] = rest.outcomes[j]));
    return outcomes as IngestOutcome[];
  }

  /**
   * One transaction of `ingestBatch`. With `free-subjects`, the changes of subjects another transaction holds are
   * not applied: their indexes are answered in `waiting` (their outcomes left undefined); with `wait`, every
   * subject is locked, waiting for it.
   */
  private async ingestRun(
    messages: readonly StatusChangeMessage[],
    subjects: 'free-subjects' | 'wait',
  ): Promise<{ outcomes: (IngestOutcome | undefined)[]; waiting: number[] }> {
    const recorded: { statusChangeId: string; subjectId: string; systems: string[] }[] = [];
    const { outcomes, waiting } = await this.options.dataSource.transaction(async (manager) => {
      await planForKeyLookups(manager);
      const keysOf = (m: StatusChangeMessage): IdentifierKey[] =>
        identifiersOf(m).map((id) => ({ partnershipId: m.partnershipId, ...id }));
      const keys = messages.flatMap(keysOf);
      await lockIdentifiers(manager, keys);
      const owners = await findSubjectIdsByIdentifiers(manager, keys);
      const held: { message: StatusChangeMessage; reason: UnmatchedReasonCode }[] = [];
      const routes: (
        { subjectId: string; newIdentifiers: IdentifierKey[] } | { reason: UnmatchedReasonCode }
      )[] = [];
      for (const message of messages) {
        const resolution = resolveSubject(
          message,
          (id) => owners.get(identifierLockKey({ partnershipId: message.partnershipId, ...id })) ?? null,
        );
        if (resolution.outcome !== 'matched') {
          const reason = resolution.outcome === 'conflict' ? 'IDENTIFIER_CONFLICT' : 'SUBJECT_UNKNOWN';
          held.push({ message, reason });
          routes.push({ reason });
          continue;
        }
        const brought = resolution.newIdentifiers.map((id) => ({
          partnershipId: message.partnershipId,
          ...id,
        }));
        // A later change of the run that names one of these identifiers matches the same subject.
        for (const key of brought) owners.set(identifierLockKey(key), resolution.subjectId);
        routes.push({ subjectId: resolution.subjectId, newIdentifiers: brought });
      }
      const subjectIds = [
        ...new Set(routes.flatMap((route) => ('subjectId' in route ? [route.subjectId] : []))),
      ];
      let free: ReadonlySet<string> | undefined;
      if (subjects === 'wait') await lockSubjects(manager, subjectIds);
      else free = await lockFreeSubjects(manager, subjectIds);
      const now = (route: { subjectId: string }) => free === undefined || free.has(route.subjectId);
      // Identifiers are recorded with the changes that brought them: those of a change left for the second
      // transaction are recorded there (a change matching through them has the same subject, so waits too), and
      // nothing of a change that then fails is kept.
      const newIdentifiers: { key: IdentifierKey; subjectId: string }[] = [];
      for (const [i, route] of routes.entries()) {
        if (!('subjectId' in route) || !now(route) || route.newIdentifiers.length === 0) continue;
        for (const key of route.newIdentifiers) newIdentifiers.push({ key, subjectId: route.subjectId });
        recorded.push({
          statusChangeId: messages[i]!.id,
          subjectId: route.subjectId,
          systems: route.newIdentifiers.map((k) => k.system),
        });
      }
      await addIdentifiers(manager, newIdentifiers);
      await recordUnmatchedMany(manager, held);
      const matched = messages.flatMap((message, i) => {
        const route = routes[i]!;
        return 'subjectId' in route && now(route) ? [{ subjectId: route.subjectId, message }] : [];
      });
      const outbox: OutboxMessage[] = [];
      const applied = await applyMatchedStatusChanges(manager, matched, this.options.caseEventsTopic, outbox);
      const results: (IngestOutcome | undefined)[] = [];
      const later: number[] = [];
      let next = 0;
      for (const [i, route] of routes.entries()) {
        if (!('subjectId' in route)) results.push({ outcome: 'unmatched', reason: route.reason });
        else if (now(route)) results.push(applied[next++]!);
        else {
          results.push(undefined);
          later.push(i);
        }
      }
      await enqueueOutbox(manager, SCHEMA, outbox);
      return { outcomes: results, waiting: later };
    });
    if (outcomes.some((o) => o?.outcome === 'applied')) this.options.enqueued();
    // Identifier values are personal data: log the change, its case and the identifier systems, never the values.
    for (const r of recorded) {
      this.log.info({ ...r }, 'identifiers recorded against the subject from a status change');
    }
    for (const [i, result] of outcomes.entries()) {
      if (!result) continue;
      const message = messages[i]!;
      this.log.debug(
        { statusChangeId: message.id, agencyId: message.agencyId, kind: message.kind, ...result },
        `status change ${result.outcome}`,
      );
    }
    this.log.info({ size: messages.length, waiting: waiting.length }, 'status changes ingested');
    return { outcomes, waiting };
  }

  /** One change: a batch of one. Idempotent: consuming the same change again changes nothing and publishes nothing. */
  async ingest(message: StatusChangeMessage): Promise<IngestOutcome> {
    const [result] = await this.ingestBatch([message]);
    return result!;
  }
}
