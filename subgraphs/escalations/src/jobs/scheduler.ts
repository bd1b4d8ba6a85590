import type { DataSource, EntityManager } from 'typeorm';
import type { EscalationPolicy } from '@mash/schema';
import { PollingLoop, type AgencyDirectory, type Logger } from '@mash/service-kit';
import type { Clock } from '../domain/model';
import { fireGraceTimer, type GracePayload } from './grace-timer';
import { fireStageDeadline, type StagePayload } from './stage-deadline-timer';
import type { FireOutcome, Fired } from './timer-firing';
import {
  claimDueTimers,
  markFired,
  partnershipsOfDueTimers,
  postponeTimer,
  rearmClaimedTimer,
  type DueTimer,
} from '../repositories/timer.repository';

export type { FireOutcome } from './timer-firing';

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

/**
 * The clock scheduler, run by every instance. A due timer is claimed `FOR UPDATE SKIP LOCKED` and marked fired
 * (or re-armed) in the same transaction as its effect, so each fires once however many instances run, and
 * survives restarts.
 *
 * Lock order, the same for the engine, the scheduler and the mutations, so that none can deadlock another:
 *   case_snapshot → escalation → timer.
 * The engine takes them in that order (snapshot upsert, open escalations, then arming grace timers). The scheduler
 * claims its timer first, but nobody ever waits for a claimed timer: other instances skip it (SKIP LOCKED) and the
 * engine arms without waiting on an unfired row (`armTimer`). After the claim it follows the order: a grace timer
 * locks its case's snapshot, then the escalations of its pair of agencies; a stage deadline locks only its
 * escalation. Each timer fires in its own transaction, so the locks taken for one timer are never held while
 * waiting for those of the next (a batch in one transaction could hold escalation A while waiting for the
 * snapshot of A's case, the reverse of the engine).
 */
export class ClockScheduler {
  private readonly log: Logger;
  private readonly loop: PollingLoop;

  constructor(private readonly deps: SchedulerDeps) {
    this.log = deps.logger.child({ component: 'scheduler' });
    // A full batch means more may be due: go again at once.
    this.loop = new PollingLoop({
      run: async () => (await this.runOnce()).length >= (deps.batchSize ?? 50),
      intervalMs: deps.intervalMs ?? 1000,
      logger: this.log,
      failureMessage: 'scheduler run failed; will retry',
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Ask for a prompt run (a timer may be due already). */
  wake(): void {
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Fires what is due now, up to a batch; returns what each fired timer did. */
  async runOnce(): Promise<FireOutcome[]> {
    const { dataSource, clock } = this.deps;
    const limit = this.deps.batchSize ?? 50;
    const now = clock.now();
    // Policies come from another service: fetch them before taking locks (a timer another instance held back
    // may still need one inside a transaction; the directory caches).
    const policies = new Map<string, EscalationPolicy | null>();
    const names = new Map<string, ReadonlyMap<string, string>>();
    for (const id of await partnershipsOfDueTimers(dataSource.manager, now, limit)) {
      await this.policyFor(id, policies);
      names.set(id, await this.agencyNamesFor(id));
    }
    let events = 0;
    const outcomes: FireOutcome[] = [];
    for (let claimed = 0; claimed < limit; claimed++) {
      const step = await dataSource.transaction(async (m) => {
        const [t] = await claimDueTimers(m, now, 1);
        return t ? this.fireClaimed(m, t, policies, names, now) : null;
      });
      if (step === null) break; // nothing left that is due and unclaimed
      if (step === 'postponed') continue;
      events += step.events;
      outcomes.push(step.outcome);
    }
    if (events > 0) this.deps.afterCommit?.({ events });
    return outcomes;
  }

  /** Fires one claimed timer; a failure rolls its effect back and postpones it, keeping the error. */
  private async fireClaimed(
    m: EntityManager,
    t: DueTimer,
    policies: Map<string, EscalationPolicy | null>,
    names: ReadonlyMap<string, ReadonlyMap<string, string>>,
    now: Date,
  ): Promise<Fired | 'postponed'> {
    const partnershipId = String(t.payload['partnershipId']);
    const policy = await this.policyFor(partnershipId, policies);
    if (!policy) {
      // Postponed rather than left first in line, so it cannot hold up the timers behind it.
      await postponeTimer(m, t.id, this.retryAt(now), 'the partnership policy is unavailable');
      return 'postponed';
    }
    await m.query('SAVEPOINT "timer"');
    try {
      const fired = await this.fire(m, t, policy, names.get(partnershipId) ?? new Map(), now);
      if (fired.rearm) await rearmClaimedTimer(m, t.id, fired.rearm.dueAt, fired.rearm.payload);
      else await markFired(m, t.id, now);
      await m.query('RELEASE SAVEPOINT "timer"');
      this.log.info(
        { timer: t.key, outcome: fired.outcome, ...(fired.rearm ? { dueAt: fired.rearm.dueAt } : {}) },
        'timer fired',
      );
      return fired;
    } catch (err) {
      await m.query('ROLLBACK TO SAVEPOINT "timer"');
      const retryAt = this.retryAt(now);
      await postponeTimer(m, t.id, retryAt, (err as Error).message);
      this.log.error({ err, timer: t.key, attempts: t.attempts + 1, retryAt }, 'timer failed; postponed');
      return 'postponed';
    }
  }

  private fire(
    m: EntityManager,
    t: DueTimer,
    policy: EscalationPolicy,
    agencyNames: ReadonlyMap<string, string>,
    now: Date,
  ): Promise<Fired> {
    return t.kind === 'grace'
      ? fireGraceTimer(m, t.payload as unknown as GracePayload, policy, agencyNames, now, this.deps.topic)
      : fireStageDeadline(m, t.payload as unknown as StagePayload, policy, now, this.deps.topic);
  }

  /** Agency names for recorded reasons; without them the reasons name agencies by id, and nothing waits. */
  private async agencyNamesFor(partnershipId: string): Promise<ReadonlyMap<string, string>> {
    try {
      return (await this.deps.directory.agencyNames?.(partnershipId)) ?? new Map();
    } catch (err) {
      this.log.warn({ err, partnershipId }, 'agency names unavailable; reasons name agencies by id');
      return new Map();
    }
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
}
