import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { PlanKindValue } from '../entities';
import { AgencyRef } from './agency.type';
import { PlanKind } from './enums';

/** A child protection, child in need or adult safeguarding plan. `actions` is resolved by PlanResolver. */
@ObjectType('Plan')
export class PlanType {
  @Field(() => ID)
  id!: string;

  @Field(() => PlanKind)
  kind!: PlanKindValue;

  @Field(() => AgencyRef, { nullable: true, description: 'The agency that reported the plan.' })
  agency!: AgencyRef | null;

  @Field(() => String, { nullable: true, description: "The reporting agency's own reference for the plan." })
  ref!: string | null;

  @Field(() => Date)
  startedAt!: Date;

  @Field(() => Date, { nullable: true })
  reviewDue!: Date | null;

  @Field(() => Date, { nullable: true })
  endedAt!: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: 'How often the plan says the subject must be visited, in calendar days.',
  })
  visitFrequencyDays!: number | null;

  @Field(() => Date, { nullable: true, description: 'The latest visit in which the subject was seen.' })
  lastSeenVisitAt!: Date | null;

  /** Not exposed: the case the plan belongs to (its need-to-know). */
  caseId!: string;
}
