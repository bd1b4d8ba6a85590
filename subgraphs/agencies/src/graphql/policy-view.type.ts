import {
  triggerFor,
  type EscalationPolicy,
  type PolicyStage,
  type ThresholdDisagreementPolicy,
  type Timescale,
} from '@mash/schema';
import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A length of time in a policy.' })
export class TimescaleView {
  @Field(() => Number)
  amount!: number;

  @Field(() => String, { description: 'hours, calendar-days or working-days.' })
  unit!: string;
}

@ObjectType({ description: 'One stage of the escalation process, its owners and how long it may take.' })
export class PolicyStageView {
  @Field(() => Int)
  stage!: number;

  @Field(() => String)
  name!: string;

  @Field(() => [String], { description: 'Contact roles that own the stage, e.g. line-manager.' })
  ownerRoles!: readonly string[];

  @Field(() => TimescaleView, { nullable: true, description: 'Null on the last stage: it has no deadline.' })
  timescale!: Timescale | null;

  @Field(() => TimescaleView, { nullable: true })
  immediateRiskTimescale!: Timescale | null;
}

@ObjectType({ description: 'When a threshold disagreement between agencies raises an escalation.' })
export class ThresholdDisagreementView {
  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => Int, {
    description: 'Steps apart on none < universal < early help < child in need < child protection.',
  })
  minimumSteps!: number;

  @Field(() => Boolean)
  highRiskNoFurtherAction!: boolean;

  @Field(() => TimescaleView)
  gracePeriod!: Timescale;
}

@ObjectType({ description: "A typed view of a partnership's escalation policy, for dashboards." })
export class EscalationPolicyView {
  @Field(() => String)
  calendar!: string;

  @Field(() => [PolicyStageView])
  stages!: readonly PolicyStage[];

  @Field(() => ThresholdDisagreementView, {
    nullable: true,
    description: 'Null when the policy has no such trigger.',
  })
  thresholdDisagreement!: ThresholdDisagreementPolicy | null;
}

export function policyView(policy: EscalationPolicy): EscalationPolicyView {
  return {
    calendar: policy.calendar,
    stages: policy.stages,
    thresholdDisagreement: triggerFor(policy, 'threshold-disagreement') ?? null,
  };
}
