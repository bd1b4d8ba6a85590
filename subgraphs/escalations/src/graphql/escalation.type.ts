import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import type { Role } from '@mash/schema';
import type { EscalationGround, EscalationOutcome, EscalationStatus, RedirectRoute } from '../domain/model';
import {
  EscalationGroundValue,
  EscalationOutcomeValue,
  EscalationStatusValue,
  RedirectRouteValue,
} from './enums';

/**
 * One instance of the resolution-of-professional-disagreement process. `case`, the agencies, the partnership,
 * `evidence`, `history`, `meetings`, `learning` and `panel` are field resolvers; the contacts subgraph adds
 * `stageOwners`, requiring
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

  @Field(() => String, {
    nullable: true,
    description: 'Who raised it (their token subject: a contact id); null when raised automatically.',
  })
  raisedBy!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was closed: resolved or redirected.' })
  resolvedAt!: Date | null;

  @Field(() => EscalationOutcomeValue, {
    nullable: true,
    description:
      'The agreed outcome; null while open, when redirected, or when resolved before outcomes were coded.',
  })
  outcome!: EscalationOutcome | null;

  @Field(() => String, {
    nullable: true,
    description: 'How outstanding issues will be pursued, confirmed with the outcome.',
  })
  outstandingIssues!: string | null;

  @Field(() => RedirectRouteValue, { nullable: true, description: 'Where a REDIRECTED escalation went.' })
  redirectRoute!: RedirectRoute | null;

  // Held for the field resolvers; not GraphQL fields themselves.
  caseId!: string;
  partnershipId!: string;
  raisingAgencyId!: string;
  receivingAgencyId!: string;
}
