import { BadUserInputError, isUuid } from '@mash/service-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { caseListScope } from '../domain/access';
import type { CasesContext } from './context';
import type { CaseStatusValue } from '../entities';
import { AgencyPositionType } from './agency-position.type';
import { CaseType } from './case.type';
import { CaseStatus } from './enums';
import { InvolvementType } from './involvement.type';
import { toCase, toInvolvement, toPlan, toPosition, toStatusChange, toSubject } from './mappers';
import { PlanType } from './plan.type';
import { StatusChangeType } from './status-change.type';
import { SubjectType } from './subject.type';
import { checkSubject, readableCases, readCasePart, requirePersonalData } from './guards';
import { loadReadableCase } from './case.reference';

const MAX_TIMELINE = 500;

@Resolver(() => CaseType)
export class CaseResolver {
  @Query(() => CaseType, { nullable: true, description: 'A case, for the agencies involved and its MASH.' })
  async case(@Arg('id', () => ID) id: string, @Ctx() ctx: CasesContext): Promise<CaseType | null> {
    return loadReadableCase(ctx, id);
  }

  @Query(() => [CaseType], { description: "The partnership's cases the caller has need-to-know for." })
  async cases(
    @Arg('partnershipId', () => ID) partnershipId: string,
    @Arg('status', () => CaseStatus, { nullable: true }) status: CaseStatusValue | null | undefined,
    @Ctx() ctx: CasesContext,
  ): Promise<CaseType[]> {
    requirePersonalData(ctx, { recordType: 'CaseList', recordId: partnershipId });
    if (!isUuid(partnershipId)) return [];
    const rows = await ctx.services.reader.casesInPartnership(
      partnershipId,
      caseListScope(ctx.identity, partnershipId),
      status ?? undefined,
    );
    return (await readableCases(ctx, rows)).map(toCase);
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

  @FieldResolver(() => [StatusChangeType], { description: 'Status changes on the case, newest first.' })
  async timeline(
    @Root() kase: CaseType,
    @Arg('limit', () => Int, { defaultValue: 50, nullable: true }) requested: number | null,
    @Ctx() ctx: CasesContext,
  ): Promise<StatusChangeType[]> {
    const limit = requested ?? 50;
    if (limit < 1 || limit > MAX_TIMELINE) {
      throw new BadUserInputError(`limit must be between 1 and ${MAX_TIMELINE}.`, 'limit');
    }
    readCasePart(ctx, kase, 'timeline');
    return (await ctx.loaders.timeline.load({ caseId: kase.id, limit })).map(toStatusChange);
  }
}
