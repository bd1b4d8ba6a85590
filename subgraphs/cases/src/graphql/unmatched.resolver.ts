import {
  ForbiddenError,
  ID_PAGE_LIMITS,
  idPageOf,
  idPageRequest,
  isUuid,
  NotFoundError,
} from '@mash/service-kit';
import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { UnmatchedStatusChangeConnection } from './connections';
import { matchingDecision } from '../domain/access';
import { caseTarget, checkCase } from './guards';
import type { CasesContext } from './context';
import { CaseType } from './case.type';
import { toCase, toUnmatched } from './mappers';
import { UnmatchedStatusChangeType } from './unmatched-status-change.type';

@Resolver(() => UnmatchedStatusChangeType)
export class UnmatchedStatusChangeResolver {
  @Query(() => UnmatchedStatusChangeConnection, {
    description:
      "Status changes that matched no subject, waiting to be linked (the partnership's MASH officers), oldest first.",
  })
  async unmatchedStatusChanges(
    @Arg('partnershipId', () => ID) partnershipId: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: ID_PAGE_LIMITS.defaultFirst })
    first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() ctx: CasesContext,
  ): Promise<UnmatchedStatusChangeConnection> {
    const decision = matchingDecision(ctx.identity, partnershipId);
    if (!decision.allowed) {
      ctx.audit.check({ recordType: 'UnmatchedStatusChangeList', recordId: partnershipId }, 'read', decision);
    }
    const page = idPageRequest(first, after);
    if (!isUuid(partnershipId)) return idPageOf([], page.first);
    const rows = await ctx.services.reader.pendingUnmatched(partnershipId, {
      take: page.first + 1,
      ...(page.afterId !== undefined && { afterId: page.afterId }),
    });
    const { nodes, pageInfo } = idPageOf(rows, page.first);
    for (const row of nodes) {
      ctx.audit.record({ recordType: 'UnmatchedStatusChange', recordId: row.id }, 'read', decision);
    }
    return { nodes: nodes.map(toUnmatched), pageInfo };
  }

  @Mutation(() => CaseType, {
    description:
      "Links an unmatched status change to a subject (the partnership's MASH officers): the identifier is added " +
      'to the subject and every change waiting for it is applied to the case.',
  })
  async linkStatusChange(
    @Arg('statusChangeId', () => ID) statusChangeId: string,
    @Arg('subjectId', () => ID) subjectId: string,
    @Ctx() ctx: CasesContext,
  ): Promise<CaseType> {
    if (!isUuid(statusChangeId)) throw new NotFoundError('Unmatched status change');
    if (!isUuid(subjectId)) throw new NotFoundError('Subject');
    const target = {
      recordType: 'UnmatchedStatusChange',
      recordId: statusChangeId,
      dataSubjectId: subjectId,
    };
    let caseId: string;
    try {
      caseId = await ctx.services.linking.linkStatusChange(ctx.identity, statusChangeId, subjectId);
    } catch (err) {
      if (err instanceof ForbiddenError) {
        ctx.audit.record(target, 'write', {
          allowed: false,
          ground: 'refused:not-partnership-mash-officer',
        });
      }
      throw err;
    }
    const kase = await ctx.loaders.case.load(caseId);
    if (!kase) throw new Error(`case ${caseId} was linked but cannot be read`);
    const granted = { allowed: true, ground: 'partnership-mash-officer' };
    ctx.audit.record(target, 'write', granted);
    ctx.audit.record(caseTarget(kase), 'write', granted);
    await checkCase(ctx, kase);
    return toCase(kase);
  }
}
