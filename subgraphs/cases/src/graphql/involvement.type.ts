import { Field, ObjectType } from 'type-graphql';
import { AgencyRef } from './agency.type';

@ObjectType('Involvement')
export class InvolvementType {
  @Field(() => AgencyRef)
  agency!: AgencyRef;

  @Field(() => String, { nullable: true, description: "The agency's own reference for the case." })
  localReference!: string | null;

  @Field(() => Boolean)
  open!: boolean;

  @Field(() => Date)
  since!: Date;
}
