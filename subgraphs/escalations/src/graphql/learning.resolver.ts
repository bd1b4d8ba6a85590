import { GraphQLLocalDate } from 'graphql-scalars';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { BadUserInputError } from '@mash/service-kit';
import { assembleLearning, type EscalationLearningFigures } from '../domain/learning';
import {
  granularityFor,
  learningPeriod,
  LearningPeriodError,
  type LearningGranularity,
  type LearningPeriod,
} from '../domain/learning-period';
import type { EscalationGround } from '../domain/model';
import { checkLearning } from '../services/learning-access';
import type { EscalationsContext } from './context';
import { EscalationGroundValue } from './enums';
import { EscalationLearning, LearningGranularityValue } from './learning.type';

@Resolver(() => EscalationLearning)
export class EscalationLearningResolver {
  @Query(() => EscalationLearning, {
    description:
      "The partnership's learning: its escalations raised from `from` to `to` (London dates, both included), " +
      'counted per agency, pair, ground, highest stage, outcome, status, time to resolution, origin and ' +
      "immediate risk, with a time series. For the partnership's chair and MASH officers; FORBIDDEN otherwise.",
  })
  async escalationLearning(
    @Arg('partnershipId', () => ID) partnershipId: string,
    @Arg('from', () => GraphQLLocalDate) from: string,
    @Arg('to', () => GraphQLLocalDate) to: string,
    @Arg('granularity', () => LearningGranularityValue, {
      nullable: true,
      description: 'The step of `series`; by default weeks for a period up to 92 days, months beyond.',
    })
    granularity: LearningGranularity | null | undefined,
    @Arg('grounds', () => [EscalationGroundValue], { nullable: true })
    grounds: EscalationGround[] | null | undefined,
    @Arg('raisingAgencyIds', () => [ID], { nullable: true }) raisingAgencyIds: string[] | null | undefined,
    @Arg('receivingAgencyIds', () => [ID], { nullable: true })
    receivingAgencyIds: string[] | null | undefined,
    @Arg('autoRaised', () => Boolean, { nullable: true }) autoRaised: boolean | null | undefined,
    @Arg('immediateRisk', () => Boolean, { nullable: true }) immediateRisk: boolean | null | undefined,
    @Ctx() ctx: EscalationsContext,
  ): Promise<EscalationLearning> {
    checkLearning(ctx.audit, partnershipId);
    const period = periodOf(from, to);
    const step = granularityFor(period, granularity);
    const groups = await ctx.learning.groups({
      partnershipId,
      period,
      granularity: step,
      filters: {
        ...(grounds != null && { grounds }),
        ...(raisingAgencyIds != null && { raisingAgencyIds }),
        ...(receivingAgencyIds != null && { receivingAgencyIds }),
        ...(autoRaised != null && { autoRaised }),
        ...(immediateRisk != null && { immediateRisk }),
      },
    });
    return toGraphQL(assembleLearning(partnershipId, period, step, groups));
  }
}

function periodOf(from: string, to: string): LearningPeriod {
  try {
    return learningPeriod(from, to);
  } catch (err) {
    if (err instanceof LearningPeriodError) throw new BadUserInputError(err.message, err.field);
    throw err;
  }
}

/** The figures with agencies and the partnership as references, for the gateway to name. */
function toGraphQL(f: EscalationLearningFigures): EscalationLearning {
  const { partnershipId, byRaisingAgency, byReceivingAgency, byAgencyPair, ...rest } = f;
  const agencyCount = (a: { agencyId: string; count: number }) => ({
    agency: { id: a.agencyId },
    count: a.count,
  });
  return {
    ...rest,
    partnership: { id: partnershipId },
    byRaisingAgency: byRaisingAgency.map(agencyCount),
    byReceivingAgency: byReceivingAgency.map(agencyCount),
    byAgencyPair: byAgencyPair.map((p) => ({
      raisingAgency: { id: p.raisingAgencyId },
      receivingAgency: { id: p.receivingAgencyId },
      count: p.count,
    })),
    byGround: [...rest.byGround],
    byHighestStage: [...rest.byHighestStage],
    byOutcome: [...rest.byOutcome],
    byStatus: [...rest.byStatus],
    byOrigin: [...rest.byOrigin],
    byImmediateRisk: [...rest.byImmediateRisk],
    timeToResolution: { ...rest.timeToResolution, histogram: [...rest.timeToResolution.histogram] },
    series: [...rest.series],
  };
}
