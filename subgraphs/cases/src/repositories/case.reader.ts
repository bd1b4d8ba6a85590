import { In, IsNull, Not, type DataSource } from 'typeorm';
import type { CaseListScope } from '../domain/access';
import {
  AgencyPositionEntity,
  CaseEntity,
  InvolvementEntity,
  PlanActionEntity,
  PlanEntity,
  StatusChangeEntity,
  SubjectEntity,
  SubjectIdentifierEntity,
  UnmatchedStatusChangeEntity,
  type CaseStatusValue,
} from '../entities';
import { SCHEMA } from '../entities/schema-name';

/** Batched reads behind the per-request DataLoaders and the list queries. */
export class CaseReader {
  constructor(private readonly dataSource: DataSource) {}

  subjects(ids: readonly string[]): Promise<SubjectEntity[]> {
    return this.dataSource.getRepository(SubjectEntity).findBy({ id: In([...ids]) });
  }

  identifiersOfSubjects(subjectIds: readonly string[]): Promise<SubjectIdentifierEntity[]> {
    return this.dataSource.getRepository(SubjectIdentifierEntity).find({
      where: { subjectId: In([...subjectIds]) },
      order: { system: 'ASC', value: 'ASC' },
    });
  }

  cases(ids: readonly string[]): Promise<CaseEntity[]> {
    return this.dataSource.getRepository(CaseEntity).findBy({ id: In([...ids]) });
  }

  casesOfSubjects(subjectIds: readonly string[]): Promise<CaseEntity[]> {
    return this.dataSource.getRepository(CaseEntity).find({
      where: { subjectId: In([...subjectIds]) },
      order: { openedAt: 'DESC' },
    });
  }

  /** A partnership's cases, narrowed to what the caller may list. */
  async casesInPartnership(
    partnershipId: string,
    scope: CaseListScope,
    status: CaseStatusValue | undefined,
    page: { readonly take: number; readonly afterId?: string },
  ): Promise<CaseEntity[]> {
    if (scope.kind === 'none') return [];
    const query = this.dataSource
      .getRepository(CaseEntity)
      .createQueryBuilder('c')
      .where('c.partnershipId = :partnershipId', { partnershipId })
      .orderBy('c.openedAt', 'DESC')
      .addOrderBy('c.id', 'ASC')
      .take(page.take);
    if (status) query.andWhere('c.status = :status', { status });
    if (page.afterId !== undefined) {
      // Keyset: after the cursor's case in (opened_at DESC, id ASC) order.
      query.andWhere(
        `EXISTS (SELECT 1 FROM "${SCHEMA}"."case" a WHERE a."id" = :afterId
           AND (c."opened_at" < a."opened_at" OR (c."opened_at" = a."opened_at" AND c."id" > a."id")))`,
        { afterId: page.afterId },
      );
    }
    if (scope.kind === 'involving') {
      query.andWhere(
        `EXISTS (SELECT 1 FROM "${SCHEMA}"."involvement" i WHERE i."case_id" = c."id" AND i."agency_id" = :agencyId)`,
        { agencyId: scope.agencyId },
      );
    }
    return query.getMany();
  }

  involvementsOfCases(caseIds: readonly string[]): Promise<InvolvementEntity[]> {
    return this.dataSource.getRepository(InvolvementEntity).find({
      where: { caseId: In([...caseIds]) },
      order: { since: 'ASC', agencyId: 'ASC' },
    });
  }

  positionsOfCases(caseIds: readonly string[]): Promise<AgencyPositionEntity[]> {
    return this.dataSource.getRepository(AgencyPositionEntity).find({
      where: { caseId: In([...caseIds]) },
      order: { agencyId: 'ASC' },
    });
  }

  /** The cases' plans, newest first; a reported plan whose start has not arrived yet is left out. */
  plansOfCases(caseIds: readonly string[]): Promise<PlanEntity[]> {
    return this.dataSource.getRepository(PlanEntity).find({
      where: { caseId: In([...caseIds]), startedAt: Not(IsNull()), kind: Not(IsNull()) },
      order: { startedAt: 'DESC', id: 'ASC' },
    });
  }

  actionsOfPlans(planIds: readonly string[]): Promise<PlanActionEntity[]> {
    return this.dataSource.getRepository(PlanActionEntity).find({
      where: { planId: In([...planIds]) },
      order: { dueDate: 'ASC', ref: 'ASC', id: 'ASC' },
    });
  }

  statusChanges(ids: readonly string[]): Promise<StatusChangeEntity[]> {
    return this.dataSource.getRepository(StatusChangeEntity).findBy({ id: In([...ids]) });
  }

  /**
   * The newest `limit` timeline entries of each case, newest first; with `afterId`, those after that entry (a
   * keyset on occurred_at DESC, received_at DESC, id ASC).
   */
  async timelines(
    caseIds: readonly string[],
    limit: number,
    afterId?: string,
  ): Promise<StatusChangeEntity[]> {
    const after =
      afterId === undefined
        ? ''
        : `AND EXISTS (SELECT 1 FROM "${SCHEMA}"."status_change" a WHERE a."id" = $3 AND (
             s."occurred_at" < a."occurred_at"
             OR (s."occurred_at" = a."occurred_at" AND s."received_at" < a."received_at")
             OR (s."occurred_at" = a."occurred_at" AND s."received_at" = a."received_at" AND s."id" > a."id")))`;
    const ranked = (await this.dataSource.query(
      `SELECT "id" FROM (
         SELECT s."id", row_number() OVER (
           PARTITION BY s."case_id" ORDER BY s."occurred_at" DESC, s."received_at" DESC, s."id"
         ) AS "rank"
         FROM "${SCHEMA}"."status_change" s WHERE s."case_id" = ANY($1::uuid[]) ${after}
       ) AS "t" WHERE "rank" <= $2`,
      afterId === undefined ? [[...caseIds], limit] : [[...caseIds], limit, afterId],
    )) as { id: string }[];
    if (ranked.length === 0) return [];
    return this.dataSource.getRepository(StatusChangeEntity).find({
      where: { id: In(ranked.map((r) => r.id)) },
      order: { occurredAt: 'DESC', receivedAt: 'DESC', id: 'ASC' },
    });
  }

  /** Status changes still waiting for a MASH officer to link them to a subject, oldest first, a page at a time. */
  pendingUnmatched(
    partnershipId: string,
    page: { readonly take: number; readonly afterId?: string },
  ): Promise<UnmatchedStatusChangeEntity[]> {
    const query = this.dataSource
      .getRepository(UnmatchedStatusChangeEntity)
      .createQueryBuilder('u')
      .where('u.partnershipId = :partnershipId', { partnershipId })
      .andWhere('u.linkedAt IS NULL')
      .orderBy('u.receivedAt', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .take(page.take);
    if (page.afterId !== undefined) {
      query.andWhere(
        `EXISTS (SELECT 1 FROM "${SCHEMA}"."unmatched_status_change" a WHERE a."id" = :afterId
           AND (u."received_at" > a."received_at" OR (u."received_at" = a."received_at" AND u."id" > a."id")))`,
        { afterId: page.afterId },
      );
    }
    return query.getMany();
  }
}
