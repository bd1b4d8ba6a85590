import type {
  AgencyPositionEntity,
  CaseEntity,
  InvolvementEntity,
  PlanActionEntity,
  PlanEntity,
  StatusChangeEntity,
  SubjectEntity,
  SubjectIdentifierEntity,
  UnmatchedStatusChangeEntity,
} from '../entities';
import type { AgencyPositionType } from './agency-position.type';
import { agencyRef } from './agency.type';
import type { CaseType } from './case.type';
import type { InvolvementType } from './involvement.type';
import type { PlanActionType } from './plan-action.type';
import type { PlanType } from './plan.type';
import type { StatusChangeType } from './status-change.type';
import type { SubjectIdentifierType } from './subject-identifier.type';
import type { SubjectType } from './subject.type';
import type { UnmatchedStatusChangeType } from './unmatched-status-change.type';

/** Rows to GraphQL objects. */
export const toSubject = (s: SubjectEntity): SubjectType => ({
  id: s.id,
  displayName: s.displayName,
  // A Postgres `date` reads back as `YYYY-MM-DD`; DateTimeISO needs an instant: midnight UTC that day.
  dateOfBirth: s.dateOfBirth ? new Date(`${s.dateOfBirth}T00:00:00.000Z`) : null,
  partnershipId: s.partnershipId,
});

export const toIdentifier = (i: SubjectIdentifierEntity): SubjectIdentifierType => ({
  system: i.system,
  value: i.value,
});

export const toCase = (c: CaseEntity): CaseType => ({
  id: c.id,
  partnership: { id: c.partnershipId },
  status: c.status,
  openedAt: c.openedAt,
  subjectId: c.subjectId,
  partnershipId: c.partnershipId,
});

export const toInvolvement = (i: InvolvementEntity): InvolvementType => ({
  agency: agencyRef(i.agencyId),
  localReference: i.localReference,
  open: i.open,
  since: i.since,
});

export const toPosition = (p: AgencyPositionEntity): AgencyPositionType => ({
  agency: agencyRef(p.agencyId),
  threshold: p.threshold,
  riskLevel: p.riskLevel,
  referralOutcome: p.referralOutcome,
  asOf: p.asOf,
});

/** Only plans whose kind and start are known are read (`CaseReader.plansOfCases`). */
export const toPlan = (p: PlanEntity): PlanType => ({
  id: p.id,
  kind: p.kind!,
  agency: p.agencyId ? agencyRef(p.agencyId) : null,
  ref: p.ref,
  startedAt: p.startedAt!,
  visitFrequencyDays: p.visitFrequencyDays,
  lastSeenVisitAt: p.lastSeenVisitAt,
  reviewDue: p.reviewDue,
  endedAt: p.endedAt,
  caseId: p.caseId,
});

export const toPlanAction = (a: PlanActionEntity): PlanActionType => ({
  id: a.id,
  ref: a.ref,
  description: a.description,
  status: a.status,
  ownerAgency: a.ownerAgencyId ? agencyRef(a.ownerAgencyId) : null,
  ownerAgencyType: a.ownerAgencyType,
  // A calendar date reads back as `YYYY-MM-DD`; DateTimeISO needs an instant: midnight UTC that day.
  dueDate: a.dueDate ? new Date(`${a.dueDate}T00:00:00.000Z`) : null,
  doneAt: a.doneAt,
});

export const toStatusChange = (s: StatusChangeEntity): StatusChangeType => ({
  id: s.id,
  kind: s.kind,
  eventType: s.type,
  summary: s.summary,
  facts: { ...s.facts },
  occurredAt: s.occurredAt,
  receivedAt: s.receivedAt,
  agency: agencyRef(s.agencyId),
  caseId: s.caseId,
});

export const toUnmatched = (u: UnmatchedStatusChangeEntity): UnmatchedStatusChangeType => ({
  id: u.id,
  agency: agencyRef(u.agencyId),
  reasonCode: u.reasonCode,
  identifierSystem: u.identifierSystem,
  identifierValue: u.identifierValue,
  otherIdentifiers: (u.message.otherIdentifiers ?? []).map((i) => ({ system: i.system, value: i.value })),
  eventType: u.message.type,
  kind: u.message.kind,
  summary: u.message.summary,
  occurredAt: new Date(u.message.occurredAt),
  receivedAt: u.receivedAt,
});
