import { ForbiddenError, isUuid, NotFoundError } from '@mash/service-kit';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { mayManageMatching } from '../domain/access';
import type { CasesContext } from './context';
import { CaseType } from './case.type';
import { toCase, toUnmatched } from './mappers';
import { UnmatchedStatusChangeType } from './unmatched-status-change.type';

@Resolver(() => UnmatchedStatusChangeType)
export class UnmatchedStatusChangeResolver {
  @Query(() => [UnmatchedStatusChangeType], {
    description:
      "Status changes that matched no subject, waiting to be linked (the partnership's MASH officers).",
  })
  async unmatchedStatusChanges(
    @Arg('partnershipId', () => ID) partnershipId: string,
    @Ctx() ctx: CasesContext,
  ): Promise<UnmatchedStatusChangeType[]> {
    if (!mayManageMatching(ctx.identity, partnershipId)) {
      throw new ForbiddenError("Only the partnership's own MASH officers see its unmatched status changes.");
    }
    if (!isUuid(partnershipId)) return [];
    const rows = await ctx.services.reader.pendingUnmatched(partnershipId);
    ctx.logger.info(
      { audit: 'read', record: 'unmatched-status-change', count: rows.length },
      'unmatched listed',
    );
    return rows.map(toUnmatched);
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
    const caseId = await ctx.services.linking.linkStatusChange(ctx.identity, statusChangeId, subjectId);
    const kase = await ctx.loaders.case.load(caseId);
    if (!kase) throw new Error(`case ${caseId} was linked but cannot be read`);
    return toCase(kase);
  }
}
