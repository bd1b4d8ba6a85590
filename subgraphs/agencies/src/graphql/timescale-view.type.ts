import type { TimescaleBasis } from '@mash/schema';
import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A length of time in a policy, and where its figure comes from.' })
export class TimescaleView {
  @Field(() => Number)
  amount!: number;

  @Field(() => String, { description: 'hours, calendar-days, working-days or calendar-months.' })
  unit!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "policy-text (the partnership's own policy), statutory (e.g. Working Together 2023) or local-default (no " +
      'source gives a figure); null when the policy does not say.',
  })
  basis?: TimescaleBasis;

  @Field(() => String, { nullable: true, description: 'Where the figure comes from, in words.' })
  source?: string;
}
