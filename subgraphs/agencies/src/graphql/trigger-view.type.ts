import type { AgencyType, Parties, Timescale, TriggerPolicy } from '@mash/schema';
import { createUnionType, Field, Float, Int, ObjectType } from 'type-graphql';
import { AgencyTypeEnum } from './enums';
import { TimescaleView } from './timescale-view.type';

@ObjectType({ description: 'Which agency raises and which receives an automatic escalation on a ground.' })
export class TriggerPartiesView {
  @Field(() => [AgencyTypeEnum], {
    description: 'Agency types that raise, in order of preference.',
  })
  raising!: readonly AgencyType[];

  @Field(() => AgencyTypeEnum, {
    description:
      "The agency type that receives; the partnership's agency of that type when none is involved.",
  })
  receiving!: AgencyType;
}

@ObjectType({ description: 'When a threshold disagreement between agencies raises an escalation.' })
export class ThresholdDisagreementView {
  @Field(() => String, { description: 'threshold-disagreement.' })
  ground!: 'threshold-disagreement';

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

@ObjectType({ description: "When a child protection plan's statutory timescales or commitments are missed." })
export class StalledPlanView {
  @Field(() => String, { description: 'stalled-plan.' })
  ground!: 'stalled-plan';

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => TimescaleView, { description: 'Initial conference after the strategy discussion.' })
  initialConferenceWithin!: Timescale;

  @Field(() => TimescaleView, { description: 'First core group after the initial conference.' })
  firstCoreGroupWithin!: Timescale;

  @Field(() => TimescaleView, { description: 'First review conference after the initial conference.' })
  firstReviewWithin!: Timescale;

  @Field(() => TimescaleView, { description: 'Later review conferences after the previous one.' })
  reviewEvery!: Timescale;

  @Field(() => TimescaleView, { description: 'A plan action is overdue this long after its due date.' })
  actionOverdueAfter!: Timescale;

  @Field(() => Int, {
    nullable: true,
    description: 'Visit frequency (days) for a plan that states none; null: such a plan is not checked.',
  })
  defaultVisitFrequencyDays!: number | null;

  @Field(() => TriggerPartiesView)
  parties!: Parties;
}

@ObjectType({ description: 'When signals of disengagement from several agencies raise an escalation.' })
export class DisengagementView {
  @Field(() => String, { description: 'disengagement.' })
  ground!: 'disengagement';

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => TimescaleView, { description: 'Signals count together within this window.' })
  window!: Timescale;

  @Field(() => Int)
  minimumSignals!: number;

  @Field(() => Int)
  minimumAgencies!: number;

  @Field(() => Float, { description: 'School attendance under this percentage is a signal.' })
  attendanceBelowPercent!: number;

  @Field(() => [String], { description: 'The signals counted, e.g. was-not-brought, no-access-visit.' })
  signals!: readonly string[];

  @Field(() => TriggerPartiesView)
  parties!: Parties;
}

@ObjectType({
  description: 'When a risk signal while the local authority judges below a threshold raises an escalation.',
})
export class IncreasingRiskView {
  @Field(() => String, { description: 'increasing-risk.' })
  ground!: 'increasing-risk';

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => Int, { description: 'A DASH assessment at or above this score is high risk.' })
  dashHighScore!: number;

  @Field(() => Boolean)
  maracReferral!: boolean;

  @Field(() => [String], { description: 'Protection notice BRAG ratings that count, e.g. red.' })
  protectionNoticeRatings!: readonly string[];

  @Field(() => Boolean)
  missingEpisode!: boolean;

  @Field(() => String, {
    description:
      'A signal counts while the local authority judges below this threshold, e.g. child-protection.',
  })
  localAuthorityBelow!: string;

  @Field(() => Boolean, { description: '... or has closed its case.' })
  whenCaseClosed!: boolean;

  @Field(() => TimescaleView, { description: 'Older signals no longer raise.' })
  signalWithin!: Timescale;

  @Field(() => TriggerPartiesView)
  parties!: Parties;
}

const VIEW_OF_GROUND = {
  'threshold-disagreement': 'ThresholdDisagreementView',
  'stalled-plan': 'StalledPlanView',
  disengagement: 'DisengagementView',
  'increasing-risk': 'IncreasingRiskView',
} as const satisfies Record<TriggerPolicy['ground'], string>;

export const AutomaticTriggerView = createUnionType({
  name: 'AutomaticTriggerView',
  description: "One automatic trigger of a partnership's policy; its `ground` says which.",
  types: () => [ThresholdDisagreementView, StalledPlanView, DisengagementView, IncreasingRiskView] as const,
  resolveType: (trigger) => VIEW_OF_GROUND[trigger.ground],
});
