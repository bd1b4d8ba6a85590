import { randomUUID } from 'node:crypto';
import { enqueueOutbox, type OutboxMessage } from '@mash/kafka';
import type { CaseEventMessage, StatusChangeMessage } from '@mash/schema';
import type { EntityManager } from 'typeorm';
import { applyToCase, snapshotOf, type CaseState } from '../domain/case-state';
import { identifiersOf } from '../domain/identifiers';
import type { ChildProtectionRecord } from '../domain/child-protection';
import type { PlanRecord } from '../domain/plans';
import type { AgencyPosition, InvolvementState } from '../domain/positions';
import { signalWindow } from '../domain/signals';
import type { CaseHeader } from '../domain/snapshot';
import { SCHEMA } from '../entities/schema-name';
import {
  loadChildProtection,
  loadSignals,
  saveChildProtection,
} from '../repositories/case-records.repository';
import {
  casesOfStatusChanges,
  findTimelineAndOpenCases,
  insertCases,
  insertTimelineEntries,
  loadCaseParts,
  saveInvolvements,
  savePositions,
} from '../repositories/case-state.repository';
import {
  addIdentifiers,
  findSubjectIdsByIdentifiers,
  identifierLockKey,
  lockIdentifiers,
  type IdentifierKey,
} from '../repositories/identifier.repository';
import { loadPlans, savePlans } from '../repositories/plan.repository';
import { lockSubject } from '../repositories/subject.repository';
import { lockPendingUnmatched, markConflict, markLinked } from '../repositories/unmatched.repository';

/**
 * The steps of matching a status change to a case, each inside the caller's transaction. The consumer and the
 * linking mutations both go through `applyMatchedStatusChanges` (a single change is a batch of one), so a linked
 * change is processed exactly as a matched one would have been.
 */
export type MatchedOutcome =
  | { readonly outcome: 'applied'; readonly caseId: string }
  | { readonly outcome: 'replay'; readonly caseId: string };

/**
 * Applies a change to the subject's open case (opening one when there is none): the timeline row, the agency's
 * involvement and position, the child protection process, plans and signals, and the case event in the outbox.
 * The timeline row's unique id makes a replay a no-op: its case event was committed with it the first time.
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
  const events: OutboxMessage[] = outbox ?? [];
  const [outcome] = await applyMatchedStatusChanges(
    manager,
    [{ subjectId, message }],
    caseEventsTopic,
    events,
  );
  if (!outbox) await enqueueOutbox(manager, SCHEMA, events);
  return outcome!;
}

export interface PendingLinkResult {
  /** The case each linked status change now belongs to, by status change id. */
  readonly caseIds: ReadonlyMap<string, string>;
  /** Waiting changes found to name another subject's identifiers: now held as IDENTIFIER_CONFLICT instead. */
  readonly conflicts: readonly string[];
  /** True when at least one case event was enqueued (the relay should be woken after commit). */
  readonly enqueued: boolean;
}

/**
 * Applies every change still waiting for this identifier because no subject was known (and the change
 * `explicitId`, which a MASH officer chose to link whatever it waited for) to the subject, oldest first, marks each
 * linked (who, when) and records its other identifiers that no subject holds against the subject. A waiting change
 * whose other identifiers now belong to another subject is not applied: it is held as IDENTIFIER_CONFLICT for an
 * officer to link by itself. The caller holds the identifier lock and has recorded the identifier against the
 * subject.
 */
export async function linkPendingStatusChanges(
  manager: EntityManager,
  key: IdentifierKey,
  subjectId: string,
  linkedBy: string,
  caseEventsTopic: string,
  explicitId?: string,
): Promise<PendingLinkResult> {
  const caseIds = new Map<string, string>();
  const conflicts: string[] = [];
  let enqueued = false;
  for (const row of await lockPendingUnmatched(manager, key, explicitId)) {
    const others: IdentifierKey[] = identifiersOf(row.message)
      .slice(1)
      .map((id) => ({ partnershipId: key.partnershipId, ...id }));
    await lockIdentifiers(manager, others);
    const owners = await findSubjectIdsByIdentifiers(manager, others);
    const ownerOf = (k: IdentifierKey) => owners.get(identifierLockKey(k));
    if (row.id !== explicitId && others.some((k) => ownerOf(k) !== undefined && ownerOf(k) !== subjectId)) {
      await markConflict(manager, row.id);
      conflicts.push(row.id);
      continue;
    }
    await addIdentifiers(
      manager,
      others.filter((k) => ownerOf(k) === undefined).map((k) => ({ key: k, subjectId })),
    );
    const result = await applyMatchedStatusChange(manager, subjectId, row.message, caseEventsTopic);
    enqueued ||= result.outcome === 'applied';
    caseIds.set(row.id, result.caseId);
    await markLinked(manager, row.id, subjectId, linkedBy);
  }
  return { caseIds, conflicts, enqueued };
}

/**
 * `applyMatchedStatusChange` for a batch, set-based: the changes on a timeline already (replays) and the subjects'
 * open cases are found with one look-up, new cases and timeline rows are inserted with one statement each,
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
  const { onTimeline, openCases } = await findTimelineAndOpenCases(
    manager,
    items.map((i) => i.message.id),
    [...new Map(items.map((i) => [i.subjectId, i.message.partnershipId])).entries()].map(
      ([subjectId, partnershipId]) => ({ subjectId, partnershipId }),
    ),
  );
  const fresh = new Set<string>();
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
  const sequences = await insertTimelineEntries(
    manager,
    applied.map(({ message }) => ({ caseId: caseOf.get(message.id)!, message })),
  );

  const headers = new Map<string, CaseHeader>();
  for (const { subjectId, message } of applied) {
    const id = caseOf.get(message.id)!;
    headers.set(id, { id, partnershipId: message.partnershipId, subjectId, status: 'open' });
  }
  const { states, planIds } = await loadCaseStates(
    manager,
    headers,
    applied.map((i) => i.message.id),
  );
  const changedInvolvements = new Map<string, { caseId: string; involvement: InvolvementState }>();
  const changedPositions = new Map<string, { caseId: string; position: AgencyPosition }>();
  const changedChildProtection = new Set<string>();
  const changedPlans = new Map<string, { caseId: string; key: string }>();
  const outcomes = new Map<string, MatchedOutcome>();
  for (const { message } of applied) {
    const caseId = caseOf.get(message.id)!;
    const { state, changes } = applyToCase(states.get(caseId)!, message);
    states.set(caseId, state);
    const agencyKey = `${caseId}|${message.agencyId}`;
    changedInvolvements.set(agencyKey, { caseId, involvement: state.involvements.get(message.agencyId)! });
    changedPositions.set(agencyKey, { caseId, position: state.positions.get(message.agencyId)! });
    if (changes.childProtection) changedChildProtection.add(caseId);
    for (const key of changes.plans) changedPlans.set(`${caseId}|${key}`, { caseId, key });
    const sequence = sequences.get(message.id);
    if (sequence === undefined) throw new Error(`status change ${message.id} was not added to its timeline`);
    const event: CaseEventMessage = { statusChange: message, case: snapshotOf(state), sequence };
    outbox.push({ topic: caseEventsTopic, key: caseId, value: event });
    outcomes.set(message.id, { outcome: 'applied', caseId });
  }
  await saveInvolvements(manager, [...changedInvolvements.values()]);
  await savePositions(manager, [...changedPositions.values()]);
  await saveChildProtection(
    manager,
    [...changedChildProtection].map((caseId) => ({ caseId, record: states.get(caseId)!.childProtection })),
  );
  await savePlans(
    manager,
    [...changedPlans.values()].map(({ caseId, key }) => ({
      caseId,
      id: planIds.get(caseId)?.get(key),
      plan: states.get(caseId)!.plans.get(key)!,
    })),
  );

  const replayed = await casesOfStatusChanges(
    manager,
    items
      .filter((i) => !outcomes.has(i.message.id) && !onTimeline.has(i.message.id))
      .map((i) => i.message.id),
  );
  // The first record of an id applies it; a later one in the same batch (or one stored before) is a replay.
  const firstOf = new Map<string, number>();
  items.forEach(({ message }, index) => {
    if (!firstOf.has(message.id)) firstOf.set(message.id, index);
  });
  return items.map(({ subjectId, message }, index): MatchedOutcome => {
    const done = outcomes.get(message.id);
    if (done && firstOf.get(message.id) === index) return done;
    const caseId =
      onTimeline.get(message.id) ?? replayed.get(message.id) ?? done?.caseId ?? openCases.get(subjectId)!;
    return { outcome: 'replay', caseId };
  });
}

/**
 * The cases' state before the batch: involvements, positions, child protection records, plans (with their stored
 * ids) and signals of every case, each part read with a statement of its own that returns its columns as they are
 * (one statement building each row as JSON (`to_jsonb`) for all of them cost Postgres twice the CPU: 120-130 ms
 * against 60 for 1,700 cases). `applying` are the batch's changes, already on the timeline but not yet applied:
 * their signals are left out, to be added in order.
 */
async function loadCaseStates(
  manager: EntityManager,
  headers: ReadonlyMap<string, CaseHeader>,
  applying: readonly string[],
): Promise<{ states: Map<string, CaseState>; planIds: Map<string, Map<string, string>> }> {
  const caseIds = [...headers.keys()];
  const parts = await loadCaseParts(manager, caseIds);
  const childProtection = await loadChildProtection(manager, caseIds);
  const plans = await loadPlans(manager, caseIds);
  const signals = await loadSignals(manager, caseIds, applying);
  const states = new Map<string, CaseState>();
  const planIds = new Map<string, Map<string, string>>();
  for (const [id, header] of headers) {
    const p = parts.get(id);
    const casePlans = plans.get(id);
    planIds.set(id, casePlans?.ids ?? new Map());
    states.set(id, {
      header,
      involvements: new Map((p?.involvements ?? []).map((i) => [i.agencyId, i])),
      positions: new Map((p?.positions ?? []).map((x) => [x.agencyId, x])),
      childProtection: (childProtection.get(id) ?? null) as ChildProtectionRecord | null,
      plans: casePlans?.plans ?? new Map<string, PlanRecord>(),
      signals: signalWindow(signals.get(id) ?? []),
    });
  }
  return { states, planIds };
}
