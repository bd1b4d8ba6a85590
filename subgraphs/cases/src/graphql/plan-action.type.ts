import { Field, ID, ObjectType } from 'type-graphql';
import { AgencyRef } from './agency.type';

@ObjectType('PlanAction')
export class PlanActionType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  description!: string;

  @Field(() => AgencyRef, { nullable: true })
  ownerAgency!: AgencyRef | null;

  @Field(() => Date, { nullable: true })
  dueDate!: Date | null;

  @Field(() => Date, { nullable: true })
  doneAt!: Date | null;
}
