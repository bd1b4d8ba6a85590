import { randomUUID } from 'node:crypto';
import { enqueueOutbox, type OutboxMessage } from '@mash/kafka';
import type { CaseEventMessage, StatusChangeMessage } from '@mash/schema';
import type { EntityManager } from 'typeorm';
import { applyStatusChange, involvementAfter } from '../domain/positions';
import { buildSnapshot } from '../domain/snapshot';
import { SCHEMA } from '../entities/schema-name';
import {
  caseOfStatusChange,
  findInvolvement,
  findOpenCaseId,
  findPosition,
  insertCase,
  insertTimelineEntry,
  loadCaseState,
  saveInvolvement,
  savePosition,
} from '../repositories/case-state.repository';
import type { IdentifierKey } from '../repositories/identifier.repository';
import { lockSubject } from '../repositories/subject.repository';
import { lockPendingUnmatched, markLinked } from '../repositories/unmatched.repository';

/**
 * The steps of matching a status change to a case, each inside the caller's transaction. The consumer and the
 * linking mutations both go through `applyMatchedStatusChange`, so a linked change is processed exactly as a
 * matched one would have been.
 */
export type MatchedOutcome =
  | { readonly outcome: 'applied'; readonly caseId: string }
  | { readonly outcome: 'replay'; readonly caseId: string };

/**
 * Applies a change to the subject's open case (opening one when there is none): the timeline row, the agency's
 * involvement and position, and the case event in the outbox. The timeline row's unique id makes a replay a no-op:
 * its case event was committed with it the first time.
 */
export async function applyMatchedStatusChange(
  manager: EntityManager,
  subjectId: string,
  message: StatusChangeMessage,
  caseEventsTopic: string,
  /** Where to put the case event (the caller writes these to the outbox); without it, enqueued here. */
  outbox?: OutboxMessage[],
): Promise<MatchedOutcome> {
  // One subject's changes are applied one at a time, whichever partition or instance they arrive on.
  if (!(await lockSubject(manager, subjectId))) throw new Error(`subject ${subjectId} does not exist`);

  const openCaseId = await findOpenCaseId(manager, subjectId, message.partnershipId);
  const caseId = openCaseId ?? randomUUID();
  if (!(await insertTimelineEntry(manager, caseId, message))) {
    return { outcome: 'replay', caseId: (await caseOfStatusChange(manager, message.id)) ?? caseId };
  }
  if (openCaseId === undefined) await insertCase(manager, caseId, subjectId, message);

  const involvement = involvementAfter(message, await findInvolvement(manager, caseId, message.agencyId));
  await saveInvolvement(manager, caseId, involvement);
  const position = applyStatusChange(await findPosition(manager, caseId, message.agencyId), message);
  await savePosition(manager, caseId, position);

  const state = await loadCaseState(manager, caseId);
  const snapshot = buildSnapshot(state.header, state.involvements, state.positions);
  const event: CaseEventMessage = { statusChange: message, case: snapshot };
  const caseEvent: OutboxMessage = { topic: caseEventsTopic, key: caseId, value: event };
  if (outbox) outbox.push(caseEvent);
  else await enqueueOutbox(manager, SCHEMA, [caseEvent]);
  return { outcome: 'applied', caseId };
}

export interface PendingLinkResult {
  /** The case each linked status change now belongs to, by status change id. */
  readonly caseIds: ReadonlyMap<string, string>;
  /** True when at least one case event was enqueued (the relay should be woken after commit). */
  readonly enqueued: boolean;
}

/**
 * Applies every unmatched change still waiting for this identifier to the subject, oldest first, and marks each
 * linked (who, when). The caller holds the identifier lock and has recorded the identifier against the subject.
 */
export async function linkPendingStatusChanges(
  manager: EntityManager,
  key: IdentifierKey,
  subjectId: string,
  linkedBy: string,
  caseEventsTopic: string,
): Promise<PendingLinkResult> {
  const caseIds = new Map<string, string>();
  let enqueued = false;
  for (const row of await lockPendingUnmatched(manager, key)) {
    const result = await applyMatchedStatusChange(manager, subjectId, row.message, caseEventsTopic);
    enqueued ||= result.outcome === 'applied';
    caseIds.set(row.id, result.caseId);
    await markLinked(manager, row.id, subjectId, linkedBy);
  }
  return { caseIds, enqueued };
}
