import { Field, ID, ObjectType } from 'type-graphql';
import type { PlanActionStatusValue } from '../entities';
import { AgencyRef } from './agency.type';
import { PlanActionStatus } from './enums';

@ObjectType('PlanAction')
export class PlanActionType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, {
    nullable: true,
    description: "The reporting agency's own reference for the action.",
  })
  ref!: string | null;

  @Field(() => String)
  description!: string;

  @Field(() => PlanActionStatus)
  status!: PlanActionStatusValue;

  @Field(() => AgencyRef, { nullable: true })
  ownerAgency!: AgencyRef | null;

  @Field(() => String, { nullable: true, description: 'The agency type responsible, when the plan says.' })
  ownerAgencyType!: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'The day the action is due by (midnight UTC of that day).',
  })
  dueDate!: Date | null;

  @Field(() => Date, { nullable: true })
  doneAt!: Date | null;
}
