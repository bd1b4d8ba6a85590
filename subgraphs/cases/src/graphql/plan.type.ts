import { Field, ID, ObjectType } from 'type-graphql';
import type { PlanKindValue } from '../entities';
import { PlanKind } from './enums';

/** A child protection, child in need or adult safeguarding plan. `actions` is resolved by PlanResolver. */
@ObjectType('Plan')
export class PlanType {
  @Field(() => ID)
  id!: string;

  @Field(() => PlanKind)
  kind!: PlanKindValue;

  @Field(() => Date)
  startedAt!: Date;

  @Field(() => Date, { nullable: true })
  reviewDue!: Date | null;

  @Field(() => Date, { nullable: true })
  endedAt!: Date | null;

  /** Not exposed: the case the plan belongs to (its need-to-know). */
  caseId!: string;
}
