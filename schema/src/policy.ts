import type { Role } from './identity';

/**
 * A partnership's escalation policy, held as data (docs/DOMAIN.md#timescales: timescales differ, so they
 * are policy data, not code). Owned by the agencies subgraph.
 */
export type TimescaleUnit = 'hours' | 'calendar-days' | 'working-days';

export interface Timescale {
  readonly amount: number;
  readonly unit: TimescaleUnit;
}

export interface PolicyStage {
  readonly stage: number;
  readonly name: string;
  /** Contact roles that own this stage in each agency in dispute (or in the partnership, at stage 4). */
  readonly ownerRoles: readonly Role[];
  /** Time allowed at this stage before it moves up by itself; null on the last stage. */
  readonly timescale: Timescale | null;
  /** Time allowed when the subject is at immediate risk. */
  readonly immediateRiskTimescale: Timescale | null;
}

export interface ThresholdDisagreementPolicy {
  readonly enabled: boolean;
  /** Steps apart on the ladder that count as disagreement (docs/DOMAIN.md#cross-agency-disagreement). */
  readonly minimumSteps: number;
  /** An agency rating risk high while its own referral ended in no further action also disagrees. */
  readonly highRiskNoFurtherAction: boolean;
  /** How long a disagreement must persist before an escalation is raised. */
  readonly gracePeriod: Timescale;
}

export interface EscalationPolicy {
  /** Working-day calendar: weekends and these bank holidays are not working days. */
  readonly calendar: 'england-and-wales';
  readonly stages: readonly PolicyStage[];
  readonly triggers: {
    readonly thresholdDisagreement: ThresholdDisagreementPolicy;
  };
}
