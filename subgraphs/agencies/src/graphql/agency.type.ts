import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { AgencyType as AgencyTypeValue } from '../domain/reference';
import { AgencyTypeEnum } from './enums';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A partner organisation in a safeguarding partnership.' })
export class Agency {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Short code, unique within the partnership.' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => AgencyTypeEnum)
  type!: AgencyTypeValue;
}
