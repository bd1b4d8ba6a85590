import type { DataSource, EntityManager } from 'typeorm';
import { PollingLoop, type AgencyDirectory, type Logger } from '@mash/service-kit';
import type { Clock } from '../domain/model';
import { partnershipReference, type PartnershipReference } from '../services/reference-data';
import type { CaseSnapshot } from '@mash/schema';
import type { FireOutcome, Fired } from './timer-firing';
import { fireFindingTimers, type FindingPayload } from './finding-timer';
import { fireTimer } from './timers';
import {
  claimDueTimerBatch,
  lockCaseSnapshots,
  lockClaimedTimer,
  lockClaimedTimers,
  markFired,
  postponeTimer,
  rearmClaimedTimer,
  settleClaimedTimers,
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
  /**
   * How long a sweep's claim on its batch keeps other instances off it (default 30 s): a batch fires in well under
   * that (its finding timers a few transactions of a fixed number of statements); an instance that stops mid-batch
   * hands the rest back when it runs out. A lease that runs out early costs repeated work, never a second firing:
   * firing locks each timer again and skips one that has fired.
   */
  readonly claimLeaseMs?: number;
  /** Called after a commit that enqueued events (wake the outbox relay). */
  readonly afterCommit?: (what: { readonly events: number }) => void;
  /** About how many finding timers of a sweep fire in one transaction (default 25; one case's all in one). */
  readonly fireChunk?: number;
  /** How many of a sweep's transactions of finding timers run at once (default 2). */
  readonly fireConcurrency?: number;
}

/**
 * The clock scheduler, run by every instance. A sweep finds and claims a batch of due timers in one statement (a
 * lease, `claimed_until`, keeps other instances off them), then fires them: the batch's finding timers about 25 to a
 * transaction, one case's all in the same one, two such transactions at once (`fireChunk`, `fireConcurrency`: locked
 * `FOR UPDATE` again by id with one statement, then their cases' snapshots locked and read in case order with
 * another, then fired together with a number of statements that does not grow with the timers, `fireFindingTimers`;
 * should that fail, rolled back and fired one by one, each under its own savepoint), every other timer in its own
 * transaction; each is marked fired
 * (or re-armed) in the same transaction as its effect, so each fires once however many instances run, and
 * survives restarts.
 *
 * Lock order, the same for the engine, the scheduler and the mutations, so that none can deadlock another:
 *   case_snapshot → escalation → timer.
 * The engine takes them in that order (snapshot upsert, open escalations, then setting and disarming finding
 * timers). The scheduler locks its timers first, but only a firing transaction ever waits for a timer, and it
 * waits holding nothing (locking the claimed timers is its first statement): other sweeps skip locked and leased
 * timers, and the engine and the mutations set and disarm timers passing over locked rows (`setTimer`, `setTimers`,
 * `disarmFindingTimersOfCases`). After that lock it follows the order: a transaction of finding timers locks all its
 * cases' snapshots (in case order, one statement) before any escalation, and then only the escalations of those
 * cases, which no engine transaction can hold meanwhile (it would hold the case's snapshot first); a stage deadline
 * locks only its escalation, in a transaction of its own, so it never holds an escalation while waiting for a
 * snapshot. Each timer is fired by its kind's handler (jobs/timers.ts).
 */
export class ClockScheduler {
  private readonly log: Logger;
  private readonly loop: PollingLoop;
  /** How many timers the last sweep claimed. */
  private lastClaimed = 0;

  constructor(private readonly deps: SchedulerDeps) {
    this.log = deps.logger.child({ component: 'scheduler' });
    // A full batch means more may be due: go again at once.
    this.loop = new PollingLoop({
      run: async () => {
        await this.runOnce();
        return this.lastClaimed >= (deps.batchSize ?? 200);
      },
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
    const limit = this.deps.batchSize ?? 200;
    const now = clock.now();
    const leaseUntil = new Date(now.getTime() + (this.deps.claimLeaseMs ?? 30_000));
    const claimed = await dataSource.transaction((m) => claimDueTimerBatch(m, now, leaseUntil, limit));
    this.lastClaimed = claimed.length;
    // Policies and agencies come from another service: fetch them before taking locks (the directory caches).
    const known = new Map<string, PartnershipReference | null>();
    for (const id of new Set(claimed.map((t) => String(t.payload['partnershipId'])))) {
      await this.referenceFor(id, known);
    }
    let events = 0;
    const steps: (Fired | 'postponed' | null)[] = claimed.map(() => null);
    // The finding timers of the sweep in transactions of about `fireChunk`, one case's timers always in the same
    // one: the timers locked first (holding nothing), then their cases' snapshots in case order, then fired together
    // (`fireFindingTimers`, or one by one under savepoints should that fail), so a transaction takes the locks in the
    // order of the engine (case_snapshot → escalation) and one commit covers several timers, while the snapshots it
    // holds keep the engine waiting only for a few timers' work. Up to `fireConcurrency` of them run at once: their cases differ, so none waits on
    // another's locks.
    const byCase = new Map<string, number[]>();
    for (const [i, c] of claimed.entries()) {
      if (c.kind !== 'grace') continue;
      const caseId = String(c.payload['caseId']);
      byCase.set(caseId, [...(byCase.get(caseId) ?? []), i]);
    }
    const chunks: number[][] = [];
    let chunk: number[] = [];
    for (const timers of byCase.values()) {
      chunk.push(...timers);
      if (chunk.length >= (this.deps.fireChunk ?? 25)) {
        chunks.push(chunk);
        chunk = [];
      }
    }
    if (chunk.length > 0) chunks.push(chunk);
    let next = 0;
    const fireChunks = async () => {
      for (let part = chunks[next++]; part; part = chunks[next++]) {
        await dataSource.transaction(async (m) => {
          const locked = await lockClaimedTimers(
            m,
            part!.map((i) => claimed[i]!.id),
            now,
          );
          const snapshots = await lockCaseSnapshots(
            m,
            [...locked.values()].map((t) => String(t.payload['caseId'])),
          );
          const timers = part!.flatMap((i) => {
            const t = locked.get(claimed[i]!.id);
            return t ? [{ i, t }] : [];
          });
          const fired = await this.fireFindingTimers(
            m,
            timers.map(({ t }) => t),
            snapshots,
            known,
            now,
          );
          for (const [k, { i }] of timers.entries()) steps[i] = fired[k]!;
        });
      }
    };
    const settled = await Promise.allSettled(
      Array.from({ length: Math.min(this.deps.fireConcurrency ?? 2, chunks.length) }, fireChunks),
    );
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    // Other timers (stage deadlines lock only their escalation) each in its own transaction.
    for (const [i, c] of claimed.entries()) {
      if (c.kind === 'grace') continue;
      steps[i] = await dataSource.transaction(async (m) => {
        const t = await lockClaimedTimer(m, c.id, now);
        return t ? this.fireClaimed(m, t, known, now) : null;
      });
    }
    const outcomes: FireOutcome[] = [];
    for (const step of steps) {
      // Null: fired, disarmed or moved later since the claim (by the engine, or another instance after the lease).
      if (step === null || step === 'postponed') continue;
      events += step.events;
      outcomes.push(step.outcome);
    }
    if (events > 0) this.deps.afterCommit?.({ events });
    return outcomes;
  }

  /**
   * Fires a transaction's claimed finding timers together (`fireFindingTimers`), their snapshots locked and read,
   * and marks them fired or re-armed with one statement. A timer whose partnership's policy or agencies are
   * unavailable is postponed. Should that fail, it is rolled back to a savepoint taken before it and each timer is
   * fired on its own (`fireClaimed`, its own savepoint, postponed on failure), so one bad timer holds up no other.
   */
  private async fireFindingTimers(
    m: EntityManager,
    timers: readonly DueTimer[],
    snapshots: ReadonlyMap<string, CaseSnapshot>,
    known: Map<string, PartnershipReference | null>,
    now: Date,
  ): Promise<(Fired | 'postponed')[]> {
    const out: (Fired | 'postponed')[] = timers.map(() => 'postponed');
    const ready: { k: number; t: DueTimer; reference: PartnershipReference }[] = [];
    for (const [k, t] of timers.entries()) {
      const reference = await this.referenceFor(String(t.payload['partnershipId']), known);
      if (reference) ready.push({ k, t, reference });
      else await this.postponeUnavailable(m, t, now);
    }
    if (ready.length === 0) return out;
    await m.query('SAVEPOINT "findings"');
    try {
      const fired = await fireFindingTimers(
        m,
        ready.map(({ t, reference }) => ({ payload: t.payload as unknown as FindingPayload, reference })),
        snapshots,
        { now, topic: this.deps.topic },
      );
      await settleClaimedTimers(
        m,
        ready.map(({ t }, j) => ({ id: t.id, rearm: fired[j]!.rearm })),
        now,
      );
      await m.query('RELEASE SAVEPOINT "findings"');
      for (const [j, { k, t }] of ready.entries()) {
        out[k] = fired[j]!;
        this.logFired(t, fired[j]!);
      }
      return out;
    } catch (err) {
      await m.query('ROLLBACK TO SAVEPOINT "findings"');
      await m.query('RELEASE SAVEPOINT "findings"');
      this.log.warn(
        { err, timers: ready.length },
        'firing finding timers together failed; firing each on its own',
      );
      for (const { k, t } of ready) out[k] = await this.fireClaimed(m, t, known, now);
      return out;
    }
  }

  /** Fires one claimed timer; a failure rolls its effect back and postpones it, keeping the error. */
  private async fireClaimed(
    m: EntityManager,
    t: DueTimer,
    known: Map<string, PartnershipReference | null>,
    now: Date,
  ): Promise<Fired | 'postponed'> {
    const partnershipId = String(t.payload['partnershipId']);
    const reference = await this.referenceFor(partnershipId, known);
    if (!reference) {
      await this.postponeUnavailable(m, t, now);
      return 'postponed';
    }
    await m.query('SAVEPOINT "timer"');
    try {
      const fired = await fireTimer(m, t, { ...reference, now, topic: this.deps.topic });
      if (fired.rearm) await rearmClaimedTimer(m, t.id, fired.rearm.dueAt, fired.rearm.payload);
      else await markFired(m, t.id, now);
      await m.query('RELEASE SAVEPOINT "timer"');
      this.logFired(t, fired);
      return fired;
    } catch (err) {
      await m.query('ROLLBACK TO SAVEPOINT "timer"');
      const retryAt = this.retryAt(now);
      await postponeTimer(m, t.id, retryAt, (err as Error).message);
      this.log.error({ err, timer: t.key, attempts: t.attempts + 1, retryAt }, 'timer failed; postponed');
      return 'postponed';
    }
  }

  /** Postponed rather than left first in line, so it cannot hold up the timers behind it. */
  private async postponeUnavailable(m: EntityManager, t: DueTimer, now: Date): Promise<void> {
    await postponeTimer(m, t.id, this.retryAt(now), 'the partnership policy or agencies are unavailable');
  }

  private logFired(t: DueTimer, fired: Fired): void {
    this.log.info(
      { timer: t.key, outcome: fired.outcome, ...(fired.rearm ? { dueAt: fired.rearm.dueAt } : {}) },
      'timer fired',
    );
  }

  private async referenceFor(
    partnershipId: string,
    known: Map<string, PartnershipReference | null>,
  ): Promise<PartnershipReference | null> {
    if (known.has(partnershipId)) return known.get(partnershipId) ?? null;
    let reference: PartnershipReference | null = null;
    try {
      reference = await partnershipReference(this.deps.directory, partnershipId);
    } catch (err) {
      this.log.warn({ err, partnershipId }, 'policy or agencies unavailable; their timers are postponed');
    }
    known.set(partnershipId, reference);
    return reference;
  }

  private retryAt(now: Date): Date {
    return new Date(now.getTime() + (this.deps.retryDelayMs ?? 60_000));
  }
}
