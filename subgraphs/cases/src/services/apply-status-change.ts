import { randomUUID } from 'node:crypto';
import { enqueueOutbox, type OutboxMessage } from '@mash/kafka';
import type { CaseEventMessage, StatusChangeMessage } from '@mash/schema';
import type { EntityManager } from 'typeorm';
import {
  applyStatusChange,
  involvementAfter,
  type AgencyPosition,
  type InvolvementState,
} from '../domain/positions';
import { buildSnapshot, type CaseHeader } from '../domain/snapshot';
import { SCHEMA } from '../entities/schema-name';
import {
  casesOfStatusChanges,
  findOpenCaseIds,
  insertCases,
  insertTimelineEntries,
  loadCaseParts,
  saveInvolvements,
  savePositions,
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

/**
 * `applyMatchedStatusChange` for a batch, set-based: the changes on a timeline already (replays) are found with one
 * look-up, the subjects' open cases with another, new cases and timeline rows are inserted with one statement each,
 * the cases' involvements and positions are read once, every change is applied in memory in order (one subject's
 * changes arrive in order), and the final involvements and positions are written with one upsert each. The case
 * events (one per applied change, with the snapshot after it) go to `outbox`. The caller holds the subjects' locks.
 */
export async function applyMatchedStatusChanges(
  manager: EntityManager,
  items: readonly { readonly subjectId: string; readonly message: StatusChangeMessage }[],
  caseEventsTopic: string,
  outbox: OutboxMessage[],
): Promise<MatchedOutcome[]> {
  if (items.length === 0) return [];
  const onTimeline = await casesOfStatusChanges(
    manager,
    items.map((i) => i.message.id),
  );
  const fresh = new Set<string>();
  const openCases = await findOpenCaseIds(
    manager,
    [...new Map(items.map((i) => [i.subjectId, i.message.partnershipId])).entries()].map(
      ([subjectId, partnershipId]) => ({ subjectId, partnershipId }),
    ),
  );
  const newCases: { id: string; subjectId: string; partnershipId: string; openedAt: string }[] = [];
  const caseOf = new Map<string, string>();
  for (const { subjectId, message } of items) {
    if (onTimeline.has(message.id) || fresh.has(message.id)) continue;
    fresh.add(message.id);
    let caseId = openCases.get(subjectId);
    if (caseId === undefined) {
      caseId = randomUUID();
      openCases.set(subjectId, caseId);
      newCases.push({
        id: caseId,
        subjectId,
        partnershipId: message.partnershipId,
        openedAt: message.occurredAt,
      });
    }
    caseOf.set(message.id, caseId);
  }
  await insertCases(manager, newCases);
  const applied = items.filter((i) => caseOf.has(i.message.id) && fresh.delete(i.message.id));
  await insertTimelineEntries(
    manager,
    applied.map(({ message }) => ({ caseId: caseOf.get(message.id)!, message })),
  );

  const headers = new Map<string, CaseHeader>();
  for (const { subjectId, message } of applied) {
    const id = caseOf.get(message.id)!;
    headers.set(id, { id, partnershipId: message.partnershipId, subjectId, status: 'open' });
  }
  const parts = await loadCaseParts(manager, [...headers.keys()]);
  const state = new Map(
    [...parts].map(([id, p]) => [
      id,
      {
        involvements: new Map(p.involvements.map((i) => [i.agencyId, i])),
        positions: new Map(p.positions.map((x) => [x.agencyId, x])),
      },
    ]),
  );
  const changedInvolvements = new Map<string, { caseId: string; involvement: InvolvementState }>();
  const changedPositions = new Map<string, { caseId: string; position: AgencyPosition }>();
  const outcomes = new Map<string, MatchedOutcome>();
  for (const { message } of applied) {
    const caseId = caseOf.get(message.id)!;
    const s = state.get(caseId)!;
    const involvement = involvementAfter(message, s.involvements.get(message.agencyId));
    s.involvements.set(message.agencyId, involvement);
    changedInvolvements.set(`${caseId}|${message.agencyId}`, { caseId, involvement });
    const position = applyStatusChange(s.positions.get(message.agencyId), message);
    s.positions.set(message.agencyId, position);
    changedPositions.set(`${caseId}|${message.agencyId}`, { caseId, position });
    const snapshot = buildSnapshot(
      headers.get(caseId)!,
      [...s.involvements.values()],
      [...s.positions.values()],
    );
    const event: CaseEventMessage = { statusChange: message, case: snapshot };
    outbox.push({ topic: caseEventsTopic, key: caseId, value: event });
    outcomes.set(message.id, { outcome: 'applied', caseId });
  }
  await saveInvolvements(manager, [...changedInvolvements.values()]);
  await savePositions(manager, [...changedPositions.values()]);

  const replayed = await casesOfStatusChanges(
    manager,
    items
      .filter((i) => !outcomes.has(i.message.id) && !onTimeline.has(i.message.id))
      .map((i) => i.message.id),
  );
  return items.map(({ subjectId, message }, index): MatchedOutcome => {
    // The first record of an id applies it; a later one in the same batch (or one stored before) is a replay.
    const first = items.findIndex((i) => i.message.id === message.id) === index;
    const done = outcomes.get(message.id);
    if (done && first) return done;
    const caseId =
      onTimeline.get(message.id) ?? replayed.get(message.id) ?? done?.caseId ?? openCases.get(subjectId)!;
    return { outcome: 'replay', caseId };
  });
}
