import { Directive, Field, ID, ObjectType } from 'type-graphql';

@Directive('@key(fields: "id")')
@ObjectType({
  description: 'A named professional in the partnership directory; stages are routed to contacts.',
})
export class Contact {
  @Field(() => ID, { description: "The person's id: what their token's subject carries." })
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Their role, e.g. line-manager or designated-safeguarding-lead.' })
  role!: string;

  @Field(() => String, { nullable: true })
  team!: string | null;

  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => Boolean, {
    description: 'Covering the duty rota now: routed to before colleagues in the same role.',
  })
  onDutyCover!: boolean;
}
