import type { Identity, Role } from '@mash/schema';
import {
  acknowledgeDecision,
  advanceDecision,
  chairDecision,
  raiseDecision,
  recordDecision,
  resolveDecision,
  type EscalationStage,
} from './action-access';

// Who may make each move, by role, agency and stage: a table per rule, with the ground the audit trail records.

/** An escalation between police (raising) and children's services (receiving), at a stage owned by these roles. */
const at = (ownerRoles: Role[]): EscalationStage => ({
  partnershipId: 'p-1',
  raisingAgencyId: 'police',
  receivingAgencyId: 'la',
  stageOwnerRoles: ownerRoles,
});
const stage1 = at(['practitioner']);
const stage2 = at(['line-manager', 'designated-safeguarding-lead']);
const stage4 = at(['partnership-chair']);

const who = (roles: Role[], agencyId?: string, partnershipId = 'p-1'): Identity => ({
  subject: `${roles.join('+')}@${agencyId ?? partnershipId}`,
  roles,
  partnershipId,
  ...(agencyId !== undefined && { agencyId }),
});
const laPractitioner = who(['practitioner'], 'la');
const policePractitioner = who(['practitioner'], 'police');
const healthPractitioner = who(['practitioner'], 'health');
const laLineManager = who(['line-manager'], 'la');
const policeDsl = who(['designated-safeguarding-lead'], 'police');
const laHeadOfService = who(['head-of-service'], 'la');
const mashOfficer = who(['mash-officer'], 'la');
const chair = who(['partnership-chair'], 'business-unit');
const otherChair = who(['partnership-chair'], 'elsewhere', 'p-2');
const laIntegrator = who(['agency-integrator', 'practitioner'], 'la');
const laAuditor = who(['auditor'], 'la');
const service: Identity = { subject: 'service:escalations', roles: ['service'] };

type Row = [string, Identity, EscalationStage, string];

const table = (
  rule: (i: Identity, e: EscalationStage) => { allowed: boolean; ground: string },
  rows: Row[],
) =>
  it.each(rows)('%s → %s', (_who, identity, e, ground) => {
    const d = rule(identity, e);
    expect({ allowed: d.allowed, ground: d.ground }).toEqual({
      allowed: !ground.startsWith('refused:'),
      ground,
    });
  });

describe('acknowledging: the owners of the current stage in the receiving agency', () => {
  table(acknowledgeDecision, [
    [
      'a practitioner of the receiving agency at stage 1',
      laPractitioner,
      stage1,
      'receiving-agency-stage-owner',
    ],
    [
      'a line manager of the receiving agency at stage 2',
      laLineManager,
      stage2,
      'receiving-agency-stage-owner',
    ],
    ['the chair at the chair’s stage', chair, stage4, 'partnership-stage-owner'],
    ['a practitioner of the raising agency', policePractitioner, stage1, 'refused:not-receiving-stage-owner'],
    [
      'a practitioner of the receiving agency at stage 2',
      laPractitioner,
      stage2,
      'refused:not-receiving-stage-owner',
    ],
    [
      'a head of service of the receiving agency at stage 2',
      laHeadOfService,
      stage2,
      'refused:not-receiving-stage-owner',
    ],
    ['a MASH officer of the receiving agency', mashOfficer, stage1, 'refused:not-receiving-stage-owner'],
    ['the chair at stage 1', chair, stage1, 'refused:not-receiving-stage-owner'],
    [
      'another partnership’s chair at the chair’s stage',
      otherChair,
      stage4,
      'refused:not-receiving-stage-owner',
    ],
    ['an integrator claiming a casework role', laIntegrator, stage1, 'refused:no-personal-data-role'],
    ['an auditor of the receiving agency', laAuditor, stage1, 'refused:no-personal-data-role'],
    ['a platform service', service, stage1, 'refused:no-personal-data-role'],
  ]);
});

describe('advancing: the owners of the current stage in either agency', () => {
  table(advanceDecision, [
    ['a practitioner of the raising agency at stage 1', policePractitioner, stage1, 'stage-owner'],
    ['a practitioner of the receiving agency at stage 1', laPractitioner, stage1, 'stage-owner'],
    ['a DSL of the raising agency at stage 2', policeDsl, stage2, 'stage-owner'],
    ['a practitioner at stage 2', policePractitioner, stage2, 'refused:not-stage-owner'],
    ['a practitioner of an agency not in dispute', healthPractitioner, stage1, 'refused:not-stage-owner'],
    ['a MASH officer', mashOfficer, stage1, 'refused:not-stage-owner'],
    ['the chair below the chair’s stage', chair, stage2, 'refused:not-stage-owner'],
    ['an auditor', laAuditor, stage1, 'refused:no-personal-data-role'],
  ]);
});

describe('resolving: the owners of the current stage in either agency, or the chair', () => {
  table(resolveDecision, [
    ['a practitioner of the raising agency at stage 1', policePractitioner, stage1, 'stage-owner'],
    ['a line manager of the receiving agency at stage 2', laLineManager, stage2, 'stage-owner'],
    ['the chair at any stage', chair, stage1, 'partnership-chair'],
    ['the chair at the chair’s stage', chair, stage4, 'partnership-chair'],
    ['a practitioner at stage 2', laPractitioner, stage2, 'refused:not-stage-owner-or-chair'],
    ['a MASH officer', mashOfficer, stage1, 'refused:not-stage-owner-or-chair'],
    ['another partnership’s chair', otherChair, stage1, 'refused:not-stage-owner-or-chair'],
    [
      'a practitioner of an agency not in dispute',
      healthPractitioner,
      stage1,
      'refused:not-stage-owner-or-chair',
    ],
    ['a platform service', service, stage1, 'refused:no-personal-data-role'],
  ]);
});

describe('recording meetings and learning, redirecting: stage owners of either agency, the chair or MASH', () => {
  table(recordDecision, [
    ['a practitioner of the receiving agency at stage 1', laPractitioner, stage1, 'stage-owner'],
    ['a DSL of the raising agency at stage 2', policeDsl, stage2, 'stage-owner'],
    ['a MASH officer of the partnership', mashOfficer, stage1, 'partnership-oversight'],
    ['the chair', chair, stage2, 'partnership-oversight'],
    ['a practitioner at stage 2', laPractitioner, stage2, 'refused:not-stage-owner-or-oversight'],
    [
      'a practitioner of an agency not in dispute',
      healthPractitioner,
      stage1,
      'refused:not-stage-owner-or-oversight',
    ],
    ['another partnership’s chair', otherChair, stage1, 'refused:not-stage-owner-or-oversight'],
    ['an integrator claiming a casework role', laIntegrator, stage1, 'refused:no-personal-data-role'],
  ]);
});

describe('convening a resolution panel and recording its decision: the partnership chair only', () => {
  table(chairDecision, [
    ['the chair', chair, stage4, 'partnership-chair'],
    ['another partnership’s chair', otherChair, stage4, 'refused:not-partnership-chair'],
    ['a head of service of an agency in dispute', laHeadOfService, stage4, 'refused:not-partnership-chair'],
    ['a MASH officer', mashOfficer, stage4, 'refused:not-partnership-chair'],
    ['an auditor', laAuditor, stage4, 'refused:no-personal-data-role'],
  ]);
});

describe('raising: a caseworker of an agency involved in the case, or a MASH officer of its partnership', () => {
  const kase = { partnershipId: 'p-1', involvedAgencyIds: ['police', 'la'] };
  it.each<[string, Identity, string]>([
    ['a practitioner of an involved agency', policePractitioner, 'involved-agency'],
    [
      'a MASH officer of the partnership, whatever their agency',
      who(['mash-officer'], 'health'),
      'partnership-mash-officer',
    ],
    ['a practitioner of an agency not involved', healthPractitioner, 'refused:not-involved'],
    [
      'a caseworker of another partnership',
      who(['practitioner'], 'police', 'p-2'),
      'refused:other-partnership',
    ],
    ['a caseworker whose token names no agency', who(['mash-officer']), 'refused:no-agency'],
    ['an integrator of an involved agency', laIntegrator, 'refused:no-personal-data-role'],
    ['an auditor', laAuditor, 'refused:no-personal-data-role'],
  ])('%s → %s', (_who, identity, ground) => {
    const d = raiseDecision(identity, kase);
    expect({ allowed: d.allowed, ground: d.ground }).toEqual({
      allowed: !ground.startsWith('refused:'),
      ground,
    });
  });
});
