import { Field, Int, ObjectType } from 'type-graphql';
import type { EscalationStatus } from '../domain/model';
import { EscalationStatusValue } from './enums';

/** One entry of an escalation's append-only history. */
@ObjectType()
export class EscalationTransition {
  @Field()
  at!: Date;

  @Field(() => Int, { nullable: true })
  fromStage!: number | null;

  @Field(() => Int)
  toStage!: number;

  @Field(() => EscalationStatusValue, { nullable: true })
  fromStatus!: EscalationStatus | null;

  @Field(() => EscalationStatusValue)
  toStatus!: EscalationStatus;

  @Field({ description: 'Who made the move: a contact id, or "system" for automatic moves.' })
  actor!: string;

  @Field()
  rationale!: string;
}
