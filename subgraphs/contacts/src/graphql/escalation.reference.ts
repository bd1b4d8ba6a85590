import { BadUserInputError } from '@mash/service-kit';

/** An Escalation representation carrying the fields `stageOwners` requires. */
export interface EscalationRoutingRef {
  readonly id: string;
  readonly stage: number;
  readonly stageOwnerRoles: readonly string[];
  readonly raisingAgency: { readonly id: string };
  readonly receivingAgency: { readonly id: string };
  readonly partnership: { readonly id: string };
}

function hasId(value: unknown): value is { id: string } {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';
}

/** Checks the representation the router sent, which must hold every field `stageOwners` @requires. */
export function escalationRoutingRef(reference: Record<string, unknown>): EscalationRoutingRef {
  const { id, stage, stageOwnerRoles, raisingAgency, receivingAgency, partnership } = reference;
  if (
    typeof id !== 'string' ||
    typeof stage !== 'number' ||
    !Array.isArray(stageOwnerRoles) ||
    !stageOwnerRoles.every((r) => typeof r === 'string') ||
    !hasId(raisingAgency) ||
    !hasId(receivingAgency) ||
    !hasId(partnership)
  ) {
    throw new BadUserInputError(
      'An Escalation representation needs id, stage, stageOwnerRoles, raisingAgency { id }, receivingAgency { id } and partnership { id }.',
    );
  }
  return { id, stage, stageOwnerRoles, raisingAgency, receivingAgency, partnership };
}

/** Nothing to load: the representation already carries what routing needs; it is checked when routing. */
export function resolveEscalationReference(reference: Record<string, unknown>): Record<string, unknown> {
  return reference;
}
