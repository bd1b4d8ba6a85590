import type { DataSource, EntityManager } from 'typeorm';
import type { CaseEventMessage } from '@mash/schema';
import { enqueueOutbox } from '@mash/kafka';
import {
  planForKeyLookups,
  stageRows,
  type AgencyDirectory,
  type Logger,
  type StagingTable,
} from '@mash/service-kit';
import { calendarFor } from '../domain/calendars';
import { decide, isDue, type FindingDecision, type SettledEvidence } from '../domain/finding-decision';
import { SYSTEM_ACTOR, type Clock } from '../domain/model';
import type { Finding } from '../domain/rules/finding';
import { runRules } from '../domain/rules/registry';
import {
  addEvidenceRowsOf,
  findOpenEscalations,
  openEscalationKey,
  settledEvidenceOf,
  toState,
  type OpenEscalationKey,
} from '../repositories/escalation.repository';
import type { EscalationEntity } from '../entities/escalation.entity';
import { escalationEvent } from './escalation-events';
import {
  claimEvidence,
  evidenceAddedRationale,
  findingPayload,
  findingTimerKey,
} from '../jobs/finding-timer';
import { DB_SCHEMA } from '../entities/schema-name';
import { disarmFindingTimersOfCases, setTimers } from '../repositories/timer.repository';
import { partnershipReference, type PartnershipReference } from './reference-data';

/**
 * Where a run stages its cases' latest snapshots for their upsert (a temporary table of the session): their order
 * (by case id, the lock order), the case and its partnership, the snapshot and the sequence it came from.
 */
const CASE_SNAPSHOT_STAGE: StagingTable = {
  name: 'case_snapshot_in',
  columns: [
    { name: 'n', type: 'int4' },
    { name: 'case_id', type: 'text' },
    { name: 'partnership_id', type: 'text' },
    { name: 'snapshot', type: 'json' },
    { name: 'sequence', type: 'text' },
  ],
};
export interface EngineDeps {
  readonly dataSource: DataSource;
  readonly directory: AgencyDirectory;
  readonly clock: Clock;
  /** The escalation-events topic. */
  readonly topic: string;
  readonly logger: Logger;
  /** Called after a commit that enqueued events (wake the outbox relay) or armed timers (wake the scheduler). */
  readonly afterCommit?: (what: { readonly events: number; readonly timers: number }) => void;
}

/**
 * What a batch's transaction has read and decided: the open escalation and settled evidence of each finding due in
 * the batch (no escalation of these cases can be raised or resolved by the engine meanwhile: the scheduler locks the
 * case snapshot first, which the batch holds), the timers to set, and the timer keys each case's latest event keeps.
 */
interface BatchMemo {
  /** By `openEscalationKey`. */
  readonly open: ReadonlyMap<string, EscalationEntity>;
  readonly settled: ReadonlyMap<string, readonly SettledEvidence[]>;
  /** Timer key → the last due time and payload the batch set it to. */
  readonly timers: Map<string, { key: string; dueAt: Date; payload: object }>;
  /** Case id → the timer keys its latest event in the batch keeps waiting. */
  readonly keep: Map<string, string[]>;
  /** The findings that join an open escalation, in the batch's order, with the index of their event. */
  readonly joins: {
    readonly event: number;
    readonly open: EscalationEntity;
    readonly evidence: readonly string[];
  }[];
}

export interface EngineResult {
  /** The event had been applied before: nothing changed. */
  readonly replay: boolean;
  readonly findings: number;
  readonly evidenceAdded: number;
  /** Findings whose timer was set (waiting for their due time, or due already for the scheduler to raise). */
  readonly timersArmed: number;
  /** Waiting finding timers of the case disarmed because the case no longer shows their finding (on the case's last event in the batch). */
  readonly timersDisarmed: number;
}

/**
 * The escalation engine: applies one case event. Every enabled trigger of the partnership's policy runs through
 * the rule registry (domain/rules/registry.ts) on the case as it stands after the event. A finding that is due
 * joins its open escalation as new evidence, is passed over when an escalation was already resolved on exactly its
 * evidence, or else has its timer set to fire at once; a finding not yet due has its timer set to its due time
 * (domain/finding-decision.ts). The scheduler raises when a timer fires and the finding still holds. Waiting timers
 * of the case whose finding the case no longer shows are disarmed (the expected event arrived, the disagreement
 * ended). Idempotent: a case event at or below the sequence its case has had applied changes nothing (one without a
 * sequence, from before case events carried one, is recognised by the inbox).
 * Locks in the order case_snapshot → escalation → timer, like the scheduler (scheduler.ts).
 */
export class EscalationEngine {
  private readonly log: Logger;

  constructor(private readonly deps: EngineDeps) {
    this.log = deps.logger.child({ component: 'engine' });
  }

  async handle(event: CaseEventMessage): Promise<EngineResult> {
    const [result] = await this.handleBatch([event]);
    return result!;
  }

  /**
   * A batch of case events in one transaction, in order (one case's events share a key, so a partition holds them in
   * order). The partnerships' policies are read first, outside the transaction: a failure there is retriable and
   * holds no locks. Which events were applied before is read for the whole batch with one statement (`freshEvents`);
   * a replay changes nothing.
   */
  async handleBatch(batch: readonly CaseEventMessage[]): Promise<EngineResult[]> {
    if (batch.length === 0) return [];
    const { dataSource, directory, clock } = this.deps;
    const references = new Map<string, PartnershipReference>();
    for (const partnershipId of new Set(batch.map((e) => e.case.partnershipId))) {
      references.set(partnershipId, await partnershipReference(directory, partnershipId));
    }
    const now = clock.now();

    const results = await dataSource.transaction(async (m) => {
      await planForKeyLookups(m);
      const applies = await freshEvents(m, batch, now);
      // Each case's latest snapshot first, with one upsert, keeping the lock order case_snapshot → escalation →
      // timer of the scheduler (the rules below read each event's own snapshot).
      const latest = new Map<string, CaseEventMessage>();
      batch.forEach((event, i) => applies[i] && latest.set(event.case.id, event));
      const newest = [...latest.values()].sort((a, b) => (a.case.id < b.case.id ? -1 : 1));
      if (newest.length > 0) {
        // The snapshots staged with one binary COPY, each checked once as json (the column's type) as it is staged
        // (sent as one JSON document, Postgres parsed the whole document into jsonb when binding it and then built
        // each snapshot's value again from it). A snapshot is never replaced by one of a lower sequence (the rows are
        // locked already: this only says so again).
        await stageRows(
          m,
          CASE_SNAPSHOT_STAGE,
          newest.map((e, n) => [
            n,
            e.case.id,
            e.case.partnershipId,
            JSON.stringify(e.case),
            e.sequence === undefined ? null : String(e.sequence),
          ]),
        );
        await m.query(
          `INSERT INTO "escalations"."case_snapshot"
             ("case_id", "partnership_id", "snapshot", "updated_at", "sequence")
           SELECT s."case_id", s."partnership_id", s."snapshot", $1::timestamptz, s."sequence"::bigint
             FROM pg_temp."${CASE_SNAPSHOT_STAGE.name}" s
            ORDER BY s."n"
           ON CONFLICT ("case_id") DO UPDATE
             SET "partnership_id" = EXCLUDED."partnership_id", "snapshot" = EXCLUDED."snapshot",
                 "updated_at" = EXCLUDED."updated_at",
                 "sequence" = coalesce(EXCLUDED."sequence", "case_snapshot"."sequence")
             WHERE EXCLUDED."sequence" IS NULL OR "case_snapshot"."sequence" IS NULL
                OR "case_snapshot"."sequence" < EXCLUDED."sequence"`,
          [now],
        );
      }
      // The rules, in memory, on each fresh event's own snapshot; then the escalations of every finding that is due,
      // looked up (and locked) together, and the evidence settled for those with none open, with one query each.
      const reference = (e: CaseEventMessage) => references.get(e.case.partnershipId)!;
      const found = batch.map((event, i) =>
        applies[i]
          ? runRules(event.case, reference(event).policy, {
              now,
              calendar: calendarFor(reference(event).policy.calendar),
              agencies: reference(event).agencies,
            })
          : [],
      );
      const dueKeys = new Map<string, OpenEscalationKey>();
      batch.forEach((event, i) => {
        for (const f of found[i]!) {
          if (!isDue(f, now)) continue;
          const key = escalationKeyOf(event.case.id, f);
          dueKeys.set(openEscalationKey(key), key);
        }
      });
      const open = await findOpenEscalations(m, [...dueKeys.values()]);
      const settled = await settledEvidenceOf(
        m,
        [...dueKeys].flatMap(([k, key]) => (open.has(k) ? [] : [key])),
      );
      const memo: BatchMemo = { open, settled, timers: new Map(), keep: new Map(), joins: [] };
      const out: (EngineResult & { events: number })[] = [];
      const lastOfCase = new Map<string, number>();
      for (const [i, event] of batch.entries()) {
        if (applies[i]) lastOfCase.set(event.case.id, i);
        out.push(
          applies[i]
            ? this.apply(i, event, found[i]!, now, memo)
            : { replay: true, findings: 0, evidenceAdded: 0, timersArmed: 0, timersDisarmed: 0, events: 0 },
        );
      }
      await this.addJoinedEvidence(m, memo.joins, out, now);
      // Each timer set once, to the last due time and payload the batch gave it, with one statement (the rows are
      // this batch's cases' own: no other engine transaction sets them meanwhile); then each case's waiting timers
      // that its last event no longer keeps, disarmed with one statement.
      await setTimers(m, 'grace', [...memo.timers.values()]);
      const cases = [...lastOfCase.keys()];
      const disarmed = await disarmFindingTimersOfCases(
        m,
        cases,
        cases.flatMap((caseId) => memo.keep.get(caseId) ?? []),
      );
      for (const [caseId, i] of lastOfCase) {
        out[i] = { ...out[i]!, timersDisarmed: disarmed.get(caseId)?.length ?? 0 };
      }
      return out;
    });

    let events = 0;
    let timers = 0;
    const outcomes = results.map(({ events: e, ...outcome }, i) => {
      events += e;
      timers += outcome.timersArmed;
      this.log.debug(
        { statusChangeId: batch[i]!.statusChange.id, caseId: batch[i]!.case.id, ...outcome },
        'case event applied',
      );
      return outcome;
    });
    if (events > 0 || timers > 0) this.deps.afterCommit?.({ events, timers });
    return outcomes;
  }

  /**
   * One fresh case event (the batch's `index`-th) inside the batch's transaction, its findings computed: decides each
   * with the escalations and settled evidence read for the batch; a finding joining an open escalation and a timer
   * to set are kept in `memo` for the batch to write once.
   */
  private apply(
    index: number,
    event: CaseEventMessage,
    findings: readonly Finding[],
    now: Date,
    memo: BatchMemo,
  ): EngineResult & { events: number } {
    const snapshot = event.case;
    const keep: string[] = [];
    let timersArmed = 0;
    for (const f of findings) {
      let decision: FindingDecision = 'wait';
      let open: EscalationEntity | null = null;
      if (isDue(f, now)) {
        const k = openEscalationKey(escalationKeyOf(snapshot.id, f));
        open = memo.open.get(k) ?? null;
        decision = decide(f, { open: open !== null, settled: open ? [] : (memo.settled.get(k) ?? []) }, now);
      }
      switch (decision) {
        case 'join':
          memo.joins.push({ event: index, open: open!, evidence: f.evidence });
          break;
        case 'settled':
          break;
        case 'wait':
        case 'raise': {
          // Written once for the batch, with the last due time and payload it was given (setTimers never waits on a
          // timer a scheduler has claimed; lock order: scheduler.ts).
          const key = findingTimerKey(snapshot.id, f);
          memo.timers.set(key, { key, dueAt: f.dueAt, payload: findingPayload(snapshot, f) });
          keep.push(key);
          timersArmed += 1;
          break;
        }
      }
    }
    memo.keep.set(snapshot.id, keep);
    return {
      replay: false,
      findings: findings.length,
      evidenceAdded: 0,
      timersArmed,
      timersDisarmed: 0,
      events: 0,
    };
  }

  /**
   * The evidence of the batch's joining findings, with one statement, and an `evidence-added` event for each finding
   * that brought some, in the batch's order, with one more: the same rows, events and counts as adding each
   * finding's evidence in turn, where a status change an earlier finding of the batch added is not new to a later
   * one. Counts go to each finding's event in `out`.
   */
  private async addJoinedEvidence(
    m: EntityManager,
    joins: BatchMemo['joins'],
    out: (EngineResult & { events: number })[],
    now: Date,
  ): Promise<void> {
    if (joins.length === 0) return;
    const given = new Map<string, Set<string>>();
    const claimed = joins.map((join) => claimEvidence(given, join.open.id, join.evidence));
    const added = await addEvidenceRowsOf(
      m,
      joins.flatMap((join, j) =>
        claimed[j]!.map((id) => ({ escalationId: join.open.id, statusChangeId: id })),
      ),
      now,
    );
    const messages = joins.flatMap((join, j) => {
      const count = claimed[j]!.filter((id) => added.has(`${join.open.id}|${id}`)).length;
      if (count === 0) return [];
      const result = out[join.event]!;
      out[join.event] = { ...result, evidenceAdded: result.evidenceAdded + count, events: result.events + 1 };
      return [
        escalationEvent(this.deps.topic, 'evidence-added', toState(join.open), {
          at: now,
          actor: SYSTEM_ACTOR,
          rationale: evidenceAddedRationale(count),
        }),
      ];
    });
    await enqueueOutbox(m, DB_SCHEMA, messages);
  }
}

/** The open escalation a finding of this case would join. */
function escalationKeyOf(caseId: string, f: Finding): OpenEscalationKey {
  return {
    caseId,
    ground: f.ground,
    raisingAgencyId: f.raisingAgencyId,
    receivingAgencyId: f.receivingAgencyId,
  };
}

/**
 * Which of a batch's case events apply (true) and which were applied before (false: a redelivery, or an older event
 * arriving after a newer one). A sequenced event applies when its sequence is above the greatest its case has had
 * applied: the stored snapshot's, read here with the snapshots locked (in the scheduler's lock order: case_snapshot
 * first, by case id), or an earlier event's of the batch. An event without a sequence (written before case events
 * carried one) goes through the inbox by its status change id, as every event once did.
 */
async function freshEvents(
  m: EntityManager,
  batch: readonly CaseEventMessage[],
  now: Date,
): Promise<boolean[]> {
  const appliedUpTo = new Map<string, number>();
  const sequenced = [...new Set(batch.flatMap((e) => (e.sequence === undefined ? [] : [e.case.id])))];
  if (sequenced.length > 0) {
    const rows = (await m.query(
      `SELECT "case_id", "sequence"::text AS "sequence" FROM "escalations"."case_snapshot"
        WHERE "case_id" = ANY($1::text[])
        ORDER BY "case_id"
          FOR UPDATE`,
      [sequenced],
    )) as { case_id: string; sequence: string | null }[];
    for (const row of rows) if (row.sequence !== null) appliedUpTo.set(row.case_id, Number(row.sequence));
  }
  const unsequenced = batch.flatMap((e) => (e.sequence === undefined ? [e.statusChange.id] : []));
  const fresh =
    unsequenced.length === 0
      ? new Set<string>()
      : new Set(
          (
            (await m.query(
              `INSERT INTO "escalations"."inbox" ("message_id", "processed_at")
               SELECT DISTINCT unnest($1::text[]), $2::timestamptz
               ON CONFLICT DO NOTHING RETURNING "message_id"`,
              [unsequenced, now],
            )) as { message_id: string }[]
          ).map((r) => r.message_id),
        );
  return batch.map((event) => {
    // First time this batch meets each id (a batch may carry a redelivered record twice).
    if (event.sequence === undefined) return fresh.delete(event.statusChange.id);
    const upTo = appliedUpTo.get(event.case.id);
    if (upTo !== undefined && event.sequence <= upTo) return false;
    appliedUpTo.set(event.case.id, event.sequence);
    return true;
  });
}
