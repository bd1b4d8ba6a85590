import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Participant } from '../domain/model';
import { readEscalationPart } from '../services/access';
import type { EscalationsContext } from './context';
import {
  EscalationLearningNote,
  EscalationMeeting,
  EscalationParticipant,
  ResolutionPanel,
} from './escalation-records.type';
import { Escalation } from './escalation.type';

const participant = (p: Participant): EscalationParticipant => ({
  contact: { id: p.contactId },
  agency: { id: p.agencyId },
});

/** The append-only records beside the history: meetings, learning, the resolution panel. */
@Resolver(() => Escalation)
export class EscalationRecordsResolver {
  @FieldResolver(() => [EscalationMeeting], {
    description: 'Discussions and meetings, in the order they were held.',
  })
  async meetings(@Root() e: Escalation, @Ctx() ctx: EscalationsContext): Promise<EscalationMeeting[]> {
    readEscalationPart(ctx.audit, e.id, 'meetings');
    return (await ctx.loaders.meetings.load(e.id)).map((m) => ({
      ...m,
      participants: m.participants.map(participant),
    }));
  }

  @FieldResolver(() => [EscalationLearningNote], {
    description: 'Learning captured after it closed, oldest first.',
  })
  async learning(@Root() e: Escalation, @Ctx() ctx: EscalationsContext): Promise<EscalationLearningNote[]> {
    readEscalationPart(ctx.audit, e.id, 'learning');
    return ctx.loaders.learning.load(e.id);
  }

  @FieldResolver(() => ResolutionPanel, {
    nullable: true,
    description: 'The resolution panel convened at the last stage, if one was.',
  })
  async panel(@Root() e: Escalation, @Ctx() ctx: EscalationsContext): Promise<ResolutionPanel | null> {
    readEscalationPart(ctx.audit, e.id, 'panel');
    const panel = await ctx.loaders.panel.load(e.id);
    return panel ? { ...panel, members: panel.members.map(participant) } : null;
  }
}
