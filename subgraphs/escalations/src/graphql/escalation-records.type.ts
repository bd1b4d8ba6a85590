import { Field, Int, ObjectType } from 'type-graphql';
import type { EscalationOutcome } from '../domain/model';
import { EscalationOutcomeValue } from './enums';
import { Escalation } from './escalation.type';
import { Agency, Contact } from './stubs.type';

/** Someone who took part in a meeting or sits on a panel: a contact of the directory, and their agency. */
@ObjectType()
export class EscalationParticipant {
  @Field(() => Contact)
  contact!: Contact;

  @Field(() => Agency)
  agency!: Agency;
}

/** A discussion or meeting recorded on an escalation (append-only). */
@ObjectType()
export class EscalationMeeting {
  @Field(() => Int, { description: 'The stage the escalation was at when the meeting was held.' })
  stage!: number;

  @Field()
  heldAt!: Date;

  @Field()
  recordedAt!: Date;

  @Field({ description: 'Who recorded it (their token subject).' })
  recordedBy!: string;

  @Field(() => [EscalationParticipant])
  participants!: EscalationParticipant[];

  @Field({ description: 'What was agreed.' })
  agreed!: string;
}

/** Learning captured once the escalation closed, and the debrief if one followed (append-only). */
@ObjectType()
export class EscalationLearningNote {
  @Field()
  recordedAt!: Date;

  @Field()
  recordedBy!: string;

  @Field()
  learning!: string;

  @Field(() => String, { nullable: true })
  debrief!: string | null;
}

/** The decision of a resolution panel, which resolved the escalation with it as the outcome. */
@ObjectType()
export class ResolutionPanelDecision {
  @Field()
  decidedAt!: Date;

  @Field()
  decidedBy!: string;

  @Field(() => EscalationOutcomeValue)
  decision!: EscalationOutcome;

  @Field()
  rationale!: string;
}

/** A resolution panel the partnership chair convened at the last stage (append-only). */
@ObjectType()
export class ResolutionPanel {
  @Field()
  convenedAt!: Date;

  @Field()
  convenedBy!: string;

  @Field(() => [EscalationParticipant])
  members!: EscalationParticipant[];

  @Field(() => ResolutionPanelDecision, { nullable: true, description: 'Null until the chair records it.' })
  decision!: ResolutionPanelDecision | null;
}

/** What `raiseEscalation` answers: the escalation, and at immediate risk the reminder that emergency action comes first. */
@ObjectType()
export class RaiseEscalationPayload {
  @Field(() => Escalation)
  escalation!: Escalation;

  @Field(() => String, {
    nullable: true,
    description:
      'At immediate risk: emergency action (police on 999, children’s social care) comes first; this escalation ' +
      'does not replace it. Null when not at immediate risk.',
  })
  emergencyReminder!: string | null;
}
