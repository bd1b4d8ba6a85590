import { Directive, Field, ObjectType } from 'type-graphql';

/** Where a page of a cursor-paginated list ends; pass `endCursor` as `after` for the next page. */
@Directive('@shareable')
@ObjectType({ description: 'Where a page ends: pass endCursor as `after` for the next page.' })
export class PageInfo {
  @Field(() => String, { nullable: true })
  endCursor!: string | null;

  @Field()
  hasNextPage!: boolean;
}
