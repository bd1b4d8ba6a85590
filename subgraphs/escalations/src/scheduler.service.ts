import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { CaseSnapshot, EscalationPolicy } from '@mash/schema';
import { enqueueOutbox } from '@mash/connectors';
import type { AgencyDirectory, Logger } from '@mash/platform';
import { calendarFor } from './domain/calendars';
import { advanceOnDeadline, raise } from './domain/escalation';
import type { Clock, EscalationGround } from './domain/model';
import { findThresholdDisagreements } from './domain/rules/threshold-disagreement';
import {
  addEvidenceRows,
  appendTransition,
  findOpenEscalation,
  insertEscalation,
  lockEscalation,
  settledEvidence,
  toState,
  updateEscalation,
} from './escalation.repository';
import { escalationEvent } from './escalation-events';
import { DB_SCHEMA } from './schema-name';
import {
  armTimer,
  claimDueTimers,
  markFired,
  partnershipsOfDueTimers,
  postponeTimer,
  stageTimerKey,
  type DueTimer,
} from './timer.repository';

export interface SchedulerDeps {
  readonly dataSource: DataSource;
  readonly directory: AgencyDirectory;
  readonly clock: Clock;
  /** The escalation-events topic. */
  readonly topic: string;
  readonly logger: Logger;
  readonly intervalMs?: number;
  readonly batchSize?: number;
  /** How long a timer whose work failed waits before it is tried again. */
  readonly retryDelayMs?: number;
  /** Called after a commit that enqueued events (wake the outbox relay). */
  readonly afterCommit?: (what: { readonly events: number }) => void;
}

interface GracePayload {
  readonly caseId: string;
  readonly partnershipId: string;
  readonly ground: EscalationGround;
  readonly raisingAgencyId: string;
  readonly receivingAgencyId: string;
}

interface StagePayload {
  readonly escalationId: string;
  readonly partnershipId: string;
  readonly stage: number;
}

/** What firing one timer did. */
export type FireOutcome =
  'raised' | 'no-longer-holds' | 'already-open' | 'settled' | 'advanced' | 'stale' | 'last-stage';

/**
 * The clock scheduler, run by every instance. Due timers are claimed `FOR UPDATE SKIP LOCKED` and marked fired in
 * the same transaction as their effect, so each fires once however many instances run, and survives restarts.
 */
export class ClockScheduler {
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private pending = false;

  constructor(private readonly deps: SchedulerDeps) {
    this.log = deps.logger.child({ component: 'scheduler' });
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Ask for a prompt run (a timer may be due already). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.pending = true;
      return;
    }
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Fires what is due now; returns what each fired timer did. */
  async runOnce(): Promise<FireOutcome[]> {
    const { dataSource, clock } = this.deps;
    const limit = this.deps.batchSize ?? 50;
    const now = clock.now();
    // Policies come from another service: fetch them before taking locks (a timer another instance held back
    // may still need one inside the transaction; the directory caches).
    const policies = new Map<string, EscalationPolicy | null>();
    for (const id of await partnershipsOfDueTimers(dataSource.manager, now, limit)) {
      await this.policyFor(id, policies);
    }
    let events = 0;
    const outcomes = await dataSource.transaction(async (m) => {
      const done: FireOutcome[] = [];
      for (const t of await claimDueTimers(m, now, limit)) {
        const policy = await this.policyFor(String(t.payload['partnershipId']), policies);
        if (!policy) {
          // Postponed rather than left first in line, so it cannot hold up the timers behind it.
          await postponeTimer(m, t.id, this.retryAt(now), 'the partnership policy is unavailable');
          continue;
        }
        await m.query('SAVEPOINT "timer"');
        try {
          const fired = await this.fire(m, t, policy, now);
          await markFired(m, t.id, now);
          await m.query('RELEASE SAVEPOINT "timer"');
          events += fired.events;
          done.push(fired.outcome);
          this.log.info({ timer: t.key, outcome: fired.outcome }, 'timer fired');
        } catch (err) {
          await m.query('ROLLBACK TO SAVEPOINT "timer"');
          const retryAt = this.retryAt(now);
          await postponeTimer(m, t.id, retryAt, (err as Error).message);
          this.log.error({ err, timer: t.key, attempts: t.attempts + 1, retryAt }, 'timer failed; postponed');
        }
      }
      return done;
    });
    if (events > 0) this.deps.afterCommit?.({ events });
    return outcomes;
  }

  private async policyFor(
    partnershipId: string,
    known: Map<string, EscalationPolicy | null>,
  ): Promise<EscalationPolicy | null> {
    if (known.has(partnershipId)) return known.get(partnershipId) ?? null;
    let policy: EscalationPolicy | null = null;
    try {
      policy = await this.deps.directory.policy(partnershipId);
    } catch (err) {
      this.log.warn({ err, partnershipId }, 'policy unavailable; its timers are postponed');
    }
    known.set(partnershipId, policy);
    return policy;
  }

  private retryAt(now: Date): Date {
    return new Date(now.getTime() + (this.deps.retryDelayMs ?? 60_000));
  }

  private async fire(
    m: EntityManager,
    t: DueTimer,
    policy: EscalationPolicy,
    now: Date,
  ): Promise<{ outcome: FireOutcome; events: number }> {
    return t.kind === 'grace'
      ? this.fireGrace(m, t.payload as unknown as GracePayload, policy, now)
      : this.fireStageDeadline(m, t.payload as unknown as StagePayload, policy, now);
  }

  /** The grace period is over: raise if the disagreement still holds and nothing is open for it already. */
  private async fireGrace(
    m: EntityManager,
    p: GracePayload,
    policy: EscalationPolicy,
    now: Date,
  ): Promise<{ outcome: FireOutcome; events: number }> {
    // Locking the snapshot orders this against the engine applying a newer case event for the same case.
    const [row] = (await m.query(
      `SELECT "snapshot" FROM "escalations"."case_snapshot" WHERE "case_id" = $1 FOR UPDATE`,
      [p.caseId],
    )) as { snapshot: CaseSnapshot }[];
    const finding = row
      ? findThresholdDisagreements(row.snapshot, policy.triggers.thresholdDisagreement).find(
          (f) =>
            f.ground === p.ground &&
            f.raisingAgencyId === p.raisingAgencyId &&
            f.receivingAgencyId === p.receivingAgencyId,
        )
      : undefined;
    if (!finding) return { outcome: 'no-longer-holds', events: 0 };
    const key = {
      caseId: p.caseId,
      ground: p.ground,
      raisingAgencyId: p.raisingAgencyId,
      receivingAgencyId: p.receivingAgencyId,
    };
    if (await findOpenEscalation(m, key)) return { outcome: 'already-open', events: 0 };
    // A disagreement already resolved on exactly this evidence is not raised again; new evidence raises anew.
    const settled = await settledEvidence(m, key);
    if (settled.size > 0 && finding.evidence.every((id) => settled.has(id)))
      return { outcome: 'settled', events: 0 };

    const calendar = calendarFor(policy.calendar);
    const { escalation, transition } = raise(
      {
        id: randomUUID(),
        caseId: p.caseId,
        partnershipId: row?.snapshot.partnershipId ?? p.partnershipId,
        ground: finding.ground,
        raisingAgencyId: finding.raisingAgencyId,
        receivingAgencyId: finding.receivingAgencyId,
        evidence: finding.evidence,
        at: now,
        reason: finding.reason,
      },
      policy,
      calendar,
    );
    if (!(await insertEscalation(m, escalation))) return { outcome: 'already-open', events: 0 };
    await addEvidenceRows(m, escalation.id, escalation.evidence, now);
    await appendTransition(m, escalation.id, transition);
    await this.armStageTimer(
      m,
      escalation.id,
      escalation.stage,
      escalation.stageDeadline,
      escalation.partnershipId,
    );
    await enqueueOutbox(m, DB_SCHEMA, [
      escalationEvent(this.deps.topic, 'raised', escalation, now, transition.rationale),
    ]);
    return { outcome: 'raised', events: 1 };
  }

  /** A stage deadline passed: move up if the escalation is still at that stage and open. */
  private async fireStageDeadline(
    m: EntityManager,
    p: StagePayload,
    policy: EscalationPolicy,
    now: Date,
  ): Promise<{ outcome: FireOutcome; events: number }> {
    const row = await lockEscalation(m, p.escalationId);
    if (!row || row.status === 'RESOLVED' || row.stage !== p.stage) return { outcome: 'stale', events: 0 };
    if (row.stageDeadline === null || row.stageDeadline > now) return { outcome: 'stale', events: 0 };
    const moved = advanceOnDeadline(toState(row), now, policy, calendarFor(policy.calendar));
    if (!moved) return { outcome: 'last-stage', events: 0 };
    const { escalation, transition } = moved;
    await updateEscalation(m, escalation);
    await appendTransition(m, escalation.id, transition);
    await this.armStageTimer(
      m,
      escalation.id,
      escalation.stage,
      escalation.stageDeadline,
      escalation.partnershipId,
    );
    await enqueueOutbox(m, DB_SCHEMA, [
      escalationEvent(this.deps.topic, 'stage-advanced', escalation, now, transition.rationale),
    ]);
    return { outcome: 'advanced', events: 1 };
  }

  private async armStageTimer(
    m: EntityManager,
    escalationId: string,
    stage: number,
    deadline: Date | null,
    partnershipId: string,
  ): Promise<void> {
    if (deadline === null) return;
    const payload: StagePayload = { escalationId, partnershipId, stage };
    await armTimer(m, 'stage-deadline', stageTimerKey(escalationId, stage), deadline, payload);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    let fired = 0;
    this.running = (async () => {
      try {
        fired = (await this.runOnce()).length;
      } catch (err) {
        this.log.error({ err }, 'scheduler run failed; will retry');
      }
    })();
    await this.running;
    this.running = undefined;
    const again = this.pending || fired >= (this.deps.batchSize ?? 50);
    this.pending = false;
    this.schedule(again ? 0 : (this.deps.intervalMs ?? 1000));
  }
}
