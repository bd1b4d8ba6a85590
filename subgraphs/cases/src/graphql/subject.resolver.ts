import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { matchingDecision } from '../domain/access';
import type { CasesContext } from './context';
import { CaseType } from './case.type';
import { toCase, toIdentifier, toSubject } from './mappers';
import { RegisterSubjectInput } from './register-subject.input';
import { SubjectIdentifierType } from './subject-identifier.type';
import { SubjectType } from './subject.type';
import { checkSubject, readableCases, readSubjectPart } from './guards';
import { loadVisibleSubject } from './subject.reference';

@Resolver(() => SubjectType)
export class SubjectResolver {
  @Query(() => SubjectType, { nullable: true })
  async subject(@Arg('id', () => ID) id: string, @Ctx() ctx: CasesContext): Promise<SubjectType | null> {
    return loadVisibleSubject(ctx, id);
  }

  @Mutation(() => SubjectType, {
    description:
      "Registers a subject with its agency identifiers (the partnership's MASH officers). Status changes already " +
      'waiting for one of those identifiers are linked to the subject at once.',
  })
  async registerSubject(
    @Arg('input', () => RegisterSubjectInput) input: RegisterSubjectInput,
    @Ctx() ctx: CasesContext,
  ): Promise<SubjectType> {
    const decision = matchingDecision(ctx.identity, input.partnershipId);
    if (!decision.allowed) {
      ctx.audit.check({ recordType: 'Subject', recordId: `new:${input.partnershipId}` }, 'write', decision);
    }
    const id = await ctx.services.linking.registerSubject(ctx.identity, input);
    ctx.audit.record({ recordType: 'Subject', recordId: id, dataSubjectId: id }, 'write', decision);
    const subject = await ctx.loaders.subject.load(id);
    if (!subject) throw new Error(`subject ${id} was registered but cannot be read`);
    await checkSubject(ctx, subject);
    return toSubject(subject);
  }

  @FieldResolver(() => [SubjectIdentifierType])
  async identifiers(
    @Root() subject: SubjectType,
    @Ctx() ctx: CasesContext,
  ): Promise<SubjectIdentifierType[]> {
    readSubjectPart(ctx, subject.id, 'identifiers');
    return (await ctx.loaders.identifiersOfSubject.load(subject.id)).map(toIdentifier);
  }

  @FieldResolver(() => [CaseType], { description: "The subject's cases the caller has need-to-know for." })
  async cases(@Root() subject: SubjectType, @Ctx() ctx: CasesContext): Promise<CaseType[]> {
    readSubjectPart(ctx, subject.id, 'cases');
    return (await readableCases(ctx, await ctx.loaders.casesOfSubject.load(subject.id))).map(toCase);
  }
}
