import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { PartnershipKind } from '../domain/reference';
import { PartnershipKindEnum } from './enums';

@Directive('@key(fields: "id")')
@ObjectType({
  description: 'A safeguarding partnership area (LSCP or SAB): member agencies and an escalation policy.',
})
export class Partnership {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => PartnershipKindEnum)
  kind!: PartnershipKind;
}
