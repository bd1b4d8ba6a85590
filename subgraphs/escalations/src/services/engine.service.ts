import type { DataSource, EntityManager } from 'typeorm';
import { triggerFor, type CaseEventMessage } from '@mash/schema';
import { enqueueOutbox } from '@mash/kafka';
import type { AgencyDirectory, Logger } from '@mash/service-kit';
import { addTimescale } from '../domain/calendar';
import { calendarFor } from '../domain/calendars';
import type { Clock } from '../domain/model';
import { findThresholdDisagreements } from '../domain/rules/threshold-disagreement';
import { addEvidenceRows, findOpenEscalation } from '../repositories/escalation.repository';
import { escalationEvent } from './escalation-events';
import { gracePayload } from '../jobs/grace-timer';
import { DB_SCHEMA } from '../entities/schema-name';
import { armTimer, graceTimerKey } from '../repositories/timer.repository';

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
 * What a batch's transaction has learnt, so each case's escalation is looked up and its grace timer armed once:
 * no escalation of these cases can be raised meanwhile (the scheduler locks the case snapshot first, which the batch
 * holds), and a timer armed in the batch waits.
 */
interface BatchMemo {
  readonly open: Map<string, Awaited<ReturnType<typeof findOpenEscalation>>>;
  readonly armed: Set<string>;
}

export interface EngineResult {
  /** The event had been applied before: nothing changed. */
  readonly replay: boolean;
  readonly findings: number;
  readonly evidenceAdded: number;
  readonly timersArmed: number;
}

/**
 * The escalation engine: applies one case event. The rules run on the case as it stands after the event; a
 * finding joins its open escalation as new evidence, or arms a grace timer (the scheduler raises when the grace
 * period is over and the disagreement still holds). Idempotent: the inbox makes a replay change nothing.
 * Locks in the order case_snapshot → escalation → timer, like the scheduler (scheduler.service.ts).
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
   * holds no locks. The inbox is written for the whole batch with one insert; a replay changes nothing.
   */
  async handleBatch(batch: readonly CaseEventMessage[]): Promise<EngineResult[]> {
    if (batch.length === 0) return [];
    const { dataSource, directory, clock } = this.deps;
    const policies = new Map<string, Awaited<ReturnType<AgencyDirectory['policy']>>>();
    const names = new Map<string, ReadonlyMap<string, string>>();
    for (const partnershipId of new Set(batch.map((e) => e.case.partnershipId))) {
      policies.set(partnershipId, await directory.policy(partnershipId));
      names.set(partnershipId, (await directory.agencyNames?.(partnershipId)) ?? new Map());
    }
    const now = clock.now();

    const results = await dataSource.transaction(async (m) => {
      const fresh = new Set(
        (
          (await m.query(
            `INSERT INTO "escalations"."inbox" ("message_id", "processed_at")
             SELECT DISTINCT unnest($1::text[]), $2::timestamptz
             ON CONFLICT DO NOTHING RETURNING "message_id"`,
            [batch.map((e) => e.statusChange.id), now],
          )) as { message_id: string }[]
        ).map((r) => r.message_id),
      );
      // First time this batch meets each id (a batch may carry a redelivered record twice).
      const applies = batch.map((event) => fresh.delete(event.statusChange.id));
      // Each case's latest snapshot first, with one upsert, keeping the lock order case_snapshot → escalation →
      // timer of the scheduler (the rules below read each event's own snapshot).
      const latest = new Map<string, CaseEventMessage['case']>();
      batch.forEach((event, i) => applies[i] && latest.set(event.case.id, event.case));
      const snapshots = [...latest.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
      if (snapshots.length > 0) {
        await m.query(
          `INSERT INTO "escalations"."case_snapshot" ("case_id", "partnership_id", "snapshot", "updated_at")
           SELECT "case_id", "partnership_id", "snapshot", $4::timestamptz
             FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS s("case_id", "partnership_id", "snapshot")
           ON CONFLICT ("case_id") DO UPDATE
             SET "partnership_id" = EXCLUDED."partnership_id", "snapshot" = EXCLUDED."snapshot",
                 "updated_at" = EXCLUDED."updated_at"`,
          [
            snapshots.map((c) => c.id),
            snapshots.map((c) => c.partnershipId),
            snapshots.map((c) => JSON.stringify(c)),
            now,
          ],
        );
      }
      const out: (EngineResult & { events: number })[] = [];
      const memo: BatchMemo = { open: new Map(), armed: new Set() };
      for (const [i, event] of batch.entries()) {
        out.push(
          applies[i]
            ? await this.apply(
                m,
                event,
                policies.get(event.case.partnershipId)!,
                names.get(event.case.partnershipId) ?? new Map(),
                now,
                memo,
              )
            : { replay: true, findings: 0, evidenceAdded: 0, timersArmed: 0, events: 0 },
        );
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

  /** One fresh case event inside the batch's transaction. */
  private async apply(
    m: EntityManager,
    event: CaseEventMessage,
    policy: Awaited<ReturnType<AgencyDirectory['policy']>>,
    agencyNames: ReadonlyMap<string, string>,
    now: Date,
    memo: BatchMemo,
  ): Promise<EngineResult & { events: number }> {
    const { topic } = this.deps;
    const snapshot = event.case;
    const calendar = calendarFor(policy.calendar);
    const trigger = triggerFor(policy, 'threshold-disagreement');
    if (!trigger) return { replay: false, findings: 0, evidenceAdded: 0, timersArmed: 0, events: 0 };

    const findings = findThresholdDisagreements(snapshot, trigger, agencyNames);
    let evidenceAdded = 0;
    let timersArmed = 0;
    let events = 0;
    for (const f of findings) {
      const key = graceTimerKey(snapshot.id, f.ground, f.raisingAgencyId, f.receivingAgencyId);
      let open = memo.open.get(key);
      if (open === undefined) {
        open = await findOpenEscalation(m, {
          caseId: snapshot.id,
          ground: f.ground,
          raisingAgencyId: f.raisingAgencyId,
          receivingAgencyId: f.receivingAgencyId,
        });
        memo.open.set(key, open);
      }
      if (open) {
        const added = await addEvidenceRows(m, open.id, f.evidence, now);
        if (added.length > 0) {
          evidenceAdded += added.length;
          events += 1;
          await enqueueOutbox(m, DB_SCHEMA, [
            escalationEvent(
              topic,
              'evidence-added',
              open,
              now,
              `${added.length} new status ${added.length === 1 ? 'change' : 'changes'} joined the escalation.`,
            ),
          ]);
        }
        continue;
      }
      const due = addTimescale(f.since, trigger.gracePeriod, calendar);
      // Armed once per batch: after the first arm the timer waits, and arming a waiting timer changes nothing.
      if (!memo.armed.has(key)) {
        // Never waits on a grace timer a scheduler has claimed (lock order: scheduler.service.ts).
        await armTimer(m, 'grace', key, due, gracePayload(snapshot, f));
        memo.armed.add(key);
      }
      timersArmed += 1;
    }
    return { replay: false, findings: findings.length, evidenceAdded, timersArmed, events };
  }
}
