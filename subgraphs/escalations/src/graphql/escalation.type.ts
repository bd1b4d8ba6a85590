import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import type { Role } from '@mash/schema';
import type { EscalationGround, EscalationStatus } from '../domain/model';
import { EscalationGroundValue, EscalationStatusValue } from './enums';

/**
 * One instance of the resolution-of-professional-disagreement process. `case`, the agencies, the partnership,
 * `evidence` and `history` are field resolvers; the contacts subgraph adds `stageOwners`, requiring
 * `stage stageOwnerRoles raisingAgency { id } receivingAgency { id } partnership { id }`.
 */
@ObjectType()
@Directive('@key(fields: "id")')
export class Escalation {
  @Field(() => ID)
  id!: string;

  @Field(() => EscalationGroundValue)
  ground!: EscalationGround;

  @Field(() => Int)
  stage!: number;

  @Field(() => EscalationStatusValue)
  status!: EscalationStatus;

  @Field()
  stageStartedAt!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When this stage moves up by itself; null at the last stage.',
  })
  stageDeadline!: Date | null;

  @Field(() => [String], {
    description: 'Contact roles that own the current stage in each agency in dispute.',
  })
  stageOwnerRoles!: Role[];

  @Field()
  autoRaised!: boolean;

  @Field()
  immediateRisk!: boolean;

  @Field()
  raisedAt!: Date;

  @Field(() => Date, { nullable: true })
  resolvedAt!: Date | null;

  @Field(() => String, { nullable: true })
  outcome!: string | null;

  // Held for the field resolvers; not GraphQL fields themselves.
  caseId!: string;
  partnershipId!: string;
  raisingAgencyId!: string;
  receivingAgencyId!: string;
}
