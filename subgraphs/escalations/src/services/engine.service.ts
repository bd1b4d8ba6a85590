import type { DataSource } from 'typeorm';
import type { CaseEventMessage } from '@mash/schema';
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
    const { dataSource, directory, clock, topic } = this.deps;
    const snapshot = event.case;
    // Outside the transaction: a failure here is retriable and holds no locks.
    const policy = await directory.policy(snapshot.partnershipId);
    const calendar = calendarFor(policy.calendar);
    const trigger = policy.triggers.thresholdDisagreement;
    const now = clock.now();

    const result = await dataSource.transaction(async (m) => {
      const fresh = (await m.query(
        `INSERT INTO "escalations"."inbox" ("message_id", "processed_at") VALUES ($1, $2)
         ON CONFLICT DO NOTHING RETURNING "message_id"`,
        [event.statusChange.id, now],
      )) as unknown[];
      if (fresh.length === 0)
        return { replay: true, findings: 0, evidenceAdded: 0, timersArmed: 0, events: 0 };

      await m.query(
        `INSERT INTO "escalations"."case_snapshot" ("case_id", "partnership_id", "snapshot", "updated_at")
         VALUES ($1, $2, $3, $4)
         ON CONFLICT ("case_id") DO UPDATE
           SET "partnership_id" = EXCLUDED."partnership_id", "snapshot" = EXCLUDED."snapshot",
               "updated_at" = EXCLUDED."updated_at"`,
        [snapshot.id, snapshot.partnershipId, JSON.stringify(snapshot), now],
      );

      const findings = findThresholdDisagreements(snapshot, trigger);
      let evidenceAdded = 0;
      let timersArmed = 0;
      let events = 0;
      for (const f of findings) {
        const open = await findOpenEscalation(m, {
          caseId: snapshot.id,
          ground: f.ground,
          raisingAgencyId: f.raisingAgencyId,
          receivingAgencyId: f.receivingAgencyId,
        });
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
        // Never waits on a grace timer a scheduler has claimed (lock order: scheduler.service.ts).
        await armTimer(
          m,
          'grace',
          graceTimerKey(snapshot.id, f.ground, f.raisingAgencyId, f.receivingAgencyId),
          due,
          gracePayload(snapshot, f),
        );
        timersArmed += 1;
      }
      return { replay: false, findings: findings.length, evidenceAdded, timersArmed, events };
    });

    const { events, ...outcome } = result;
    this.log.debug(
      { statusChangeId: event.statusChange.id, caseId: snapshot.id, ...outcome },
      'case event applied',
    );
    if (events > 0 || outcome.timersArmed > 0)
      this.deps.afterCommit?.({ events, timers: outcome.timersArmed });
    return outcome;
  }
}
