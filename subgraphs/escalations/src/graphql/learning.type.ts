import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type {
  EscalationOrigin,
  LearningOutcome,
  LearningStatus,
  ResolutionTimeBucket,
} from '../domain/learning';
import type { LearningGranularity } from '../domain/learning-period';
import type { EscalationGround } from '../domain/model';
import { EscalationGroundValue } from './enums';
import { Agency, Partnership } from './stubs.type';

// The partnership's learning (`Query.escalationLearning`): counts per bucket, shaped for charts. No type here
// carries a case, a subject, a person or free text; agencies are references the gateway names.

export enum LearningGranularityValue {
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
export enum LearningOutcomeValue {
  AGREED_ACTION_PLAN = 'AGREED_ACTION_PLAN',
  DECISION_UPHELD = 'DECISION_UPHELD',
  DECISION_CHANGED = 'DECISION_CHANGED',
  WITHDRAWN = 'WITHDRAWN',
  OTHER = 'OTHER',
}
export enum LearningStatusValue {
  OPEN = 'OPEN',
  RESOLVED = 'RESOLVED',
  REDIRECTED = 'REDIRECTED',
}
export enum ResolutionTimeBucketValue {
  UNDER_1_DAY = 'UNDER_1_DAY',
  DAYS_1_TO_3 = 'DAYS_1_TO_3',
  DAYS_3_TO_7 = 'DAYS_3_TO_7',
  DAYS_7_TO_14 = 'DAYS_7_TO_14',
  DAYS_14_TO_28 = 'DAYS_14_TO_28',
  OVER_28_DAYS = 'OVER_28_DAYS',
}
export enum EscalationOriginValue {
  AUTO_RAISED = 'AUTO_RAISED',
  MANUAL = 'MANUAL',
}

registerEnumType(LearningGranularityValue, {
  name: 'LearningGranularity',
  description: 'The step of the time series: London weeks (Monday to Sunday) or calendar months.',
});
registerEnumType(LearningOutcomeValue, {
  name: 'LearningOutcome',
  description: "A resolved escalation's outcome; one recorded in other words counts as OTHER.",
});
registerEnumType(LearningStatusValue, {
  name: 'LearningStatus',
  description: 'OPEN (any step before closing), RESOLVED (with an outcome), REDIRECTED (sent another route).',
});
registerEnumType(ResolutionTimeBucketValue, {
  name: 'ResolutionTimeBucket',
  description: 'Calendar time from raising to resolution; each bucket holds its lower bound.',
});
registerEnumType(EscalationOriginValue, {
  name: 'EscalationOrigin',
  description: 'Raised by a rule (AUTO_RAISED) or by a person (MANUAL).',
});

@ObjectType({ description: 'Escalations counted for one agency.' })
export class LearningAgencyCount {
  @Field(() => Agency)
  agency!: Agency;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'Escalations counted for one raising agency and one receiving agency.' })
export class LearningAgencyPairCount {
  @Field(() => Agency)
  raisingAgency!: Agency;

  @Field(() => Agency)
  receivingAgency!: Agency;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class LearningGroundCount {
  @Field(() => EscalationGroundValue)
  ground!: EscalationGround;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class LearningStageCount {
  @Field(() => Int)
  stage!: number;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class LearningOutcomeCount {
  @Field(() => LearningOutcomeValue)
  outcome!: LearningOutcome;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class LearningStatusCount {
  @Field(() => LearningStatusValue)
  status!: LearningStatus;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class LearningOriginCount {
  @Field(() => EscalationOriginValue)
  origin!: EscalationOrigin;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class LearningImmediateRiskCount {
  @Field()
  immediateRisk!: boolean;

  @Field(() => Int)
  count!: number;
}

@ObjectType()
export class LearningResolutionTimeCount {
  @Field(() => ResolutionTimeBucketValue)
  bucket!: ResolutionTimeBucket;

  @Field(() => Int, { description: 'Lower bound, in hours, included.' })
  fromHours!: number;

  @Field(() => Int, { nullable: true, description: 'Upper bound, in hours, excluded; null for the last.' })
  toHours!: number | null;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'How long the resolved escalations took, from raising to resolution.' })
export class LearningTimeToResolution {
  @Field(() => Int, { description: 'Escalations resolved (redirected ones are not resolutions).' })
  resolved!: number;

  @Field(() => Float, { nullable: true, description: 'Median, in hours (two decimals); null if none.' })
  medianHours!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: '90th percentile, in hours (two decimals); null if none.',
  })
  p90Hours!: number | null;

  @Field(() => [LearningResolutionTimeCount])
  histogram!: LearningResolutionTimeCount[];
}

@ObjectType({
  description: 'The escalations raised in one week or month of the period, by where they stand now.',
})
export class LearningPeriodCount {
  @Field(() => GraphQLLocalDate, { description: 'First day (London); the first bucket starts on `from`.' })
  start!: string;

  @Field(() => GraphQLLocalDate, { description: 'Last day, included; the last bucket ends on `to`.' })
  end!: string;

  @Field(() => Int)
  raised!: number;

  @Field(() => Int)
  open!: number;

  @Field(() => Int)
  resolved!: number;

  @Field(() => Int)
  redirected!: number;

  @Field(() => Int)
  autoRaised!: number;

  @Field(() => Int)
  immediateRisk!: number;
}

@ObjectType({
  description:
    "A partnership's escalations raised in a period (London dates, both included), counted per bucket: figures " +
    'for charts, with no case, subject, person or free text.',
})
export class EscalationLearning {
  @Field(() => Partnership)
  partnership!: Partnership;

  @Field(() => GraphQLLocalDate)
  from!: string;

  @Field(() => GraphQLLocalDate)
  to!: string;

  @Field(() => LearningGranularityValue, { description: 'The step of `series`.' })
  granularity!: LearningGranularity;

  @Field(() => Int, { description: 'Escalations raised in the period that pass the filters.' })
  total!: number;

  @Field(() => [LearningAgencyCount], { description: 'Agencies that raised any; most first.' })
  byRaisingAgency!: LearningAgencyCount[];

  @Field(() => [LearningAgencyCount], { description: 'Agencies that received any; most first.' })
  byReceivingAgency!: LearningAgencyCount[];

  @Field(() => [LearningAgencyPairCount], { description: 'Pairs of agencies in dispute; most first.' })
  byAgencyPair!: LearningAgencyPairCount[];

  @Field(() => [LearningGroundCount], { description: 'Every ground, zero included.' })
  byGround!: LearningGroundCount[];

  @Field(() => [LearningStageCount], {
    description: 'The highest stage each reached (its history), stages 1 to the highest reached.',
  })
  byHighestStage!: LearningStageCount[];

  @Field(() => [LearningOutcomeCount], { description: 'The resolved escalations, by outcome.' })
  byOutcome!: LearningOutcomeCount[];

  @Field(() => [LearningStatusCount])
  byStatus!: LearningStatusCount[];

  @Field(() => [LearningOriginCount])
  byOrigin!: LearningOriginCount[];

  @Field(() => [LearningImmediateRiskCount])
  byImmediateRisk!: LearningImmediateRiskCount[];

  @Field(() => LearningTimeToResolution)
  timeToResolution!: LearningTimeToResolution;

  @Field(() => [LearningPeriodCount], { description: 'One point per week or month, empty ones included.' })
  series!: LearningPeriodCount[];
}
