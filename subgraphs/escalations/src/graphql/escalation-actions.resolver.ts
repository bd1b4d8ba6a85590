import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { EscalationOutcome, RedirectRoute } from '../domain/model';
import type { EscalationsContext } from './context';
import {
  EscalationParticipantInput,
  RaiseEscalationInput,
  RecordEscalationMeetingInput,
} from './escalation-actions.input';
import { RaiseEscalationPayload } from './escalation-records.type';
import { Escalation } from './escalation.type';
import { EscalationOutcomeValue, RedirectRouteValue } from './enums';

/**
 * The moves people make on an escalation (docs/DOMAIN.md#the-escalation-process), each authorised by role, agency
 * and stage, recorded in the history and published on the escalation-events topic. Refusals: FORBIDDEN (wrong
 * role, agency or stage owner), INVALID_TRANSITION (the escalation's state does not allow it), BAD_USER_INPUT (a
 * blank rationale, a meeting in the future...), NOT_FOUND; a refused move changes nothing.
 */
@Resolver()
export class EscalationActionsResolver {
  @Mutation(() => RaiseEscalationPayload, {
    description:
      'Raises an escalation by hand, on any ground, naming the receiving agency and the reason. At immediate risk ' +
      'the raiser may start at any stage, timescales run in hours, and the answer reminds that emergency action ' +
      'comes first.',
  })
  async raiseEscalation(
    @Arg('input', () => RaiseEscalationInput) input: RaiseEscalationInput,
    @Ctx() ctx: EscalationsContext,
  ): Promise<RaiseEscalationPayload> {
    return ctx.actions.raise(ctx.identity, input, ctx.audit);
  }

  @Mutation(() => Escalation, {
    description: 'The owners of the current stage in the receiving agency take the escalation up.',
  })
  async acknowledgeEscalation(
    @Arg('id', () => ID) id: string,
    @Arg('rationale') rationale: string,
    @Ctx() ctx: EscalationsContext,
  ): Promise<Escalation> {
    return ctx.actions.acknowledge(ctx.identity, id, rationale, ctx.audit);
  }

  @Mutation(() => Escalation, {
    description:
      'Records a discussion or meeting (who took part, when, what was agreed): the owners of the current stage in ' +
      'either agency, the partnership chair or its MASH officers. The first meeting at a stage may move an ' +
      'anchored stage deadline.',
  })
  async recordEscalationMeeting(
    @Arg('input', () => RecordEscalationMeetingInput) input: RecordEscalationMeetingInput,
    @Ctx() ctx: EscalationsContext,
  ): Promise<Escalation> {
    return ctx.actions.recordMeeting(ctx.identity, input.escalationId, input, ctx.audit);
  }

  @Mutation(() => Escalation, {
    description:
      'Moves the escalation to the next stage, with a rationale: the owners of the current stage in either agency.',
  })
  async advanceEscalation(
    @Arg('id', () => ID) id: string,
    @Arg('rationale') rationale: string,
    @Ctx() ctx: EscalationsContext,
  ): Promise<Escalation> {
    return ctx.actions.advance(ctx.identity, id, rationale, ctx.audit);
  }

  @Mutation(() => Escalation, {
    description:
      'Records the agreed outcome and how outstanding issues will be pursued, and closes the escalation: the owners ' +
      'of the current stage in either agency, or the partnership chair.',
  })
  async resolveEscalation(
    @Arg('id', () => ID) id: string,
    @Arg('outcome', () => EscalationOutcomeValue) outcome: EscalationOutcome,
    @Arg('outstandingIssues') outstandingIssues: string,
    @Arg('rationale') rationale: string,
    @Ctx() ctx: EscalationsContext,
  ): Promise<Escalation> {
    return ctx.actions.resolve(ctx.identity, id, { outcome, outstandingIssues, rationale }, ctx.audit);
  }

  @Mutation(() => Escalation, {
    description:
      'Captures learning, and a debrief if one followed, once the escalation is resolved or redirected: the owners ' +
      'of its stage in either agency, the partnership chair or its MASH officers.',
  })
  async recordEscalationLearning(
    @Arg('id', () => ID) id: string,
    @Arg('learning') learning: string,
    @Arg('debrief', () => String, { nullable: true }) debrief: string | null | undefined,
    @Ctx() ctx: EscalationsContext,
  ): Promise<Escalation> {
    return ctx.actions.recordLearning(ctx.identity, id, learning, debrief, ctx.audit);
  }

  @Mutation(() => Escalation, {
    description:
      'Records that this is not an escalation between agencies and redirects it (whistleblowing, the LADO, the ' +
      'conference chair), closing it as REDIRECTED: the owners of the current stage in either agency, the ' +
      'partnership chair or its MASH officers.',
  })
  async redirectEscalation(
    @Arg('id', () => ID) id: string,
    @Arg('route', () => RedirectRouteValue) route: RedirectRoute,
    @Arg('rationale') rationale: string,
    @Ctx() ctx: EscalationsContext,
  ): Promise<Escalation> {
    return ctx.actions.redirect(ctx.identity, id, route, rationale, ctx.audit);
  }

  @Mutation(() => Escalation, {
    description:
      'The partnership chair convenes a resolution panel at the last stage: representatives of three agencies, ' +
      'the agencies in dispute among them wherever they have people in the directory.',
  })
  async conveneResolutionPanel(
    @Arg('id', () => ID) id: string,
    @Arg('members', () => [EscalationParticipantInput]) members: EscalationParticipantInput[],
    @Ctx() ctx: EscalationsContext,
  ): Promise<Escalation> {
    return ctx.actions.convenePanel(ctx.identity, id, members, ctx.audit);
  }

  @Mutation(() => Escalation, {
    description:
      "The partnership chair records the resolution panel's decision, which resolves the escalation with the " +
      'decision as its outcome.',
  })
  async recordPanelDecision(
    @Arg('id', () => ID) id: string,
    @Arg('decision', () => EscalationOutcomeValue) decision: EscalationOutcome,
    @Arg('rationale') rationale: string,
    @Arg('outstandingIssues') outstandingIssues: string,
    @Ctx() ctx: EscalationsContext,
  ): Promise<Escalation> {
    return ctx.actions.recordPanelDecision(
      ctx.identity,
      id,
      { outcome: decision, outstandingIssues, rationale },
      ctx.audit,
    );
  }
}
