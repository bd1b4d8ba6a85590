import { Field, ID, InputType, Int } from 'type-graphql';
import type { EscalationGround } from '../domain/model';
import { EscalationGroundValue } from './enums';

@InputType('RaiseEscalationInput', {
  description:
    "A person raises an escalation: for a case their agency is involved in, with another of the partnership's agencies.",
})
export class RaiseEscalationInput {
  @Field(() => ID)
  caseId!: string;

  @Field(() => EscalationGroundValue, { description: 'Any ground of DOMAIN.md, "Grounds".' })
  ground!: EscalationGround;

  @Field(() => ID, {
    description: "The agency the escalation is raised with: a partner agency, not the raiser's own.",
  })
  receivingAgencyId!: string;

  @Field(() => String, { description: 'Why: recorded in the history and shared with the people told.' })
  reason!: string;

  @Field(() => Boolean, {
    defaultValue: false,
    description:
      'The child or adult is at risk of immediate harm: timescales run in hours, any stage may start it.',
  })
  immediateRisk!: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'The stage to start at (1 to the last); only with immediateRisk. Stage 1 when not given.',
  })
  startStage?: number | null;
}

@InputType('EscalationParticipantInput', {
  description: 'A person of the directory and the agency they represent.',
})
export class EscalationParticipantInput {
  @Field(() => ID)
  contactId!: string;

  @Field(() => ID)
  agencyId!: string;
}

@InputType('RecordEscalationMeetingInput', {
  description: 'A discussion or meeting: who took part, when, and what was agreed.',
})
export class RecordEscalationMeetingInput {
  @Field(() => ID)
  escalationId!: string;

  @Field(() => Date, {
    description: 'When it happened: not in the future, not before the escalation was raised.',
  })
  heldAt!: Date;

  @Field(() => [EscalationParticipantInput], { description: 'Everyone who took part (at least two people).' })
  participants!: EscalationParticipantInput[];

  @Field(() => String)
  agreed!: string;
}
