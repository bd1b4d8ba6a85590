import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { CaseStatusValue } from '../entities';
import { CaseStatus } from './enums';
import { PartnershipRef } from './partnership.type';

/** One subject's multi-agency case. `subject`, `involvements`, `positions`, `plans` and `timeline` are resolved by CaseResolver. */
@Directive('@key(fields: "id")')
@ObjectType('Case')
export class CaseType {
  @Field(() => ID)
  id!: string;

  @Field(() => PartnershipRef)
  partnership!: PartnershipRef;

  @Field(() => CaseStatus)
  status!: CaseStatusValue;

  @Field(() => Date)
  openedAt!: Date;

  /** Not exposed: for resolving the subject and for need-to-know checks. */
  subjectId!: string;
  partnershipId!: string;
}
