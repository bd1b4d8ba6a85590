import type { EscalationPolicy, PolicyStage, ThresholdDisagreementPolicy } from '@mash/schema';
import { validatePolicy } from '../domain/policy';

export interface PolicyOverrides {
  readonly stages?: readonly PolicyStage[];
  readonly thresholdDisagreement?: Partial<Omit<ThresholdDisagreementPolicy, 'ground'>>;
}

/**
 * The demo partnership's escalation policy, modelled on MK Together's escalation process (seed 004): the
 * professionals meet within 7 days of the challenge; then line managers or safeguarding leads; heads of service
 * meet no later than 10 days after that meeting; then the Assurance Board chair. Immediate-risk timescales run in
 * hours. Overrides let tests shorten clocks (a grace period of `{ amount: 1 / 3600, unit: 'hours' }` is one second).
 */
export function demoPolicy(overrides: PolicyOverrides = {}): EscalationPolicy {
  const stages: PolicyStage[] = overrides.stages
    ? [...overrides.stages]
    : [
        {
          stage: 1,
          name: 'Practitioners meet to reach a shared understanding',
          ownerRoles: ['practitioner'],
          timescale: { amount: 7, unit: 'calendar-days' },
          immediateRiskTimescale: { amount: 4, unit: 'hours' },
        },
        {
          stage: 2,
          name: 'Line managers and designated safeguarding leads',
          ownerRoles: ['line-manager', 'designated-safeguarding-lead'],
          timescale: { amount: 5, unit: 'working-days' },
          immediateRiskTimescale: { amount: 8, unit: 'hours' },
        },
        {
          stage: 3,
          name: 'Heads of service meet',
          ownerRoles: ['head-of-service'],
          timescale: { amount: 10, unit: 'calendar-days' },
          immediateRiskTimescale: { amount: 24, unit: 'hours' },
        },
        {
          stage: 4,
          name: 'MK Together Assurance Board chair',
          ownerRoles: ['partnership-chair'],
          timescale: null,
          immediateRiskTimescale: null,
        },
      ];
  const thresholdDisagreement: ThresholdDisagreementPolicy = {
    ground: 'threshold-disagreement',
    enabled: true,
    minimumSteps: 2,
    highRiskNoFurtherAction: true,
    gracePeriod: { amount: 1, unit: 'working-days' },
    ...overrides.thresholdDisagreement,
  };
  return validatePolicy({ calendar: 'england-and-wales', stages, triggers: [thresholdDisagreement] });
}
