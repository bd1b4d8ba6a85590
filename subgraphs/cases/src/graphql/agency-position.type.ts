import type {
  ReferralOutcome as ReferralOutcomeValue,
  RiskLevel as RiskLevelValue,
  Threshold as ThresholdValue,
} from '@mash/schema';
import { Field, ObjectType } from 'type-graphql';
import { AgencyRef } from './agency.type';
import { ReferralOutcome, RiskLevel, Threshold } from './enums';

/** One agency's current position on the case. */
@ObjectType('AgencyPosition')
export class AgencyPositionType {
  @Field(() => AgencyRef)
  agency!: AgencyRef;

  @Field(() => Threshold, { nullable: true })
  threshold!: ThresholdValue | null;

  @Field(() => RiskLevel, { nullable: true })
  riskLevel!: RiskLevelValue | null;

  @Field(() => ReferralOutcome, { nullable: true })
  referralOutcome!: ReferralOutcomeValue | null;

  @Field(() => Date)
  asOf!: Date;
}
