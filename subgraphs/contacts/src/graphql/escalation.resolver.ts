import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { mayReadPartnership, requireDirectoryAccess } from '../services/access';
import type { ContactsContext } from './context';
import { Contact } from './contact.type';
import type { ContactRecord } from '../domain/contact';
import { routeStage } from '../domain/routing';
import { escalationRoutingRef } from './escalation.reference';
import { Escalation } from './escalation.type';

@Resolver(() => Escalation)
export class EscalationRoutingResolver {
  @Directive(
    '@requires(fields: "stage stageOwnerRoles raisingAgency { id } receivingAgency { id } partnership { id }")',
  )
  @FieldResolver(() => [Contact], {
    description:
      "Who owns the escalation's current stage: contacts in the raising and receiving agencies with the stage's owner roles (partnership-level roles from anywhere in the partnership), those on duty cover first.",
  })
  async stageOwners(
    @Root() root: Record<string, unknown>,
    @Ctx() ctx: ContactsContext,
  ): Promise<ContactRecord[]> {
    const access = requireDirectoryAccess(ctx.identity);
    const escalation = escalationRoutingRef(root);
    const partnershipId = escalation.partnership.id;
    if (!mayReadPartnership(access, partnershipId)) return [];
    const directory = await ctx.loaders.directoryOfPartnership.load(partnershipId);
    return routeStage(
      {
        stage: escalation.stage,
        ownerRoles: escalation.stageOwnerRoles,
        agencyIds: [escalation.raisingAgency.id, escalation.receivingAgency.id],
        partnershipId,
      },
      directory,
    );
  }
}
