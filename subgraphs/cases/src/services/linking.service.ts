import { randomUUID } from 'node:crypto';
import { BadUserInputError, ForbiddenError, NotFoundError, type Logger } from '@mash/service-kit';
import { hasRole, IDENTIFIER_SYSTEMS, type Identity, type IdentifierSystem } from '@mash/schema';
import type { DataSource } from 'typeorm';
import { mayManageMatching } from '../domain/access';
import { identifiersOf } from '../domain/identifiers';
import {
  addIdentifier,
  findSubjectIdByIdentifier,
  lockIdentifier,
  lockIdentifiers,
  type IdentifierKey,
} from '../repositories/identifier.repository';
import { caseOfStatusChange } from '../repositories/case-state.repository';
import { insertSubject, subjectPartnership } from '../repositories/subject.repository';
import { findUnmatched } from '../repositories/unmatched.repository';
import { linkPendingStatusChanges } from './apply-status-change';

export interface SubjectRegistration {
  readonly partnershipId: string;
  readonly displayName: string;
  readonly dateOfBirth?: Date | null;
  readonly identifiers: readonly { readonly system: string; readonly value: string }[];
}

export interface LinkingServiceOptions {
  readonly dataSource: DataSource;
  readonly caseEventsTopic: string;
  /** Called after a commit that enqueued case events (wakes the outbox relay). */
  readonly enqueued: () => void;
  readonly logger: Logger;
}

const MAX_DISPLAY_NAME = 80;

/**
 * Subject matching, the MASH officers' job: registering subjects with their agency identifiers and linking status
 * changes that matched no subject. Whatever becomes matchable is processed exactly as the consumer would have.
 */
export class LinkingService {
  private readonly log: Logger;

  constructor(private readonly options: LinkingServiceOptions) {
    this.log = options.logger.child({ component: 'linking' });
  }

  /**
   * Records the change's identifier against the subject, applies the change and every other change waiting for
   * the same identifier because no subject was known, and returns the id of the case the change now belongs to.
   * A change held as IDENTIFIER_CONFLICT is linked this way, one at a time: its own identifier must not belong to
   * another subject; its other identifiers that belong to no subject are recorded against this one, those of
   * another subject stay theirs (nothing is merged). Linking again to the same subject is harmless.
   */
  async linkStatusChange(identity: Identity, statusChangeId: string, subjectId: string): Promise<string> {
    if (!hasRole(identity, 'mash-officer'))
      throw new ForbiddenError('Only MASH officers link status changes.');
    const { dataSource, caseEventsTopic } = this.options;
    const before = await findUnmatched(dataSource.manager, statusChangeId);
    if (!before) throw new NotFoundError('Unmatched status change');
    if (!mayManageMatching(identity, before.partnership_id)) {
      throw new ForbiddenError("Only the partnership's own MASH officers link its status changes.");
    }
    const key: IdentifierKey = {
      partnershipId: before.partnership_id,
      system: before.identifier_system,
      value: before.identifier_value,
    };
    // The change's other identifiers are recorded against the subject too: lock them with its own, in one order.
    const others: IdentifierKey[] = identifiersOf(before.message)
      .slice(1)
      .map((id) => ({ partnershipId: before.partnership_id, ...id }));
    let enqueued = false;
    let conflicts: readonly string[] = [];
    const caseId = await dataSource.transaction(async (manager) => {
      await lockIdentifiers(manager, [key, ...others]);
      const row = await findUnmatched(manager, statusChangeId, true);
      if (!row) throw new NotFoundError('Unmatched status change');
      if ((await subjectPartnership(manager, subjectId)) !== row.partnership_id)
        throw new NotFoundError('Subject');
      if (row.linked_subject_id !== null && row.linked_subject_id !== subjectId) {
        throw new BadUserInputError(
          'The status change is already linked to another subject.',
          'statusChangeId',
        );
      }
      const owner = await findSubjectIdByIdentifier(manager, key);
      if (owner !== null && owner !== subjectId) {
        throw new BadUserInputError(
          "The status change's identifier already belongs to another subject.",
          'subjectId',
        );
      }
      await addIdentifier(manager, key, subjectId);
      const linked = await linkPendingStatusChanges(
        manager,
        key,
        subjectId,
        identity.subject,
        caseEventsTopic,
        statusChangeId,
      );
      enqueued = linked.enqueued;
      conflicts = linked.conflicts;
      const id = linked.caseIds.get(statusChangeId) ?? (await caseOfStatusChange(manager, statusChangeId));
      if (!id) throw new Error(`status change ${statusChangeId} was linked but has no case`);
      return id;
    });
    if (enqueued) this.options.enqueued();
    this.log.info(
      { audit: 'link-status-change', by: identity.subject, statusChangeId, subjectId, caseId },
      'status change linked',
    );
    if (conflicts.length > 0) {
      this.log.info({ subjectId, statusChangeIds: conflicts }, 'status changes held as IDENTIFIER_CONFLICT');
    }
    return caseId;
  }

  /**
   * Registers a subject with its identifiers. Changes already waiting for any of those identifiers are linked to
   * the new subject at once (the registering officer is recorded as linking them).
   */
  async registerSubject(identity: Identity, input: SubjectRegistration): Promise<string> {
    if (!mayManageMatching(identity, input.partnershipId)) {
      throw new ForbiddenError("Only the partnership's own MASH officers register subjects.");
    }
    const displayName = input.displayName.trim();
    if (displayName.length === 0 || displayName.length > MAX_DISPLAY_NAME) {
      throw new BadUserInputError(`displayName must be 1 to ${MAX_DISPLAY_NAME} characters.`, 'displayName');
    }
    if (input.dateOfBirth && input.dateOfBirth.getTime() > Date.now()) {
      throw new BadUserInputError('dateOfBirth is in the future.', 'dateOfBirth');
    }
    const keys = this.identifierKeys(input);
    const subjectId = randomUUID();
    let enqueued = false;
    const held: string[] = [];
    await this.options.dataSource.transaction(async (manager) => {
      for (const key of keys) await lockIdentifier(manager, key);
      for (const key of keys) {
        if ((await findSubjectIdByIdentifier(manager, key)) !== null) {
          throw new BadUserInputError(
            `The ${key.system} identifier already belongs to a subject.`,
            'identifiers',
          );
        }
      }
      const dateOfBirth = input.dateOfBirth ?? null;
      await insertSubject(manager, {
        id: subjectId,
        partnershipId: input.partnershipId,
        displayName,
        dateOfBirth,
      });
      for (const key of keys) {
        await addIdentifier(manager, key, subjectId);
        const linked = await linkPendingStatusChanges(
          manager,
          key,
          subjectId,
          identity.subject,
          this.options.caseEventsTopic,
        );
        enqueued ||= linked.enqueued;
        held.push(...linked.conflicts);
      }
    });
    if (enqueued) this.options.enqueued();
    this.log.info({ audit: 'register-subject', by: identity.subject, subjectId }, 'subject registered');
    // Waiting changes that named another subject's identifiers too: held for an officer instead of linked.
    if (held.length > 0)
      this.log.info({ subjectId, statusChangeIds: held }, 'status changes held as IDENTIFIER_CONFLICT');
    return subjectId;
  }

  private identifierKeys(input: SubjectRegistration): IdentifierKey[] {
    const seen = new Set<string>();
    const keys: IdentifierKey[] = [];
    for (const { system, value } of input.identifiers) {
      if (!(IDENTIFIER_SYSTEMS as readonly string[]).includes(system)) {
        throw new BadUserInputError(
          `Unknown identifier system "${system}"; expected one of ${IDENTIFIER_SYSTEMS.join(', ')}.`,
          'identifiers',
        );
      }
      const trimmed = value.trim();
      if (trimmed.length === 0) throw new BadUserInputError('An identifier value is empty.', 'identifiers');
      const id = `${system}\u0000${trimmed}`;
      if (seen.has(id)) continue;
      seen.add(id);
      keys.push({ partnershipId: input.partnershipId, system: system as IdentifierSystem, value: trimmed });
    }
    // A fixed order for taking the identifier locks, so two registrations cannot deadlock.
    return keys.sort((a, b) => (`${a.system}:${a.value}` < `${b.system}:${b.value}` ? -1 : 1));
  }
}
