import { ID_PAGE_LIMITS, idPageOf, idPageRequest, isUuid } from '@mash/service-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { caseListScope } from '../domain/access';
import type { CasesContext } from './context';
import type { CaseStatusValue } from '../entities';
import { AgencyPositionType } from './agency-position.type';
import { CaseType } from './case.type';
import { CaseConnection, StatusChangeConnection } from './connections';
import { CaseStatus } from './enums';
import { InvolvementType } from './involvement.type';
import { toCase, toInvolvement, toPlan, toPosition, toStatusChange, toSubject } from './mappers';
import { PlanType } from './plan.type';
import { SubjectType } from './subject.type';
import { checkSubject, readableCases, readCasePart, requirePersonalData } from './guards';
import { loadReadableCase } from './case.reference';

@Resolver(() => CaseType)
export class CaseResolver {
  @Query(() => CaseType, { nullable: true, description: 'A case, for the agencies involved and its MASH.' })
  async case(@Arg('id', () => ID) id: string, @Ctx() ctx: CasesContext): Promise<CaseType | null> {
    return loadReadableCase(ctx, id);
  }

  @Query(() => CaseConnection, {
    description: "The partnership's cases the caller has need-to-know for, newest first, a page at a time.",
  })
  async cases(
    @Arg('partnershipId', () => ID) partnershipId: string,
    @Arg('status', () => CaseStatus, { nullable: true }) status: CaseStatusValue | null | undefined,
    @Arg('first', () => Int, { nullable: true, defaultValue: ID_PAGE_LIMITS.defaultFirst })
    first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() ctx: CasesContext,
  ): Promise<CaseConnection> {
    requirePersonalData(ctx, { recordType: 'CaseList', recordId: partnershipId });
    const page = idPageRequest(first, after);
    if (!isUuid(partnershipId)) return idPageOf([], page.first);
    const rows = await ctx.services.reader.casesInPartnership(
      partnershipId,
      caseListScope(ctx.identity, partnershipId),
      status ?? undefined,
      { take: page.first + 1, ...(page.afterId !== undefined && { afterId: page.afterId }) },
    );
    // The cursor follows the rows the database gave, so a row the check then refuses does not end the list.
    const { nodes, pageInfo } = idPageOf(rows, page.first);
    return { nodes: (await readableCases(ctx, nodes)).map(toCase), pageInfo };
  }

  @FieldResolver(() => SubjectType)
  async subject(@Root() kase: CaseType, @Ctx() ctx: CasesContext): Promise<SubjectType> {
    const subject = await ctx.loaders.subject.load(kase.subjectId);
    if (!subject) throw new Error(`case ${kase.id} has no subject ${kase.subjectId}`);
    await checkSubject(ctx, subject);
    return toSubject(subject);
  }

  @FieldResolver(() => [InvolvementType])
  async involvements(@Root() kase: CaseType, @Ctx() ctx: CasesContext): Promise<InvolvementType[]> {
    readCasePart(ctx, kase, 'involvements');
    return (await ctx.loaders.involvementsOfCase.load(kase.id)).map(toInvolvement);
  }

  @FieldResolver(() => [AgencyPositionType])
  async positions(@Root() kase: CaseType, @Ctx() ctx: CasesContext): Promise<AgencyPositionType[]> {
    readCasePart(ctx, kase, 'positions');
    return (await ctx.loaders.positionsOfCase.load(kase.id)).map(toPosition);
  }

  @FieldResolver(() => [PlanType])
  async plans(@Root() kase: CaseType, @Ctx() ctx: CasesContext): Promise<PlanType[]> {
    readCasePart(ctx, kase, 'plans');
    return (await ctx.loaders.plansOfCase.load(kase.id)).map(toPlan);
  }

  @FieldResolver(() => StatusChangeConnection, {
    description: 'Status changes on the case, newest first, a page at a time.',
  })
  async timeline(
    @Root() kase: CaseType,
    @Arg('first', () => Int, { nullable: true, defaultValue: ID_PAGE_LIMITS.defaultFirst })
    first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() ctx: CasesContext,
  ): Promise<StatusChangeConnection> {
    const page = idPageRequest(first, after);
    readCasePart(ctx, kase, 'timeline');
    const rows = await ctx.loaders.timeline.load({
      caseId: kase.id,
      limit: page.first + 1,
      ...(page.afterId !== undefined && { afterId: page.afterId }),
    });
    const { nodes, pageInfo } = idPageOf(rows, page.first);
    return { nodes: nodes.map(toStatusChange), pageInfo };
  }
}
