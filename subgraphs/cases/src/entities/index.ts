import { AgencyPositionEntity } from './agency-position.entity';
import { CaseEntity } from './case.entity';
import { InvolvementEntity } from './involvement.entity';
import { PlanActionEntity } from './plan-action.entity';
import { PlanEntity } from './plan.entity';
import { StatusChangeEntity } from './status-change.entity';
import { SubjectIdentifierEntity } from './subject-identifier.entity';
import { SubjectEntity } from './subject.entity';
import { UnmatchedStatusChangeEntity } from './unmatched-status-change.entity';

export {
  AgencyPositionEntity,
  CaseEntity,
  InvolvementEntity,
  PlanActionEntity,
  PlanEntity,
  StatusChangeEntity,
  SubjectIdentifierEntity,
  SubjectEntity,
  UnmatchedStatusChangeEntity,
};
export type { CaseStatusValue } from './case.entity';
export type { PlanKindValue } from './plan.entity';
export type { PlanActionStatusValue } from './plan-action.entity';
export type { UnmatchedReasonCode } from './unmatched-status-change.entity';

export const casesEntities = [
  SubjectEntity,
  SubjectIdentifierEntity,
  CaseEntity,
  InvolvementEntity,
  AgencyPositionEntity,
  PlanEntity,
  PlanActionEntity,
  StatusChangeEntity,
  UnmatchedStatusChangeEntity,
];
