import { hasRole, type Identity, type Role } from '@mash/schema';
import { allowed, refused, type AccessDecision } from '@mash/service-kit';
import { maySeeEscalations, NO_PERSONAL_DATA, type EscalationParties } from './access';

/**
 * Who may make each move on an escalation: by role, agency and stage (docs/DOMAIN.md#access-and-data-protection).
 * Each rule returns a decision with its ground, which the escalation service records in the audit trail (allowed
 * or refused) before it moves anything. The owners of a stage are the contacts holding one of its owner roles in
 * either agency in dispute, or, for a partnership-level role (the chair), anywhere in the partnership: the same
 * routing as the contacts subgraph's `Escalation.stageOwners`.
 */

/** An escalation as the write rules see it: its parties and the roles that own its current stage. */
export interface EscalationStage extends EscalationParties {
  readonly stageOwnerRoles: readonly Role[];
}

/** Roles held at partnership level: they own a stage anywhere in the partnership (contacts' routing agrees). */
export const PARTNERSHIP_LEVEL_ROLES: readonly Role[] = ['partnership-chair'];

type StageOwnership = 'receiving-agency' | 'raising-agency' | 'partnership' | null;

/** How the caller owns the escalation's current stage, if they do. */
function stageOwnership(identity: Identity, e: EscalationStage): StageOwnership {
  const held = e.stageOwnerRoles.filter((r) => identity.roles.includes(r));
  if (held.some((r) => !PARTNERSHIP_LEVEL_ROLES.includes(r))) {
    if (identity.agencyId === e.receivingAgencyId) return 'receiving-agency';
    if (identity.agencyId === e.raisingAgencyId) return 'raising-agency';
  }
  if (held.some((r) => PARTNERSHIP_LEVEL_ROLES.includes(r)) && identity.partnershipId === e.partnershipId) {
    return 'partnership';
  }
  return null;
}

const roles = (e: EscalationStage) => e.stageOwnerRoles.join(', ');

function isPartnershipChair(identity: Identity, partnershipId: string): boolean {
  return hasRole(identity, 'partnership-chair') && identity.partnershipId === partnershipId;
}

function isOversight(identity: Identity, partnershipId: string): boolean {
  return hasRole(identity, 'partnership-chair', 'mash-officer') && identity.partnershipId === partnershipId;
}

/** What a manual raise needs to know about the case: its partnership and the agencies involved in it. */
export interface CaseParties {
  readonly partnershipId: string;
  readonly involvedAgencyIds: readonly string[];
}

/**
 * A caseworker raises for a case their agency is involved in, or, as a MASH officer, for any case of their
 * partnership; the raising agency is the caller's own, so the token must name one.
 */
export function raiseDecision(identity: Identity, c: CaseParties): AccessDecision {
  if (!maySeeEscalations(identity)) return NO_PERSONAL_DATA;
  if (identity.partnershipId !== c.partnershipId) {
    return refused('refused:other-partnership', 'The case belongs to another partnership.');
  }
  if (identity.agencyId === undefined) {
    return refused('refused:no-agency', 'An escalation is raised by an agency, and your token names none.');
  }
  if (c.involvedAgencyIds.includes(identity.agencyId)) return allowed('involved-agency');
  if (hasRole(identity, 'mash-officer')) return allowed('partnership-mash-officer');
  return refused('refused:not-involved', 'Your agency is not involved in this case.');
}

/** The owners of the current stage in the receiving agency (or the partnership, at the chair's stage) acknowledge. */
export function acknowledgeDecision(identity: Identity, e: EscalationStage): AccessDecision {
  if (!maySeeEscalations(identity)) return NO_PERSONAL_DATA;
  const owner = stageOwnership(identity, e);
  if (owner === 'receiving-agency') return allowed('receiving-agency-stage-owner');
  if (owner === 'partnership') return allowed('partnership-stage-owner');
  return refused(
    'refused:not-receiving-stage-owner',
    `Only the owners of the current stage (${roles(e)}) in the receiving agency acknowledge.`,
  );
}

/** The owners of the current stage in either agency move it to the next stage. */
export function advanceDecision(identity: Identity, e: EscalationStage): AccessDecision {
  if (!maySeeEscalations(identity)) return NO_PERSONAL_DATA;
  const owner = stageOwnership(identity, e);
  if (owner === 'partnership') return allowed('partnership-stage-owner');
  if (owner !== null) return allowed('stage-owner');
  return refused(
    'refused:not-stage-owner',
    `Only the owners of the current stage (${roles(e)}) in either agency move it up.`,
  );
}

/** The owners of the current stage in either agency, or the partnership chair, record the outcome. */
export function resolveDecision(identity: Identity, e: EscalationStage): AccessDecision {
  if (!maySeeEscalations(identity)) return NO_PERSONAL_DATA;
  const owner = stageOwnership(identity, e);
  if (owner !== null && owner !== 'partnership') return allowed('stage-owner');
  if (isPartnershipChair(identity, e.partnershipId)) return allowed('partnership-chair');
  return refused(
    'refused:not-stage-owner-or-chair',
    `Only the owners of the current stage (${roles(e)}) in either agency, or the partnership chair, resolve.`,
  );
}

/**
 * Recording what happened (a meeting, learning) and redirecting to another route: the owners of the current stage
 * in either agency, or the partnership's chair and MASH officers, who oversee every escalation of the partnership.
 */
export function recordDecision(identity: Identity, e: EscalationStage): AccessDecision {
  if (!maySeeEscalations(identity)) return NO_PERSONAL_DATA;
  const owner = stageOwnership(identity, e);
  if (owner !== null && owner !== 'partnership') return allowed('stage-owner');
  if (isOversight(identity, e.partnershipId)) return allowed('partnership-oversight');
  return refused(
    'refused:not-stage-owner-or-oversight',
    `Only the owners of the current stage (${roles(e)}) in either agency, the partnership chair or its MASH ` +
      'officers record this.',
  );
}

/** Only the partnership chair convenes a resolution panel and records its decision. */
export function chairDecision(identity: Identity, e: EscalationStage): AccessDecision {
  if (!maySeeEscalations(identity)) return NO_PERSONAL_DATA;
  if (isPartnershipChair(identity, e.partnershipId)) return allowed('partnership-chair');
  return refused(
    'refused:not-partnership-chair',
    'Only the partnership chair convenes a resolution panel and records its decision.',
  );
}
