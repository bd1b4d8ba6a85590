import {
  triggerFor,
  type EscalationPolicy,
  type PolicyStage,
  type ThresholdDisagreementPolicy,
  type Timescale,
  type TimescaleAnchor,
  type TriggerPolicy,
} from '@mash/schema';
import { Field, Int, ObjectType } from 'type-graphql';
import { AutomaticTriggerView, ThresholdDisagreementView } from './trigger-view.type';
import { TimescaleView } from './timescale-view.type';

@ObjectType({ description: "What a stage's timescale counts from, when not the stage's own start." })
export class TimescaleAnchorView {
  @Field(() => Int, { description: 'An earlier stage.' })
  stage!: number;

  @Field(() => String, {
    description:
      "stage-start (when that stage began) or first-meeting (that stage's first meeting; its start while none is " +
      'recorded).',
  })
  event!: string;
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

  @Field(() => TimescaleAnchorView, {
    nullable: true,
    description: "What the timescale counts from; null: the stage's own start.",
  })
  anchor?: TimescaleAnchor;

  @Field(() => TimescaleView, {
    nullable: true,
    description:
      "Feedback to the raiser is due this long after the stage's meeting; null when the policy sets none.",
  })
  feedbackAfterMeeting?: Timescale;
}

@ObjectType({ description: "A typed view of a partnership's escalation policy, for dashboards." })
export class EscalationPolicyView {
  @Field(() => String)
  calendar!: string;

  @Field(() => [PolicyStageView])
  stages!: readonly PolicyStage[];

  @Field(() => [AutomaticTriggerView], {
    description: 'Every automatic trigger, one per ground; a ground without one never raises by itself.',
  })
  triggers!: readonly TriggerPolicy[];

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
    triggers: policy.triggers,
    thresholdDisagreement: triggerFor(policy, 'threshold-disagreement') ?? null,
  };
}
