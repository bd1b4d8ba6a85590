import type { EntityManager } from 'typeorm';
import type { TimerKind } from '../entities/timer.entity';
import type { DueTimer } from '../repositories/timer.repository';
import { findingTimer, type FindingPayload } from './finding-timer';
import { fireStageDeadline, type StagePayload } from './stage-deadline-timer';
import type { Fired, TimerContext, TimerHandler } from './timer-firing';

/**
 * What each kind of timer carries. Indexing it by `TimerKind` below makes a kind without a payload a compile error,
 * and the registry's mapped type makes a kind without a handler one too.
 */
export interface TimerPayloads {
  grace: FindingPayload;
  'stage-deadline': StagePayload;
}
export type PayloadOf<K extends TimerKind> = TimerPayloads[K];

/** One handler per timer kind: the scheduler dispatches through it, so no kind falls through to another's. */
export type TimerRegistry = { readonly [K in TimerKind]: TimerHandler<PayloadOf<K>> };

export const TIMERS: TimerRegistry = {
  grace: findingTimer,
  'stage-deadline': {
    fire: (m, p, ctx) => fireStageDeadline(m, p, ctx.policy, ctx.now, ctx.topic),
  },
};

/** Fires a claimed timer with its kind's handler; a kind with none (a row from a newer version) is an error. */
export function fireTimer(
  m: EntityManager,
  t: DueTimer,
  ctx: TimerContext,
  registry: TimerRegistry = TIMERS,
): Promise<Fired> {
  const handler = (registry as Partial<Record<string, TimerHandler<PayloadOf<TimerKind>>>>)[t.kind];
  if (!handler) return Promise.reject(new Error(`no handler for timer kind ${String(t.kind)}`));
  return handler.fire(m, t.payload as unknown as PayloadOf<TimerKind>, ctx);
}
