import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Where a rejected event broke the contract, and which rule. Never a value.' })
export class FieldIssue {
  @Field(() => String, {
    description:
      'A JSON Pointer into the event (`/data/subject/value`), or a FHIR path for FHIR types (`Appointment.start`).',
  })
  field!: string;

  @Field(() => String, {
    description: 'A JSON Schema keyword (`required`, `format`…), `fhir-<issue code>`, or a connector check.',
  })
  rule!: string;
}

@ObjectType({ description: 'One recent dead-lettered event: its code, when, and what broke.' })
export class DeadLetterReason {
  @Field(() => String, { description: 'The rejection code (docs/ERRORS.md).' })
  code!: string;

  @Field(() => Date)
  at!: Date;

  @Field(() => String, { nullable: true, description: 'The event type; null when it could not be read.' })
  type!: string | null;

  @Field(() => [FieldIssue])
  issues!: FieldIssue[];
}

@ObjectType()
export class DeadLetterCodeCount {
  @Field(() => String)
  code!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({
  description: "A source system's dead-lettered events (every rejected event is dead-lettered).",
})
export class DeadLetters {
  @Field(() => Int)
  count!: number;

  @Field(() => [DeadLetterCodeCount], { description: 'By rejection code, the most frequent first.' })
  byCode!: DeadLetterCodeCount[];

  @Field(() => [DeadLetterReason], {
    description: 'The most recent, newest first (at most 5, from events still within the retention period).',
  })
  recent!: DeadLetterReason[];
}

@ObjectType({ description: "One event type's figures from a source system." })
export class EventTypeHealth {
  @Field(() => String, {
    nullable: true,
    description: 'A published event type; null for events whose type could not be read or is not published.',
  })
  type!: string | null;

  @Field(() => Int, { description: 'Distinct events accepted (stored and published).' })
  accepted!: number;

  @Field(() => Int, { description: 'Events rejected (and dead-lettered).' })
  rejected!: number;

  @Field(() => Int, { description: 'Further records of an event already accepted (same source and id).' })
  duplicates!: number;

  @Field(() => Date, {
    nullable: true,
    description: 'When the last event of this type arrived, whatever became of it.',
  })
  lastEventAt!: Date | null;

  @Field(() => Date, { nullable: true })
  lastAcceptedAt!: Date | null;

  @Field(() => DeadLetters)
  deadLetters!: DeadLetters;
}

@ObjectType({
  description:
    "What the connector made of a source system's events, counted since the source system first published: for the agency's integrators and the partnership's MASH officers. Holds no personal data.",
})
export class ConnectorHealth {
  @Field(() => Int, { description: 'Distinct events accepted (stored and published).' })
  accepted!: number;

  @Field(() => Int, { description: 'Events rejected (and dead-lettered).' })
  rejected!: number;

  @Field(() => Int, { description: 'Further records of an event already accepted (same source and id).' })
  duplicates!: number;

  @Field(() => Date, { nullable: true, description: 'When the last event arrived, whatever became of it.' })
  lastEventAt!: Date | null;

  @Field(() => Date, { nullable: true })
  lastAcceptedAt!: Date | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "Records on the source system's topic the connector has not consumed yet; null when unknown (no topic yet, or no connector reads the family).",
  })
  consumerLag!: number | null;

  @Field(() => DeadLetters)
  deadLetters!: DeadLetters;

  @Field(() => [EventTypeHealth], {
    description: 'The same per event type: published types by name, then unreadable.',
  })
  eventTypes!: EventTypeHealth[];
}
