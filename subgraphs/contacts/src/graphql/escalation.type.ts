import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Agency } from './agency.type';
import { Partnership } from './partnership.type';

/**
 * Owned by the escalations subgraph. This subgraph adds `stageOwners`, for which the router first fetches the
 * external fields below from the escalations subgraph and passes them in the entity representation.
 */
@Directive('@key(fields: "id")')
@ObjectType()
export class Escalation {
  @Field(() => ID)
  id!: string;

  @Directive('@external')
  @Field(() => Int)
  stage!: number;

  @Directive('@external')
  @Field(() => [String])
  stageOwnerRoles!: readonly string[];

  @Directive('@external')
  @Field(() => Agency)
  raisingAgency!: Agency;

  @Directive('@external')
  @Field(() => Agency)
  receivingAgency!: Agency;

  @Directive('@external')
  @Field(() => Partnership)
  partnership!: Partnership;
}
