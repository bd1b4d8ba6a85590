import type { AutomaticGround, CaseSnapshot, Parties } from '@mash/schema';
import type { AgencyRef } from './finding';

/**
 * Who raises and who receives an automatic escalation on a ground that is not between two agencies' own positions
 * (stalled plan, disengagement, increasing risk), from the trigger's `parties` (docs/DOMAIN.md#who-raises-and-who-receives).
 *
 * Receiving: the agency of the `receiving` type that runs what the finding is about (`preferred`: the plan's or the
 * child protection process's agency) when it is of that type; else the first agency of that type involved in the
 * case (open or closed: a local authority that closed its case is still the one to answer); else the partnership's
 * first agency of that type, so a concern about a case the local authority has never seen still reaches it.
 *
 * Raising: the first agency, taking the `raising` types in order, with an open involvement in the case; else the
 * first signalling agency (the agencies behind the evidence, earliest first). Never the receiving agency itself:
 * when no other agency can raise, there is no finding.
 */
export interface ChosenParties {
  readonly raising: string;
  readonly receiving: string;
}

export function chooseParties(
  snapshot: Pick<CaseSnapshot, 'involvements'>,
  parties: Parties,
  agencies: readonly AgencyRef[],
  options: { readonly preferred?: string | null; readonly signalling?: readonly string[] } = {},
): ChosenParties | null {
  const typeOf = new Map(agencies.map((a) => [a.id, a.type]));
  const receiving =
    (options.preferred && typeOf.get(options.preferred) === parties.receiving
      ? options.preferred
      : undefined) ??
    snapshot.involvements.find((i) => typeOf.get(i.agencyId) === parties.receiving)?.agencyId ??
    agencies.find((a) => a.type === parties.receiving)?.id;
  if (receiving === undefined) return null;
  for (const type of parties.raising) {
    const raising = snapshot.involvements.find(
      (i) => i.open && i.agencyId !== receiving && typeOf.get(i.agencyId) === type,
    );
    if (raising) return { raising: raising.agencyId, receiving };
  }
  const signalling = (options.signalling ?? []).find((id) => id !== receiving);
  return signalling === undefined ? null : { raising: signalling, receiving };
}

/**
 * The parties a partnership is advised to start from, per ground (the schema requires each trigger to name its
 * own). Stalled plan: the partner agencies around a plan raise to children's social care, which runs it.
 * Disengagement: the agencies that see the child day to day raise to children's social care. Increasing risk: the
 * police first (they hold DASH, MARAC, protection notices and missing episodes), then health and schools, to
 * children's social care, whose position is the one found too low.
 */
export const DEFAULT_PARTIES: {
  readonly [G in Exclude<AutomaticGround, 'threshold-disagreement'>]: Parties;
} = {
  'stalled-plan': { raising: ['health', 'police', 'education'], receiving: 'la-children' },
  disengagement: { raising: ['health', 'education', 'police'], receiving: 'la-children' },
  'increasing-risk': { raising: ['police', 'health', 'education'], receiving: 'la-children' },
};
