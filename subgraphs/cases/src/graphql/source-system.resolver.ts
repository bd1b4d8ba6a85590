import { mayReadConnectorHealth } from '@mash/schema';
import { BadUserInputError, ForbiddenError } from '@mash/service-kit';
import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import type { CasesContext } from './context';
import { SourceSystemRef, UnmatchedHealth } from './source-system.type';

const idOf = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'
    ? (value as { id: string }).id
    : undefined;

/** The source system, its agency and partnership, from the representation the router sent. */
function ownerOf(root: Record<string, unknown>): { id: string; agencyId: string; partnershipId: string } {
  const agency = root['agency'] as { partnership?: unknown } | undefined;
  const id = root['id'];
  const agencyId = idOf(agency);
  const partnershipId = idOf(agency?.partnership);
  if (typeof id !== 'string' || !agencyId || !partnershipId)
    throw new BadUserInputError(
      'A SourceSystem representation needs id and agency { id partnership { id } }.',
    );
  return { id, agencyId, partnershipId };
}

@Resolver(() => SourceSystemRef)
export class SourceSystemUnmatchedResolver {
  @Directive('@requires(fields: "agency { id partnership { id } }")')
  @FieldResolver(() => UnmatchedHealth, {
    nullable: true,
    description:
      "This source system's status changes that matched no subject and wait to be linked, by event type. For the integrators of its agency and the MASH officers of its partnership (FORBIDDEN for anyone else).",
  })
  async unmatched(
    @Root() root: Record<string, unknown>,
    @Ctx() ctx: CasesContext,
  ): Promise<UnmatchedHealth | null> {
    const owner = ownerOf(root);
    if (!mayReadConnectorHealth(ctx.identity, owner)) {
      throw new ForbiddenError(
        "Connector health is for the source system's agency integrators and MASH officers.",
      );
    }
    const eventTypes = await ctx.services.unmatchedHealth.waitingOf(owner.id, owner);
    return { waiting: eventTypes.reduce((n, t) => n + t.waiting, 0), eventTypes };
  }
}
