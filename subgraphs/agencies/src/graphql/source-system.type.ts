import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * An entity: other subgraphs add what they own about a source system (the connector its health, cases its
 * unmatched status changes) by its id.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: "A case system registered to publish an agency's status changes to Kafka." })
export class SourceSystem {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Globally unique; events name it as urn:mash:source:<code>.' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Agency family of the events it publishes, e.g. la-children.' })
  family!: string;

  @Field(() => String, { description: 'How it identifies subjects, e.g. police-person-id or nhs-number.' })
  identifierSystem!: string;
}
