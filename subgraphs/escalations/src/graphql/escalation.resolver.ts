import { BadUserInputError, BY_IDS_LIMIT, ID_PAGE_LIMITS, idPageOf, idPageRequest } from '@mash/service-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { EscalationConnection } from './escalation-connection.type';
import {
  checkEscalation,
  checkEscalations,
  escalationListScope,
  NO_PERSONAL_DATA,
  maySeeEscalations,
  readEscalationPart,
} from '../services/access';
import { Case } from './case.type';
import type { EscalationsContext } from './context';
import type { EscalationStatus } from '../domain/model';
import { EscalationStatusValue } from './enums';
import { EscalationTransition } from './escalation-transition.type';
import { Escalation } from './escalation.type';
import { Agency, Partnership, StatusChange } from './stubs.type';

@Resolver(() => Escalation)
export class EscalationResolver {
  @Query(() => Escalation, {
    nullable: true,
    description: 'One escalation; FORBIDDEN without need-to-know, NOT_FOUND when there is none.',
  })
  async escalation(@Arg('id', () => ID) id: string, @Ctx() ctx: EscalationsContext): Promise<Escalation> {
    if (!maySeeEscalations(ctx.identity)) {
      ctx.audit.check({ recordType: 'Escalation', recordId: id }, 'read', NO_PERSONAL_DATA);
    }
    return checkEscalation(ctx.audit, await ctx.loaders.escalation.load(id), id);
  }

  @Query(() => [Escalation], {
    nullable: 'items',
    description:
      `Several escalations by id, in the order asked (at most ${BY_IDS_LIMIT}): each one exactly as ` +
      '`escalation(id)` answers it, so an escalation without need-to-know, or none, is null with its own ' +
      'FORBIDDEN or NOT_FOUND error at its index. One call loads them all at once (a board refreshing its cards).',
  })
  async escalationsByIds(
    @Arg('ids', () => [ID]) ids: string[],
    @Ctx() ctx: EscalationsContext,
  ): Promise<(Escalation | Error)[]> {
    if (ids.length > BY_IDS_LIMIT) {
      throw new BadUserInputError(`ids holds ${ids.length} ids; at most ${BY_IDS_LIMIT}.`, 'ids');
    }
    // A caller who may see no escalation loads none: each id is then refused (and recorded) as `escalation` would.
    const rows = maySeeEscalations(ctx.identity)
      ? await ctx.loaders.escalation.loadMany(ids)
      : ids.map(() => null);
    // An item's error (graphql-js places an Error returned as a list item at that item's path, the item null).
    return ids.map((id, i) => {
      const row = rows[i];
      if (row instanceof Error) return row;
      try {
        return checkEscalation(ctx.audit, row, id);
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err));
      }
    });
  }

  @Query(() => EscalationConnection, {
    description:
      "A partnership's escalations the caller may see, the nearest deadline first, a page at a time.",
  })
  async escalations(
    @Arg('partnershipId', () => ID) partnershipId: string,
    @Arg('status', () => EscalationStatusValue, { nullable: true })
    status: EscalationStatus | null | undefined,
    @Arg('first', () => Int, { nullable: true, defaultValue: ID_PAGE_LIMITS.defaultFirst })
    first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() ctx: EscalationsContext,
  ): Promise<EscalationConnection> {
    // The database loads only the caller's scope; the same need-to-know check then guards each row.
    const list = { recordType: 'EscalationList', recordId: partnershipId };
    if (!maySeeEscalations(ctx.identity)) ctx.audit.check(list, 'read', NO_PERSONAL_DATA);
    const scope = escalationListScope(ctx.identity, partnershipId);
    const page = idPageRequest(first, after);
    const rows = await ctx.escalations.list(partnershipId, scope, status, {
      take: page.first + 1,
      ...(page.afterId !== undefined && { afterId: page.afterId }),
    });
    // The cursor follows the rows the database gave, so a row the check then refuses does not end the list.
    const { nodes, pageInfo } = idPageOf(rows, page.first);
    return { nodes: checkEscalations(ctx.audit, nodes, list), pageInfo };
  }

  @FieldResolver(() => Case)
  case(@Root() e: Escalation): Case {
    return { id: e.caseId };
  }

  @FieldResolver(() => Agency)
  raisingAgency(@Root() e: Escalation): Agency {
    return { id: e.raisingAgencyId };
  }

  @FieldResolver(() => Agency)
  receivingAgency(@Root() e: Escalation): Agency {
    return { id: e.receivingAgencyId };
  }

  @FieldResolver(() => Partnership)
  partnership(@Root() e: Escalation): Partnership {
    return { id: e.partnershipId };
  }

  @FieldResolver(() => [StatusChange], { description: 'The status changes that support the escalation.' })
  async evidence(@Root() e: Escalation, @Ctx() ctx: EscalationsContext): Promise<StatusChange[]> {
    readEscalationPart(ctx.audit, e.id, 'evidence');
    return (await ctx.loaders.evidence.load(e.id)).map((id) => ({ id }));
  }

  @FieldResolver(() => [EscalationTransition], {
    description: 'The append-only record of every move, oldest first.',
  })
  async history(@Root() e: Escalation, @Ctx() ctx: EscalationsContext): Promise<EscalationTransition[]> {
    readEscalationPart(ctx.audit, e.id, 'history');
    return ctx.loaders.history.load(e.id);
  }
}
